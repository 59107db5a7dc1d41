"""Who may see which sessions, and whose names: the scope of `accounts/scope.py` applied to
sessions, invitations and attendance, in the layer that holds them. Every view and export that
shows a session or a name starts here.

Names: `nameable_people` is the one definition of whose names a user may see, and
`resolve_people` the one way a typed index number or e-mail address becomes a person. Outside
what the user may see, a typed entry gets the same answer whether or not someone has it.
A user without access to a session gets 404, as if it did not exist.
"""

import enum
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Left, Lower, StrIndex
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scope import Scope, above_pairs, any_of, below, without_jit
from core.models import AuditAction, AuditEntry
from org.models import Entity, Person

from .models import Attendance, Invitation, Session


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


SIGNATORY_ACTIONS = (AuditAction.CERTIFICATION_SUBMIT, AuditAction.CERTIFICATION_CERTIFY)


def _signatories(entity_ids: frozenset[int]) -> QuerySet:
    """The person ids of whoever holds a role in these entities or submitted or certified their
    Appendix E (the certification page names them, its history included; whoever reopened it
    is named "the Ethics Office"). Every submission and certification writes an audit entry
    whose target is "<entity code>/<year>", so the audit trail names the signatories without
    reading the certifications (which live above this layer)."""
    code_of_target = Left("target", StrIndex("target", Value("/")) - 1)
    signed = (
        AuditEntry.objects.filter(action__in=SIGNATORY_ACTIONS)
        .annotate(entity_code=code_of_target)
        .filter(entity_code__in=Entity.objects.filter(pk__in=entity_ids).values("code"))
        .values("actor_id")
    )
    return User.objects.filter(Q(grants__entity_id__in=entity_ids) | Q(pk__in=signed), person__isnull=False).values("person_id")


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
            below(me.index_number, among),
            Q(pk__in=Invitation.objects.filter(person=me).values("session__leader_id")),
            Q(pk__in=Attendance.objects.filter(person=me).values("session__leader_id")),
        ]
    people = any_of(parts)
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
        parts.append(below(session.leader.index_number, among))
    if names_entity:
        parts.append(Q(entity_id=session.leader.entity_id))
    people = any_of(parts).exclude(pk=session.leader_id)
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
        with without_jit():
            matches = _matches(scope, wanted, purpose=purpose, session=session)
    found = list({person.pk: person for person in matches.values()}.values())
    return Resolution(purpose=purpose, found=found, refused=[entry for entry in wanted if entry not in matches], matches=matches)


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


def importable_outsiders(*, cycle, rows: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """For an attendance import limited to a focal point's entities: which of the (leader,
    session reference, participant) index numbers given, whose participant is not of those
    entities, may still be recorded: someone below the leader in the reporting lines, or
    invited to that leader's session of that reference in `cycle`."""
    if not rows:
        return set()
    with without_jit():
        below = above_pairs({(leader, participant) for leader, _ref, participant in rows})
    invited = set(
        Invitation.objects.filter(
            session__cycle=cycle,
            session__leader__index_number__in={leader for leader, _r, _p in rows},
            person__index_number__in={participant for _l, _r, participant in rows},
        ).values_list("session__leader__index_number", "session__ref", "person__index_number")
    )
    return {row for row in rows if (row[0], row[2]) in below or row in invited}
