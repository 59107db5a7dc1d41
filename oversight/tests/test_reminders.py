"""Reminders beyond the session one: the nudge to managers ready for more than 14 days, the
missing feedback, the focal points' weekly digest and the December escalations. Each goes
through a real SMTP server, in the recipient's language, once per reason and period, and muted
people get only the essential ones."""

import datetime
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Role, RoleGrant, User
from core.models import AuditEntry
from dialogues.models import Attendance, ReminderSent, Session
from org.models import Cycle, Entity, Person
from oversight.reminders import send_escalations, send_feedback_reminders, send_focal_digests, send_ready_nudges

PASSWORD = "a-long-test-password"
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


def make_org():
    """Hana heads OPS and held her session on 2 March with Felix (French) and Mia, who are both
    ready since then and have scheduled nothing. Fiona (French) reports to Felix and is the
    entity's focal point; Mia has one report, Omar."""
    ops = Entity.objects.create(code="OPS", name="Operations")
    hana = Person.objects.create(index_number="H1", name="Hana Head", email="hana@example.org", entity=ops, language="en")
    felix = Person.objects.create(index_number="F1", name="Félix Manager", email="felix@example.org", entity=ops, manager=hana, language="fr")
    mia = Person.objects.create(index_number="M1", name="Mia Manager", email="mia@example.org", entity=ops, manager=hana, language="en")
    fiona = Person.objects.create(index_number="F2", name="Fiona Focal", email="fiona@example.org", entity=ops, manager=felix, language="fr")
    Person.objects.create(index_number="O1", name="Omar Report", email="omar@example.org", entity=ops, manager=mia, language="en")
    cycle = Cycle.objects.create(year=YEAR, topic="Speaking up", opens=datetime.date(YEAR, 1, 1), deadline=datetime.date(YEAR, 12, 31))
    session = Session.objects.create(cycle=cycle, leader=hana, ref="S1", date=HELD_ON)
    Attendance.objects.bulk_create([Attendance(session=session, person=p) for p in (felix, mia)])
    users = {p.index_number: User.objects.create_user(p.email, PASSWORD, person=p) for p in (hana, felix, mia, fiona)}
    RoleGrant.objects.create(user=users["F2"], role=Role.FOCAL_POINT, entity=ops)
    return {"ops": ops, "hana": hana, "felix": felix, "mia": mia, "fiona": fiona, "cycle": cycle, "session": session, "users": users}


@pytest.fixture
def org(db):
    return make_org()


def mute(user):
    User.objects.filter(pk=user.pk).update(mute_reminders=True)


# --- managers ready for more than 14 days ------------------------------------------------


def test_managers_ready_for_more_than_14_days_get_a_nudge_once(org, smtp_inbox):
    day = HELD_ON + datetime.timedelta(days=15)
    assert run(send_ready_nudges, day) == 2
    assert recipients(smtp_inbox) == ["felix@example.org", "mia@example.org"]
    assert run(send_ready_nudges, day) == 0
    assert run(send_ready_nudges, day + datetime.timedelta(days=7)) == 0  # once per cycle
    assert len(smtp_inbox.messages) == 2
    assert set(ReminderSent.objects.filter(reason="ready_nudge").values_list("key", flat=True)) == {f"person:{org['felix'].pk}", f"person:{org['mia'].pk}"}


def test_no_nudge_before_14_days_have_passed(org, smtp_inbox):
    assert run(send_ready_nudges, HELD_ON + datetime.timedelta(days=14)) == 0
    assert smtp_inbox.messages == []


def test_a_manager_who_scheduled_a_session_gets_no_nudge(org, smtp_inbox):
    Session.objects.create(cycle=org["cycle"], leader=org["mia"], ref="S1", date=datetime.date(YEAR, 4, 20))
    run(send_ready_nudges, HELD_ON + datetime.timedelta(days=15))
    assert recipients(smtp_inbox) == ["felix@example.org"]


def test_the_nudge_is_written_with_french_dates_for_a_french_manager(org, smtp_inbox):
    run(send_ready_nudges, HELD_ON + datetime.timedelta(days=15))
    [message] = [m for m in smtp_inbox.messages if m["To"] == "felix@example.org"]
    assert in_french(HELD_ON) in body(message)  # « 2 mars 2031 »
    assert in_french(org["cycle"].deadline) in body(message)
    assert reverse("dialogues:schedule") in body(message)


def test_a_muted_manager_gets_no_nudge(org, smtp_inbox):
    mute(org["users"]["M1"])
    assert run(send_ready_nudges, HELD_ON + datetime.timedelta(days=15)) == 1
    assert recipients(smtp_inbox) == ["felix@example.org"]
    assert not ReminderSent.objects.filter(key=f"person:{org['mia'].pk}").exists()


# --- feedback missing three days after a session ------------------------------------------


def test_the_leader_is_reminded_of_missing_feedback_three_days_after_the_session(org, smtp_inbox):
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=2)) == 0
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=3)) == 1
    [message] = smtp_inbox.messages
    assert message["To"] == "hana@example.org"
    assert date_format(HELD_ON, "DATE_FORMAT") in message["Subject"]
    assert reverse("feedback:leader_feedback", args=[org["session"].pk]) in body(message)
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=4)) == 0  # once per session
    assert len(smtp_inbox.messages) == 1


def test_the_feedback_reminder_is_essential_and_reaches_a_muted_leader(org, smtp_inbox):
    mute(org["users"]["H1"])
    assert run(send_feedback_reminders, HELD_ON + datetime.timedelta(days=3)) == 1
    assert recipients(smtp_inbox) == ["hana@example.org"]


def test_the_feedback_reminder_uses_the_french_date_for_a_french_leader(org, smtp_inbox):
    Session.objects.create(cycle=org["cycle"], leader=org["felix"], ref="S1", date=datetime.date(YEAR, 4, 7))
    Attendance.objects.create(session=Session.objects.get(leader=org["felix"]), person=org["fiona"])
    run(send_feedback_reminders, datetime.date(YEAR, 4, 10))
    [message] = [m for m in smtp_inbox.messages if m["To"] == "felix@example.org"]
    assert in_french(datetime.date(YEAR, 4, 7)) in message["Subject"]  # « 7 avril 2031 »


# --- the focal points' weekly digest ------------------------------------------------------


def test_the_focal_point_gets_a_weekly_digest_of_the_entity(org, smtp_inbox):
    day = datetime.date(YEAR, 3, 20)  # a Thursday
    assert run(send_focal_digests, day) == 1
    [message] = smtp_inbox.messages
    assert message["To"] == "fiona@example.org"
    text = body(message)
    assert "OPS" in text
    with translation.override("fr"):  # Fiona reads French
        coverage = translation.gettext("Coverage: %(participants)s of %(personnel)s people took part (%(rate)s%%).")
        ready = translation.ngettext(
            "%(counter)s manager is ready but has not held a session", "%(counter)s managers are ready but have not held a session", 2
        ) % {"counter": 2}
    coverage, ready = " ".join(coverage.split()), " ".join(ready.split())  # no-break spaces as spaces
    pattern = re.escape(coverage).replace(re.escape("%(participants)s"), "3").replace(re.escape("%(personnel)s"), "5")
    pattern = pattern.replace(re.escape("%(rate)s"), r"[\d.,\s]+").replace(re.escape("%%"), "%")
    assert re.search(pattern, " ".join(text.split())), text  # Hana led, Felix and Mia attended
    assert ready in " ".join(text.split())
    assert "Hana Head (S1)" in text  # held on 2 March, not reported
    assert in_french(day) in message["Subject"]  # Fiona reads French
    assert reverse("preferences") in text


def test_the_digest_goes_once_a_week(org, smtp_inbox):
    assert run(send_focal_digests, datetime.date(YEAR, 3, 17)) == 1  # Monday
    assert run(send_focal_digests, datetime.date(YEAR, 3, 23)) == 0  # Sunday, same week
    assert run(send_focal_digests, datetime.date(YEAR, 3, 24)) == 1  # next Monday
    assert len(smtp_inbox.messages) == 2


def test_a_muted_focal_point_gets_no_digest(org, smtp_inbox):
    mute(org["users"]["F2"])
    assert run(send_focal_digests, datetime.date(YEAR, 3, 20)) == 0
    assert smtp_inbox.messages == []


# --- escalations in December --------------------------------------------------------------


def test_no_escalation_before_1_december(org, smtp_inbox):
    assert run(send_escalations, datetime.date(YEAR, 11, 30)) == 0
    assert smtp_inbox.messages == []


def test_from_1_december_blocked_managers_and_their_head_get_an_escalation(org, smtp_inbox):
    assert run(send_escalations, datetime.date(YEAR, 12, 1)) == 3
    assert recipients(smtp_inbox) == ["felix@example.org", "hana@example.org", "mia@example.org"]
    [to_head] = [m for m in smtp_inbox.messages if m["To"] == "hana@example.org"]
    assert "Félix Manager" in body(to_head) and "Mia Manager" in body(to_head)
    [to_felix] = [m for m in smtp_inbox.messages if m["To"] == "felix@example.org"]
    assert in_french(org["cycle"].deadline) in to_felix["Subject"]  # « 31 décembre 2031 »


def test_escalations_go_at_most_once_a_week(org, smtp_inbox):
    run(send_escalations, datetime.date(YEAR, 12, 1))  # Monday
    assert run(send_escalations, datetime.date(YEAR, 12, 1)) == 0
    assert run(send_escalations, datetime.date(YEAR, 12, 7)) == 0  # Sunday, same week
    assert run(send_escalations, datetime.date(YEAR, 12, 8)) == 3  # the next week
    assert len(smtp_inbox.messages) == 6


def test_a_muted_manager_gets_no_escalation_but_their_head_still_does(org, smtp_inbox):
    mute(org["users"]["F1"])
    run(send_escalations, datetime.date(YEAR, 12, 1))
    assert recipients(smtp_inbox) == ["hana@example.org", "mia@example.org"]


def test_a_muted_user_still_gets_the_essential_reminders_only(org, smtp_inbox):
    mute(org["users"]["H1"])
    day = datetime.date(YEAR, 12, 1)
    run(send_escalations, day)
    run(send_feedback_reminders, day)
    [to_hana] = [m for m in smtp_inbox.messages if m["To"] == "hana@example.org"]
    assert to_hana["Subject"].startswith("Please report your Leadership Dialogue session")


# --- the command and the preference page ---------------------------------------------------


def test_send_reminders_queues_one_task_per_reason(org, smtp_inbox, capsys):
    call_command("send_reminders", "--only", "feedback", "--only", "ready")
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in out] == ["ready", "feedback"]
    assert all(line.startswith("queued ") and "(SUCCESSFUL)" in line for line in out)


def test_the_preferences_page_mutes_reminders(client, org):
    user = org["users"]["M1"]
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
    make_org()
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
    assert totals == {"send_ready_nudges": 2, "send_feedback_reminders": 1, "send_focal_digests": 1, "send_escalations": 3}
    assert len(smtp_inbox.messages) == 7
    assert ReminderSent.objects.count() == 7
