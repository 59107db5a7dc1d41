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
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from dialogues.models import Session
from org.models import Entity, Person

from .models import Role, RoleGrant


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
        is_manager = Person.objects.filter(manager_id=person.index_number, active=True).exists()
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
    return Person.objects.filter(manager_id=scope.person.index_number, active=True)


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
