"""Spreadsheet exports shared by the apps: text a spreadsheet would read as a formula is
neutralised (TOOLS.md, formula injection), numbers pass unchanged."""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text a spreadsheet would read as a formula (= + - @, and tab or carriage
    return before them) by prefixing an apostrophe. Numbers pass unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(rows: list[list]) -> str:
    """Rows as CSV text, every cell neutralised."""
    out = io.StringIO()
    csv.writer(out).writerows([[safe_cell(v) for v in row] for row in rows])
    return out.getvalue()


MIN_WIDTH, MAX_WIDTH = 8, 60


def _widths(rows: list[list]) -> list[float]:
    """Each column as wide as its longest cell (in characters), within MIN_WIDTH and MAX_WIDTH."""
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            length = max((len(line) for line in str(value if value is not None else "").splitlines()), default=0)
            if index == len(widths):
                widths.append(0)
            widths[index] = max(widths[index], length)
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def xlsx_bytes(sheets: dict[str, list[list]], *, header_rows: dict[str, int] | None = None) -> bytes:
    """An XLSX workbook, one sheet per {title: rows}, every cell neutralised; each column as wide
    as its content, and the header row (the first, or `header_rows[title]`) frozen so that it
    stays in view while scrolling."""
    from openpyxl import Workbook  # only exports need it
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=str(title)[:31])
        # A write-only sheet takes its layout before its first row.
        sheet.freeze_panes = f"A{(header_rows or {}).get(title, 1) + 1}"
        for index, width in enumerate(_widths(rows), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
