"""`seed_scale` builds a plausible organization with a cycle in progress, and `export_org` writes
it back as an organization file that imports without a change."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from dialogues.models import Attendance, Session
from org.management.commands.export_org import COLUMNS, OPTIONAL_COLUMNS
from org.models import Cycle, Entity, Person, Unit
from org.services import KNOWN
from oversight.selectors import CascadeState, cascade_states, reached_q

PEOPLE = 300


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.fixture
def seeded(db):
    return run("seed_scale", "--people", str(PEOPLE), "--seed", "3")


def test_seed_scale_makes_an_organization_with_a_cycle_in_progress(seeded):
    assert seeded.startswith(f"seeded {PEOPLE} people in ")
    assert Person.objects.count() == PEOPLE
    assert Person.objects.filter(active=True).count() == PEOPLE
    numbers = list(Person.objects.values_list("index_number", flat=True))
    assert len(set(numbers)) == PEOPLE
    emails = [e.lower() for e in Person.objects.values_list("email", flat=True)]
    assert len(set(emails)) == PEOPLE
    assert Person.objects.filter(manager__isnull=True).count() == 1  # one top of the organization
    assert Entity.objects.count() >= 5
    assert Entity.objects.filter(units__isnull=False).distinct().count() >= 2
    assert Person.objects.filter(unit__isnull=False).count() > PEOPLE // 3

    cycle = Cycle.objects.get()
    assert (cycle.opens.month, cycle.opens.day, cycle.deadline.month, cycle.deadline.day) == (9, 1, 12, 31)
    sessions = Session.objects.filter(cycle=cycle)
    assert sessions.exists() and Attendance.objects.filter(session__cycle=cycle).exists()
    assert not sessions.filter(date__lt=cycle.opens).exists()
    assert not sessions.filter(date__gt=cycle.deadline).exists()
    reached = Person.objects.filter(reached_q(cycle)).count()
    assert 0.3 * PEOPLE <= reached <= 0.7 * PEOPLE

    states = {m.state for m in cascade_states(cycle)}
    assert states == set(CascadeState)


@pytest.mark.django_db
def test_a_larger_organization_has_a_realistic_shape():
    run("seed_scale", "--people", "3000")
    people = Person.objects.count()
    assert people == 3000
    sizes = sorted(Entity.objects.annotate(n=Count("people")).values_list("n", flat=True), reverse=True)
    assert len(sizes) >= 15
    assert 0.14 <= sizes[0] / people <= 0.21 and sizes[1] < sizes[0]
    assert Unit.objects.filter(path__contains=" > ").exists()  # units nested inside units
    teams = list(Person.objects.filter(direct_reports__isnull=False).annotate(n=Count("direct_reports")).values_list("n", flat=True))
    assert max(teams) <= 12
    assert sum(3 <= n <= 12 for n in teams) >= 0.95 * len(teams)
    managers = cascade_states(Cycle.objects.get())
    assert max(m.depth for m in managers) >= 5
    assert {m.state for m in managers} == set(CascadeState)


def test_the_same_seed_gives_the_same_organization(seeded):
    def snapshot():
        people = sorted(
            Person.objects.values_list(
                "index_number", "name", "email", "manager_id", "entity__code", "unit__path", "category", "location_type", "duty_station", "language"
            )
        )
        sessions = sorted(Session.objects.values_list("leader__index_number", "ref", "date", "mode"))
        attendance = sorted(Attendance.objects.values_list("session__leader__index_number", "session__ref", "person__index_number"))
        return people, sessions, attendance

    first = snapshot()
    assert run("seed_scale", "--people", str(PEOPLE), "--seed", "3", "--replace").startswith(f"seeded {PEOPLE} people")
    assert snapshot() == first
    run("seed_scale", "--people", str(PEOPLE), "--seed", "4", "--replace")
    assert snapshot()[0] != first[0]
    assert Person.objects.count() == PEOPLE


def test_seed_scale_refuses_to_run_over_people_without_replace(seeded):
    with pytest.raises(CommandError) as raised:
        run("seed_scale", "--people", "50")
    assert raised.value.returncode == 2
    assert Person.objects.count() == PEOPLE


def test_export_then_import_changes_nothing(seeded, tmp_path):
    assert sorted(COLUMNS + OPTIONAL_COLUMNS) == sorted(KNOWN)
    path = tmp_path / "org.csv"
    assert run("export_org", str(path)) == f"exported {PEOPLE} people to {path}"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == COLUMNS
    assert run("import_org", str(path)) == f"created 0, updated 0, deactivated 0, reactivated 0, unchanged {PEOPLE}"


def test_export_leaves_out_inactive_people(seeded, tmp_path):
    leaf = Person.objects.filter(direct_reports__isnull=True).order_by("index_number").first()
    Person.objects.filter(pk=leaf.pk).update(active=False)
    path = tmp_path / "org.csv"
    run("export_org", str(path))
    text = path.read_text(encoding="utf-8")
    assert leaf.index_number not in {line.split(",")[0] for line in text.splitlines()}
    assert run("import_org", str(path)) == f"created 0, updated 0, deactivated 0, reactivated 0, unchanged {PEOPLE - 1}"
