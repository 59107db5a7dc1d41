"""`manage.py demo`: a realistic organization with a cycle in progress and one login per role,
the same every time it runs."""

import datetime
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Role, RoleGrant, User
from dialogues.models import Attendance, Session, UnmatchedParticipant
from feedback.models import LeaderFeedback, Question
from org.models import Cycle, Entity, Person, Unit
from oversight.models import Certification
from oversight.selectors import CascadeState, cascade_states, rollup

# "  Focal point (OHC)   someone@demo.cascade.example   cascade-demo"
LOGIN_LINE = re.compile(r"^\s+(?P<role>\S.*?)\s{2,}(?P<email>[^\s@]+@\S+)\s{2,}(?P<password>\S+)$")


def run_demo(capsys, *args) -> str:
    capsys.readouterr()
    call_command("demo", *args)
    return capsys.readouterr().out


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    return [(m["role"], m["email"], m["password"]) for m in map(LOGIN_LINE.match, output.splitlines()) if m]


def counts() -> dict[str, int]:
    return {
        "entities": Entity.objects.count(),
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "active people": Person.objects.active().count(),
        "cycles": Cycle.objects.count(),
        "sessions": Session.objects.count(),
        "attendance": Attendance.objects.count(),
        "unmatched": UnmatchedParticipant.objects.count(),
        "feedback": LeaderFeedback.objects.count(),
        "questions": Question.objects.count(),
        "certifications": Certification.objects.count(),
        "users": User.objects.count(),
        "grants": RoleGrant.objects.count(),
    }


def this_cycle() -> Cycle:
    """The demo's cycle in progress: this year's, or in early January the one just closed."""
    cycle = Cycle.objects.current()
    assert cycle is not None and cycle.opens <= timezone.localdate()
    return cycle


@pytest.fixture
def demo_output(db, capsys) -> str:
    return run_demo(capsys)


@pytest.mark.django_db
def test_running_demo_twice_gives_the_same_state_and_output(demo_output, capsys):
    before = counts()
    sessions = sorted(Session.objects.values_list("leader__index_number", "ref", "date", "mode"))

    again = run_demo(capsys)

    assert counts() == before
    assert sorted(Session.objects.values_list("leader__index_number", "ref", "date", "mode")) == sessions
    assert again == demo_output


@pytest.mark.django_db
def test_demo_organization_is_large_nested_and_varied(demo_output):
    assert Entity.objects.count() >= 5
    assert Person.objects.active().count() >= 300
    assert max(path.count(" > ") for path in Unit.objects.values_list("path", flat=True)) == 2
    people = Person.objects.active()
    assert set(people.values_list("category", flat=True)) >= {"international", "national", "non-staff"}
    assert set(people.values_list("location_type", flat=True)) >= {"headquarters", "away", "field"}
    assert set(people.values_list("language", flat=True)) >= {"ar", "zh", "en", "fr", "ru", "es"}
    emails = [e.lower() for e in people.values_list("email", flat=True)]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@demo.cascade.example") for e in emails)


@pytest.mark.django_db
def test_every_entity_head_reports_to_the_head_of_the_organization(demo_output):
    top = Person.objects.get(manager__isnull=True)
    for entity in Entity.objects.exclude(pk=top.entity_id):
        heads = Person.objects.filter(entity=entity).exclude(manager__entity=entity)
        assert [head.manager_id for head in heads] == [top.index_number]


@pytest.mark.django_db
def test_all_four_cascade_states_occur(demo_output):
    assert {m.state for m in cascade_states(this_cycle())} == set(CascadeState)


@pytest.mark.django_db
def test_entities_are_at_different_stages(demo_output):
    rates = sorted(e.rate for e in rollup(this_cycle()))
    assert rates[0] < 0.15  # one barely started
    assert rates[-1] > 0.9  # one nearly done
    assert rates[-1] < 1
    assert any(0.3 < rate < 0.8 for rate in rates)


@pytest.mark.django_db
def test_sessions_are_dated_in_the_cycle_and_not_after_today(demo_output):
    cycle = this_cycle()
    dates = list(Session.objects.filter(cycle=cycle).values_list("date", flat=True))
    assert dates
    assert all(cycle.opens <= day <= min(timezone.localdate(), cycle.deadline) for day in dates)
    assert UnmatchedParticipant.objects.count() == 2


@pytest.mark.django_db
def test_last_years_cycle_is_over_reported_and_certified_by_the_personas_entity(demo_output):
    last = Cycle.objects.get(year=this_cycle().year - 1)
    dates = list(Session.objects.filter(cycle=last).values_list("date", flat=True))
    assert dates and all(last.opens <= day <= last.deadline for day in dates)
    # Every entity further than this year so far; most short of everyone.
    rates = {e.entity: e.rate for e in rollup(last)}
    now = {e.entity: e.rate for e in rollup(this_cycle())}
    assert all(0.75 < rate <= 1 and rate > now[code] for code, rate in rates.items())
    assert sum(rate < 1 for rate in rates.values()) >= 4
    assert list(Certification.objects.filter(cycle=last).values_list("entity__code", "status")) == [("OHC", "certified")]
    assert f"Previous cycle {last.year}" in demo_output and "Appendix E certified by OHC." in demo_output


@pytest.mark.django_db
def test_leaders_reported_sessions_of_both_cycles_with_questions(demo_output):
    reported_by = timezone.localdate() - datetime.timedelta(days=3)
    for cycle in (this_cycle(), Cycle.objects.get(year=this_cycle().year - 1)):
        sessions = Session.objects.filter(cycle=cycle)
        forms = LeaderFeedback.objects.filter(session__cycle=cycle)
        assert 0.5 * sessions.count() < forms.count() < sessions.count()
        assert not forms.filter(session__date__gt=reported_by).exists()
        assert {1, 5} < set(forms.values_list("guide_rating", flat=True))
        assert Question.objects.filter(cycle=cycle).count() > 10
    assert LeaderFeedback.objects.filter(session__cycle=this_cycle()).exclude(scenarios_used=None).exists()


@pytest.mark.django_db
def test_each_printed_login_authenticates_and_has_its_role(demo_output):
    logins = printed_logins(demo_output)
    assert [role.split(" (")[0] for role, _e, _p in logins] == [
        "Ethics Office",
        "Organization administrator",
        "Head of entity",
        "Focal point",
        "Session leader, ready to lead",
        "Participant",
        "Django admin",
    ]
    assert "http://127.0.0.1:8000/" in demo_output
    states = {m.person_id: m.state for m in cascade_states(this_cycle())}
    for role, email, password in logins:
        assert password == "cascade-demo"
        user = authenticate(email=email, password=password)
        assert user is not None, role
        grants = set(RoleGrant.objects.filter(user=user).values_list("role", "entity__code"))
        code = role.rsplit("(", 1)[-1].rstrip(")") if role.endswith(")") else None
        person = user.person
        if role == "Ethics Office":
            assert grants == {(Role.ETHICS_OFFICE, None)}
            assert person is None
            assert not Person.objects.filter(email__iexact=email).exists()
        elif role == "Organization administrator":
            assert grants == {(Role.ORG_ADMIN, None)}
            assert person is None
            assert not Person.objects.filter(email__iexact=email).exists()
        elif role.startswith("Head of entity"):
            assert grants == {(Role.HEAD_OF_ENTITY, code)}
            assert person.entity.code == code
            assert person.manager.entity.code != code
        elif role.startswith("Focal point"):
            assert grants == {(Role.FOCAL_POINT, code)}
            assert person.entity.code == code
        elif role.startswith("Session leader"):
            assert person.direct_reports.filter(active=True).exists()
            assert states[person.pk] == "ready"
        elif role.startswith("Participant"):
            assert not person.direct_reports.exists()
            assert Attendance.objects.filter(person=person, session__cycle=this_cycle()).exists()
        else:
            assert user.is_superuser and user.is_staff


@pytest.mark.django_db
@pytest.mark.time_machine(datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC))
def test_demo_before_september_dates_sessions_in_the_past(db, capsys):
    spring = datetime.date(2026, 3, 10)

    run_demo(capsys)

    cycle = Cycle.objects.get(year=2026)
    assert cycle.deadline == datetime.date(2026, 12, 31)
    assert all(cycle.opens <= day <= spring for day in Session.objects.filter(cycle=cycle).values_list("date", flat=True))


@pytest.mark.django_db
def test_demo_refuses_to_deactivate_an_organization_that_is_not_the_demos(db):
    entity = Entity.objects.create(code="REAL")
    Person.objects.create(index_number="R1", name="Real Person", email="real@example.org", entity=entity)

    with pytest.raises(CommandError) as raised:
        call_command("demo")

    assert raised.value.returncode == 2
    assert Person.objects.get(index_number="R1").active
    assert not Session.objects.exists()
