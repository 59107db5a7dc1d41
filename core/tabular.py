"""Reading the tables people upload: CSV (UTF-8 or UTF-16, with or without BOM; comma, semicolon
or tab, detected) and XLSX (first sheet), into rows of text keyed by header.

Problems are data, not exceptions: a `Problem` names the row (the header is row 1), the column
and what is wrong, so that a command can print it and a page can show it in a table.

What a file may hold depends on what it is for (`Purpose`): a session's sign-in sheet needs a few
dozen rows, the organization file hundreds of thousands. The limits (`limits_for`, from the
settings) are checked before anything big is decompressed or held: the size first, then an XLSX
file's directory of parts, then the rows as they are read, so that a hostile file is refused in
a fraction of a second and a few megabytes of memory.
"""

import csv
import datetime
import io
import itertools
import struct
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

MIB = 2**20
MAX_COLUMNS = 200  # far more than any of our files has; a wider header is not a table of ours
MAX_LINE_CHARS = 100_000  # 200 columns of 500 characters
XLSX_MAX_PARTS = 1000  # a workbook has a dozen parts, a few hundred with many sheets and images
XLSX_MAX_DIRECTORY = XLSX_MAX_PARTS * 1024  # bytes of the zip's directory of parts: names are short
# Sheets of text pack about 10 times; no workbook packs a megabyte more than 100 times, a zip
# bomb packs it 300 times or more. Small parts (a sheet of empty cells) may pack as they like.
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM = MIB


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
    # XLSX only: the sheet read, and the cells that were not text in the workbook, by (row
    # number, column): "number" or "date" (Excel turns "000123" into 123 and "3-4" into a date,
    # and the text alone no longer says so).
    sheet: str = ""
    cell_types: dict[tuple[int, str], str] = field(default_factory=dict)


class TableError(Exception):
    """The file cannot be read as a table at all."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class Purpose(StrEnum):
    SIGNIN_SHEET = "signin_sheet"  # the paper sign-in sheet of one session
    CONFERENCE_REPORT = "conference_report"  # the video-conference attendance report of one session
    ORG_FILE = "org_file"  # the organization file (import_org)
    ATTENDANCE_FILE = "attendance_file"  # sessions held elsewhere (import_attendance)


# Whole sentences, so that translators see each one whole: (too many rows, too large, unpacks to
# too much, what was done about it). %(limit)s is the number of rows, %(size)s a size.
_MESSAGES = {
    Purpose.SIGNIN_SHEET: (
        ngettext_lazy(
            "the file has more than %(limit)s row; a sign-in sheet holds at most %(limit)s",
            "the file has more than %(limit)s rows; a sign-in sheet holds at most %(limit)s",
            "count",
        ),
        gettext_lazy("the file is larger than %(size)s; a sign-in sheet holds at most %(size)s"),
        gettext_lazy("the XLSX file unpacks to more than %(size)s; a sign-in sheet holds at most %(size)s"),
        gettext_lazy("%(problem)s. Nothing was recorded."),
    ),
    Purpose.CONFERENCE_REPORT: (
        ngettext_lazy(
            "the file has more than %(limit)s row; a video-conference report holds at most %(limit)s",
            "the file has more than %(limit)s rows; a video-conference report holds at most %(limit)s",
            "count",
        ),
        gettext_lazy("the file is larger than %(size)s; a video-conference report holds at most %(size)s"),
        gettext_lazy("the XLSX file unpacks to more than %(size)s; a video-conference report holds at most %(size)s"),
        gettext_lazy("%(problem)s. Nothing was recorded."),
    ),
    Purpose.ORG_FILE: (
        ngettext_lazy(
            "the file has more than %(limit)s row; an organization file holds at most %(limit)s",
            "the file has more than %(limit)s rows; an organization file holds at most %(limit)s",
            "count",
        ),
        gettext_lazy("the file is larger than %(size)s; an organization file holds at most %(size)s"),
        gettext_lazy("the XLSX file unpacks to more than %(size)s; an organization file holds at most %(size)s"),
        gettext_lazy("%(problem)s. Nothing was changed."),
    ),
    Purpose.ATTENDANCE_FILE: (
        ngettext_lazy(
            "the file has more than %(limit)s row; an attendance file holds at most %(limit)s",
            "the file has more than %(limit)s rows; an attendance file holds at most %(limit)s",
            "count",
        ),
        gettext_lazy("the file is larger than %(size)s; an attendance file holds at most %(size)s"),
        gettext_lazy("the XLSX file unpacks to more than %(size)s; an attendance file holds at most %(size)s"),
        gettext_lazy("%(problem)s. Nothing was changed."),
    ),
}


def _count(number: int) -> str:
    return number_format(number, force_grouping=True)


def _size(size: int) -> str:
    if size % MIB == 0:
        return _("%(size)s MB") % {"size": _count(size // MIB)}
    return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": _count(size)}


@dataclass(frozen=True)
class Limits:
    """What a file of one purpose may hold: data rows (the header not counted, blank rows
    counted), bytes as uploaded, and bytes once unpacked (XLSX)."""

    purpose: Purpose
    rows: int
    bytes: int
    unpacked: int

    def too_many_rows(self) -> str:
        return _MESSAGES[self.purpose][0] % {"count": self.rows, "limit": _count(self.rows)}

    def too_large(self) -> str:
        return _MESSAGES[self.purpose][1] % {"size": _size(self.bytes)}

    def unpacks_too_large(self) -> str:
        return _MESSAGES[self.purpose][2] % {"size": _size(self.unpacked)}

    def refusal(self, problem: str) -> str:
        """A problem as a sentence of its own that says nothing was kept, for a form."""
        return _MESSAGES[self.purpose][3] % {"problem": capfirst(problem)}


def limits_for(purpose: Purpose) -> Limits:
    """The limits of the settings (`CASCADE_*_MAX_*`), read when asked."""
    if purpose in (Purpose.SIGNIN_SHEET, Purpose.CONFERENCE_REPORT):
        size = settings.CASCADE_SIGNIN_FILE_MAX_BYTES
        return Limits(purpose, settings.CASCADE_SIGNIN_FILE_MAX_ROWS, size, size)
    if purpose is Purpose.ORG_FILE:
        return Limits(purpose, settings.CASCADE_ORG_FILE_MAX_ROWS, settings.CASCADE_ORG_FILE_MAX_BYTES, settings.CASCADE_ORG_FILE_MAX_UNPACKED_BYTES)
    return Limits(
        purpose, settings.CASCADE_ATTENDANCE_FILE_MAX_ROWS, settings.CASCADE_ATTENDANCE_FILE_MAX_BYTES, settings.CASCADE_ATTENDANCE_FILE_MAX_UNPACKED_BYTES
    )


def max_upload_bytes() -> int:
    """The largest file any upload may be."""
    return max(limits_for(purpose).bytes for purpose in Purpose)


def read_table(data: bytes, *, limits: Limits | None = None) -> Table:
    """The file's first sheet or CSV table, within `limits` (by default the organization
    file's, the largest); raises TableError when it cannot be read or breaks a limit."""
    limits = limits or limits_for(Purpose.ORG_FILE)
    if len(data) > limits.bytes:
        raise TableError(Problem(1, "file", limits.too_large()))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, limits)
    return _read_csv(decode_text(data), limits)


# The code pages a spreadsheet saves "CSV" in, by the names people know them by.
LEGACY_ENCODING_NAMES = {
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1253": "Windows-1253",
    "cp1254": "Windows-1254",
    "cp1255": "Windows-1255",
    "cp1256": "Windows-1256",
    "cp1257": "Windows-1257",
    "cp1258": "Windows-1258",
    "latin_1": "ISO-8859-1",
    "iso8859_15": "ISO-8859-15",
    "mac_roman": "Mac Roman",
    "cp437": "DOS (code page 437)",
    "cp850": "DOS (code page 850)",
    "cp932": "Shift_JIS (Windows-932)",
    "shift_jis": "Shift_JIS",
    "gb18030": "GB18030 (GBK)",
    "gb2312": "GB2312",
    "big5": "Big5",
    "cp950": "Big5 (Windows-950)",
    "cp949": "Windows-949",
    "euc_kr": "EUC-KR",
    "koi8_r": "KOI8-R",
}
ENCODING_SNIFF_BYTES = 256 * 1024


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 text; text in another encoding is refused naming
    it (charset-normalizer), never read by a guess: a wrong guess changes people's names."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        name = legacy_encoding_name(data)
        if name:
            raise TableError(Problem(1, "file", _("the file is encoded as %(encoding)s: save it as CSV UTF-8") % {"encoding": name})) from exc
        raise TableError(Problem(1, "file", _("the file is not UTF-8 text or an XLSX workbook"))) from exc


def legacy_encoding_name(data: bytes) -> str | None:
    """The name of the legacy encoding the text is in, or None when it does not read as a table
    of text in any (a binary file). Windows-1252 is named when it reads the same as the best
    match: a few accented Latin letters cannot tell the Western code pages apart."""
    from charset_normalizer import from_bytes

    sample = data[:ENCODING_SNIFF_BYTES]
    best = from_bytes(sample).best()
    if best is None:
        return None
    text = str(best)
    first_line = text.split("\n", 1)[0]
    if not any(d in first_line for d in (",", ";", "\t")) or any(ch < " " and ch not in "\t\r\n" for ch in text):
        return None
    encoding = best.encoding
    try:
        if sample.decode("cp1252") == text:
            encoding = "cp1252"
    except UnicodeDecodeError:
        pass
    return LEGACY_ENCODING_NAMES.get(encoding, encoding.replace("_", "-").upper())


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def bounded_lines(lines: Iterable[str]) -> Iterator[str]:
    """The lines, refusing one longer than MAX_LINE_CHARS before anything splits it into cells."""
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise TableError(Problem(number, "file", _("the row is longer than %(max)s characters") % {"max": _count(MAX_LINE_CHARS)}))
        yield line


def _read_csv(text: str, limits: Limits) -> Table:
    if not text or text.isspace():
        raise TableError(Problem(1, "file", _("the file is empty")))
    first_line = text[:MAX_LINE_CHARS].split("\n", 1)[0]
    reader = csv.reader(bounded_lines(io.StringIO(text, newline="")), delimiter=sniff_delimiter(first_line))
    return _table_from_rows(_csv_rows(reader), limits)


def _csv_rows(reader) -> Iterator[list[str]]:
    """The reader's rows; a row it cannot read (a field longer than csv allows) is a problem."""
    for number in itertools.count(1):
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableError(Problem(number, "file", _("the row cannot be read as CSV (%(reason)s)") % {"reason": exc})) from exc
        yield row


def _check_xlsx_parts(data: bytes, limits: Limits) -> None:
    """Refuse, from the zip's directory alone, a workbook that unpacks to more than the limit
    or packs a part tighter than any workbook does; nothing is decompressed. The declared sizes
    bound what zipfile will ever unpack: it stops at a part's declared size."""
    parts, directory = _zip_directory_size(data)
    if parts > XLSX_MAX_PARTS or directory > XLSX_MAX_DIRECTORY:
        raise TableError(Problem(1, "file", _("the XLSX file has more than %(max)s parts; a workbook has far fewer") % {"max": _count(XLSX_MAX_PARTS)}))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise TableError(Problem(1, "file", _("the XLSX file is damaged"))) from exc
    if sum(info.file_size for info in infos) > limits.unpacked:
        raise TableError(Problem(1, "file", limits.unpacks_too_large()))
    for info in infos:
        packed = max(min(info.compress_size, len(data)), 1)  # the directory may claim more than the file holds
        if info.file_size > XLSX_RATIO_FROM and info.file_size > XLSX_MAX_RATIO * packed:
            ratio = info.file_size // packed
            raise TableError(
                Problem(
                    1,
                    "file",
                    _("the XLSX file’s part %(part)s unpacks to %(ratio)s times its packed size; a workbook is never packed more than %(max)s times")
                    % {"part": info.filename, "ratio": _count(ratio), "max": _count(XLSX_MAX_RATIO)},
                )
            )


def _zip_directory_size(data: bytes) -> tuple[int, int]:
    """How many parts the zip's end record (or its ZIP64 record) announces, and how many bytes
    their directory takes: zipfile makes an object of each part the directory holds, so this is
    read first. Found as zipfile finds it: the last end signature in the last 64 KiB."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or end + 22 > len(data):
        raise TableError(Problem(1, "file", _("the XLSX file is damaged")))
    parts, directory = struct.unpack_from("<HL", data, end + 10)
    locator = end - 20
    if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = locator - 56
        if record < 0 or data[record : record + 4] != b"PK\x06\x06":
            raise TableError(Problem(1, "file", _("the XLSX file is damaged")))
        parts, directory = struct.unpack_from("<QQ", data, record + 32)
    return parts, directory


def _open_workbook(data: bytes, limits: Limits):
    """The workbook in read-only mode, once its parts are checked against `limits` (nothing is
    unpacked before that)."""
    import openpyxl  # defusedxml is installed beside it, so openpyxl parses with it

    _check_xlsx_parts(data, limits)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad workbook
        raise TableError(Problem(1, "file", _("the XLSX file cannot be read"))) from exc


@contextmanager
def _first_sheet(data: bytes, limits: Limits):
    """The first visible sheet of the workbook, its parts checked first (`_open_workbook`): a
    part damaged inside shows only once it is read, and is the same one refusal; the workbook
    is closed however the reading ends."""
    workbook = _open_workbook(data, limits)
    try:
        sheet = first_visible_sheet(workbook)
        # The sheet's stated dimension may be wrong: too small, and openpyxl would stop there;
        # too large, and it would pad every row to it. Read the rows as they are.
        sheet.reset_dimensions()
        yield sheet
    except TableError:
        raise
    except Exception as exc:  # a damaged part shows only once it is read
        raise TableError(Problem(1, "file", _("the XLSX file cannot be read"))) from exc
    finally:
        workbook.close()


def _read_xlsx(data: bytes, limits: Limits) -> Table:
    with _first_sheet(data, limits) as sheet:
        # One column more than allowed, so that a wider header is seen.
        table = _table_from_rows(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), limits, text=_cell_text)
        table.sheet = sheet.title
        return table


def xlsx_rows(data: bytes, limits: Limits) -> Iterator[list[str]]:
    """The first sheet's rows as text, one list of cells per row as they come (empty rows
    included, no header taken), for a file that is not one table under a header (a
    video-conference report opens with a summary). Checked as `read_table` checks a workbook,
    before anything is unpacked; the caller counts the rows and stops reading when it wants."""
    if len(data) > limits.bytes:
        raise TableError(Problem(1, "file", limits.too_large()))
    with _first_sheet(data, limits) as sheet:
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            yield [_cell_text(value) for value in row]


def first_visible_sheet(workbook):
    """The first sheet a person sees when they open the workbook: hidden and "very hidden"
    sheets (lookup lists, macros' scratch) are skipped; the first sheet if all are hidden."""
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") == "visible":
            return sheet
    return workbook.worksheets[0]


def _cell_type(value) -> str | None:
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return "date"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number"
    return None


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


def _table_from_rows(rows: Iterable, limits: Limits, text=None) -> Table:
    """The header, then the rows, counted as they come: the row past the limit stops the
    reading. Blank rows count (a sheet may number its next row a billion, and openpyxl yields
    an empty row for each number skipped); cells beyond the header's columns are not looked at."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is not None and text is not None:
        header = [text(value) for value in header]
    if not header or not any(cell.strip() for cell in header):
        raise TableError(Problem(1, "file", _("the first row must hold the column names")))
    names = [cell.strip() for cell in header]
    while names and not names[-1]:
        names.pop()
    if len(names) > MAX_COLUMNS:
        raise TableError(Problem(1, "file", _("the first row has more than %(max)s columns") % {"max": _count(MAX_COLUMNS)}))
    width, last = len(names), limits.rows + 1
    table = Table(header=names)
    for number, row in enumerate(iterator, start=2):
        if number > last:
            raise TableError(Problem(number, "file", limits.too_many_rows()))
        cells = row[:width]
        typed = None
        if text is not None:
            if cells.count(None) == len(cells):
                continue  # an empty row of a sheet, many of them at times: skipped at C speed
            typed = [(i, kind) for i, value in enumerate(cells) if value is not None and not isinstance(value, str) and (kind := _cell_type(value))]
            cells = [text(value) for value in cells]
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        if typed:
            table.cell_types.update({(number, names[i]): kind for i, kind in typed if names[i]})
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
