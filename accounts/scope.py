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

This module decides who the user is (`scope_for`, once per request) and what of the
organization they may see; `dialogues/scope.py` applies the same scope to sessions and names
(`nameable_people`, `resolve_people`), in the layer that holds the sessions.
"""

# The recursive CTEs are assembled from table names taken from the models; every value from a
# request travels as a parameter.
# ruff: noqa: S608, S611

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

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


def ethics_office_or_404(scope: Scope) -> None:
    """Pages of the Ethics Office itself (the questions' queue): 404 for everyone else."""
    if not scope.ethics_office:
        raise Http404


# -- the reporting lines -------------------------------------------------------------------------------------


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
    return Person.objects.filter(below(person.index_number)).exclude(pk=person.pk)


def below(index_number: str, among: list[int] | None = None) -> Q:
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


def any_of(parts: list[Q]) -> QuerySet[Person]:
    if not parts:
        return Person.objects.none()
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return Person.objects.filter(condition)


@contextmanager
def without_jit():
    """PostgreSQL's JIT compiler off for the resolver's reads: the recursive CTE's estimate
    crosses the JIT thresholds, and compiling took a second where running takes milliseconds
    (as in oversight/dashboards.py). SET LOCAL ends with the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


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
