"""Sign-in, four ways, all ending in the same `Attendance` row: self sign-in with a rotating code
shown in the room, names ticked by the leader or the attendance monitor, a video-conference
attendance report, and the rows of a paper sign-in sheet.

Rules every way obeys (`recording_problem`): nothing is recorded for a cancelled session or
before the session starts (its `starts_at`, or its date when it has no time); the leader is never
their own participant; a person attends a session once (the unique constraint decides). Every
change writes an audit entry, except a self sign-in: its Attendance row, with its method,
`recorded_by` and `recorded_at`, is its own audit entry, and it is the busiest write there is.

The rotating code: the room shows `<session number>-<5 characters>`; the characters are
HMAC-SHA256(session.signin_secret, minute number since the epoch) written in an alphabet without
look-alikes (no 0/O, 1/I/L, U). A code stays valid for CASCADE_SIGNIN_GRACE_MINUTES after its
minute, so a slow scan still works while a photo sent elsewhere soon stops working. Someone who
scanned in time receives a signed ticket (the session number, timestamped) that carries them
through the login page and the tap of the button for CASCADE_SIGNIN_TICKET_MINUTES.

A ticket and a pass work only for whom they were issued to: the ticket names (a hash of) a random
value kept in a cookie of the browser that typed the code, so a forwarded link is refused; the
pass names (a hash of) the login session's key, so it signs in nobody from another browser or
after logging out. Both are checked against cookies the request carries: no query.
"""

import datetime
import hashlib
import hmac
import re
import zoneinfo
from dataclasses import dataclass, field
from enum import Enum

import psycopg
from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.scope import Scope, scope_for
from core.models import AuditAction
from core.services import audit_record
from core.tabular import Problem, Table, check_columns
from dialogues.scope import Purpose, recordable_people, refusal_message, resolve_people
from org.models import Person
from org.zones import format_when

from .conference import name_key, read_conference_report
from .models import Attendance, AttendanceMethod, Invitation, Session, SessionStatus, UnmatchedParticipant
from .services import KNOWN as SHEET_COLUMNS
from .services import MAX_NAME_LENGTH, MAX_PARTICIPANTS

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 symbols nobody confuses when reading a wall
CODE_LENGTH = 5  # 30**5 = 24 million codes per minute and session
TICKET_SALT = "cascade.signin.ticket"
SEPARATED_CODE = re.compile(r"^([0-9OIL]+)[\s\-.·]+([0-9A-Z]+)$")
TYPED_CODE = re.compile(r"^([0-9OIL]+)([" + ALPHABET + r"]{" + str(CODE_LENGTH) + r"})$")


class SigninError(Exception):
    """A request the rules refuse; the message is for the user."""


# -- the rotating code -------------------------------------------------------------------------


def grace_minutes() -> int:
    return int(getattr(settings, "CASCADE_SIGNIN_GRACE_MINUTES", 2))


def minute_of(now: datetime.datetime) -> int:
    return int(now.timestamp()) // 60


def rotating_code(secret: str, minute: int) -> str:
    """The characters shown in the room during `minute` (minutes since the epoch)."""
    digest = hmac.new(secret.encode(), str(minute).encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _i in range(CODE_LENGTH):
        number, rest = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[rest])
    return "".join(chars)


def signin_code(session: Session, now: datetime.datetime | None = None) -> str:
    """The code to show in the room now, as people type it: `1234-K7QXM`."""
    return f"{session.pk}-{rotating_code(session.signin_secret, minute_of(now or timezone.now()))}"


def code_is_current(secret: str, code: str, now: datetime.datetime | None = None) -> bool:
    """Whether `code` was shown in this minute or in the grace minutes before it."""
    minute = minute_of(now or timezone.now())
    return any(hmac.compare_digest(code, rotating_code(secret, m)) for m in range(minute - grace_minutes(), minute + 1))


def code_was_shown(secret: str, code: str, now: datetime.datetime | None = None, minutes: int = 60) -> bool:
    """Whether `code` was shown at some minute of the last `minutes`: an expired code typed
    late, which is no guess."""
    minute = minute_of(now or timezone.now())
    return any(hmac.compare_digest(code, rotating_code(secret, m)) for m in range(minute - minutes, minute + 1))


def parse_typed_code(text: str) -> tuple[int, str] | None:
    """(session number, rotating part) from what someone typed: case, spaces and dashes do not
    matter, and O, I or L typed in the session number mean 0 and 1."""
    text = (text or "").upper().strip()
    separated = SEPARATED_CODE.match(text)
    cleaned = "".join(separated.groups()) if separated else re.sub(r"[^0-9A-Z]", "", text)
    match = TYPED_CODE.match(cleaned)
    if match is None or (separated and len(separated.group(2)) != CODE_LENGTH):
        return None
    number = match.group(1).translate(str.maketrans("OIL", "011"))
    return (int(number), match.group(2)) if len(number) <= 12 else None


def _digest(value: str) -> str:
    """A short hash of a secret that a signed value names without revealing it."""
    return hashlib.sha256(value.encode()).hexdigest()[:24] if value else ""


def ticket_make(session_id: int, *, browser: str) -> str:
    """A link's ticket to the session's sign-in page, for the browser whose cookie holds
    `browser` (a random value, see views_signin)."""
    return signing.TimestampSigner(salt=TICKET_SALT).sign(f"{session_id}.{_digest(browser)}")


def ticket_check(ticket: str, session_id: int, *, browser: str) -> str | None:
    """Why the ticket cannot open this session's sign-in page, or None: it must be genuine, for
    this session, younger than CASCADE_SIGNIN_TICKET_MINUTES and held by the browser it was
    given to."""
    minutes = int(getattr(settings, "CASCADE_SIGNIN_TICKET_MINUTES", 10))
    try:
        value = signing.TimestampSigner(salt=TICKET_SALT).unsign(ticket or "", max_age=datetime.timedelta(minutes=minutes))
    except signing.BadSignature:
        return _("This sign-in link has expired. Type the code shown in the room now.")
    number, _dot, holder = value.partition(".")
    if number != str(session_id):
        return _("This sign-in link has expired. Type the code shown in the room now.")
    if not browser or not hmac.compare_digest(holder, _digest(browser)):
        return _("This sign-in link was opened in another browser than the one that typed the code. Type the code shown in the room now.")
    return None


def ticket_is_valid(ticket: str, session_id: int, *, browser: str) -> bool:
    """A ticket given for this session, to this browser, less than CASCADE_SIGNIN_TICKET_MINUTES ago."""
    return ticket_check(ticket, session_id, browser=browser) is None


# -- when attendance may be recorded -----------------------------------------------------------


def session_zone(session: Session) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(session.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def recording_problem(session: Session, now: datetime.datetime | None = None) -> str | None:
    """Why attendance cannot be recorded for `session` now, or None."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return _("This session was cancelled; attendance cannot be recorded.")
    zone = session_zone(session)
    if session.starts_at is not None and now < session.starts_at:
        return _("Attendance can be recorded once the session has started (%(start)s).") % {"start": format_when(session.starts_at, session.time_zone)}
    if session.starts_at is None and now.astimezone(zone).date() < session.date:
        return _("Attendance can be recorded from the day of the session (%(date)s).") % {"date": formats.date_format(session.date, "DATE_FORMAT")}
    return None


def self_signin_problem(session: Session, now: datetime.datetime | None = None) -> str | None:
    """Why a participant cannot sign themselves in now, or None: self sign-in is open from the
    start until the end of the session's day in the session's time zone."""
    now = now or timezone.now()
    problem = recording_problem(session, now)
    if problem is None and now.astimezone(session_zone(session)).date() != session.date:
        problem = _("Sign-in was open on the day of the session only; ask the session leader to record your attendance.")
    return problem


# -- self sign-in ------------------------------------------------------------------------------


class SelfSignIn(Enum):
    SIGNED_IN = "signed_in"
    REFUSED = "refused"


@dataclass
class SessionFacts:
    """What the sign-in page shows and checks about a session (a plain row, not a model)."""

    pk: int
    leader_id: int
    leader_name: str
    ref: str
    date: datetime.date
    starts_at: datetime.datetime | None
    time_zone: str
    status: str


@dataclass
class SelfSignInResult:
    outcome: SelfSignIn
    session: SessionFacts | None
    message: str = ""


def session_facts(session_id: int) -> SessionFacts | None:
    row = (
        Session.objects.filter(pk=session_id)
        .values_list("pk", "leader_id", "leader__name", "ref", "date", "starts_at", "time_zone", "status")
        .first()
    )
    return SessionFacts(*row) if row else None


PASS_SALT = "cascade.signin.pass"


def signin_pass_make(*, session: SessionFacts, person_id: int, login_session: str) -> str:
    """What the sign-in page (shown to a logged-in person only) puts in its form: signed, for
    this person, this session and this login session (the key of the page's login session,
    hashed), with what the answer page shows. The POST that carries it needs neither the login
    session nor the user from the database: only the same session cookie."""
    facts = {"s": session.pk, "p": person_id, "k": _digest(login_session), "z": session.time_zone, "n": session.leader_name, "r": session.ref, "d": session.date.isoformat()}
    return signing.dumps(facts, salt=PASS_SALT)


def signin_pass_read(value: str, session_id: int, *, login_session: str) -> dict | None:
    """The pass's content if it is genuine, for this session, younger than a ticket, and
    carried by the login session it was issued to (`login_session`: the request's session
    cookie)."""
    if not value or not login_session:
        return None
    minutes = int(getattr(settings, "CASCADE_SIGNIN_TICKET_MINUTES", 10))
    try:
        facts = signing.loads(value, salt=PASS_SALT, max_age=datetime.timedelta(minutes=minutes))
    except signing.BadSignature:
        return None
    if not (isinstance(facts, dict) and facts.get("s") == session_id and isinstance(facts.get("p"), int) and isinstance(facts.get("k"), str)):
        return None
    return facts if hmac.compare_digest(facts["k"], _digest(login_session)) else None


_ATTENDANCE, _PERSON, _SESSION = Attendance._meta.db_table, Person._meta.db_table, Session._meta.db_table
# The fast path of a sign-in: one statement that inserts the row only when every rule holds —
# the person is active and not the leader, the session is not cancelled, has started and is on
# its day (the day computed in Python for the time zone the page was shown with, which the
# statement checks is still the session's) — and lets the unique constraint make a second
# sign-in a no-op. In autocommit it is one round trip; the ORM would need three queries and a
# transaction for the same. When it inserts nothing, the slow path below says why.
_SELF_INSERT_CHECKED = (
    f"INSERT INTO {_ATTENDANCE} (session_id, person_id, method, recorded_by_id, recorded_at) "
    f"SELECT s.id, p.id, %s, p.id, %s FROM {_SESSION} s, {_PERSON} p "
    "WHERE s.id = %s AND p.id = %s AND p.active AND s.leader_id <> p.id AND s.status = %s "
    "AND s.time_zone = %s AND s.date = %s AND (s.starts_at IS NULL OR s.starts_at <= %s) "
    "ON CONFLICT (session_id, person_id) DO NOTHING"
)
_SELF_INSERT = (
    f"INSERT INTO {_ATTENDANCE} (session_id, person_id, method, recorded_by_id, recorded_at) "
    f"SELECT %s, id, %s, id, %s FROM {_PERSON} WHERE id = %s AND active "
    "ON CONFLICT (session_id, person_id) DO NOTHING"
)


class _PreparingCursor(psycopg.Cursor):
    """psycopg's cursor with parameters bound on the server, preparing what it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def _preparing_cursor():
    """A Django cursor whose statements PostgreSQL plans once per (persistent) connection
    instead of at every execution; planning was 40 % of the sign-in statement's cost. Django's
    own cursors bind parameters on the client and cannot prepare, and Django switches psycopg's
    automatic preparation off (`prepare_threshold` None); explicit preparation needs it on, so
    it is set as high as it goes: nothing else is ever prepared. On SQLite, a plain cursor.
    The cursor comes from Django's wrappers: health check, errors, query log as usual."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = 2**31 - 1
    cursor = _PreparingCursor(raw)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


def _insert_if_allowed(*, session_id: int, person_id: int, time_zone: str, now: datetime.datetime) -> bool:
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    at = connection.ops.adapt_datetimefield_value(now)
    params = [AttendanceMethod.SELF.value, at, session_id, person_id, SessionStatus.SCHEDULED.value, time_zone, now.astimezone(zone).date(), at]
    with _preparing_cursor() as cursor:
        cursor.execute(_SELF_INSERT_CHECKED, params)
        return cursor.rowcount == 1


def attendance_record_self(
    *, session_id: int, person_id: int | None, time_zone: str | None = None, now: datetime.datetime | None = None
) -> SelfSignInResult:
    """Sign `person_id` in to the session, once: signing in again changes nothing. Given the
    `time_zone` the sign-in page was shown with, the usual case is one statement and the result
    carries no session (the caller has its facts); otherwise, or when that statement refuses,
    the session is read and the rules say why. No audit row (see the module)."""
    now = now or timezone.now()
    if person_id is not None and time_zone:
        if _insert_if_allowed(session_id=session_id, person_id=person_id, time_zone=time_zone, now=now):
            return SelfSignInResult(SelfSignIn.SIGNED_IN, None)
        if Attendance.objects.filter(session_id=session_id, person_id=person_id).exists():
            return SelfSignInResult(SelfSignIn.SIGNED_IN, None)  # a second tap: signed in already
    session = session_facts(session_id)
    if session is None:
        return SelfSignInResult(SelfSignIn.REFUSED, None, _("This session does not exist."))
    if person_id == session.leader_id:
        return SelfSignInResult(SelfSignIn.REFUSED, session, _("You lead this session; the leader is not counted as a participant."))
    problem = self_signin_problem(session, now)
    if problem:
        return SelfSignInResult(SelfSignIn.REFUSED, session, problem)
    if person_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(_SELF_INSERT, [session_id, AttendanceMethod.SELF.value, connection.ops.adapt_datetimefield_value(now), person_id])
            inserted = cursor.rowcount
    if person_id is None or (inserted == 0 and not Person.objects.active().filter(pk=person_id).exists()):
        message = _("Your account is not linked to anyone in the organization file; ask the session leader to record your attendance.")
        return SelfSignInResult(SelfSignIn.REFUSED, session, message)
    return SelfSignInResult(SelfSignIn.SIGNED_IN, session)


# -- the leader or the monitor ticks names -----------------------------------------------------


def _leader_reports(session: Session) -> QuerySet[Person]:
    return Person.objects.active().filter(manager_id=session.leader.index_number)


def monitor_candidates(session: Session) -> QuerySet[Person]:
    """Who may be appointed attendance monitor: the leader's active direct reports and the
    session's active invitees."""
    invited = Invitation.objects.filter(session=session).values("person_id")
    return (
        Person.objects.active()
        .filter(Q(pk__in=invited) | Q(manager_id=session.leader.index_number))
        .exclude(pk=session.leader_id)
        .order_by("name")
    )


def attendance_candidates(session: Session, *, with_reports: bool = True) -> QuerySet[Person]:
    """The names on the ticking page: invitees, anyone already recorded as attending and, for
    the leader (`with_reports`), their active direct reports; never the leader. A monitor sees
    only the session's own people, not the rest of the leader's team."""
    invited = Invitation.objects.filter(session=session).values("person_id")
    attended = Attendance.objects.filter(session=session).values("person_id")
    reports = Q(manager_id=session.leader.index_number, active=True) if with_reports else Q(pk__in=[])
    return (
        Person.objects.filter(Q(pk__in=invited) | Q(pk__in=attended) | reports)
        .exclude(pk=session.leader_id)
        .select_related("unit")
        .order_by("name", "index_number")
    )


def attendance_set_by_monitor(
    *, session: Session, actor, present: set[int], absent: set[int], now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Record the people ticked (`present`) and remove the people unticked (`absent`), as
    compared with the page the leader or monitor saw, so that someone who signed in meanwhile is
    not removed. Returns (added, removed)."""
    problem = recording_problem(session, now)
    if problem:
        raise SigninError(problem)
    if session.leader_id in present:
        raise SigninError(_("The leader is not counted as their own participant."))
    leads = getattr(actor, "person_id", None) == session.leader_id
    allowed = set(attendance_candidates(session, with_reports=leads).values_list("pk", flat=True))
    if not (present | absent) <= allowed:
        raise SigninError(_("Only invitees and the leader’s direct reports can be ticked."))
    absent = absent - present
    recorder = getattr(actor, "person_id", None)
    with transaction.atomic():
        existing = set(Attendance.objects.filter(session=session, person_id__in=present).values_list("person_id", flat=True))
        added = sorted(present - existing)
        Attendance.objects.bulk_create(
            [Attendance(session=session, person_id=pk, method=AttendanceMethod.MONITOR, recorded_by_id=recorder) for pk in added],
            ignore_conflicts=True,
        )
        removed_ids = sorted(Attendance.objects.filter(session=session, person_id__in=absent).values_list("person_id", flat=True))
        Attendance.objects.filter(session=session, person_id__in=removed_ids).delete()
        numbers = dict(Person.objects.filter(pk__in=added + removed_ids).values_list("pk", "index_number"))
        audit_record(
            actor=actor,
            action=AuditAction.ATTENDANCE_MONITOR,
            target=f"session {session.pk}",
            detail={"added": [numbers[pk] for pk in added], "removed": [numbers[pk] for pk in removed_ids]},
        )
    return len(added), len(removed_ids)


def session_appoint_monitor(*, session: Session, actor, monitor: Person | None) -> None:
    """The leader appoints (or, with None, unsets) the person who records attendance of a
    remote session: one of their direct reports or one of the invitees."""
    if monitor is not None and not monitor_candidates(session).filter(pk=monitor.pk).exists():
        raise SigninError(_("The monitor must be one of your direct reports or an invitee of the session."))
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(monitor=monitor)
        session.monitor = monitor
        audit_record(
            actor=actor,
            action=AuditAction.SESSION_MONITOR,
            target=f"session {session.pk}",
            detail={"monitor": monitor.index_number if monitor else None},
        )


# -- imports for one session: a video-conference report, a paper sheet --------------------------


@dataclass
class SessionAttendanceReport:
    """What an import for one session will record: people matched, names kept as unmatched."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list["AmbiguousName"] = field(default_factory=list)  # names the leader must pick for
    by_name: set[int] = field(default_factory=set)  # people matched by their name only
    new_people: int = 0
    new_unmatched: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("participants %(people)d (new %(new)d), not in the organization file %(unmatched)d, warnings %(warnings)d") % {
            "people": len(self.people),
            "new": self.new_people,
            "unmatched": len(self.unmatched),
            "warnings": len(self.warnings),
        }


def _add_unmatched(report: SessionAttendanceReport, name: str, row: int, column: str) -> None:
    if name.casefold() in (n.casefold() for n in report.unmatched):
        report.warnings.append(Problem(row, column, _("%(value)s is listed twice and counts once") % {"value": name}))
    else:
        report.unmatched.append(name[:MAX_NAME_LENGTH])


def _record(*, session: Session, report: SessionAttendanceReport, method: str, actor, action: AuditAction) -> None:
    """Add the report's people and unmatched names to the session (people and names already
    there stay as they are), with an audit entry; one transaction."""
    recorder = getattr(actor, "person_id", None)
    with transaction.atomic():
        existing = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
        new = [p for p in report.people if p.pk not in existing]
        Attendance.objects.bulk_create(
            [Attendance(session=session, person=p, method=method, recorded_by_id=recorder) for p in new], ignore_conflicts=True
        )
        known = {name.casefold() for name in UnmatchedParticipant.objects.filter(session=session).values_list("name", flat=True)}
        names = [n for n in report.unmatched if n.casefold() not in known]
        UnmatchedParticipant.objects.bulk_create([UnmatchedParticipant(session=session, name=n) for n in names])
        report.new_people, report.new_unmatched = len(new), len(names)
        audit_record(actor=actor, action=action, target=f"session {session.pk}", detail={"summary": report.summary()})
    report.written = True


GUEST_CHOICE = "guest"  # the leader's pick for a name that fits several people: none of them


@dataclass
class AmbiguousName:
    """A participant known only by a name that fits several people the uploader may record: the
    leader picks one of them (or none), nobody guesses."""

    name: str
    row: int
    candidates: list[Person]


def _people_by_name(scope: Scope, session: Session, names: list[str]) -> dict[str, list[Person]]:
    """Each name → the active people it fits (`conference.name_key`) in the first circle where
    any fits: the session's invitees and attendees, then the leader's direct reports, then the
    people of the leader's entity, then anyone else this user may record for the session
    (`dialogues.scope.recordable_people`, e.g. everyone below the leader). Nobody outside what
    the user may record is looked at. A name whose markers and brackets hide it is tried again
    without anything in brackets.

    Two small queries for the first two circles; the wider circles (one query, names only) only
    when a name fits nobody in the first two."""
    if not names:
        return {}
    leader = session.leader
    tries = {name: list(dict.fromkeys(k for k in (name_key(name), name_key(name, without_brackets=True)) if k)) for name in names}
    wanted = {key for keys in tries.values() for key in keys}
    invited = set(Invitation.objects.filter(session=session).values_list("person_id", flat=True))
    invited |= set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    close = list(
        Person.objects.active()
        .filter(Q(pk__in=invited) | Q(manager_id=leader.index_number))
        .exclude(pk=leader.pk)
        .select_related("unit")
        .order_by("name", "index_number")
    )
    allowed = set(recordable_people(scope, session, among=[-1] + [p.pk for p in close]).values_list("pk", flat=True))
    circles: list[dict[str, list[Person]]] = [{}, {}]
    for person in close:
        if person.pk in allowed and (key := name_key(person.name)) in wanted:
            circles[0 if person.pk in invited else 1].setdefault(key, []).append(person)

    def first_fit(name: str) -> list[Person]:
        for key in tries[name]:
            for circle in circles:
                if key in circle:
                    return circle[key]
        return []

    if any(not first_fit(name) for name in names):
        # The wider circles: names and entities only, then the few people who fit.
        wider: list[dict[str, list[int]]] = [{}, {}]
        rows = recordable_people(scope, session).active().exclude(pk__in=[p.pk for p in close]).values_list("pk", "name", "entity_id")
        for pk, name, entity_id in rows.iterator(chunk_size=5000):
            if (key := name_key(name)) in wanted:
                wider[0 if entity_id == leader.entity_id else 1].setdefault(key, []).append(pk)
        found = Person.objects.select_related("unit").in_bulk([pk for circle in wider for pks in circle.values() for pk in pks])
        for circle in wider:
            people = {key: sorted((found[pk] for pk in pks), key=lambda p: (p.name, p.index_number)) for key, pks in circle.items()}
            circles.append(people)
    return {name: first_fit(name) for name in names}


def attendance_conference_plan(*, session: Session, data: bytes, scope: Scope, picks: dict[str, str] | None = None) -> SessionAttendanceReport:
    """Match a Teams attendance report's participants to active people this user may record
    for the session (`dialogues.scope.recordable_people`: its invitees, the leader's team, ...):
    by e-mail and then by UPN, ignoring case; a participant without an address (the older
    layout has names only, guests have none) by name (`_people_by_name`). A name that fits
    several people is left in `ambiguous` unless `picks` (name → a candidate's id, or
    GUEST_CHOICE) says who it is. The session's leader is never counted (by address, or by name
    when the address says nobody); whoever else organized the meeting is an attendee. A
    participant whose address matches nobody there is kept as a name, with the same warning
    whether or not someone elsewhere has that address. Raises TableError when the report
    cannot be read."""
    read = read_conference_report(data)
    attendees = read.attendees
    report = SessionAttendanceReport(warnings=list(read.warnings))
    leader = session.leader
    leader_address, leader_key = leader.email.lower(), name_key(leader.name)
    keys = [key for a in attendees for key in (a.email, a.upn) if key and "@" in key and key != leader_address]
    matches = resolve_people(scope, keys, purpose=Purpose.RECORD, session=session).matches
    named = [a.name for a in attendees if a.name and not (a.email or a.upn) and name_key(a.name) != leader_key]
    fits = _people_by_name(scope, session, list(dict.fromkeys(named)))
    seen: set[int] = set()

    def count(person: Person, attendee, *, by_name: bool) -> None:
        if person.pk in seen:
            report.warnings.append(Problem(attendee.row, "name" if by_name else "email", _("%(value)s is listed twice and counts once") % {"value": person.name}))
            return
        seen.add(person.pk)
        report.people.append(person)
        if by_name:
            report.by_name.add(person.pk)

    for attendee in attendees:
        person = matches.get(attendee.email) or matches.get(attendee.upn)
        if leader_address in (attendee.email, attendee.upn) or (person is None and leader_key and name_key(attendee.name) == leader_key):
            report.warnings.append(Problem(attendee.row, "name", _("%(value)s leads the session and is not counted as a participant") % {"value": attendee.name or attendee.email or attendee.upn}))
            continue
        if attendee.is_organizer:
            # An assistant may schedule the meeting for the leader: they attended it.
            report.warnings.append(Problem(attendee.row, "role", _("%(value)s organized the meeting but does not lead the session, and is counted as a participant") % {"value": attendee.name or attendee.email or attendee.upn}))
        address = attendee.email or attendee.upn
        candidates = fits.get(attendee.name, []) if not address else []
        if person is not None:
            count(person, attendee, by_name=False)
        elif len(candidates) == 1:
            count(candidates[0], attendee, by_name=True)
        elif candidates:
            choice = (picks or {}).get(attendee.name, "")
            chosen = next((p for p in candidates if str(p.pk) == choice), None)
            if chosen is not None:
                count(chosen, attendee, by_name=True)
            elif choice == GUEST_CHOICE:
                _add_unmatched(report, attendee.name, attendee.row, "name")
            else:
                report.ambiguous.append(AmbiguousName(attendee.name, attendee.row, candidates))
        else:
            if address:
                report.warnings.append(Problem(attendee.row, "email", refusal_message(address, Purpose.RECORD)))
            name = attendee.name or address or _("Participant without a name (row %(row)d)") % {"row": attendee.row}
            _add_unmatched(report, name, attendee.row, "name")
    _warn_if_large(report, 1)
    return report


def attendance_record_conference(
    *,
    session: Session,
    data: bytes,
    actor,
    dry_run: bool = False,
    now: datetime.datetime | None = None,
    picks: dict[str, str] | None = None,
    scope: Scope | None = None,
) -> SessionAttendanceReport:
    """Record a video-conference report's participants for the session (method `conference`),
    matched within what `actor` may record (or within `scope`, for a command that runs without a
    user); with dry_run only the preview. With `picks` (the leader's choices, from the page),
    nothing is recorded while a name that fits several people has no valid pick; without them
    (the command), such names are left out and the rest is recorded. Raises SigninError when
    attendance cannot be recorded now and TableError when the report cannot be read."""
    problem = recording_problem(session, now)
    if problem:
        raise SigninError(problem)
    report = attendance_conference_plan(session=session, data=data, scope=scope or scope_for(actor), picks=picks)
    if report.ok and not dry_run and not (picks is not None and report.ambiguous):
        _record(session=session, report=report, method=AttendanceMethod.CONFERENCE, actor=actor, action=AuditAction.ATTENDANCE_CONFERENCE)
    return report


def _warn_if_large(report: SessionAttendanceReport, row: int) -> None:
    size = len(report.people) + len(report.unmatched) + len(report.ambiguous)
    if size > MAX_PARTICIPANTS:
        report.warnings.append(
            Problem(row, "file", _("%(count)d participants; a session of more than %(max)d should be split") % {"count": size, "max": MAX_PARTICIPANTS})
        )


def attendance_sheet_plan(*, session: Session, table: Table, scope: Scope) -> SessionAttendanceReport:
    """Check a paper sheet's rows (the attendance file's columns; `participant_index_number` and/or
    `participant_name` required, the others optional but, when given, this session's). An index
    number must be an active person this user may record for the session
    (`dialogues.scope.recordable_people`); any other index number gets the same refusal,
    whether or not someone has it."""
    errors, warnings = check_columns(table, required=[], known=SHEET_COLUMNS)
    report = SessionAttendanceReport(errors=errors, warnings=warnings)
    if "participant_index_number" not in table.header and "participant_name" not in table.header:
        errors.append(Problem(1, "participant_index_number", _("missing column (or give participant_name)")))
    if errors:
        return report
    expected = {
        "session_ref": session.ref,
        "date": session.date.isoformat(),
        "leader_index_number": session.leader.index_number,
        "mode": session.mode,
    }
    numbers = [cells.get("participant_index_number", "") for _n, cells in table.rows]
    people = resolve_people(scope, [n for n in numbers if n and n != session.leader.index_number], purpose=Purpose.RECORD, session=session).matches
    for number, cells in table.rows:
        for column, value in expected.items():
            given = cells.get(column, "")
            if given and given != value:
                errors.append(Problem(number, column, _("%(given)s is not this session’s %(expected)s") % {"given": given, "expected": value}))
        index_number, name = cells.get("participant_index_number", ""), cells.get("participant_name", "")
        if index_number == session.leader.index_number:
            warnings.append(Problem(number, "participant_index_number", _("the leader is not counted as their own participant")))
        elif index_number and index_number not in people:
            errors.append(Problem(number, "participant_index_number", refusal_message(index_number, Purpose.RECORD)))
        elif index_number and people[index_number] in report.people:
            warnings.append(Problem(number, "participant_index_number", _("%(value)s is listed twice and counts once") % {"value": index_number}))
        elif index_number:
            report.people.append(people[index_number])
        elif not name:
            errors.append(Problem(number, "participant_index_number", _("give participant_index_number or participant_name")))
        elif len(name) > MAX_NAME_LENGTH:
            errors.append(Problem(number, "participant_name", _("use at most %(max)d characters") % {"max": MAX_NAME_LENGTH}))
        else:
            _add_unmatched(report, name, number, "participant_name")
    errors.sort()
    _warn_if_large(report, 1)
    return report


def attendance_record_sheet(*, session: Session, table: Table, actor, dry_run: bool = False, now: datetime.datetime | None = None) -> SessionAttendanceReport:
    """Record a paper sign-in sheet's rows for the session (method `sheet`), all or nothing,
    matched within what `actor` may record; with dry_run only the preview. Raises SigninError
    when attendance cannot be recorded now."""
    problem = recording_problem(session, now)
    if problem:
        raise SigninError(problem)
    report = attendance_sheet_plan(session=session, table=table, scope=scope_for(actor))
    if report.ok and not dry_run:
        _record(session=session, report=report, method=AttendanceMethod.SHEET, actor=actor, action=AuditAction.ATTENDANCE_SHEET)
    return report


def attendance_count(session: Session) -> int:
    return Attendance.objects.filter(session=session).count()

