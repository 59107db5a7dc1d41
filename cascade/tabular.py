"""Reading the tables people upload: CSV (UTF-8 or UTF-16, with or without BOM; comma, semicolon
or tab, detected) and XLSX (first sheet), into rows of text keyed by header.

Problems are data, not exceptions: a `Problem` names the row (the header is row 1), the column
and what is wrong, so that a command can print it and a page can show it in a table.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.message}"


@dataclass
class Table:
    header: list[str]
    # (row number in the file, {column: stripped text})
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class TableError(Exception):
    """The file cannot be read as a table at all."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def read_table(data: bytes) -> Table:
    if len(data) > settings.CASCADE_IMPORT_MAX_BYTES:
        raise TableError(Problem(1, "file", _("the file is larger than the %(mb)d MB allowed") % {"mb": settings.CASCADE_IMPORT_MAX_BYTES // 2**20}))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    return _read_csv(decode_text(data))


def decode_text(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(Problem(1, "file", _("the file is not UTF-8 text or an XLSX workbook"))) from exc


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_csv(text: str) -> Table:
    if not text.strip():
        raise TableError(Problem(1, "file", _("the file is empty")))
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    return _table_from_rows(reader)


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # defusedxml is installed beside it, so openpyxl parses with it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise TableError(Problem(1, "file", _("the XLSX file is damaged"))) from exc
    if unpacked > settings.CASCADE_XLSX_MAX_UNPACKED_BYTES:
        raise TableError(Problem(1, "file", _("the XLSX file unpacks to more than the size allowed")))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad workbook
        raise TableError(Problem(1, "file", _("the XLSX file cannot be read"))) from exc
    try:
        sheet = workbook.worksheets[0]
        return _table_from_rows([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table_from_rows(rows) -> Table:
    iterator = iter(rows)
    header = next(iterator, None)
    if not header or not any(cell.strip() for cell in header):
        raise TableError(Problem(1, "file", _("the first row must hold the column names")))
    names = [cell.strip() for cell in header]
    while names and not names[-1]:
        names.pop()
    table = Table(header=names)
    for number, cells in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        table.rows.append((number, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names) if name}))
    return table


def check_columns(table: Table, *, required: list[str], known: list[str]) -> tuple[list[Problem], list[Problem]]:
    """Errors for missing or repeated columns, warnings for unknown ones."""
    errors = [Problem(1, name, _("missing column")) for name in required if name not in table.header]
    seen = set()
    for name in table.header:
        if name in seen:
            errors.append(Problem(1, name, _("column appears twice")))
        seen.add(name)
    warnings = [Problem(1, name, _("unknown column, ignored")) for name in table.header if name and name not in known]
    return errors, warnings
