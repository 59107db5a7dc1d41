"""Reading a video-conference attendance report: Microsoft Teams' attendance report, as exported
and as people re-save it.

Layouts: the current one, with sections `1. Summary`, `2. Participants` (Name, First Join, Last
Leave, In-Meeting Duration, Email, Participant ID (UPN), Role) and `3. In-Meeting Activities`;
the older one, one table of Full Name, User Action, Timestamp (one row per join or leave, names
only); Live Events (SessionId, ParticipantId, FullName, UserAgent, UtcEventTimestamp, Action,
Role). Section titles and column names are in the organizer's interface language
(`teams_languages`), compared ignoring case, accents, spaces and punctuation.

Bytes: UTF-16 (LE or BE with a BOM, LE without one, told by its NUL bytes) as exported; UTF-8
with or without a BOM; a Windows code page when a spreadsheet re-saved it, named by
charset-normalizer and the header's language, and said in a warning; an `.xlsx` workbook of the
same rows. Cells are separated by tabs, semicolons or commas, whichever makes the header a
header. Rows padded with empty cells (`,,,,`) are read without them.

This module only reads; matching people and writing attendance is in `signin.py`. The limits of
`Purpose.CONFERENCE_REPORT` hold: the size first, then the rows as they are read (the
participants' header is looked for in the first rows only).
"""

import codecs
import csv
import functools
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.tabular import Limits, Problem, Purpose, TableError, bounded_lines, limits_for, xlsx_rows

from .teams_languages import (
    CODE_PAGES,
    GUEST_MARKERS,
    NUMBERED_TITLE,
    ORGANIZER_ROLES,
    SECTION_TITLES,
    column_kind,
    expected_columns,
    fold,
    unaccented,
)

DELIMITERS = ("\t", ";", ",")
# Windows code pages a spreadsheet saves "CSV" in, in the order tried when nothing tells them
# apart; each is named in the warning that says how the file was read.
LEGACY_ENCODINGS = {
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1256": "Windows-1256",
    "cp1254": "Windows-1254",
    "cp1253": "Windows-1253",
    "cp932": "Shift_JIS (Windows-932)",
    "gb18030": "GB18030 (GBK)",
    "cp950": "Big5 (Windows-950)",
    "cp949": "Windows-949",
}
SNIFF_BYTES = 256 * 1024  # what charset-normalizer looks at: the header and many names
LEGACY_HEADER_ROWS = 100
PLAUSIBILITY_CHARS = 32 * 1024  # the summary, the header and a few hundred names
FOUND_LINE_CHARS = 200


@dataclass(frozen=True)
class ConferenceAttendee:
    row: int
    name: str
    email: str
    upn: str
    role: str

    @property
    def is_organizer(self) -> bool:
        return fold(self.role) in ORGANIZER_ROLES


@dataclass
class ConferenceReport:
    """What the report says: each participant once, in file order, and how it was read."""

    attendees: list[ConferenceAttendee]
    layout: str  # "participants" (current), "old" (Full Name, User Action, Timestamp) or "live" (Live Events)
    language: str | None  # the language of the header's words, when one language has the most
    encoding: str  # "xlsx", "utf-8", "utf-16", or a Windows code page
    warnings: list[Problem] = field(default_factory=list)


# -- names ---------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"[(\[（［]([^()\[\]（）［］]*)[)\]）］]")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_WORDS = re.compile(r"[^\W_]+")


# Chinese, Japanese and Korean scripts (Hangul decomposed into its letters), where a name is not
# separated into words the same way each time.
_IDEOGRAPHIC = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def name_key(name: str, *, without_brackets: bool = False) -> str:
    """The name as compared with the organization file's names: case, accents, punctuation,
    extra spaces and the order of words ("Last, First" and "First Last") do not matter, and
    Teams' markers such as "(Guest)", "(External)", "(Invité)", "(Unverified)" are dropped.
    With `without_brackets`, anything in brackets is dropped (a department, a nickname)."""

    def drop(match: re.Match) -> str:
        return " " if without_brackets or fold(match.group(1)) in GUEST_MARKERS else match.group(0)

    text = _APOSTROPHES.sub("", _BRACKETED.sub(drop, name) if "(" in name or "[" in name or not name.isascii() else name)
    if text.isascii():
        return " ".join(sorted(_WORDS.findall(text.lower())))
    bare = unaccented(text)
    words = _WORDS.findall(bare)
    if _IDEOGRAPHIC.search(bare):
        return "".join(words)
    return " ".join(sorted(words))


# -- bytes to text -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Decoded:
    text: str
    encoding: str  # "utf-8", "utf-16" or a key of LEGACY_ENCODINGS


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes look like UTF-16 without a byte order mark:
    the ASCII characters of a report (digits, tabs, addresses) put a NUL byte beside each."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:SNIFF_BYTES]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    pairs = len(sample) // 2
    if odd > pairs // 10 and even * 4 < odd:
        return "utf-16-le"
    if even > pairs // 10 and odd * 4 < even:
        return "utf-16-be"
    return None


_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_EAST_ASIAN = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH", "FULLWIDTH")


@functools.lru_cache(maxsize=4096)
def _script(letter: str) -> str:
    word = unicodedata.name(letter, "?").split(" ")[0]
    return "CJK" if word in _EAST_ASIAN else word


def _implausibility(text: str) -> int:
    """How many words of the file's start read as wrongly decoded: letters of two scripts in
    one word ("Ценa"), a capital after a small letter ("ЦнЭ"), mostly accented Latin letters
    ("Ïåòðîâ"), a symbol glued to a letter ("£ukasz")."""
    sample = text[:PLAUSIBILITY_CHARS]
    score = 0
    for run in _LETTER_RUNS.findall(sample):
        if run.isascii():
            continue
        if len({_script(c) for c in run}) > 1:
            score += 1
        if any(a.islower() and b.isupper() for a, b in zip(run, run[1:])):
            score += 1
        if len(run) >= 3 and _script(run[0]) == "LATIN" and sum(not c.isascii() for c in run) * 2 > len(run):
            score += 1
    for match in _NON_ASCII.finditer(sample):
        index = match.start()
        if unicodedata.category(match.group()).startswith("S"):
            around = sample[max(index - 1, 0) : index] + sample[index + 1 : index + 2]
            score += any(n.isalpha() for n in around)
    return score


def _legacy_candidates(data: bytes) -> list[_Decoded]:
    """The Windows code pages the start of the bytes decodes in (each with that start's text),
    likeliest first: the fewest words that read
    as wrongly decoded, then the text charset-normalizer finds most like a language (to within
    0.05: a few names say little), then the code page most used (Windows-1252 first). Code
    pages that give the same text are one candidate, named by the most used of them."""
    from charset_normalizer import from_bytes

    sample = data[:SNIFF_BYTES]
    texts: dict[str, str] = {}  # the sample's text → the first code page (in LEGACY_ENCODINGS' order) giving it
    for name in LEGACY_ENCODINGS:
        try:
            texts.setdefault(codecs.getincrementaldecoder(name)().decode(sample, final=len(sample) == len(data)), name)
        except UnicodeDecodeError:
            continue
    heads = {sample.decode(name, errors="replace"): name for name in texts.values()}
    coherence: dict[str, float] = {}
    for match in from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)):
        if (name := heads.get(sample.decode(match.encoding, errors="replace"))) is not None:
            coherence[name] = max(coherence.get(name, 0.0), round(match.coherence * 20) / 20)
    priority = list(LEGACY_ENCODINGS)

    def likelihood(item: tuple[str, str]) -> tuple[int, float, int]:
        text, name = item
        return _implausibility(text), -coherence.get(name, 0.0), priority.index(name)

    return [_Decoded(text, name) for text, name in sorted(texts.items(), key=likelihood)]


def _decodings(data: bytes) -> list[_Decoded]:
    """How the bytes may be read as text: one way for Unicode (the whole text), or the code
    pages that fit a spreadsheet's legacy "CSV" (the start of the text in each)."""
    if data[:3] == b"\xef\xbb\xbf":
        encoding, text = "utf-8", _strict(data, "utf-8-sig")
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding, text = "utf-16", _strict(data, "utf-16")
    elif (utf16 := _utf16_without_bom(data)) is not None:
        encoding, text = "utf-16", _strict(data, utf16)
    else:
        try:
            encoding, text = "utf-8", data.decode("utf-8")
        except UnicodeDecodeError:
            return [d for d in _legacy_candidates(data) if _looks_like_text(d.text)]
    if text is None or not _looks_like_text(text):
        raise TableError(Problem(1, "file", _not_text()))
    return [_Decoded(text, encoding)]


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_like_text(text: str) -> bool:
    """No control characters but tabs and line ends (a picture or a zip file has them)."""
    return _CONTROL.search(text, 0, SNIFF_BYTES) is None


def _not_text() -> str:
    return _("the file is not text (UTF-8, UTF-16 or a Windows code page) nor an XLSX workbook")


# -- the header --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[str, int]  # kind of column → its position (the first of that kind)
    language: str | None
    delimiter: str | None

    @property
    def layout(self) -> str:
        if "session_id" in self.columns or "user_agent" in self.columns:
            return "live"
        if "action" in self.columns and "email" not in self.columns:
            return "old"
        return "participants"


def _split(line: str, delimiter: str) -> list[str]:
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        cells = line.split(delimiter)
    return _trimmed([cell.strip().strip('"').strip() for cell in cells])


def _trimmed(cells: list[str]) -> list[str]:
    """Without the empty cells a spreadsheet pads a row with."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _header_columns(cells: list[str]) -> tuple[dict[str, int], str | None] | None:
    """The kinds of the row's columns and its language, when the row is a participants'
    header: a name, and an address, an identifier or an action (or two other known columns)."""
    columns: dict[str, int] = {}
    votes: Counter[str] = Counter()
    for position, cell in enumerate(cells):
        known = column_kind(cell)
        if known is None:
            continue
        kind, languages = known
        columns.setdefault(kind, position)
        votes.update(languages)
    if "name" not in columns:
        return None
    if not ({"email", "upn", "participant_id", "action"} & columns.keys()) and len(columns) < 3:
        return None
    ranked = votes.most_common(2)
    language = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    return columns, language


@dataclass
class _Rows:
    """The rows of the file as cells: lines split once the delimiter is known, or a sheet."""

    source: Iterator[tuple[int, object]]  # (row number, a line or a list of cells)
    delimiter: str | None = None

    def cells(self, item) -> list[str]:
        if isinstance(item, list):
            return _trimmed([cell.strip() for cell in item])
        return _split(item, self.delimiter) if item.strip() else []


def _text_rows(text: str) -> Iterator[tuple[int, object]]:
    return enumerate((line.rstrip("\r\n") for line in bounded_lines(io.StringIO(text, newline=None))), start=1)


def _sheet_rows(rows: Iterable[list[str]]) -> Iterator[tuple[int, object]]:
    return enumerate(rows, start=1)


def _find_header(rows: _Rows, limits: Limits, max_rows: int | None = None) -> tuple[_Header | None, tuple[int, str] | None]:
    """The participants' header among the first rows (the limit's number of rows, or
    `max_rows`), and the rows are left just after it; or None and the row that looks most like
    a header (the first of the most cells), for the message."""
    found: tuple[int, str] | None = None
    widest = 0
    for number, item in rows.source:
        if number > (max_rows or limits.rows):
            break  # the participants come after a short summary, if at all
        if isinstance(item, list):
            candidates = [(None, rows.cells(item))]
        else:
            if not item.strip():
                continue
            candidates = [(d, _split(item, d)) for d in DELIMITERS if d in item] or [(None, [item.strip()])]
        for delimiter, cells in candidates:
            recognised = _header_columns(cells)
            if recognised is not None:
                rows.delimiter = delimiter
                columns, language = recognised
                return _Header(number, columns, language, delimiter), None
        cells = max((cells for _d, cells in candidates), key=len)
        if len([c for c in cells if c]) > widest:
            widest, found = len([c for c in cells if c]), (number, ", ".join(cells))
    return None, found


def _no_participants(found: tuple[int, str] | None) -> TableError:
    """The refusal of a file without a participants' header, naming the columns expected (as
    Teams writes them in the reader's language) and the row found instead."""
    current, old = expected_columns(get_language())
    expected = {"current": ", ".join(current), "old": ", ".join(old)}
    if found is None:
        message = _(
            "no list of participants found: expected a header row with the columns %(current)s "
            "(or, in older reports, %(old)s), in any language Teams uses; the file has no such row"
        ) % expected
        return TableError(Problem(1, "file", message))
    row, text = found
    if len(text) > FOUND_LINE_CHARS:
        text = text[:FOUND_LINE_CHARS] + "…"
    message = _(
        "no list of participants found: expected a header row with the columns %(current)s "
        "(or, in older reports, %(old)s), in any language Teams uses; the header found is “%(found)s”"
    ) % {**expected, "found": text}
    return TableError(Problem(row, "file", message))


# -- the report --------------------------------------------------------------------------------


def _is_section_title(cells: list[str]) -> bool:
    if not cells or len(cells) > 1:
        return False
    return bool(NUMBERED_TITLE.match(cells[0])) or fold(cells[0]) in SECTION_TITLES


def _attendees(rows: _Rows, header: _Header, limits: Limits) -> list[ConferenceAttendee]:
    columns = header.columns
    attendees: list[ConferenceAttendee] = []
    seen: set[str] = set()
    for number, item in rows.source:
        cells = rows.cells(item)
        if not cells or _is_section_title(cells):
            break  # the participants' table ends at a blank row or the next section
        if number - header.row > limits.rows:
            raise TableError(Problem(number, "file", limits.too_many_rows()))

        def cell(kind: str, cells=cells) -> str:
            index = columns.get(kind)
            return cells[index] if index is not None and index < len(cells) else ""

        participant_id = cell("participant_id").lower()
        upn = cell("upn").lower() or (participant_id if "@" in participant_id else "")
        attendee = ConferenceAttendee(row=number, name=cell("name"), email=cell("email").lower(), upn=upn, role=cell("role"))
        # Someone who left and joined again appears again (the older layout and Live Events
        # list every join and leave); people who chose not to be named have neither name nor
        # e-mail, and each such row is one more attendee.
        key = attendee.email or attendee.upn or participant_id or name_key(attendee.name) or f"row {number}"
        if key in seen:
            continue
        seen.add(key)
        attendees.append(attendee)
    if not attendees:
        raise TableError(Problem(header.row + 1, "file", _("the list of participants is empty")))
    return attendees


def _read(rows: _Rows, limits: Limits, encoding: str) -> ConferenceReport:
    header, found = _find_header(rows, limits)
    if header is None:
        raise _no_participants(found)
    return ConferenceReport(_attendees(rows, header, limits), header.layout, header.language, encoding)


def _read_legacy(data: bytes, candidates: list[_Decoded], limits: Limits) -> ConferenceReport:
    """A file in a Windows code page: the header is looked for in the code pages it decodes in,
    likeliest first; the one the header's language uses wins (a French header: Windows-1252),
    else the likeliest in which a header is found. A warning names it. Past the likeliest, the
    header is looked for in the first LEGACY_HEADER_ROWS rows only: a report's comes after a
    short summary, and a file without one is not read ten times over. The code page chosen
    must decode the whole file, else the next is chosen."""
    while candidates:
        decoded = _choose_code_page(candidates, limits)
        try:
            text = data.decode(decoded.encoding)
        except UnicodeDecodeError:
            candidates = [c for c in candidates if c is not decoded]
            continue
        report = _read(_Rows(_text_rows(text)), limits, decoded.encoding)
        report.warnings.append(
            Problem(
                1,
                "file",
                _("the file is neither UTF-8 nor UTF-16 text; it was read as %(encoding)s: check that the names look right")
                % {"encoding": LEGACY_ENCODINGS[decoded.encoding]},
            )
        )
        return report
    raise TableError(Problem(1, "file", _not_text()))


def _choose_code_page(candidates: list[_Decoded], limits: Limits) -> _Decoded:
    """Of the code pages the file's start decodes in (likeliest first), the one to read it in;
    raises the refusal of a file without a participants' header when none shows one."""
    encodings = {c.encoding for c in candidates}
    first: _Decoded | None = None  # the likeliest in which a header is found
    chosen: _Decoded | None = None
    wanted = None  # the code page of the header's language
    found_first = None
    for position, decoded in enumerate(candidates):
        header, found = _find_header(_Rows(_text_rows(decoded.text)), limits, max_rows=None if position == 0 else LEGACY_HEADER_ROWS)
        found_first = found_first or found
        if header is None:
            continue
        if first is None:
            first = decoded
            wanted = CODE_PAGES.get(header.language) if header.language not in (None, "en") else None
            if wanted is None or wanted not in encodings or decoded.encoding == wanted:
                chosen = decoded
                break
        elif decoded.encoding == wanted:
            chosen = decoded
            break
    if first is None:
        raise _no_participants(found_first)
    return chosen or first


def read_conference_report(data: bytes) -> ConferenceReport:
    """Everyone listed in the report's participant table, each once, in file order. Raises
    TableError when the report cannot be read or is larger than a session's report may be
    (`Purpose.CONFERENCE_REPORT`): its size first, then its rows as they are read."""
    limits = limits_for(Purpose.CONFERENCE_REPORT)
    if len(data) > limits.bytes:
        raise TableError(Problem(1, "file", limits.too_large()))
    if data[:4] == b"PK\x03\x04":
        rows = xlsx_rows(data, limits)
        try:
            return _read(_Rows(_sheet_rows(rows)), limits, "xlsx")
        finally:
            rows.close()
    decodings = _decodings(data)
    if len(decodings) == 1 and decodings[0].encoding in ("utf-8", "utf-16"):
        return _read(_Rows(_text_rows(decodings[0].text)), limits, decodings[0].encoding)
    return _read_legacy(data, decodings, limits)

