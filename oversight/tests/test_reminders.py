"""Reminders beyond the session one: the nudge to managers ready for more than 14 days, the
missing feedback, the focal points' weekly digest and the December escalations. Each goes
through a real SMTP server, in the recipient's language, once per reason and period, and muted
people get only the essential ones. The named test people (cascade/testing.py) and Hugo's session
S1 (`hold_s1`)."""

import datetime
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from cascade.testing import make_people
from core.models import AuditEntry
from dialogues.models import Attendance, ReminderSent, Session
from org.models import Cycle
from oversight.reminders import send_escalations, send_feedback_reminders, send_focal_digests, send_ready_nudges

YEAR = 2031
HELD_ON = datetime.date(YEAR, 3, 2)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def run(service, day: datetime.date) -> int:
    return service(today=day, now=at(day))


def recipients(inbox) -> list[str]:
    return sorted(m["To"] for m in inbox.messages)


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def in_french(day: datetime.date) -> str:
    with translation.override("fr"):
        return date_format(day, "DATE_FORMAT")


def hold_s1(people) -> Session:
    """Hugo (people.head) held his session S1 on 2 March with Lena (French) and Otto, managers who
    are both ready since then and have scheduled nothing. Fiona (French), E1's focal point,
    reports to Otto; Farid is E2's focal point, where nobody leads anyone."""
    cycle = Cycle.objects.create(year=YEAR, topic="Speaking up", opens=datetime.date(YEAR, 1, 1), deadline=datetime.date(YEAR, 12, 31))
    session = Session.objects.create(cycle=cycle, leader=people.head.person, ref="S1", date=HELD_ON)
    Attendance.objects.bulk_create([Attendance(session=session, person=p.person) for p in (people.leader, people.peer)])
    return session


@pytest.fixture
def s1(people) -> Session:
    return hold_s1(people)


def mute(user):
    User.objects.filter(pk=user.pk).update(mute_reminders=True)


# --- managers ready for more than 14 days ------------------------------------------------


def test_managers_ready_for_more_than_14_days_get_a_nudge_once(people, s1, smtp_inbox):
    day = HELD_ON + datetime.timedelta(days=15)
    assert run(send_ready_nudges, day) == 2
    assert recipients(smtp_inbox) == ["lena@example.org", "otto@example.org"]
    assert run(send_ready_nudges, day) == 0
    assert run(send_ready_nudges, day + datetime.timedelta(days=7)) == 0  # once per cycle
    assert len(smtp_inbox.messages) == 2
    assert set(ReminderSent.objects.filter(reason="ready_nudge").values_list("key", flat=True)) == {f"person:{people.leader.person.pk}", f"person:{people.peer.person.pk}"}


def test_no_nudge_before_14_days_have_passed(s1, smtp_inbox):
    assert run(send_ready_nudges, HELD_ON + datetime.timedelta(days=14)) == 0
    assert smtp_inbox.messages == []


def test_a_manager_who_scheduled_a_session_gets_no_nudge(people, s1, smtp_inbox):
    Session.objects.create(cycle=s1.cycle, leader=people.peer.person, ref="S1", date=datetime.date(YEAR, 4, 20))
    run(send_ready_nudges, HELD_ON + datetime.timedelta(days=15))
    assert recipients(smtp_inbox) == ["lena@example.org"]


def test_the_nudge_is_written_with_french_dates_for_a_french_manager(s1, smtp_inbox):
    run(send_ready_nudges, HELD_ON + datetime.timedelta(days=15))
    [message] = [m for m in smtp_inbox.messages if m["To"] == "lena@example.org"]
    assert in_french(HELD_ON) in body(message)  # « 2 mars 2031 »
    assert in_french(s1.cycle.deadline) in body(message)
    assert reverse("dialogues:schedule") in body(message)


def test_a_muted_manager_gets_no_nudge(people, s1, smtp_inbox):
    mute(people.peer.user)
    assert run(send_ready_nudges, HELD_ON + datetime.timedelta(days=15)) == 1
    assert recipients(smtp_inbox) == ["lena@example.org"]
    assert not ReminderSent.objects.filter(key=f"person:{people.peer.person.pk}").exists()


# --- feedback missing three days after a session ------------------------------------------


def test_the_leader_is_reminded_of_missing_feedback_three_days_after_the_session(s1, smtp_inbox):
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=2)) == 0
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=3)) == 1
    [message] = smtp_inbox.messages
    assert message["To"] == "hugo@example.org"
    assert date_format(HELD_ON, "DATE_FORMAT") in message["Subject"]
    assert reverse("feedback:leader_feedback", args=[s1.pk]) in body(message)
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=4)) == 0  # once per session
    assert len(smtp_inbox.messages) == 1


def test_the_feedback_reminder_is_essential_and_reaches_a_muted_leader(people, s1, smtp_inbox):
    mute(people.head.user)
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=3)) == 1
    assert recipients(smtp_inbox) == ["hugo@example.org"]


def test_the_feedback_reminder_uses_the_french_date_for_a_french_leader(people, s1, smtp_inbox):
    Session.objects.create(cycle=s1.cycle, leader=people.leader.person, ref="S1", date=datetime.date(YEAR, 4, 7))
    Attendance.objects.create(session=Session.objects.get(leader=people.leader.person), person=people.participant.person)
    run(send_feedback_reminders, datetime.date(YEAR, 4, 10))
    [message] = [m for m in smtp_inbox.messages if m["To"] == "lena@example.org"]
    assert in_french(datetime.date(YEAR, 4, 7)) in message["Subject"]  # « 7 avril 2031 »


# --- the focal points' weekly digest ------------------------------------------------------


def test_the_focal_point_gets_a_weekly_digest_of_the_entity(people, s1, smtp_inbox):
    day = datetime.date(YEAR, 3, 20)  # a Thursday
    assert run(send_focal_digests, day) == 2  # Fiona's of E1 and Farid's of E2
    assert recipients(smtp_inbox) == ["farid@example.org", "fiona@example.org"]
    [message] = [m for m in smtp_inbox.messages if m["To"] == "fiona@example.org"]
    text = body(message)
    assert "E1" in text and "E2" not in text
    with translation.override("fr"):  # Fiona reads French
        coverage = translation.gettext("Coverage: %(participants)s of %(personnel)s people took part (%(rate)s%%).")
        ready = translation.ngettext(
            "%(counter)s manager is ready but has not held a session", "%(counter)s managers are ready but have not held a session", 2
        ) % {"counter": 2}
    coverage, ready = " ".join(coverage.split()), " ".join(ready.split())  # no-break spaces as spaces
    pattern = re.escape(coverage).replace(re.escape("%(participants)s"), "3").replace(re.escape("%(personnel)s"), "8")
    pattern = pattern.replace(re.escape("%(rate)s"), r"[\d.,\s]+").replace(re.escape("%%"), "%")
    assert re.search(pattern, " ".join(text.split())), text  # of E1's 8 active people, Hugo led, Lena and Otto attended
    assert ready in " ".join(text.split())
    assert "Hugo Head (S1)" in text  # held on 2 March, not reported
    assert in_french(day) in message["Subject"]  # Fiona reads French
    assert reverse("preferences") in text


def test_the_digest_goes_once_a_week(s1, smtp_inbox):
    assert run(send_focal_digests, datetime.date(YEAR, 3, 17)) == 2  # Monday: Fiona and Farid
    assert run(send_focal_digests, datetime.date(YEAR, 3, 23)) == 0  # Sunday, same week
    assert run(send_focal_digests, datetime.date(YEAR, 3, 24)) == 2  # next Monday
    assert len(smtp_inbox.messages) == 4


def test_a_muted_focal_point_gets_no_digest(people, s1, smtp_inbox):
    mute(people.focal.user)
    assert run(send_focal_digests, datetime.date(YEAR, 3, 20)) == 1
    assert recipients(smtp_inbox) == ["farid@example.org"]  # E2's focal point, not muted


# --- escalations in December --------------------------------------------------------------


def test_no_escalation_before_1_december(s1, smtp_inbox):
    assert run(send_escalations, datetime.date(YEAR, 11, 30)) == 0
    assert smtp_inbox.messages == []


def test_from_1_december_blocked_managers_and_their_head_get_an_escalation(s1, smtp_inbox):
    assert run(send_escalations, datetime.date(YEAR, 12, 1)) == 3
    assert recipients(smtp_inbox) == ["hugo@example.org", "lena@example.org", "otto@example.org"]
    [to_head] = [m for m in smtp_inbox.messages if m["To"] == "hugo@example.org"]
    assert "Lena Leader" in body(to_head) and "Otto Other" in body(to_head)
    [to_lena] = [m for m in smtp_inbox.messages if m["To"] == "lena@example.org"]
    assert in_french(s1.cycle.deadline) in to_lena["Subject"]  # « 31 décembre 2031 »


def test_escalations_go_at_most_once_a_week(s1, smtp_inbox):
    run(send_escalations, datetime.date(YEAR, 12, 1))  # Monday
    assert run(send_escalations, datetime.date(YEAR, 12, 1)) == 0
    assert run(send_escalations, datetime.date(YEAR, 12, 7)) == 0  # Sunday, same week
    assert run(send_escalations, datetime.date(YEAR, 12, 8)) == 3  # the next week
    assert len(smtp_inbox.messages) == 6


def test_a_muted_manager_gets_no_escalation_but_their_head_still_does(people, s1, smtp_inbox):
    mute(people.leader.user)
    run(send_escalations, datetime.date(YEAR, 12, 1))
    assert recipients(smtp_inbox) == ["hugo@example.org", "otto@example.org"]


def test_a_muted_user_still_gets_the_essential_reminders_only(people, s1, smtp_inbox):
    mute(people.head.user)
    day = datetime.date(YEAR, 12, 1)
    run(send_escalations, day)
    run(send_feedback_reminders, day)
    [to_hugo] = [m for m in smtp_inbox.messages if m["To"] == "hugo@example.org"]
    assert to_hugo["Subject"].startswith("Please report your Leadership Dialogue session")


# --- the command and the preference page ---------------------------------------------------


def test_send_reminders_queues_one_task_per_reason(s1, smtp_inbox, capsys):
    call_command("send_reminders", "--only", "feedback", "--only", "ready")
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in out] == ["ready", "feedback"]
    assert all(line.startswith("queued ") and "(SUCCESSFUL)" in line for line in out)


def test_the_preferences_page_mutes_reminders(client, people, s1):
    user = people.peer.user
    client.force_login(user)
    page = client.get(reverse("preferences"))
    assert "mute non-essential reminders" in page.content.decode().lower()
    response = client.post(reverse("preferences"), {"mute_reminders": "on"}, follow=True)
    assert "Your preferences are saved." in response.content.decode()
    user.refresh_from_db()
    assert user.mute_reminders is True
    assert AuditEntry.objects.filter(action="account.mute_reminders", actor=user).exists()
    client.post(reverse("preferences"), {})
    user.refresh_from_db()
    assert user.mute_reminders is False


def test_the_preferences_page_needs_a_login(client):
    response = client.get(reverse("preferences"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- two runs at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_every_reminder_at_once_send_each_once(smtp_inbox):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    hold_s1(make_people())
    services = [
        (send_ready_nudges, HELD_ON + datetime.timedelta(days=15)),
        (send_feedback_reminders, HELD_ON + datetime.timedelta(days=3)),
        (send_focal_digests, datetime.date(YEAR, 3, 20)),
        (send_escalations, datetime.date(YEAR, 12, 1)),
    ]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            for service, day in services:
                barrier.wait()
                results.append((service.__name__, run(service, day)))
        except Exception as error:  # surfaced below: an assertion in a thread would be lost
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    totals = {}
    for name, sent in results:
        totals[name] = totals.get(name, 0) + sent
    assert totals == {"send_ready_nudges": 2, "send_feedback_reminders": 1, "send_focal_digests": 2, "send_escalations": 3}
    assert len(smtp_inbox.messages) == 8
    assert ReminderSent.objects.count() == 8
