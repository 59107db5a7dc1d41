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


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX workbook, one sheet per {title: rows}, every cell neutralised."""
    from openpyxl import Workbook  # only exports need it

    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=str(title)[:31])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
