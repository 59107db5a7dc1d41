"""Reading a video-conference attendance report: Microsoft Teams' attendance CSV.

The layout of Teams' attendance report: UTF-16LE with a BOM and tab-separated as
exported, or UTF-8 and comma-separated when re-saved from a spreadsheet; sections `1. Summary`,
`2. Participants` (Name, First Join, Last Leave, In-Meeting Duration, Email, Participant ID (UPN),
Role) and `3. In-Meeting Activities`; header capitalisation varies. Older exports have one table
(Full Name, User Action, Timestamp); Live Events exports have FullName, ParticipantId, Action, Role.
This module only reads; matching people and writing attendance is in `signin.py`.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cascade.tabular import Problem, TableError, decode_text

NAME_COLUMNS = ("name", "full name", "fullname", "participant name")
EMAIL_COLUMNS = ("email", "e-mail", "email address")
UPN_COLUMNS = ("participant id (upn)", "upn", "participantid", "participant id")
ROLE_COLUMNS = ("role",)
ACTION_COLUMNS = ("user action", "action")  # older and Live Events exports: one row per join or leave
ORGANIZER_ROLES = {"organizer", "organiser"}
SECTION_TITLE = re.compile(r"^\s*\d+\.\s+\S")


@dataclass(frozen=True)
class ConferenceAttendee:
    row: int
    name: str
    email: str
    upn: str
    role: str

    @property
    def is_organizer(self) -> bool:
        return self.role.strip().lower() in ORGANIZER_ROLES


def _split(line: str) -> list[str]:
    delimiter = "\t" if "\t" in line else ","
    return [cell.strip().strip('"').strip() for cell in next(csv.reader([line], delimiter=delimiter))]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [cell.lower() for cell in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def read_conference_report(data: bytes) -> list[ConferenceAttendee]:
    """Everyone listed in the report's participant table, each e-mail once, in file order."""
    text = decode_text(data)
    lines = io.StringIO(text, newline=None).read().split("\n")
    header_at = None
    for number, line in enumerate(lines):
        cells = _split(line) if line.strip() else []
        if _column(cells, NAME_COLUMNS) is not None and any(
            _column(cells, names) is not None for names in (EMAIL_COLUMNS, UPN_COLUMNS, ACTION_COLUMNS)
        ):
            header_at, header = number, cells
            break
    if header_at is None:
        raise TableError(
            Problem(1, "file", _("no list of participants found: expected a “Participants” section whose header has Name and Email"))
        )
    name_i, email_i = _column(header, NAME_COLUMNS), _column(header, EMAIL_COLUMNS)
    upn_i, role_i = _column(header, UPN_COLUMNS), _column(header, ROLE_COLUMNS)
    attendees: list[ConferenceAttendee] = []
    seen: set[str] = set()
    for number in range(header_at + 1, len(lines)):
        line = lines[number]
        if not line.strip() or SECTION_TITLE.match(line):
            break  # the participants table ends at a blank line or the next section
        cells = _split(line)

        def cell(index, cells=cells):
            return cells[index] if index is not None and index < len(cells) else ""

        attendee = ConferenceAttendee(row=number + 1, name=cell(name_i), email=cell(email_i).lower(), upn=cell(upn_i).lower(), role=cell(role_i))
        # Someone who left and joined again appears twice; people who chose not to be named
        # have neither name nor e-mail, and each such row is one more attendee.
        key = attendee.email or attendee.upn or attendee.name.casefold() or f"row {number}"
        if key in seen:
            continue
        seen.add(key)
        attendees.append(attendee)
    if not attendees:
        raise TableError(Problem(header_at + 2, "file", _("the list of participants is empty")))
    return attendees
