"""The edges of the year. A cycle holds its opening day and its deadline and no day beyond. A
session's day is a day in the session's own time zone: on Kiritimati (Kiribati, UTC+14, where
each day begins first) 31 December ends ten hours before it ends in UTC, and in Pago Pago
(UTC-11) 1 September begins eleven hours after. Reminders and reporting delays count days in UTC,
the organization's time zone (settings.TIME_ZONE).

Each test travels to instants of its own (time-machine), whatever CASCADE_TEST_NOW says.

Personas: Teuea leads the session in Kiribati; Mere and Tomas are his reports."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from cascade.testing import PASSWORD, make_people
from dialogues.models import Attendance, Session
from dialogues.scheduling import SessionPlan, session_schedule
from dialogues.signin import SelfSignIn, attendance_record_self, self_signin_problem
from feedback.selectors import sessions_not_reported
from org.models import Cycle, Entity, Person
from oversight.reminders import send_escalations
from oversight.tests.test_reminders import hold_s1

D = datetime.date
KIRITIMATI = "Pacific/Kiritimati"  # UTC+14
PAGO_PAGO = "Pacific/Pago_Pago"  # UTC-11


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def cycle(db) -> Cycle:
    return Cycle.objects.create(year=2026, topic="Speaking up", opens=D(2026, 9, 1), deadline=D(2026, 12, 31))


@pytest.fixture
def team(db) -> dict[str, Person]:
    entity = Entity.objects.create(code="KIR", name="Pacific Office")
    teuea = Person.objects.create(index_number="K1", name="Teuea Toatu", email="teuea@example.org", entity=entity)
    mere = Person.objects.create(index_number="K2", name="Mere Tekanene", email="mere@example.org", entity=entity, manager=teuea)
    tomas = Person.objects.create(index_number="K3", name="Tomas Ioane", email="tomas@example.org", entity=entity, manager=teuea)
    return {"teuea": teuea, "mere": mere, "tomas": tomas}


def plan(team, starts_at: datetime.datetime, time_zone: str) -> SessionPlan:
    return SessionPlan(starts_at=starts_at, time_zone=time_zone, duration_minutes=60, mode="in_person", location="Room 3", invitee_ids=[team["mere"].pk])


def test_a_cycle_holds_its_opening_day_and_its_deadline_and_no_day_beyond(cycle):
    assert cycle.contains(D(2026, 9, 1)) and cycle.contains(D(2026, 12, 31))
    assert not cycle.contains(D(2026, 8, 31))
    assert not cycle.contains(D(2027, 1, 1))


@pytest.mark.time_machine(utc(2026, 12, 31, 5))
def test_a_session_at_10_30_utc_on_the_deadline_is_already_next_year_in_kiribati(cycle, team):
    start = utc(2026, 12, 31, 10, 30)  # 1 January 00:30 on Kiritimati

    with pytest.raises(ValidationError) as refused:
        session_schedule(leader=team["teuea"], cycle=cycle, plan=plan(team, start, KIRITIMATI), actor=None)

    assert "The session must take place between" in refused.value.message_dict["date"][0]
    assert not Session.objects.exists()
    assert session_schedule(leader=team["teuea"], cycle=cycle, plan=plan(team, start, "UTC"), actor=None).date == D(2026, 12, 31)
    # Half an hour before midnight there, it is still the deadline.
    last = session_schedule(leader=team["teuea"], cycle=cycle, plan=plan(team, utc(2026, 12, 31, 9, 30), KIRITIMATI), actor=None)
    assert last.date == D(2026, 12, 31)


@pytest.mark.time_machine(utc(2026, 8, 25, 12))
def test_a_session_at_8_utc_on_the_opening_day_is_still_the_day_before_in_pago_pago(cycle, team):
    start = utc(2026, 9, 1, 8)  # 31 August 21:00 in Pago Pago

    with pytest.raises(ValidationError) as refused:
        session_schedule(leader=team["teuea"], cycle=cycle, plan=plan(team, start, PAGO_PAGO), actor=None)

    assert "date" in refused.value.message_dict
    assert session_schedule(leader=team["teuea"], cycle=cycle, plan=plan(team, start, "UTC"), actor=None).date == D(2026, 9, 1)
    assert session_schedule(leader=team["teuea"], cycle=cycle, plan=plan(team, utc(2026, 9, 1, 11), PAGO_PAGO), actor=None).date == D(2026, 9, 1)


def test_self_sign_in_on_the_deadline_closes_at_midnight_in_the_sessions_zone(cycle, team, time_machine):
    # Both started at 08:00 UTC on 31 December: 22:00 on Kiritimati.
    kiribati = Session.objects.create(cycle=cycle, leader=team["teuea"], ref="K", date=D(2026, 12, 31), starts_at=utc(2026, 12, 31, 8), time_zone=KIRITIMATI)
    greenwich = Session.objects.create(cycle=cycle, leader=team["teuea"], ref="U", date=D(2026, 12, 31), starts_at=utc(2026, 12, 31, 8), time_zone="UTC")

    time_machine.move_to(utc(2026, 12, 31, 9, 59))  # 23:59 on Kiritimati
    assert self_signin_problem(kiribati) is None
    assert attendance_record_self(session_id=kiribati.pk, person_id=team["tomas"].pk, time_zone=KIRITIMATI).outcome == SelfSignIn.SIGNED_IN

    time_machine.move_to(utc(2026, 12, 31, 10, 1))  # 00:01 on 1 January on Kiritimati, 10:01 on 31 December in UTC
    assert "on the day of the session only" in self_signin_problem(kiribati)
    refused = attendance_record_self(session_id=kiribati.pk, person_id=team["mere"].pk, time_zone=KIRITIMATI)
    assert refused.outcome == SelfSignIn.REFUSED and "on the day of the session only" in refused.message
    assert self_signin_problem(greenwich) is None
    assert attendance_record_self(session_id=greenwich.pk, person_id=team["mere"].pk, time_zone="UTC").outcome == SelfSignIn.SIGNED_IN

    time_machine.move_to(utc(2027, 1, 1, 0, 1))
    assert "on the day of the session only" in self_signin_problem(greenwich)
    assert set(Attendance.objects.values_list("session__ref", "person__index_number")) == {("K", "K3"), ("U", "K2")}


@pytest.mark.time_machine(utc(2027, 1, 3, 9))
def test_a_session_of_30_december_is_not_reported_from_2_january(client, cycle, team):
    held = Session.objects.create(cycle=cycle, leader=team["teuea"], ref="K", date=D(2026, 12, 30))
    Attendance.objects.create(session=held, person=team["mere"])

    assert list(sessions_not_reported(cycle, today=D(2027, 1, 1))) == []
    assert list(sessions_not_reported(cycle, today=D(2027, 1, 2))) == [held]
    # On 3 January the cycle just closed is still the current one: its leader is asked to report.
    client.force_login(User.objects.create_user("teuea@example.org", PASSWORD, person=team["teuea"]))
    response = client.get(reverse("feedback:my_reports"))
    assert response.status_code == 200
    assert [(session.ref, overdue) for session, _due, overdue in response.context["to_report"]] == [("K", True)]


@pytest.mark.parametrize(
    "instant, sent",
    [
        (utc(2031, 12, 31, 23, 30), 3),  # the deadline in UTC, although 1 January in Kiribati
        (utc(2032, 1, 1, 0, 30), 0),  # the cycle is over
    ],
)
def test_escalations_go_until_the_end_of_the_deadline_in_utc(db, smtp_inbox, time_machine, instant, sent):
    hold_s1(make_people())  # the cycle of 2031, with two managers ready and waiting
    time_machine.move_to(instant)
    assert send_escalations() == sent
    assert len(smtp_inbox.messages) == sent
