"""Each role's steps on the home page: the state of each step, its due day and its link, on
the organization of test_dashboards at 28 November 2026 (deadline 31 December).

M1 led S2 and S3 (P1, N reached; P2 not; Z inactive), neither reported; M3 is waiting with R1
and R2; AAA's focal point fiona, its head H (derived), the Ethics Office eve."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from accounts.scope import scope_for
from cascade.testing import make_user
from core.models import AuditEntry
from dialogues.models import Invitation, Session
from feedback.models import LeaderFeedback, Question
from kit.models import Kit
from org.models import Person
from oversight.next_steps import Status, home_steps
from oversight.tests.test_dashboards import build_org

NOW = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cycle(db):
    return build_org()


def steps_of(user, key):
    groups = {g.key: g for g in home_steps(scope_for(user), Session.objects.first().cycle, now=NOW)}
    return [(s.title, s.status) for s in groups[key].steps], groups[key]


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_leader_with_held_unreported_sessions_sees_the_report_overdue(cycle):
    m1 = make_user("m1@example.org", "M1")
    statuses, group = steps_of(m1, "leader")
    assert statuses[1:] == [("Hold your sessions", Status.IN_PROGRESS), ("Record attendance", Status.DONE), ("Report each session (Appendix C)", Status.OVERDUE)]
    assert statuses[0] == ("Schedule your sessions", Status.IN_PROGRESS)  # due 17 December: not overdue yet
    assert group.steps[0].detail == "1 direct report not reached nor invited yet."
    assert group.steps[0].due == datetime.date(2026, 12, 17) and group.steps[3].detail == "2 sessions to report."


def test_reporting_and_inviting_turn_the_leaders_steps_to_done(cycle):
    m1 = make_user("m1@example.org", "M1")
    for session in Session.objects.filter(leader__index_number="M1"):
        LeaderFeedback.objects.create(
            session=session, entity=session.leader.entity, participants=1, unit_personnel=5, guide_rating=4, topics_rating=4, went_well="Open talk.", went_badly="Short."
        )
    upcoming = Session.objects.create(
        cycle=cycle, leader=Person.objects.get(index_number="M1"), ref="S4", date=datetime.date(2026, 12, 10), starts_at=NOW + datetime.timedelta(days=12)
    )
    Invitation.objects.create(session=upcoming, person=Person.objects.get(index_number="P2"))
    statuses, _group = steps_of(m1, "leader")
    assert statuses == [
        ("Schedule your sessions", Status.DONE),
        ("Hold your sessions", Status.IN_PROGRESS),
        ("Record attendance", Status.DONE),
        ("Report each session (Appendix C)", Status.DONE),
    ]


def test_a_waiting_manager_cannot_record_or_report_before_holding(cycle):
    m3 = make_user("m3@example.org", "M3")
    statuses, _group = steps_of(m3, "leader")
    assert statuses == [
        ("Schedule your sessions", Status.NOT_STARTED),
        ("Hold your sessions", Status.NOT_STARTED),
        ("Record attendance", Status.CANNOT_START),
        ("Report each session (Appendix C)", Status.CANNOT_START),
    ]


def test_a_participant_invited_to_a_session_is_asked_to_vote(cycle):
    r1 = make_user("r1@example.org", "R1")
    m3 = Person.objects.get(index_number="M3")
    session = Session.objects.create(cycle=cycle, leader=m3, ref="S9", date=datetime.date(2026, 12, 3), starts_at=NOW + datetime.timedelta(days=5))
    Invitation.objects.create(session=session, person=Person.objects.get(index_number="R1"))
    statuses, group = steps_of(r1, "participant")
    assert statuses == [
        ("Take part in a session", Status.IN_PROGRESS),
        ("Vote for scenarios and tell your leader your needs", Status.NOT_STARTED),
        ("Read the participant guide", Status.CANNOT_START),  # no kit published
        ("Assess your facilitator", Status.CANNOT_START),
    ]
    assert group.steps[0].due == datetime.date(2026, 12, 3) and "Person M3 Named" in group.steps[0].detail


def test_a_participant_who_attended_is_asked_to_assess(cycle):
    p1 = make_user("p1@example.org", "P1")
    statuses, _group = steps_of(p1, "participant")
    assert statuses[0] == ("Take part in a session", Status.DONE) and statuses[3] == ("Assess your facilitator", Status.NOT_STARTED)


def test_the_focal_point_and_the_head_see_the_entitys_steps(client, cycle):
    fiona = make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA"))
    statuses, group = steps_of(fiona, "focal_point")
    assert statuses == [
        ("Chase the managers who have not held their session", Status.IN_PROGRESS),
        ("Collect the reports of held sessions", Status.IN_PROGRESS),
        ("Submit Appendix E", Status.NOT_STARTED),
    ]
    assert group.steps[0].detail == "3 managers waiting or ready." and group.steps[1].detail == "3 sessions not reported."
    hank = make_user("hank@example.org", "H")
    statuses, group = steps_of(hank, "head")
    assert statuses == [("Certify Appendix E", Status.CANNOT_START)]
    page = home(client, fiona)
    assert "33 days</strong> left to the deadline." in page
    assert "As focal point of AAA" in page and f'href="{reverse("oversight:certification", args=["AAA"])}"' in page
    assert "0 of 3 steps done." in page


def test_the_ethics_office_sees_the_kit_overdue_and_the_questions(client, cycle):
    eve = make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))
    Question.objects.create(cycle=cycle, entity=Person.objects.get(index_number="H").entity, text="Who decides?")
    statuses, group = steps_of(eve, "ethics_office")
    assert statuses == [
        ("Publish the dialogue kit", Status.OVERDUE),  # the cycle opened on 1 September
        ("Translate the kit", Status.CANNOT_START),
        ("Answer the new questions", Status.IN_PROGRESS),
        ("Follow the entities at risk", Status.IN_PROGRESS),
        ("Reassign the roles of people who left", Status.DONE),
    ]
    assert group.steps[2].detail == "1 new question." and group.steps[3].detail == "1 entity has managers still waiting."
    Kit.objects.create(cycle=cycle, published=True)
    statuses, _group = steps_of(eve, "ethics_office")
    assert statuses[0] == ("Publish the dialogue kit", Status.DONE)
    page = home(client, eve)
    assert "As the Ethics Office" in page and "Overdue" not in page.split("Publish the dialogue kit")[1].split("</li>")[0]


def test_the_organization_administrator_loads_the_file_before_the_cycle_opens(client, cycle):
    olga = make_user("olga@example.org", None, (Role.ORG_ADMIN, None))
    statuses, group = steps_of(olga, "org_admin")
    assert statuses == [("Load the organization file for the cycle", Status.OVERDUE)]  # opened 1 September, no import
    AuditEntry.objects.create(actor=olga, action="org.import", target="organization")
    statuses, _group = steps_of(olga, "org_admin")
    assert statuses == [("Load the organization file for the cycle", Status.DONE)]
    assert "As organization administrator" in home(client, olga)
