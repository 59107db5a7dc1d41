"""Who may read whose name: every page, fragment and download of Cascade, as every role of the
demo organization, scanned for the names of people the role may not see.

What a person may see by name (PRODUCT.md, issue 10), computed here on its own, without
`accounts/scope.py` or `dialogues/scope.py`:
- themselves, and the leaders of the sessions they were invited to or attended (the invitation
  and the sign-in page name the leader);
- their direct reports and the whole chain below them;
- the invitees, attendees and monitor of the sessions they lead, and the invitees, attendees and
  leader of the sessions they monitor (`Session.monitor`): not the rest of the leader's team;
- as focal point or head of entity (granted, or derived: no manager, or a manager in another
  entity), everyone of that entity;
- the Ethics Office: nobody (aggregates only).

`test_every_url_pattern_can_be_filled` walks every URL pattern of the project (admin/ aside:
only superusers get it, and the demo's role users are not staff) and fails when a pattern has a
parameter that the table below (`PARAMETERS`) cannot fill, so that future pages are scanned too.

`test_no_page_shows_a_name_out_of_scope[role]` logs in as each role (Ethics Office, head of
entity, focal point, a manager who has not led yet, a leader with an attendance monitor, that
monitor, a participant), GETs every pattern with every candidate value (sessions in and out of
scope, held, started today, scheduled, last cycle's; the entity's own code and foreign ones;
both cycles; the kit's rows; the role's own assessment tokens...), plus the query strings that
change what a page shows (`?manager=`, `?part=`, a sign-in ticket, which a code read in the room
gives and which lets the page name that session's leader) and, for the routes that serve htmx
fragments or whose answer varies with it, the same request with `HX-Request: true`. Each body is
read as the person would read it: HTML unescaped, CSV and calendar text, XLSX cells (openpyxl),
PDF text (pdftotext); response headers too. Every person's full name (whole words,
case-sensitive) and e-mail address outside the role's allowed set is a leak, active or not; all
leaks of the role are reported together (URL and first names). So that the scan cannot pass on
404s, each role must get a floor of 200 responses, and the roles that see names must see some of
the names they are allowed to see.

The POST surfaces that render people from what the user typed or uploaded are attacked with
someone out of scope and with someone who does not exist: "Also invite" on the schedule form,
its split page and the edit form (index number or e-mail; a leader and a participant), the
appointment of an attendance monitor, a session's paper sign-in sheet and Teams report previews
(leader and monitor), and the focal point's attendance import preview. No name out of scope may
appear, on the answer or the page it redirects to (a name the user typed in the file is theirs
already), and the answers for the existing person must be the same as for the one who does not
exist, the typed value aside: otherwise the form tells who exists.

The demo is loaded once for the module, at a fixed date, inside a transaction rolled back at
the end; each test runs in a savepoint of it.
"""

import datetime
import html
import io
import itertools
import re
import shutil
import subprocess
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role, RoleGrant, User
from cascade.testing import PASSWORD
from dialogues.models import Attendance, CaptureKind, Invitation, Mode, Session, SessionCapture
from dialogues.running import session_capture_add
from dialogues.scheduling import SessionPlan, session_schedule
from dialogues.signin import session_appoint_monitor, ticket_make
from feedback.anonymity import assessment_token_issue
from feedback.models import Question
from kit.models import AgendaItem, DiscussionQuestion, Scenario
from org.models import Cycle, Entity, Person

NOW = datetime.datetime(2025, 11, 17, 9, 0, tzinfo=datetime.UTC)  # a Monday, the cycle in progress
ENTITY, FOREIGN, HEAD_OFFICE = "OHC", "IMLR", "ODG"  # the demo personas' entity, another, the top's
MAX_VALUES_PER_PATTERN = 12
NOT_SCANNED_PREFIXES = ("admin/",)  # the Django admin: superusers only (checked below)
NOT_SCANNED = {
    # Logging out renders nothing and would end the scan's login.
    "logout": "renders no person; a GET must not log the scan out",
}
UNKNOWN_INDEX, UNKNOWN_EMAIL = "D999999", "nobody.here@demo.cascade.example"
LOGIN_LINE = re.compile(r"^\s+(?P<role>\S.*?)\s{2,}(?P<email>[^\s@]+@\S+)\s{2,}(?P<password>\S+)$")


# --- reading a response as a person reads it ---------------------------------------------------


def normal(text: str) -> str:
    """One space for any run of white space, compatibility forms folded (PDF ligatures)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _pdf_text(data: bytes) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8", "replace")


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return "\n".join(str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
    finally:
        workbook.close()


def response_text(response) -> str:
    """Headers and body of a response as text: HTML unescaped, calendar lines unfolded, XLSX
    cells, PDF text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "").lower()
    if "pdf" in kind:
        body = _pdf_text(content)
        if body is None:
            warnings.warn("pdftotext (poppler-utils) is not installed: PDF downloads are not read", stacklevel=2)
            body = ""
    elif "spreadsheetml" in kind:
        body = _xlsx_text(content)
    else:
        body = content.decode("utf-8-sig", "replace")
        if "calendar" in kind:
            body = re.sub(r"\r?\n[ \t]", "", body).replace("\\,", ",").replace("\\;", ";")
        body = html.unescape(body)
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return normal(headers + "\n" + body)


class NameFinder:
    """Every person's full name and e-mail address, found as whole words, case-sensitive, in
    one pass: a regular expression shaped as a trie of all of them."""

    def __init__(self, people: list[tuple[int, str, str]]):
        self.person_of: dict[str, int] = {}
        self.name_of: dict[int, str] = {}
        for pk, name, email in people:
            self.name_of[pk] = name
            for text in (normal(name), email):
                if text:
                    self.person_of[text] = pk
        self.pattern = re.compile(r"(?<![\w.@+-])(" + self._trie(self.person_of) + r")(?![\w@-]|\.\w)")

    @staticmethod
    def _trie(words) -> str:
        root: dict = {}
        for word in words:
            node = root
            for char in word:
                node = node.setdefault(char, {})
            node[""] = {}

        def build(node) -> str:
            end = "" in node
            branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
            if not branches:
                return ""
            if len(branches) == 1 and not end:
                return branches[0]
            group = "(?:" + "|".join(branches) + ")"
            return group + "?" if end else group

        return build(root)

    def people_in(self, text: str) -> set[int]:
        return {self.person_of[match] for match in self.pattern.findall(text)}


# --- the demo, its personas and what each may see ------------------------------------------------


@dataclass
class Persona:
    key: str
    user: User
    person: Person | None
    allowed: frozenset[int]
    min_pages: int  # 200 responses at least
    min_names: int  # distinct names of others it may see, seen somewhere


@dataclass
class World:
    personas: dict[str, Persona]
    sessions: dict[str, int]  # what the session is for the scan -> pk
    years: list[int]
    kit_rows: dict[str, list[int]]
    questions: list[int]
    captures: list[int]
    tokens: dict[str, list[str]]  # persona -> its own unused assessment tokens
    managers: list[str]  # index numbers for the dashboard's ?manager=: one in ENTITY, one elsewhere
    leaders: dict[int, int]  # session pk -> its leader's person pk
    finder: NameFinder
    outsiders: dict[str, Person] = field(default_factory=dict)  # persona -> someone it may not see


def _chain_below(person: Person) -> set[int]:
    """Everyone below `person`, by repeated manager look-ups (one query per level)."""
    found: set[int] = set()
    level = {person.index_number}
    while level:
        rows = list(Person.objects.filter(manager_id__in=level).values_list("pk", "index_number"))
        level = {number for pk, number in rows if pk not in found}
        found |= {pk for pk, _number in rows}
    return found


def allowed_people(user: User) -> frozenset[int]:
    """The people `user` may see by name, from the rules in the module's docstring."""
    person = user.person
    if person is None or not person.active:
        return frozenset()
    allowed = {person.pk} | _chain_below(person)
    led = Session.objects.filter(leader=person)
    monitored = Session.objects.filter(monitor=person)
    for sessions in (led, monitored):
        allowed |= set(Invitation.objects.filter(session__in=sessions).values_list("person_id", flat=True))
        allowed |= set(Attendance.objects.filter(session__in=sessions).values_list("person_id", flat=True))
    allowed |= set(led.exclude(monitor=None).values_list("monitor_id", flat=True))
    allowed |= set(monitored.values_list("leader_id", flat=True))
    allowed |= set(Session.objects.filter(Q(invitations__person=person) | Q(attendances__person=person)).values_list("leader_id", flat=True))
    entities = set(RoleGrant.objects.filter(user=user, role__in=[Role.FOCAL_POINT, Role.HEAD_OF_ENTITY]).values_list("entity_id", flat=True))
    manager = Person.objects.filter(index_number=person.manager_id).first()
    if manager is None or manager.entity_id != person.entity_id:
        entities.add(person.entity_id)
    allowed |= set(Person.objects.filter(entity_id__in=entities).values_list("pk", flat=True))
    return frozenset(allowed)


def _account(person: Person) -> User:
    return User.objects.create_user(person.email, PASSWORD, person=person)


def _schedule(leader: Person, cycle: Cycle, invitees: list[Person], starts_at: datetime.datetime) -> Session:
    plan = SessionPlan(starts_at=starts_at, time_zone="UTC", duration_minutes=90, mode=Mode.VIDEO, invitee_ids=[p.pk for p in invitees])
    return session_schedule(leader=leader, cycle=cycle, plan=plan, actor=None)


def _build_world() -> World:
    output = io.StringIO()
    call_command("demo", stdout=output)
    logins = {m["role"]: m["email"] for m in map(LOGIN_LINE.match, output.getvalue().splitlines()) if m}

    def login(prefix: str) -> User:
        (email,) = [email for role, email in logins.items() if role.startswith(prefix)]
        return User.objects.select_related("person").get(email=email)

    eo, head, focal, ready, participant = (login(p) for p in ("Ethics Office", "Head of entity", "Focal point", "Session leader", "Participant"))
    cycle, previous = Cycle.objects.order_by("-year")[:2]
    own, foreign = Entity.objects.get(code=ENTITY), Entity.objects.get(code=FOREIGN)
    personas_people = {u.person.pk for u in (head, focal, ready, participant)}
    managers = set(Person.objects.exclude(direct_reports=None).values_list("pk", flat=True))

    # A leader of the entity, below its head, who held a session this cycle; one of their
    # reports who attended it (and manages nobody) records its attendance.
    held = (
        Session.objects.filter(cycle=cycle, leader__entity=own, leader__manager__entity=own)
        .exclude(leader_id__in=personas_people | {head.person.pk})
        .exclude(leader__manager_id=head.person.index_number)
        .annotate(n=Count("attendances"))
        .filter(n__gte=3)
        .select_related("leader")
        .order_by("leader__index_number", "ref")
    )
    # Someone of the leader's team missed it: the monitor may see who came, not the whole team.
    def absent(session):
        return Person.objects.filter(manager_id=session.leader.index_number, active=True).exclude(attendances__session=session)

    usable = [s for s in held if s.attendances.exclude(person_id__in=managers | personas_people).exists()]
    own_held = next((s for s in usable if absent(s).exists()), usable[0])
    leader = own_held.leader
    monitor = own_held.attendances.exclude(person_id__in=managers | personas_people).order_by("person__index_number").first().person
    session_appoint_monitor(session=own_held, actor=None, monitor=monitor)
    # Someone who attended it has since left: names of people no longer active are scanned too.
    gone = own_held.attendances.exclude(person_id__in=managers | personas_people | {monitor.pk}).order_by("person__index_number").first().person
    Person.objects.filter(pk=gone.pk).update(active=False)

    # Scheduled sessions: the leader's, started half an hour ago (so that it can be signed in to
    # and recorded), a session of the participant's manager next week, and one in another entity.
    # The leader invites their team but one who also missed the held session.
    team = list(Person.objects.filter(manager_id=leader.index_number, active=True).order_by("index_number"))
    left_out = absent(own_held).order_by("index_number").first() or team[-1]
    own_today = _schedule(leader, cycle, [p for p in team if p != left_out], NOW + datetime.timedelta(days=7))
    Session.objects.filter(pk=own_today.pk).update(starts_at=NOW - datetime.timedelta(minutes=30), date=NOW.date())
    own_today.refresh_from_db()
    session_appoint_monitor(session=own_today, actor=None, monitor=monitor)
    session_capture_add(session=own_today, kind=CaptureKind.QUESTION, text="May we accept a calendar from a supplier?", actor=None)
    boss = Person.objects.get(index_number=participant.person.manager_id)
    invited = _schedule(boss, cycle, list(Person.objects.filter(manager_id=boss.index_number, active=True)), NOW + datetime.timedelta(days=7))
    foreign_leader = Person.objects.filter(entity=foreign, manager__entity=foreign).exclude(direct_reports=None).order_by("index_number").first()
    foreign_scheduled = _schedule(foreign_leader, cycle, list(Person.objects.filter(manager_id=foreign_leader.index_number)), NOW + datetime.timedelta(days=8))

    chain = _chain_below(leader) | {leader.pk}
    attended = Session.objects.filter(cycle=cycle, attendances__person=participant.person).order_by("pk").first()
    current = Session.objects.filter(cycle=cycle)
    sessions = {
        "own held (monitored)": own_held.pk,
        "own started today (invitations)": own_today.pk,
        "the participant's attended": attended.pk,
        "the participant's invitation": invited.pk,
        "the head's": current.filter(leader=head.person).order_by("pk").first().pk,
        "the entity's, elsewhere": current.filter(leader__entity=own)
        .exclude(leader_id__in=chain | personas_people | {head.person.pk, boss.pk})
        .order_by("pk")
        .first()
        .pk,
        "another entity's held": current.filter(leader__entity=foreign).annotate(n=Count("attendances")).filter(n__gt=0).order_by("pk").first().pk,
        "another entity's scheduled": foreign_scheduled.pk,
        "last cycle's": (
            Session.objects.filter(cycle=previous, leader=leader).order_by("pk").first()
            or Session.objects.filter(cycle=previous, leader__entity=own).order_by("pk").first()
        ).pk,
    }
    tokens = {"participant": [assessment_token_issue(session=Session.objects.get(pk=attended.pk), person=participant.person)]}
    monitor_user, leader_user = _account(monitor), _account(leader)

    # (user, at least so many pages answering 200, at least so many names of others seen)
    raw = {
        "ethics_office": (eo, 40, 0),
        "head": (head, 40, 20),
        "focal_point": (focal, 35, 20),
        "leader": (ready, 15, 6),
        "leader_with_monitor": (leader_user, 40, 4),
        "monitor": (monitor_user, 20, 3),
        "participant": (participant, 15, 1),
    }
    personas = {}
    for key, (user, min_pages, min_names) in raw.items():
        user = User.objects.select_related("person").get(pk=user.pk)
        personas[key] = Persona(key, user, user.person, allowed_people(user), min_pages, min_names)

    people = list(Person.objects.values_list("pk", "name", "email"))
    kit = cycle.kit
    world = World(
        personas=personas,
        sessions=sessions,
        years=[cycle.year, previous.year],
        kit_rows={
            "agenda": list(AgendaItem.objects.filter(kit=kit).order_by("pk").values_list("pk", flat=True)[:1]),
            "scenario": list(Scenario.objects.filter(kit=kit).order_by("pk").values_list("pk", flat=True)[:1]),
            "question": list(DiscussionQuestion.objects.filter(scenario__kit=kit).order_by("pk").values_list("pk", flat=True)[:1]),
        },
        questions=[
            *Question.objects.filter(cycle=cycle, entity=own).order_by("pk").values_list("pk", flat=True)[:1],
            *Question.objects.filter(cycle=cycle).exclude(entity=own).order_by("pk").values_list("pk", flat=True)[:1],
        ],
        captures=list(SessionCapture.objects.filter(session=own_today).values_list("pk", flat=True)),
        tokens=tokens,
        managers=[leader.index_number, foreign_leader.index_number],
        leaders=dict(Session.objects.filter(pk__in=sessions.values()).values_list("pk", "leader_id")),
        finder=NameFinder(people),
    )
    # Someone each persona may not see, in another entity (the focal point's and head's
    # entity holds everyone else of theirs).
    for key, persona in personas.items():
        world.outsiders[key] = Person.objects.filter(entity=foreign, active=True).exclude(pk__in=persona.allowed).exclude(direct_reports__isnull=False).order_by("index_number").first()
    # And a colleague of the same entity whom none of its leaders, monitor and participant may see.
    world.outsiders["colleague"] = (
        Person.objects.filter(entity=own, active=True, direct_reports=None, user=None)
        .exclude(pk__in=personas["leader_with_monitor"].allowed | personas["participant"].allowed | personas["leader"].allowed | personas["monitor"].allowed)
        .order_by("index_number")
        .first()
    )
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo at a fixed date, loaded once for the module, rolled back at its end."""
    traveller = time_machine.travel(NOW, tick=False)
    traveller.start()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # the services' durable transactions may nest in it, as in a TestCase
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            built = _build_world()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        traveller.stop()


# --- every URL pattern, and what fills its parameters ---------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    route: str  # the full route, e.g. dialogues/sessions/<int:pk>/
    params: tuple[str, ...]


PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def all_routes() -> tuple[list[Route], list[str]]:
    """Every URL pattern (included ones too) as a Route, and the patterns that cannot be
    scanned because they are not plain routes (regular expressions), outside admin/."""
    routes, unsupported = [], []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            text = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if (prefix + text).startswith(NOT_SCANNED_PREFIXES):
                    continue
                inner = ":".join(filter(None, [namespace, entry.namespace])) if entry.namespace else namespace
                walk(entry.url_patterns, prefix + text, inner)
            elif isinstance(entry, URLPattern):
                full = prefix + text
                if full.startswith(NOT_SCANNED_PREFIXES):
                    continue
                name = ":".join(filter(None, [namespace, entry.name])) if entry.name else f"<unnamed {full}>"
                if entry.pattern.__class__.__name__ != "RoutePattern":
                    unsupported.append(f"{name}: {full}")
                    continue
                routes.append(Route(name, full, tuple(m["name"] for m in PARAM.finditer(full))))

    walk(get_resolver().url_patterns, "", "")
    return routes, unsupported


SESSION_ROUTES = (
    "dialogues:session_detail",
    "dialogues:session_guests",
    "remind_invitees",
    "dialogues:room",
    "dialogues:session_edit",
    "dialogues:session_cancel",
    "dialogues:facilitate",
    "dialogues:facilitate_scenarios",
    "dialogues:facilitate_count",
    "dialogues:capture_add",
    "dialogues:capture_delete",
    "dialogues:sheet",
    "dialogues:sheet_pdf",
    "dialogues:signin",
    "dialogues:signin_display",
    "dialogues:attendance_monitor",
    "dialogues:monitor_appoint",
    "dialogues:attendance_conference",
    "dialogues:attendance_sheet",
    "feedback:leader_feedback",
    "feedback:assess_issue",
)
KIT_ROWS = {
    "kit:agenda_edit": "agenda",
    "kit:agenda_delete": "agenda",
    "kit:agenda_move": "agenda",
    "kit:scenario_edit": "scenario",
    "kit:scenario_delete": "scenario",
    "kit:scenario_move": "scenario",
    "kit:question_edit": "question",
    "kit:question_delete": "question",
    "kit:question_move": "question",
}
Values = Callable[[World, Persona], list]

# (route name, parameter) -> candidate values; ("*", parameter) for a parameter that means the
# same thing in every route. A `pk` is always tied to its route.
PARAMETERS: dict[tuple[str, str], Values] = {
    **{(route, "pk"): (lambda w, p: list(dict.fromkeys(w.sessions.values()))) for route in SESSION_ROUTES if route != "dialogues:sheet_pdf"},
    **{(route, "pk"): (lambda w, p, kind=kind: w.kit_rows[kind] or [999999]) for route, kind in KIT_ROWS.items()},
    ("kit:question_add", "scenario_pk"): lambda w, p: w.kit_rows["scenario"] or [999999],
    # A PDF takes a second to draw: the sign-in sheet's PDF (the same sheet as its page) for a
    # session of the leader's, one of their entity led by someone else, one of another entity.
    ("dialogues:sheet_pdf", "pk"): lambda w, p: [w.sessions[k] for k in ("own held (monitored)", "the entity's, elsewhere", "another entity's held")],
    # The annual report is the Ethics Office's alone, and the same aggregates every year.
    ("oversight:annual_report", "year"): lambda w, p: w.years[:1],
    ("oversight:annual_report_export", "year"): lambda w, p: w.years[:1],
    ("dialogues:capture_delete", "capture_pk"): lambda w, p: w.captures[:1] or [999999],
    ("feedback:question_detail", "pk"): lambda w, p: w.questions,
    # The Ethics Office's actions on a suspended grant: the demo suspends none.
    ("suspended_grant_action", "pk"): lambda w, p: [999999],
    # A password reset link of the persona's own account (with the tokens below: not valid).
    ("password_reset_confirm", "uidb64"): lambda w, p: [urlsafe_base64_encode(force_bytes(p.user.pk))],
    ("*", "year"): lambda w, p: w.years,
    ("*", "code"): lambda w, p: [ENTITY, FOREIGN, HEAD_OFFICE],
    ("*", "fmt"): lambda w, p: ["csv", "xlsx", "pdf"],
    ("*", "language"): lambda w, p: ["fr"],
    ("*", "token"): lambda w, p: [*w.tokens.get(p.key, []), "not-a-token-at-all-0000000000000000000000000"],
}

# A sign-in ticket works in the browser that read the code only: its cookie's value.
SCAN_BROWSER = "the-scanning-browser"

# Query strings that change what a page shows: route -> (world, persona, filled parameters) ->
# [(query, people the response may name besides the persona's own)].
Queries = Callable[[World, Persona, dict], list[tuple[str, frozenset[int]]]]
QUERIES: dict[str, Queries] = {
    "oversight:entity": lambda w, p, kw: [(f"?manager={number}", frozenset()) for number in w.managers],
    "dialogues:signin_display": lambda w, p, kw: [("?part=count", frozenset()), ("?part=code", frozenset())],
    # A ticket is what a code read in the room gives: the page then names the session's leader.
    "dialogues:signin": lambda w, p, kw: [(f"?t={ticket_make(kw['pk'], browser=SCAN_BROWSER)}", frozenset({w.leaders[kw["pk"]]}))],
}


# Routes that serve htmx fragments (besides those whose answer says it varies with HX-Request).
HTMX_ROUTES = {"oversight:entity", "dialogues:facilitate_count", "dialogues:signin_display"}


def values_for(route: Route, param: str) -> Values | None:
    return PARAMETERS.get((route.name, param)) or (PARAMETERS.get(("*", param)) if param != "pk" else None)


def requests_for(route: Route, w: World, persona: Persona) -> list[tuple[str, frozenset[int]]]:
    """(path with query, extra people allowed) for every candidate filling of `route`."""
    choices = [values_for(route, param)(w, persona) for param in route.params]
    result = []
    for combination in itertools.islice(itertools.product(*choices), MAX_VALUES_PER_PATTERN):
        kwargs = dict(zip(route.params, combination))
        path = "/" + PARAM.sub(lambda m, kwargs=kwargs: str(kwargs[m["name"]]), route.route)
        result.append((path, frozenset()))
        if route.name in QUERIES:
            result.extend((path + query, extra) for query, extra in QUERIES[route.name](w, persona, kwargs))
    return result


def scannable_routes() -> list[Route]:
    routes, unsupported = all_routes()
    assert_every_pattern_can_be_filled(routes, unsupported)
    return [r for r in routes if r.name not in NOT_SCANNED]


def assert_every_pattern_can_be_filled(routes: list[Route], unsupported: list[str]) -> None:
    assert not unsupported, f"patterns that are not plain routes, which the scan cannot fill: {unsupported}"
    unfilled = [f"{r.name} ({r.route}): {p}" for r in routes if r.name not in NOT_SCANNED for p in r.params if values_for(r, p) is None]
    assert not unfilled, "new URL parameters: add their candidate values to PARAMETERS so that the pages are scanned: " + "; ".join(unfilled)


def test_every_url_pattern_can_be_filled():
    routes, unsupported = all_routes()
    assert len(routes) > 50, "the walk of the URL patterns found too few"
    assert_every_pattern_can_be_filled(routes, unsupported)
    for route in routes:  # each filled path resolves to its own pattern
        if route.name in NOT_SCANNED or route.name.startswith("<unnamed"):
            continue
        path = "/" + PARAM.sub(lambda m: "1" if m["converter"] == "int" else "x", route.route)
        match = resolve(path)
        assert match.view_name == route.name or route.name.endswith(":" + match.url_name), (route, match.view_name)


# --- the scan -------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    leaks: list[tuple[str, list[str]]] = field(default_factory=list)
    seen_allowed: set[int] = field(default_factory=set)
    requests: int = 0


def asks_htmx(route: Route, response) -> bool:
    """Whether the page is also asked as htmx asks it: a page that answered, in HTML, of a
    route known to serve fragments or that says its answer varies with HX-Request."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return False
    return route.name in HTMX_ROUTES or "hx-request" in response.get("Vary", "").lower()


def scan(client: Client, persona: Persona, w: World, route: Route, result: ScanResult):
    for path, extra in requests_for(route, w, persona):
        response = client.get(path)
        result.requests += 1
        result.statuses[response.status_code] += 1
        check(response, persona, w, f"GET {path}", result, extra)
        if asks_htmx(route, response):
            result.requests += 1
            check(client.get(path, headers={"HX-Request": "true"}), persona, w, f"GET {path} (htmx)", result, extra)


def check(response, persona: Persona, w: World, label: str, result: ScanResult, extra: frozenset[int] = frozenset(), typed: str = "") -> None:
    text = response_text(response)
    if typed:  # what the user typed, shown back to them, tells them nothing new
        text = text.replace(typed, "«typed»")
    found = w.finder.people_in(text)
    allowed = persona.allowed | extra
    leaked = sorted(w.finder.name_of[pk] for pk in found - allowed)
    if leaked:
        result.leaks.append((label, leaked))
    own = {persona.person.pk} if persona.person else set()
    result.seen_allowed |= (found & persona.allowed) - own


def describe(persona: Persona, result: ScanResult) -> str:
    lines = [f"{persona.key} ({persona.user.email}): {len(result.leaks)} responses name people out of scope:"]
    for label, names in result.leaks:
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        lines.append(f"  {label}: {', '.join(names[:5])}{more}")
    return "\n".join(lines)


def logged_in(persona: Persona) -> Client:
    client = Client()
    client.force_login(persona.user)
    client.cookies[settings.CASCADE_SIGNIN_COOKIE_NAME] = SCAN_BROWSER  # the browser that read the room's code
    return client


ROLES = ["ethics_office", "head", "focal_point", "leader", "leader_with_monitor", "monitor", "participant"]


def test_the_finder_finds_whole_names_as_people_read_them():
    import openpyxl
    from django.http import HttpResponse

    finder = NameFinder([(1, "Ana Novak", "ana.novak@x.example"), (2, "Aoife O'Connor", "aoife.oconnor@x.example"), (3, "Maricel Dela Cruz", "")])
    assert finder.people_in(normal("Ivana Novak and ana.novak@x.example.org, Ana Novakova")) == set()  # parts of other words
    assert finder.people_in(normal("<td>Maricel\n   Dela Cruz</td>")) == {3}
    page = HttpResponse("<li>Aoife O&#x27;Connor</li><a href='mailto:ana.novak@x.example'>", content_type="text/html")
    assert finder.people_in(response_text(page)) == {1, 2}
    assert finder.people_in(response_text(HttpResponse("\ufeffname\nAna Novak\n".encode(), content_type="text/csv"))) == {1}
    workbook = openpyxl.Workbook()
    workbook.active.append(["Unit", "Aoife O'Connor"])
    data = io.BytesIO()
    workbook.save(data)
    sheet = HttpResponse(data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert finder.people_in(response_text(sheet)) == {2}
    calendar = HttpResponse("ATTENDEE;CN=Maricel Dela \r\n Cruz:mailto:x@y.example\r\n", content_type="text/calendar")
    assert finder.people_in(response_text(calendar)) == {3}


@pytest.mark.django_db
def test_the_scan_sees_names_where_they_are(world):
    """The scan is not blind: the admin's list of people, read as someone who may see nobody,
    is full of leaks; the sign-in sheet's PDF names its attendees."""
    admin = User.objects.get(is_superuser=True)
    client = Client()
    client.force_login(admin)
    nobody = Persona("nobody", admin, None, frozenset(), 0, 0)
    result = ScanResult()
    check(client.get("/admin/org/person/"), nobody, world, "admin", result)
    assert len(result.leaks[0][1]) >= 50
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    leader = world.personas["leader_with_monitor"]
    pk = world.sessions["own held (monitored)"]
    response = logged_in(leader).get(f"/dialogues/sessions/{pk}/sheet.pdf")
    assert response.status_code == 200
    named = set(Attendance.objects.filter(session_id=pk).values_list("person_id", flat=True)) | {leader.person.pk}
    assert world.finder.people_in(response_text(response)) == named


@pytest.mark.django_db
def test_demo_roles_are_not_staff(world):
    """The admin (not scanned) is for superusers: no role of the scan may reach it."""
    for persona in world.personas.values():
        assert not persona.user.is_staff and not persona.user.is_superuser, persona.key
        assert logged_in(persona).get("/admin/").status_code == 302, persona.key


@pytest.mark.django_db
def test_the_personas_are_who_the_scan_needs(world):
    """The scan compares roles that see different people: check the ground it stands on."""
    p = world.personas
    assert p["ethics_office"].allowed == frozenset()
    own = set(Person.objects.filter(entity__code=ENTITY).values_list("pk", flat=True))
    assert p["focal_point"].allowed == own and p["head"].allowed >= own
    assert p["leader"].allowed < own and len(p["leader"].allowed) > 3
    assert Session.objects.filter(leader=p["leader_with_monitor"].person).exclude(monitor=None).count() == 2
    assert p["monitor"].person.pk in p["leader_with_monitor"].allowed
    assert len(p["participant"].allowed) <= 3  # themselves and the leaders of their sessions
    for key, outsider in world.outsiders.items():
        assert outsider is not None, key


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_name_out_of_scope(world, role):
    persona = world.personas[role]
    client = logged_in(persona)
    result = ScanResult()
    for route in scannable_routes():
        scan(client, persona, world, route, result)
    print(f"\n{role}: {result.requests} requests, statuses {dict(sorted(result.statuses.items()))}, {len(result.seen_allowed)} names it may see seen")
    print(describe(persona, result))
    ok = result.statuses[200]
    assert not result.leaks, describe(persona, result)
    assert ok >= persona.min_pages, f"{role}: only {ok} pages answered 200 of {result.requests} requests ({dict(result.statuses)})"
    assert len(result.seen_allowed) >= persona.min_names, f"{role}: saw {len(result.seen_allowed)} of the names it may see, expected {persona.min_names} at least"


# --- POST surfaces that render people from what was typed or uploaded ------------------------------

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*(")')
STAGED = re.compile(r'(name="staged" value=")\d+(")')


def comparable(response, typed: str) -> str:
    """The response with what was typed replaced by a placeholder and one-time tokens blanked."""
    body = response.content.decode("utf-8", "replace")
    for value in {typed, html.escape(typed)}:
        body = re.sub(rf"(?<![\w.@+-]){re.escape(value)}(?![\w@-])", "«typed»", body)
    body = STAGED.sub(r"\1\2", CSRF.sub(r"\1\2", body))
    return f"status {response.status_code}, location {response.get('Location', '-')}\n{body}"


MESSAGES = re.compile(
    r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>|<table class="problems">.*?</table>|<p class="signin-error"[^>]*>.*?</p>|<ul class="messages[^"]*"[^>]*>.*?</ul>', re.S
)


def said(response) -> str:
    """The status, the page's title and what it says went wrong, as the user reads it."""
    body = response.content.decode("utf-8", "replace")
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    messages = " | ".join(normal(html.unescape(re.sub(r"<[^>]+>", " ", m))) for m in MESSAGES.findall(body))
    text = f"{response.status_code}"
    if response.has_header("Location"):
        text += f" to {response['Location']}"
    if title:
        text += f", page “{normal(html.unescape(title.group(1)))}”"
    return text + (f", saying: {messages}" if messages else "")


def post_and_follow(client: Client, path: str, data: dict) -> list:
    """The answer to a POST, and the page it redirects to (where its messages show)."""
    answers = [client.post(path, data)]
    if answers[0].status_code in (301, 302, 303):
        answers.append(client.get(answers[0]["Location"]))
    return answers


def attack(client: Client, persona: Persona, w: World, path: str, data_for: Callable[[str], dict], existing: str, unknown: str, label: str, typed_people=frozenset()):
    """POST the form with an existing person out of scope and with someone who does not exist:
    no name out of scope (on the answer, or the page it redirects to), and the same answers
    for both, what was typed aside."""
    import difflib

    result = ScanResult()
    answers = post_and_follow(client, path, data_for(existing))
    for number, answer in enumerate(answers):
        check(answer, persona, w, f"POST {path} ({label})" if number == 0 else f"GET {answers[0]['Location']} after POST {path} ({label})", result, typed_people, existing)
    others = post_and_follow(client, path, data_for(unknown))
    problems = [describe(persona, result)] if result.leaks else []
    a, b = "\n".join(comparable(r, existing) for r in answers), "\n".join(comparable(r, unknown) for r in others)
    if a != b:
        lines = [f"  out of scope: {' then '.join(map(said, answers))}", f"  does not exist: {' then '.join(map(said, others))}"]
        if [r.status_code for r in answers] == [r.status_code for r in others]:
            lines += [f"    {line}" for line in list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0))[2:14]]
        problems.append(f"{persona.key}, POST {path} ({label}): the answer for an existing person out of scope differs from the answer for one who does not exist:\n" + "\n".join(lines))
    page = others[-1]
    if page.status_code != 404:  # a form not offered to the role at all leaks nothing either
        assert page.status_code in (200, 400), f"{persona.key}: the form for someone who does not exist answered {page.status_code}"
        assert 'method="post"' in page.content.decode(), "the form page was not rendered"
    return problems


def _schedule_data(others: str, *, split: bool) -> dict:
    data = {
        "date": (NOW + datetime.timedelta(days=7)).date().isoformat(),
        "start_time": "10:00",
        "time_zone": "UTC",
        "duration_minutes": "90",
        "mode": Mode.IN_PERSON,
        "location": "Room 4",
        "others": others,
    }
    if split:
        data["split"] = "1"
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "participant"])
@pytest.mark.parametrize("by", ["index number", "e-mail"])
@pytest.mark.parametrize("page", ["schedule", "split"])
def test_also_invite_names_nobody_out_of_scope(world, role, by, page):
    """"Also invite" with someone of another entity, or of the same entity outside the user's
    scope: the schedule form (and the split page it leads to) must not name them, and must
    answer as for an index number or address that does not exist."""
    persona = world.personas[role]
    client = logged_in(persona)
    # A leader schedules; someone who leads nobody might be refused the form altogether.
    assert client.get("/dialogues/sessions/new/").status_code in ((200,) if role == "leader" else (200, 404))
    problems = []
    for outsider in (world.outsiders[role], world.outsiders["colleague"]):
        assert outsider.pk not in persona.allowed
        existing, unknown = (outsider.index_number, UNKNOWN_INDEX) if by == "index number" else (outsider.email, UNKNOWN_EMAIL)
        problems += attack(client, persona, world, "/dialogues/sessions/new/", lambda v: _schedule_data(v, split=page == "split"), existing, unknown, f"{page}, also invite {existing}")
    assert not problems, "\n\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["index number", "e-mail"])
def test_also_invite_on_the_edit_form_names_nobody_out_of_scope(world, by):
    """The same field on the form that changes a scheduled session."""
    persona = world.personas["leader_with_monitor"]
    client = logged_in(persona)
    path = f"/dialogues/sessions/{world.sessions['own started today (invitations)']}/edit/"
    assert client.get(path).status_code == 200
    problems = []
    for outsider in (world.outsiders["leader_with_monitor"], world.outsiders["colleague"]):
        existing, unknown = (outsider.index_number, UNKNOWN_INDEX) if by == "index number" else (outsider.email, UNKNOWN_EMAIL)
        problems += attack(client, persona, world, path, lambda v: _schedule_data(v, split=False), existing, unknown, f"edit, also invite {existing}")
    assert not problems, "\n\n".join(problems)


@pytest.mark.django_db
def test_appointing_a_monitor_out_of_scope_names_nobody(world):
    """The leader appoints as attendance monitor someone who is neither their report nor an
    invitee: refused as a person who does not exist is, without their name."""
    persona = world.personas["leader_with_monitor"]
    client = logged_in(persona)
    pk = world.sessions["own held (monitored)"]
    path = f"/dialogues/sessions/{pk}/monitor/"
    problems = []
    for outsider in (world.outsiders["leader_with_monitor"], world.outsiders["colleague"]):
        problems += attack(client, persona, world, path, lambda v: {"monitor": v}, str(outsider.pk), "999999", f"monitor {outsider.pk}")
    assert Session.objects.get(pk=pk).monitor == world.personas["monitor"].person
    assert not problems, "\n\n".join(problems)


def _upload(name: str, text: str, encoding: str = "utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader_with_monitor", "monitor"])
def test_session_sheet_preview_names_nobody_out_of_scope(world, role):
    """A paper sign-in sheet for the leader's held session listing someone of another entity by
    index number (and someone typed by name): the preview must not name the former, and must
    answer as for an index number that does not exist."""
    persona = world.personas[role]
    client = logged_in(persona)
    pk = world.sessions["own held (monitored)"]
    path = f"/dialogues/sessions/{pk}/attendance/sheet/"
    assert client.get(path).status_code == 200
    outsider, typed = world.outsiders[role], world.outsiders["colleague"]

    def data(number):
        rows = f"participant_index_number,participant_name\n{number},\n,{typed.name}\n"
        return {"file": _upload("sheet.csv", rows)}

    problems = attack(client, persona, world, path, data, outsider.index_number, UNKNOWN_INDEX, "sign-in sheet", frozenset({typed.pk}))
    assert not problems, "\n\n".join(problems)


TEAMS_REPORT = """1. Summary
Meeting title\tLeadership Dialogue
Attended participants\t2

2. Participants
Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole
Pat Example\t11/17/25, 8:31:02 AM\t11/17/25, 9:58:40 AM\t1h 27m 38s\t{email}\t{email}\tAttendee
"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader_with_monitor", "monitor"])
def test_conference_report_preview_names_nobody_out_of_scope(world, role):
    """A Teams attendance report whose attendee, typed "Pat Example", has the address of someone
    of another entity: the preview must not show that person's name, and must answer as for an
    address nobody has."""
    persona = world.personas[role]
    client = logged_in(persona)
    pk = world.sessions["own held (monitored)"]
    path = f"/dialogues/sessions/{pk}/attendance/conference/"
    assert client.get(path).status_code == 200
    outsider = world.outsiders[role]

    def data(email):
        return {"file": _upload("report.csv", "\ufeff" + TEAMS_REPORT.format(email=email), "utf-16-le")}

    problems = attack(client, persona, world, path, data, outsider.email, UNKNOWN_EMAIL, "Teams report")
    assert not problems, "\n\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["participant_index_number", "leader_index_number"])
def test_entity_attendance_import_preview_names_nobody_out_of_scope(world, column):
    """The focal point's attendance import with a participant, or a leader, of another entity:
    no name of theirs, and the same answer as for an index number that does not exist."""
    persona = world.personas["focal_point"]
    client = logged_in(persona)
    path = "/dialogues/attendance/import/"
    assert client.get(path).status_code == 200
    outsider = world.outsiders["focal_point"]
    leader = world.personas["leader_with_monitor"].person
    member = Person.objects.filter(manager_id=leader.index_number).order_by("index_number").first()
    day = (NOW - datetime.timedelta(days=3)).date().isoformat()

    def data(number):
        leader_number, participant = (leader.index_number, number) if column == "participant_index_number" else (number, member.index_number)
        rows = f"session_ref,date,leader_index_number,participant_index_number,participant_name,mode\nSCAN-1,{day},{leader_number},{participant},,in_person\n"
        return {"cycle": str(world.years[0]), "file": _upload("attendance.csv", rows)}

    problems = attack(client, persona, world, path, data, outsider.index_number, UNKNOWN_INDEX, f"attendance import, {column}")
    assert not problems, "\n\n".join(problems)
