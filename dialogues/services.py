"""Writes to cycles and sessions: `open_cycle` and the attendance file's import (`import_attendance`, the focal point's upload)."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core.models import AuditAction
from core.services import audit_record
from core.tabular import Problem, Table, check_columns
from dialogues.scope import importable_outsiders
from org.models import Cycle, Person

from .models import Attendance, Mode, Session, UnmatchedParticipant

REQUIRED = ["session_ref", "date", "leader_index_number"]
KNOWN = REQUIRED + ["participant_index_number", "participant_name", "mode"]
MAX_PARTICIPANTS = 25
MAX_NAME_LENGTH = UnmatchedParticipant._meta.get_field("name").max_length


def cycle_open(*, year: int, topic: str, opens: datetime.date, deadline: datetime.date, actor=None) -> tuple[Cycle, bool]:
    """Open the year's cycle, or update its topic and dates if it is already open."""
    if opens > deadline:
        raise ValueError(_("the opening date must come before the deadline"))
    with transaction.atomic():
        cycle, created = Cycle.objects.update_or_create(year=year, defaults={"topic": topic, "opens": opens, "deadline": deadline})
        audit_record(actor=actor, action=AuditAction.CYCLE_OPEN if created else AuditAction.CYCLE_UPDATE, target=str(year), detail={"topic": topic, "opens": str(opens), "deadline": str(deadline)})
    return cycle, created


@dataclass
class PlannedSession:
    leader: str
    ref: str
    date: datetime.date
    mode: str
    first_row: int
    participants: list[str] = field(default_factory=list)  # index numbers, each once
    unmatched: list[str] = field(default_factory=list)  # names, each once


@dataclass
class AttendanceReport:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sessions: list[PlannedSession] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def participants(self) -> int:
        return sum(len(s.participants) for s in self.sessions)

    @property
    def unmatched(self) -> int:
        return sum(len(s.unmatched) for s in self.sessions)

    def summary(self) -> str:
        return f"sessions {len(self.sessions)}, participants {self.participants}, unmatched {self.unmatched}, warnings {len(self.warnings)}"


def _active_people(index_numbers: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    wanted = sorted(index_numbers)
    for start in range(0, len(wanted), 5000):
        found.update(Person.objects.active().filter(index_number__in=wanted[start : start + 5000]).values_list("index_number", "entity_id"))
    return found


def validate_attendance_table(table: Table, *, cycle: Cycle, entity_ids: set[int] | None = None) -> AttendanceReport:
    """Check the attendance file's rules and group rows into sessions. `entity_ids` (a focal point's upload)
    limits the leaders to those entities and the participants to their people, the people below
    the row's leader and the invitees of that leader's session (`accounts.scope`); an index
    number outside that gets the same message whether or not someone has it."""
    errors, warnings = check_columns(table, required=REQUIRED, known=KNOWN)
    report = AttendanceReport(errors=errors, warnings=warnings)
    if errors:
        return report
    if "participant_index_number" not in table.header and "participant_name" not in table.header:
        errors.append(Problem(1, "participant_index_number", _("missing column (or give participant_name)")))
        return report
    referenced = {cells.get(c, "") for _n, cells in table.rows for c in ("leader_index_number", "participant_index_number")}
    people = _active_people(referenced - {""})
    outsiders = set()  # (leader, ref, participant) of another entity that may still be recorded
    if entity_ids is not None:
        rows = {(c.get("leader_index_number", ""), c.get("session_ref", ""), c.get("participant_index_number", "")) for _n, c in table.rows}
        asked = {(leader, ref, p) for leader, ref, p in rows if people.get(leader) in entity_ids and p in people and people[p] not in entity_ids}
        outsiders = importable_outsiders(cycle=cycle, rows=asked)

    def refused(participant, leader, ref) -> bool:
        return participant not in people or (people[participant] not in entity_ids and (leader, ref, participant) not in outsiders)

    sessions: dict[tuple[str, str], PlannedSession] = {}
    for number, cells in table.rows:
        ref, leader = cells.get("session_ref", ""), cells.get("leader_index_number", "")
        participant, name = cells.get("participant_index_number", ""), cells.get("participant_name", "")
        mode = cells.get("mode", "") or Mode.IN_PERSON
        row_errors = len(errors)
        if not ref:
            errors.append(Problem(number, "session_ref", _("is required")))
        elif len(ref) > 50:
            errors.append(Problem(number, "session_ref", _("use at most 50 characters")))
        day = _parse_date(cells.get("date", ""), number, cycle, errors)
        if not leader:
            errors.append(Problem(number, "leader_index_number", _("is required")))
        elif entity_ids is not None and people.get(leader) not in entity_ids:
            errors.append(Problem(number, "leader_index_number", _("%(value)s is not an active person of your entity") % {"value": leader}))
        elif leader not in people:
            errors.append(Problem(number, "leader_index_number", _("%(value)s is not an active person") % {"value": leader}))
        if participant and entity_ids is not None:
            # Judged only for a leader of the entity: a refused leader's row is wrong already.
            if people.get(leader) in entity_ids and refused(participant, leader, ref):
                message = _("%(value)s is not an active person of your entity, of the leader’s team or among the session’s invitees")
                errors.append(Problem(number, "participant_index_number", message % {"value": participant}))
        elif participant and participant not in people:
            errors.append(Problem(number, "participant_index_number", _("%(value)s is not an active person") % {"value": participant}))
        elif not participant and not name:
            errors.append(Problem(number, "participant_index_number", _("give participant_index_number or participant_name")))
        elif not participant and len(name) > MAX_NAME_LENGTH:
            errors.append(Problem(number, "participant_name", _("use at most %(max)d characters") % {"max": MAX_NAME_LENGTH}))
        if mode not in Mode.values:
            errors.append(Problem(number, "mode", _("“%(value)s” is not one of: %(allowed)s") % {"value": mode, "allowed": ", ".join(Mode.values)}))
        if len(errors) > row_errors:
            continue
        session = sessions.setdefault((leader, ref), PlannedSession(leader=leader, ref=ref, date=day, mode=mode, first_row=number))
        if session.date != day:
            errors.append(Problem(number, "date", _("%(value)s differs from %(first)s given for session %(ref)s on row %(row)d") % {"value": day, "first": session.date, "ref": ref, "row": session.first_row}))
            continue
        if session.mode != mode:
            errors.append(Problem(number, "mode", _("%(value)s differs from %(first)s given for session %(ref)s on row %(row)d") % {"value": mode, "first": session.mode, "ref": ref, "row": session.first_row}))
            continue
        if participant == leader:
            warnings.append(Problem(number, "participant_index_number", _("the leader is not counted as their own participant")))
        elif participant and participant in session.participants:
            warnings.append(Problem(number, "participant_index_number", _("%(value)s is listed twice in session %(ref)s and counts once") % {"value": participant, "ref": ref}))
        elif participant:
            session.participants.append(participant)
        elif name.casefold() in (n.casefold() for n in session.unmatched):
            warnings.append(Problem(number, "participant_name", _("%(value)s is listed twice in session %(ref)s and counts once") % {"value": name, "ref": ref}))
        else:
            session.unmatched.append(name)
    for session in sessions.values():
        size = len(session.participants) + len(session.unmatched)
        if size > MAX_PARTICIPANTS:
            warnings.append(Problem(session.first_row, "session_ref", _("session %(ref)s has %(count)d participants; more than %(max)d should be split") % {"ref": session.ref, "count": size, "max": MAX_PARTICIPANTS}))
    errors.sort()
    report.sessions = list(sessions.values())
    return report


def _parse_date(value: str, number: int, cycle: Cycle, errors: list[Problem]):
    if not value:
        errors.append(Problem(number, "date", _("is required")))
        return None
    try:
        day = datetime.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError
    except ValueError:
        errors.append(Problem(number, "date", _("“%(value)s” is not a date in the form YYYY-MM-DD") % {"value": value}))
        return None
    if not cycle.contains(day):
        errors.append(Problem(number, "date", _("%(value)s is outside the cycle’s period %(opens)s to %(deadline)s") % {"value": value, "opens": cycle.opens, "deadline": cycle.deadline}))
        return None
    return day


def attendance_import(*, table: Table, cycle: Cycle, dry_run: bool = False, actor=None, entity_ids: set[int] | None = None) -> AttendanceReport:
    """Record sessions held elsewhere; a session imported again under the same reference by the
    same leader is replaced. All or nothing."""
    report = validate_attendance_table(table, cycle=cycle, entity_ids=entity_ids)
    if not report.ok or dry_run:
        return report
    ids = dict(_person_ids({s.leader for s in report.sessions} | {p for s in report.sessions for p in s.participants}))
    with transaction.atomic():
        existing = {
            (s.leader.index_number, s.ref): s
            for s in Session.objects.filter(cycle=cycle, ref__in={s.ref for s in report.sessions}).select_related("leader")
        }
        replaced = [existing[key].pk for key in ((s.leader, s.ref) for s in report.sessions) if key in existing]
        Attendance.objects.filter(session_id__in=replaced).delete()
        UnmatchedParticipant.objects.filter(session_id__in=replaced).delete()
        saved = []
        for planned in report.sessions:
            session = existing.get((planned.leader, planned.ref))
            if session is None:
                session = Session(cycle=cycle, leader_id=ids[planned.leader], ref=planned.ref)
            session.date, session.mode = planned.date, planned.mode
            saved.append(session)
        Session.objects.bulk_create([s for s in saved if s.pk is None], batch_size=1000)
        Session.objects.bulk_update([s for s in saved if s.pk is not None and s.pk in replaced], ["date", "mode"], batch_size=1000)
        Attendance.objects.bulk_create(
            [Attendance(session=s, person_id=ids[p]) for s, planned in zip(saved, report.sessions) for p in planned.participants], batch_size=2000
        )
        UnmatchedParticipant.objects.bulk_create(
            [UnmatchedParticipant(session=s, name=n) for s, planned in zip(saved, report.sessions) for n in planned.unmatched], batch_size=2000
        )
        audit_record(actor=actor, action=AuditAction.ATTENDANCE_IMPORT, target=str(cycle.year), detail={"summary": report.summary(), "replaced": len(replaced)})
    report.written = True
    return report


def _person_ids(index_numbers: set[str]):
    wanted = sorted(index_numbers)
    for start in range(0, len(wanted), 5000):
        yield from Person.objects.filter(index_number__in=wanted[start : start + 5000]).values_list("index_number", "pk")
