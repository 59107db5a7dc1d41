"""Scheduling sessions: invitations with calendar entries, changes, cancellation, the split of
large teams, reminders once each, and invitees' needs and votes."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar

from accounts.models import User
from cascade.testing import PASSWORD
from conftest import cycle_around_today
from core.models import AuditEntry
from dialogues.models import Invitation, Session, SessionStatus
from dialogues.scheduling import SessionPlan, propose_split, send_due_reminders, session_cancel, session_schedule, session_update
from kit.models import Kit, Scenario
from org.models import Cycle, Entity, Person

pytestmark = pytest.mark.clock

TODAY = timezone.localdate()


@pytest.fixture
def team(db):
    """Marta leads 30 direct reports; the cycle runs around today."""
    entity = Entity.objects.create(code="OPS", name="Operations")
    marta = Person.objects.create(index_number="M1", name="Marta Leader", email="marta@example.org", entity=entity, language="es")
    reports = [
        Person.objects.create(
            index_number=f"R{i:02d}", name=f"Report {i:02d}", email=f"r{i:02d}@example.org", entity=entity, manager=marta, language="fr" if i == 1 else "en"
        )
        for i in range(1, 31)
    ]
    cycle = cycle_around_today(topic="Gifts and favours")
    user = User.objects.create_user("marta@example.org", PASSWORD, person=marta)
    return {"entity": entity, "marta": marta, "reports": reports, "cycle": cycle, "user": user}


def soon(days=2, hour=9):
    day = timezone.now() + datetime.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def plan(people, starts_at=None, **extra):
    return SessionPlan(starts_at=starts_at or soon(), time_zone="UTC", duration_minutes=90, mode="video", location="https://meet.example/abc", invitee_ids=[p.pk for p in people], **extra)


def calendar_of(message) -> Calendar:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_payload(decode=True))


def event_of(message):
    return calendar_of(message).walk("VEVENT")[0]


def test_propose_split_makes_balanced_groups_of_at_most_25():
    assert [len(g) for g in propose_split(list(range(30)))] == [15, 15]
    assert [len(g) for g in propose_split(list(range(51)))] == [17, 17, 17]
    assert [len(g) for g in propose_split(list(range(25)))] == [25]


def test_invitations_reach_a_real_smtp_server_with_a_calendar_request(team, smtp_inbox, django_capture_on_commit_callbacks):
    people = team["reports"][:3]
    with django_capture_on_commit_callbacks(execute=True):
        session = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan(people), actor=team["user"])
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(p.email for p in people)
    calendar = calendar_of(smtp_inbox.messages[0])
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{session.uid}@cascade"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == session.starts_at
    assert str(event["LOCATION"]) == "https://meet.example/abc"
    assert Invitation.objects.filter(session=session).count() == 3
    assert AuditEntry.objects.filter(action="session.schedule", actor=team["user"]).count() == 1


def test_invitation_is_written_in_the_invitees_language(team, smtp_inbox, django_capture_on_commit_callbacks):
    french = team["reports"][0]  # language "fr"
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan([french]), actor=team["user"])
    [message] = smtp_inbox.messages
    assert message["To"] == french.email
    # Dates come out in French (Django's own catalogue names the months).
    with translation.override("fr"):
        french_date = date_format(soon(), "DATE_FORMAT")
    assert french_date in message["Subject"]
    assert french_date in message.get_body(("plain",)).get_content()


def test_a_change_keeps_the_uid_and_raises_the_sequence(team, smtp_inbox, django_capture_on_commit_callbacks):
    first, second, third = team["reports"][:3]
    with django_capture_on_commit_callbacks(execute=True):
        session = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan([first, second]), actor=team["user"])
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, plan=plan([first, third], starts_at=soon(days=3)), actor=team["user"])
    by_recipient = {m["To"]: m for m in smtp_inbox.messages}
    assert set(by_recipient) == {first.email, second.email, third.email}
    updated = event_of(by_recipient[first.email])
    assert str(updated["UID"]) == f"{session.uid}@cascade" and int(updated["SEQUENCE"]) == 1
    assert str(calendar_of(by_recipient[second.email])["METHOD"]) == "CANCEL"  # taken off the list
    assert str(calendar_of(by_recipient[third.email])["METHOD"]) == "REQUEST"  # newly invited
    session.refresh_from_db()
    assert session.sequence == 1
    assert set(session.invitations.values_list("person_id", flat=True)) == {first.pk, third.pk}


def test_cancellation_sends_method_cancel_to_every_invitee(team, smtp_inbox, django_capture_on_commit_callbacks):
    people = team["reports"][:2]
    session = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan(people), actor=team["user"])
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, actor=team["user"])
    assert len(smtp_inbox.messages) == 2
    for message in smtp_inbox.messages:
        assert str(calendar_of(message)["METHOD"]) == "CANCEL"
        assert str(event_of(message)["STATUS"]) == "CANCELLED"
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 1
    assert AuditEntry.objects.filter(action="session.cancel").exists()


def test_a_session_outside_the_cycle_is_refused(team):
    cycle = team["cycle"]
    Cycle.objects.filter(pk=cycle.pk).update(deadline=TODAY + datetime.timedelta(days=1))
    cycle.refresh_from_db()
    with pytest.raises(Exception, match="between"):
        session_schedule(leader=team["marta"], cycle=cycle, plan=plan(team["reports"][:1], starts_at=soon(days=5)), actor=team["user"])
    assert not Session.objects.exists()


def test_schedule_page_proposes_a_split_for_30_invitees_and_creates_two_sessions(client, team, django_capture_on_commit_callbacks):
    client.force_login(team["user"])
    start = soon(days=4)
    data = {
        "date": start.date().isoformat(),
        "start_time": "09:00",
        "time_zone": "UTC",
        "duration_minutes": 90,
        "mode": "in_person",
        "location": "Room 4",
        "invitees": [p.pk for p in team["reports"]],
    }
    page = client.post(reverse("dialogues:schedule"), data)
    assert page.templates[0].name == "dialogues/schedule_split.html"
    split = page.context["split"]
    assert [split.initial.get(f"group_{p.pk}", split.fields[f"group_{p.pk}"].initial) for p in team["reports"]].count(1) == 15
    # Move one person into session 1 by hand: 16 and 14.
    moved = sorted(team["reports"], key=lambda p: p.name)[-1]
    choice = {f"group_{p.pk}": split.fields[f"group_{p.pk}"].initial for p in team["reports"]}
    choice[f"group_{moved.pk}"] = 1
    times = {"date_1": data["date"], "time_1": "09:00", "date_2": data["date"], "time_2": "14:00", "split": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dialogues:schedule"), data | choice | times)
    assert response.status_code == 302
    sizes = sorted(s.invitations.count() for s in Session.objects.all())
    assert sizes == [14, 16]
    assert sorted(s.starts_at.hour for s in Session.objects.all()) == [9, 14]


def test_split_refuses_a_session_of_more_than_25(client, team):
    client.force_login(team["user"])
    start = soon(days=4)
    data = {"date": start.date().isoformat(), "start_time": "09:00", "time_zone": "UTC", "duration_minutes": 90, "mode": "video", "invitees": [p.pk for p in team["reports"]]}
    everyone_in_one = {f"group_{p.pk}": 1 for p in team["reports"]}
    times = {"date_1": data["date"], "time_1": "09:00", "date_2": data["date"], "time_2": "14:00", "split": "1"}
    page = client.post(reverse("dialogues:schedule"), data | everyone_in_one | times)
    assert "Session 1 has 30 people" in page.content.decode()
    assert not Session.objects.exists()


def test_another_manager_cannot_change_or_cancel_the_session(client, team):
    session = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan(team["reports"][:2]), actor=team["user"])
    other = User.objects.create_user("r01@example.org", PASSWORD, person=team["reports"][0])
    client.force_login(other)
    assert client.get(reverse("dialogues:session_edit", args=[session.pk])).status_code == 404
    assert client.post(reverse("dialogues:session_cancel", args=[session.pk])).status_code == 404
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_invitee_states_needs_and_votes_and_the_leader_sees_them(client, team):
    kit = Kit.objects.create(cycle=team["cycle"], published=True)
    gifts = Scenario.objects.create(kit=kit, order=1, title="The generous supplier", text="...")
    Scenario.objects.create(kit=kit, order=2, title="The wedding invitation", text="...")
    invitee = team["reports"][0]
    session = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan([invitee]), actor=team["user"])
    invitation = Invitation.objects.get(session=session)
    user = User.objects.create_user(invitee.email, PASSWORD, person=invitee)
    client.force_login(user)
    prefix = f"i{invitation.pk}"
    client.post(reverse("dialogues:my_invitations"), {"invitation": invitation.pk, f"{prefix}-needs": "Captions, please", f"{prefix}-scenarios": [gifts.pk]})
    invitation.refresh_from_db()
    assert invitation.needs == "Captions, please"
    assert list(invitation.votes.values_list("scenario__title", flat=True)) == ["The generous supplier"]
    client.force_login(team["user"])
    page = client.get(reverse("dialogues:session_detail", args=[session.pk])).content.decode()
    assert "Captions, please" in page and "The generous supplier" in page


def test_reminder_goes_once_1_to_3_days_ahead(team, smtp_inbox):
    near = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan(team["reports"][:2], starts_at=soon(days=2)), actor=team["user"])
    session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan(team["reports"][2:3], starts_at=soon(days=10)), actor=team["user"])
    assert send_due_reminders() == 2
    assert send_due_reminders() == 0
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(p.email for p in team["reports"][:2])
    for message in smtp_inbox.messages:
        language = Person.objects.get(email=message["To"]).language
        with translation.override(language):
            expected = translation.gettext("Reminder: Leadership Dialogue on %(date)s") % {"date": date_format(soon(days=2), "DATE_FORMAT")}
        assert message["Subject"] == expected
    assert Invitation.objects.filter(session=near, reminded_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_each_reminder_once(smtp_inbox):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    entity = Entity.objects.create(code="OPS")
    leader = Person.objects.create(index_number="M1", name="Marta", email="marta@example.org", entity=entity)
    people = [Person.objects.create(index_number=f"R{i}", name=f"R {i}", email=f"r{i}@example.org", entity=entity, manager=leader) for i in range(8)]
    cycle = cycle_around_today(topic="T")
    session_schedule(leader=leader, cycle=cycle, plan=plan(people, starts_at=soon(days=2)), actor=None)
    smtp_inbox.messages.clear()
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        results.append(send_due_reminders())
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 8
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(p.email for p in people)


def test_send_reminders_command_runs_the_task(team, smtp_inbox, capsys):
    from django.core.management import call_command

    session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan(team["reports"][:1], starts_at=soon(days=2)), actor=team["user"])
    call_command("send_reminders")
    assert [m["To"] for m in smtp_inbox.messages] == [team["reports"][0].email]
    assert "SUCCESSFUL" in capsys.readouterr().out


def test_cancelling_a_session_with_invitations_asks_for_confirmation(client, team, smtp_inbox):
    session = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan(team["reports"][:2]), actor=team["user"])
    smtp_inbox.messages.clear()
    client.force_login(team["user"])
    page = client.get(reverse("dialogues:session_detail", args=[session.pk])).content.decode()
    assert 'id="confirm-cancel" name="confirm" required' in page and "Tell the 2 invitees" in page
    refused = client.post(reverse("dialogues:session_cancel", args=[session.pk]), follow=True).content.decode()
    assert "Confirm that you want to cancel the session" in refused
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED and not smtp_inbox.messages
    client.post(reverse("dialogues:session_cancel", args=[session.pk]), {"confirm": "on"})
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


def test_changing_only_the_list_tells_only_the_people_added_and_removed(team, smtp_inbox, django_capture_on_commit_callbacks):
    first, second, third = team["reports"][:3]
    with django_capture_on_commit_callbacks(execute=True):
        session = session_schedule(leader=team["marta"], cycle=team["cycle"], plan=plan([first, second]), actor=team["user"])
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, plan=plan([first, third], starts_at=session.starts_at), actor=team["user"])
    by_recipient = {m["To"]: m for m in smtp_inbox.messages}
    assert set(by_recipient) == {second.email, third.email}  # first's invitation did not change
    assert str(calendar_of(by_recipient[second.email])["METHOD"]) == "CANCEL"
    assert str(calendar_of(by_recipient[third.email])["METHOD"]) == "REQUEST"
