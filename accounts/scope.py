"""The one scoping layer: what a user may see and do. Every view and export starts here.

Roles (PRODUCT.md):
- participant: everyone with a person record; sees their own record;
- session leader: a person with active direct reports; sees their own sessions and reports;
- head of entity: derived (the person at the top of an entity: no manager, or a manager in
  another entity) or granted; sees names and sheets of their entity;
- focal point: granted per entity; sees names and sheets of their entity;
- Ethics Office: granted; sees aggregates of every entity and never a name;
- organization administrator: granted; loads the organization file and sees its people, and
  no attendance and no feedback.
Grants give nothing while suspended (their holder left), nor to someone whose record is inactive.
A user without access to an object gets 404, as if it did not exist.

Names: `nameable_people` is the one definition of whose names a user may see, and
`resolve_people` the one way a typed index number or e-mail address becomes a person. Outside
what the user may see, a typed entry gets the same answer whether or not someone has it.
"""

# The recursive CTEs are assembled from table names taken from the models; every value from a
# request travels as a parameter.
# ruff: noqa: S608, S611

import enum
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat, Lower
from django.http import Http404
from django.utils.translation import gettext as _

from core.models import AuditAction, AuditEntry
from dialogues.models import Attendance, Invitation, Session
from org.models import Entity, Person
from oversight.models import Certification

from .models import Role, RoleGrant, User


@dataclass(frozen=True)
class Scope:
    person: Person | None
    ethics_office: bool
    focal_entity_ids: frozenset[int]
    head_entity_ids: frozenset[int]
    is_manager: bool
    org_admin: bool = False

    @property
    def named_entity_ids(self) -> frozenset[int]:
        """Entities whose people, sessions and sign-in sheets this user may see by name."""
        return self.focal_entity_ids | self.head_entity_ids

    @property
    def sees_all_aggregates(self) -> bool:
        return self.ethics_office

    def can_see_entity_numbers(self, entity: Entity) -> bool:
        return self.ethics_office or entity.pk in self.named_entity_ids


def scope_for(user) -> Scope:
    """Build (once per request) the scope of a logged-in user."""
    cached = getattr(user, "_cascade_scope", None)
    if cached is not None:
        return cached
    grants = list(RoleGrant.objects.in_force().filter(user=user).values_list("role", "entity_id")) if user.is_authenticated else []
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None and not person.active:
        person, grants = None, []  # someone who left loses every role, granted ones too
    heads = {entity for role, entity in grants if role == Role.HEAD_OF_ENTITY}
    is_manager = False
    if person is not None:
        is_manager = Person.objects.active().filter(manager_id=person.index_number).exists()
        if person.manager_id is None or Person.objects.filter(index_number=person.manager_id).exclude(entity_id=person.entity_id).exists():
            heads.add(person.entity_id)
    scope = Scope(
        person=person,
        ethics_office=any(role == Role.ETHICS_OFFICE for role, _e in grants),
        focal_entity_ids=frozenset(entity for role, entity in grants if role == Role.FOCAL_POINT),
        head_entity_ids=frozenset(heads),
        is_manager=is_manager,
        org_admin=any(role == Role.ORG_ADMIN for role, _e in grants),
    )
    if user.is_authenticated:
        user._cascade_scope = scope
    return scope


def visible_sessions(scope: Scope, *, monitored: bool = False) -> QuerySet[Session]:
    """Sessions with names: a leader's own, and every session led in an entity the user may
    see by name; with `monitored`, also those the user records attendance for. The Ethics
    Office sees none (it gets numbers, not sign-in sheets)."""
    condition = Q(pk__in=[])
    if scope.person is not None:
        condition |= Q(leader=scope.person)
        if monitored:
            condition |= Q(monitor=scope.person)
    if scope.named_entity_ids:
        condition |= Q(leader__entity_id__in=scope.named_entity_ids)
    return Session.objects.filter(condition)


def session_or_404(scope: Scope, pk: int, *, monitored: bool = False) -> Session:
    try:
        return visible_sessions(scope, monitored=monitored).select_related("leader__entity", "leader__unit", "cycle").get(pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None


def visible_entities(scope: Scope) -> QuerySet[Entity]:
    """Entities whose aggregates the user may see."""
    if scope.ethics_office:
        return Entity.objects.all()
    return Entity.objects.filter(pk__in=scope.named_entity_ids)


def entity_or_404(scope: Scope, code: str) -> Entity:
    try:
        return visible_entities(scope).get(code=code)
    except Entity.DoesNotExist:
        raise Http404 from None


def direct_reports(scope: Scope) -> QuerySet[Person]:
    if scope.person is None:
        return Person.objects.none()
    return Person.objects.active().filter(manager_id=scope.person.index_number)


def can_import_org(scope: Scope) -> bool:
    """Only the organization administrator loads the organization file (its preview names
    people); the Ethics Office does not."""
    return scope.org_admin


def attendance_import_entity_ids(scope: Scope) -> frozenset[int]:
    """Focal points import attendance for their own entities only."""
    return scope.focal_entity_ids


def led_session_or_404(scope: Scope, pk: int) -> Session:
    """A session the user leads: only its leader may run it (no delegation)."""
    if scope.person is None:
        raise Http404
    try:
        return Session.objects.select_related("leader__entity", "leader__unit", "cycle").get(pk=pk, leader=scope.person)
    except Session.DoesNotExist:
        raise Http404 from None


def monitored_session_or_404(scope: Scope, pk: int) -> Session:
    """A session whose attendance the user may record: its leader or its appointed monitor."""
    if scope.person is None:
        raise Http404
    try:
        return Session.objects.select_related("leader__entity", "cycle").get(Q(leader=scope.person) | Q(monitor=scope.person), pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None


def sheet_session_or_404(scope: Scope, pk: int) -> Session:
    """A session whose sign-in sheet (Appendix A) the user may see: its leader and the focal
    points (and head) of its entity. Never the Ethics Office as such."""
    return session_or_404(scope, pk)


def ethics_office_or_404(scope: Scope) -> None:
    """Pages of the Ethics Office itself (the questions' queue): 404 for everyone else."""
    if not scope.ethics_office:
        raise Http404


def attended_session_or_404(scope: Scope, pk: int) -> Session:
    """A session the user attended as a participant (however it was recorded): they may
    assess its facilitator, and see nothing else of it through this door."""
    if scope.person is None:
        raise Http404
    try:
        return Session.objects.select_related("leader", "cycle").get(pk=pk, attendances__person=scope.person)
    except Session.DoesNotExist:
        raise Http404 from None


def guest_session_or_404(scope: Scope, pk: int) -> Session:
    """A session to which the user may add guests from any entity: a session led in an entity
    they hold as focal point or head."""
    session = session_or_404(scope, pk)
    if session.leader.entity_id not in scope.named_entity_ids:
        raise Http404
    return session


# -- names -------------------------------------------------------------------------------------


def _chain_sql() -> str:
    """The ids of everyone below the person whose index number is the one parameter, at any
    depth. UNION (not UNION ALL) drops rows already found, so a loop in the reporting lines
    ends the walk instead of running forever."""
    person = Person._meta.db_table
    if connection.vendor == "postgresql":
        # LATERAL makes each step an index lookup on manager_id (as in oversight/tree.py).
        step = f"SELECT p.id, p.index_number FROM below b CROSS JOIN LATERAL (SELECT id, index_number FROM {person} WHERE manager_id = b.index_number OFFSET 0) p"
    else:
        step = f"SELECT p.id, p.index_number FROM below b JOIN {person} p ON p.manager_id = b.index_number"
    return f"WITH RECURSIVE below (id, index_number) AS (SELECT id, index_number FROM {person} WHERE manager_id = %s UNION {step}) SELECT id FROM below"


def chain_below(person: Person) -> QuerySet[Person]:
    """Everyone below `person` in the reporting lines, at any depth (their reports, the reports
    of those, and so on), active or not, never `person`: one recursive CTE, lazily, so that it
    composes as a subquery."""
    return Person.objects.filter(_below(person.index_number)).exclude(pk=person.pk)


def _below(index_number: str, among: list[int] | None = None) -> Q:
    """People below the person with this index number. With `among` (person ids), only those
    of them, found by climbing from each of them to the top (a few steps each) rather than by
    walking down the whole subtree, which is the whole organization for its head."""
    if among is None:
        return Q(pk__in=RawSQL(_chain_sql(), [index_number]))
    person = Person._meta.db_table
    marks = ", ".join(["%s"] * len(among))
    sql = (
        f"WITH RECURSIVE up (start, manager_id) AS (SELECT id, manager_id FROM {person} WHERE id IN ({marks}) "
        f"UNION {_climb_step()}) SELECT start FROM up WHERE manager_id = %s"
    )
    return Q(pk__in=RawSQL(sql, [*among, index_number]))


def _climb_step() -> str:
    """One step up from each row of `up (start, manager_id)` to the manager's own manager."""
    person = Person._meta.db_table
    if connection.vendor == "postgresql":
        # LATERAL makes each step an index lookup on index_number; a plain join let PostgreSQL
        # hash all 150,000 people at every step.
        return f"SELECT up.start, p.manager_id FROM up CROSS JOIN LATERAL (SELECT manager_id FROM {person} WHERE index_number = up.manager_id OFFSET 0) p"
    return f"SELECT up.start, p.manager_id FROM up JOIN {person} p ON p.index_number = up.manager_id"


def _any(parts: list[Q]) -> QuerySet[Person]:
    if not parts:
        return Person.objects.none()
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return Person.objects.filter(condition)


SIGNATORY_ACTIONS = (AuditAction.CERTIFICATION_SUBMIT, AuditAction.CERTIFICATION_CERTIFY)


def _signatories(entity_ids: frozenset[int]) -> QuerySet:
    """The person ids of whoever holds a role in these entities or submitted or certified their
    Appendix E (the certification page names them, its history included; whoever reopened it
    is named "the Ethics Office")."""
    certifications = Certification.objects.filter(entity_id__in=entity_ids)
    targets = certifications.annotate(target=Concat("entity__code", Value("/"), Cast("cycle__year", CharField()))).values("target")
    signed = AuditEntry.objects.filter(action__in=SIGNATORY_ACTIONS, target__in=targets).values("actor_id")
    return User.objects.filter(
        Q(grants__entity_id__in=entity_ids)
        | Q(pk__in=certifications.values("submitted_by_id"))
        | Q(pk__in=certifications.values("certified_by_id"))
        | Q(pk__in=signed),
        person__isnull=False,
    ).values("person_id")


def nameable_people(scope: Scope, *, among: list[int] | None = None) -> QuerySet[Person]:
    """Everyone whose name this user may see, as one lazy query (a subquery where it is used):

    - themselves, and everyone below them in the reporting lines, at any depth;
    - as focal point or head: every person of their entities, and whoever holds a role in them
      or signed their certification (`_signatories`);
    - the sessions they may see by name (`visible_sessions` with the monitored ones): their
      leader, monitor, invitees and attendees (a monitor sees no more of the leader's team);
    - the leaders of the sessions they were invited to or attended.

    The Ethics Office as such names nobody, and neither does an account without a person.
    With `among` (person ids), the same rule asked of those people only, which is cheaper."""
    parts: list[Q] = []
    if scope.named_entity_ids:
        parts += [Q(entity_id__in=scope.named_entity_ids), Q(pk__in=_signatories(scope.named_entity_ids))]
    # With `among`, each subquery starts from those people (an index lookup each) instead of
    # listing, say, everyone invited to any session of a 20,000-person entity.
    def only(queryset: QuerySet, field: str) -> QuerySet:
        return queryset if among is None else queryset.filter(**{f"{field}__in": among})

    if scope.person is not None or scope.named_entity_ids:
        sessions = visible_sessions(scope, monitored=True)
        ids = sessions.values("pk")
        parts += [
            Q(pk__in=only(Invitation.objects.filter(session__in=ids), "person_id").values("person_id")),
            Q(pk__in=only(Attendance.objects.filter(session__in=ids), "person_id").values("person_id")),
            Q(pk__in=only(sessions, "leader_id").values("leader_id")),
            Q(pk__in=only(sessions.filter(monitor__isnull=False), "monitor_id").values("monitor_id")),
        ]
    if scope.person is not None:
        me = scope.person
        parts += [
            Q(pk=me.pk),
            _below(me.index_number, among),
            Q(pk__in=Invitation.objects.filter(person=me).values("session__leader_id")),
            Q(pk__in=Attendance.objects.filter(person=me).values("session__leader_id")),
        ]
    people = _any(parts)
    return people if among is None else people.filter(pk__in=among)


def recordable_people(scope: Scope, session: Session, *, among: list[int] | None = None) -> QuerySet[Person]:
    """Whose attendance this user may record for `session`, and so whom an upload for it may
    match: for its leader or monitor, the session's invitees and attendees; for its leader also
    everyone below them; for a focal point or head of the session's entity also that entity's
    people. Never the leader; nobody for anyone else.
    With `among` (person ids), the same rule asked of those people only."""
    leads = scope.person is not None and session.leader_id == scope.person.pk
    monitors = scope.person is not None and session.monitor_id is not None and session.monitor_id == scope.person.pk
    names_entity = session.leader.entity_id in scope.named_entity_ids
    if not (leads or monitors or names_entity):
        return Person.objects.none()
    parts = [
        Q(pk__in=Invitation.objects.filter(session=session).values("person_id")),
        Q(pk__in=Attendance.objects.filter(session=session).values("person_id")),
    ]
    if leads:
        parts.append(_below(session.leader.index_number, among))
    if names_entity:
        parts.append(Q(entity_id=session.leader.entity_id))
    people = _any(parts).exclude(pk=session.leader_id)
    return people if among is None else people.filter(pk__in=among)


class Purpose(enum.Enum):
    """What a typed index number or e-mail address is resolved for."""

    INVITE = "invite"  # a leader invites: among the people they may name
    RECORD = "record"  # an upload records attendance: among `recordable_people` of the session
    GUEST = "guest"  # a focal point or head invites a guest from any entity: index number and e-mail


def refusal_message(entry: str, purpose: Purpose) -> str:
    """The one answer for an entry that does not resolve: the same whether or not somebody has
    that index number or address, so that it confirms nothing."""
    if purpose is Purpose.GUEST:
        return _("%(entry)s: give the index number and e-mail address of one active person, as in the organization file") % {"entry": entry}
    if purpose is Purpose.RECORD:
        return _("%(entry)s: not someone you can record for this session — invite them first, or ask your focal point") % {"entry": entry}
    return _("%(entry)s: not someone you can invite — ask your focal point") % {"entry": entry}


@dataclass(frozen=True)
class Resolution:
    purpose: Purpose
    found: list[Person] = field(default_factory=list)  # each person once, in the order typed
    refused: list[str] = field(default_factory=list)  # entries as typed, each once
    matches: dict[str, Person] = field(default_factory=dict)  # each resolved entry → its person

    def messages(self) -> list[str]:
        return [refusal_message(entry, self.purpose) for entry in self.refused]


def resolve_people(scope: Scope, entries: list[str], *, purpose: Purpose, session: Session | None = None) -> Resolution:
    """Typed entries → active people, only within what this user may see for `purpose`: an
    index number (exactly) or an e-mail address (ignoring case) for INVITE (`nameable_people`)
    and RECORD (`recordable_people` of `session`); for GUEST (a focal point or head, on a
    session of their entity) each entry must give both the index number and the e-mail address
    of the same active person, of any entity, so that guessing index numbers finds nobody.
    Two queries (one for GUEST), whatever the entries and whether or not anyone has them."""
    wanted = list(dict.fromkeys(entry.strip() for entry in entries if entry and entry.strip()))
    if purpose is Purpose.GUEST:
        matches = _guest_matches(scope, wanted, session)
    elif purpose is Purpose.RECORD and session is None:
        raise ValueError("resolving for RECORD needs the session")
    else:
        with _without_jit():
            matches = _matches(scope, wanted, purpose=purpose, session=session)
    found = list({person.pk: person for person in matches.values()}.values())
    return Resolution(purpose=purpose, found=found, refused=[entry for entry in wanted if entry not in matches], matches=matches)


@contextmanager
def _without_jit():
    """PostgreSQL's JIT compiler off for the resolver's reads: the recursive CTE's estimate
    crosses the JIT thresholds, and compiling took a second where running takes milliseconds
    (as in oversight/dashboards.py). SET LOCAL ends with the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _matches(scope: Scope, wanted: list[str], *, purpose: Purpose, session: Session | None) -> dict[str, Person]:
    """Each entry → the active person it names, among those `scope` may see for `purpose`."""
    numbers = {entry for entry in wanted if "@" not in entry}
    addresses = {entry.lower() for entry in wanted if "@" in entry}
    # The address condition only when addresses were typed: compared ignoring case, it cannot
    # use the index that the index numbers use.
    typed = (Q(index_number__in=numbers) if numbers else Q(pk__in=[])) | (Q(address__in=addresses) if addresses else Q(pk__in=[]))
    people = list(Person.objects.active().annotate(address=Lower("email")).filter(typed).order_by("pk")) if wanted else []
    # Then which of them the user may see. This second query runs whatever the first found
    # (-1 is nobody's id), so that the number of queries tells nothing either.
    among = [-1] + [person.pk for person in people]
    visible = recordable_people(scope, session, among=among) if purpose is Purpose.RECORD else nameable_people(scope, among=among)
    allowed = set(visible.values_list("pk", flat=True))
    by_number: dict[str, Person] = {}
    by_address: dict[str, Person] = {}
    for person in people:
        if person.pk in allowed:
            by_number[person.index_number] = person
            by_address.setdefault(person.address, person)
    matches = {}
    for entry in wanted:
        person = by_address.get(entry.lower()) if "@" in entry else by_number.get(entry)
        if person is not None:
            matches[entry] = person
    return matches


def _guest_matches(scope: Scope, entries: list[str], session: Session | None) -> dict[str, Person]:
    if session is None or session.leader.entity_id not in scope.named_entity_ids:
        return {}
    pairs = {}
    for entry in entries:
        tokens = entry.replace(",", " ").replace(";", " ").split()
        addresses = [token.lower() for token in tokens if "@" in token]
        numbers = [token for token in tokens if "@" not in token]
        if len(addresses) == 1 and len(numbers) == 1:
            pairs[entry] = (numbers[0], addresses[0])
    if not pairs:
        return {}
    people = Person.objects.active().annotate(address=Lower("email"))
    people = people.filter(index_number__in={n for n, _a in pairs.values()}, address__in={a for _n, a in pairs.values()})
    by_pair = {(person.index_number, person.address): person for person in people.order_by("pk")}
    return {entry: by_pair[pair] for entry, pair in pairs.items() if pair in by_pair}


def _climb_sql(count: int) -> str:
    person = Person._meta.db_table
    marks = ", ".join(["%s"] * count)
    return (
        f"WITH RECURSIVE up (start, manager_id) AS (SELECT index_number, manager_id FROM {person} WHERE index_number IN ({marks}) "
        f"UNION {_climb_step()}) SELECT start, manager_id FROM up WHERE manager_id IS NOT NULL"
    )


def above_pairs(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Of the (manager, person) index-number pairs given, those where the manager is above the
    person in the reporting lines, at any depth: one recursive CTE climbing from up to 5,000
    people at once."""
    starts = sorted({person for _manager, person in pairs})
    found: set[tuple[str, str]] = set()
    for begin in range(0, len(starts), 5000):
        chunk = starts[begin : begin + 5000]
        with connection.cursor() as cursor:
            cursor.execute(_climb_sql(len(chunk)), chunk)
            found.update((manager, start) for start, manager in cursor.fetchall())
    return pairs & found


def importable_outsiders(*, cycle, rows: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """For an attendance import limited to a focal point's entities: which of the (leader,
    session reference, participant) index numbers given, whose participant is not of those
    entities, may still be recorded: someone below the leader in the reporting lines, or
    invited to that leader's session of that reference in `cycle`."""
    if not rows:
        return set()
    with _without_jit():
        below = above_pairs({(leader, participant) for leader, _ref, participant in rows})
    invited = set(
        Invitation.objects.filter(
            session__cycle=cycle,
            session__leader__index_number__in={leader for leader, _r, _p in rows},
            person__index_number__in={participant for _l, _r, participant in rows},
        ).values_list("session__leader__index_number", "session__ref", "person__index_number")
    )
    return {row for row in rows if (row[0], row[2]) in below or row in invited}
