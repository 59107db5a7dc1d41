"""Chasing from the application (organization of test_dashboards, 28 November 2026): the focal
point of AAA reminds managers waiting or ready (M2, N ready; M3 waiting) and leaders with
sessions not reported (H, M1), previews each reminder in its recipient's language, and sends it
through the SMTP server on loopback; at most once a week per person and reason. Everyone who
attended is reminded to assess the facilitator; a leader reminds their own invitees."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from cascade.testing import make_user
from core.models import AuditEntry
from dialogues.models import Invitation, ReminderSent, Session
from org.models import Person
from oversight.tests.test_dashboards import build_org

NOW = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cycle(db):
    cycle = build_org()
    Person.objects.filter(index_number="M3").update(language="fr")
    return cycle


@pytest.fixture
def fiona(cycle):
    return make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA"))


def ids(*indexes):
    return [str(Person.objects.get(index_number=i).pk) for i in indexes]


def chase_url():
    return reverse("oversight:chase", args=["AAA"])


def test_the_focal_point_previews_then_sends_in_each_recipients_language(client, cycle, fiona, smtp_inbox):
    client.force_login(fiona)
    page = client.get(chase_url()).content.decode()
    for name in ("Person M2 Named", "Person N Named", "Person M3 Named"):
        assert name in page
    assert "Person X Named" not in page  # BBB

    preview = client.post(chase_url(), {"reason": "chase_schedule", "people": ids("M2", "M3")}).content.decode()
    assert "Preview of the reminder" in preview and "2 people will receive this reminder" in preview
    assert "session is still to plan" in preview  # English, for M2
    assert "Person M3 Named" in preview and 'lang="fr"' in preview  # and M3's, in French
    assert not smtp_inbox.messages

    response = client.post(chase_url(), {"reason": "chase_schedule", "step": "send", "people": ids("M2", "M3")}, follow=True)
    assert "2 reminders sent." in response.content.decode()
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["m2@example.org", "m3@example.org"]
    assert "/dialogues/sessions/new/" in smtp_inbox.messages[0].get_body(("plain",)).get_content()
    entry = AuditEntry.objects.get(action="reminder.chase")
    assert (entry.actor, entry.detail) == (fiona, {"reason": "chase_schedule", "sent": 2, "skipped": 0})


def test_a_second_send_in_the_same_week_reaches_nobody_twice(client, cycle, fiona, smtp_inbox):
    client.force_login(fiona)
    client.post(chase_url(), {"reason": "chase_schedule", "step": "send", "people": ids("M2")})
    response = client.post(chase_url(), {"reason": "chase_schedule", "step": "send", "people": ids("M2", "N")}, follow=True)
    assert "1 reminder sent. 1 person had already received this reminder this week and was left out." in response.content.decode()
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["m2@example.org", "n@example.org"]
    assert ReminderSent.objects.filter(reason="chase_schedule").count() == 2


def test_people_outside_the_list_are_never_reminded(client, cycle, fiona, smtp_inbox):
    client.force_login(fiona)
    # P1 is no manager; X and Y are of BBB: all ignored.
    response = client.post(chase_url(), {"reason": "chase_schedule", "step": "send", "people": ids("P1", "X", "Y")}, follow=True)
    assert "Tick at least one person to remind." in response.content.decode()
    assert not smtp_inbox.messages and not ReminderSent.objects.exists()


def test_leaders_with_sessions_not_reported_are_reminded_to_report(client, cycle, fiona, smtp_inbox):
    client.force_login(fiona)
    page = client.get(chase_url()).content.decode()
    assert "Leaders whose sessions are not reported" in page
    client.post(chase_url(), {"reason": "chase_report", "step": "send", "everyone": "on"})
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["h@example.org", "m1@example.org"]
    assert "Appendix C" in smtp_inbox.messages[0].get_body(("plain",)).get_content()


def test_every_attendee_is_reminded_to_assess_whatever_they_did(client, cycle, fiona, smtp_inbox):
    client.force_login(fiona)
    client.post(chase_url(), {"reason": "chase_assess", "step": "send"})
    # S1 (M1, M2; X is of BBB but attended an AAA session), S2 (P1), S3 (N).
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["m1@example.org", "m2@example.org", "n@example.org", "p1@example.org", "x@example.org"]
    body = smtp_inbox.messages[0].get_body(("plain",)).get_content()
    assert "goes to everyone who took part" in body and "/feedback/my/sessions/" in body


@pytest.mark.parametrize("who", ["hank", "eve", "bob"])
def test_only_the_entitys_focal_point_chases(client, cycle, who, smtp_inbox):
    users = {
        "hank": lambda: make_user("hank@example.org", "H"),
        "eve": lambda: make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None)),
        "bob": lambda: make_user("bob@example.org", None, (Role.FOCAL_POINT, "BBB")),
    }
    client.force_login(users[who]())
    assert client.get(chase_url()).status_code == 404
    assert client.post(chase_url(), {"reason": "chase_assess", "step": "send"}).status_code == 404
    assert not smtp_inbox.messages


def test_a_leader_reminds_the_invitees_of_an_upcoming_session(client, cycle, smtp_inbox):
    m3 = make_user("m3@example.org", "M3")
    session = Session.objects.create(
        cycle=cycle, leader=m3.person, ref="S9", date=datetime.date(2026, 12, 2), starts_at=NOW + datetime.timedelta(days=4), time_zone="Europe/Paris"
    )
    for index in ("R1", "R2"):
        Invitation.objects.create(session=session, person=Person.objects.get(index_number=index))
    client.force_login(m3)
    url = reverse("remind_invitees", args=[session.pk])
    preview = client.get(url).content.decode()
    assert "2 invitees who have not signed in will receive this reminder" in preview and "Person M3 Named reminds you" in preview
    response = client.post(url, follow=True)
    assert "2 reminders sent." in response.content.decode()
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["r1@example.org", "r2@example.org"]
    other = make_user("m1@example.org", "M1")
    client.force_login(other)
    assert client.get(url).status_code == 404
