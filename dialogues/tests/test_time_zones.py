"""Every time in a stated zone: a session at 10:00 in Nairobi is "10 a.m. Nairobi time" in every
e-mail, calendar entry and page, and "2 a.m. your time, New York" for an invitee in New York; the
schedule form starts in the leader's zone and offers canonical zones only.

The attack these tests were written against: the invitation showed the UTC hour with the zone's
name ("7 a.m. (Africa/Nairobi)"), because Django's `date` filter writes an aware time in the
active zone (UTC), not in the zone the time was converted to.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from icalendar import Calendar

from accounts.models import Role, User
from cascade.testing import PASSWORD, make_user
from core.models import AuditEntry
from dialogues.models import Session
from dialogues.scheduling import SessionPlan, send_due_reminders, session_cancel, session_schedule, session_update
from feedback.models import Question
from org.models import Cycle, DutyStation, Entity, Person, django_language
from org.zones import zone_city, zone_label

NAIROBI = ZoneInfo("Africa/Nairobi")
# Thursday 10 December 2026, 10:00 in Nairobi (UTC+3) is 07:00 UTC, 02:00 in New York (UTC-5 in
# winter) and 08:00 in Geneva (UTC+1).
START = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=NAIROBI)
INSTANT = START.astimezone(datetime.UTC)
BEFORE = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)  # "now" while scheduling
LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]


@pytest.fixture
def frozen():
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(db, frozen):
    """Amina leads in Nairobi; Noah works in New York (his own zone in the organization file),
    Greta in Geneva (her duty station "Genève" gives her zone), Kamau in Nairobi."""
    for name, zone in [("Nairobi", "Africa/Nairobi"), ("Genève", "Europe/Zurich")]:  # seeded by a migration; kept if flushed
        DutyStation.objects.get_or_create(name=name, defaults={"time_zone": zone})
    entity = Entity.objects.create(code="OPS", name="Operations")
    amina = Person.objects.create(index_number="A1", name="Amina Leader", email="amina@example.org", entity=entity, duty_station="Nairobi", language="en")
    noah = Person.objects.create(index_number="N1", name="Noah Newyork", email="noah@example.org", entity=entity, manager=amina, time_zone="America/New_York", language="en")
    greta = Person.objects.create(index_number="G1", name="Greta Geneva", email="greta@example.org", entity=entity, manager=amina, duty_station="Genève", language="en")
    kamau = Person.objects.create(index_number="K1", name="Kamau Nairobi", email="kamau@example.org", entity=entity, manager=amina, duty_station="Nairobi", language="en")
    cycle = Cycle.objects.create(year=2026, topic="Gifts and favours", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))
    user = User.objects.create_user("amina@example.org", PASSWORD, person=amina)
    return {"entity": entity, "amina": amina, "noah": noah, "greta": greta, "kamau": kamau, "cycle": cycle, "user": user}


def nairobi_plan(people, starts_at=START) -> SessionPlan:
    return SessionPlan(starts_at=starts_at, time_zone="Africa/Nairobi", duration_minutes=90, mode="in_person", location="Room 4", invitee_ids=[p.pk for p in people])


def schedule(team, capture, people=None) -> Session:
    people = people if people is not None else [team["noah"], team["greta"], team["kamau"]]
    with capture(execute=True):
        return session_schedule(leader=team["amina"], cycle=team["cycle"], plan=nairobi_plan(people), actor=team["user"])


def body(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def event(message):
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]


def by_recipient(inbox) -> dict:
    return {m["To"]: m for m in inbox.messages}


def clock(moment: datetime.datetime, zone: str) -> str:
    """The clock time as the active language writes it (Django's own formats)."""
    return formats.time_format(moment.astimezone(ZoneInfo(zone)), "TIME_FORMAT")


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_email_states_session_zone_and_recipient_zone(team, smtp_inbox, django_capture_on_commit_callbacks, language):
    Person.objects.filter(pk__in=[team["noah"].pk, team["greta"].pk, team["kamau"].pk]).update(language=language)
    schedule(team, django_capture_on_commit_callbacks, [Person.objects.get(pk=team[name].pk) for name in ("noah", "greta", "kamau")])
    messages = by_recipient(smtp_inbox)
    assert set(messages) == {"noah@example.org", "greta@example.org", "kamau@example.org"}

    with translation.override(django_language(language)):
        day = formats.date_format(START.date(), "DATE_FORMAT")  # the session's day, in the invitee's language
        session_time = clock(INSTANT, "Africa/Nairobi")
        utc_time = clock(INSTANT, "UTC")
        nairobi = zone_label("Africa/Nairobi")
    for address, own_zone, city in [("noah@example.org", "America/New_York", "New York"), ("greta@example.org", "Europe/Zurich", "Geneva"), ("kamau@example.org", None, None)]:
        message = messages[address]
        text = body(message)
        # The calendar entry: the same instant, in the session's zone.
        start = event(message)
        assert start.decoded("DTSTART") == INSTANT
        assert start["DTSTART"].params["TZID"] == "Africa/Nairobi"
        assert start.decoded("DTSTART").astimezone(NAIROBI).hour == 10
        attendee = start["ATTENDEE"]
        assert (attendee.params["RSVP"], attendee.params["PARTSTAT"]) == ("TRUE", "NEEDS-ACTION")
        # The text: the same day and clock time, the zone named, in the invitee's language.
        # Python's header folding can double a space where it folds a long non-ASCII subject
        # (seen in Russian): compare the words.
        assert " ".join(day.split()) in " ".join(message["Subject"].split()) and day in text
        # The clock time and the zone's name on one line, in the order the language puts them
        # ("10:00 Nairobi time", "内罗毕时间 10:00", "10:00, hora de Nairobi").
        [when] = [line for line in text.splitlines() if nairobi in line]
        assert session_time in when, text
        assert utc_time not in when  # the attack: the UTC hour under the session's zone
        assert "Africa/Nairobi" not in text  # a readable name, not the database's
        if own_zone:
            with translation.override(django_language(language)):
                own_time = clock(INSTANT, own_zone)
                own_city = zone_city(own_zone)  # the city in the invitee's language
            assert own_time in text and own_city in text
            if language == "en":
                assert own_city == city
        if language == "en":
            assert "When: Dec. 10, 2026, 10 a.m. Nairobi time" in text
            expected_own = {"noah@example.org": " (2 a.m. your time, New York)", "greta@example.org": " (8 a.m. your time, Geneva)", "kamau@example.org": ""}[address]
            assert f"10 a.m. Nairobi time{expected_own}\n" in text
            assert "7 a.m." not in text  # the attack: the UTC hour


def test_invitation_email_gives_the_other_day_when_the_invitees_clock_is_on_another_day(team, smtp_inbox, django_capture_on_commit_callbacks):
    Person.objects.filter(pk=team["noah"].pk).update(time_zone="Pacific/Honolulu")  # UTC-10: 9 p.m. the day before
    schedule(team, django_capture_on_commit_callbacks, [Person.objects.get(pk=team["noah"].pk)])
    [message] = smtp_inbox.messages
    assert "10 a.m. Nairobi time (Dec. 9, 2026, 9 p.m. your time, Honolulu)" in body(message)
    assert event(message).decoded("DTSTART") == INSTANT


def test_reminder_email_states_the_session_zone_and_the_recipients(team, smtp_inbox, django_capture_on_commit_callbacks, frozen):
    schedule(team, django_capture_on_commit_callbacks)
    smtp_inbox.messages.clear()
    two_days_before = INSTANT - datetime.timedelta(days=2)
    frozen.move_to(two_days_before)
    assert send_due_reminders(now=two_days_before) == 3
    messages = by_recipient(smtp_inbox)
    noah = messages["noah@example.org"]
    assert noah["Subject"] == "Reminder: Leadership Dialogue on Dec. 10, 2026"
    assert "A friendly reminder" in body(noah)
    assert "When: Dec. 10, 2026, 10 a.m. Nairobi time (2 a.m. your time, New York)" in body(noah)
    assert event(noah).decoded("DTSTART") == INSTANT
    assert "When: Dec. 10, 2026, 10 a.m. Nairobi time (8 a.m. your time, Geneva)" in body(messages["greta@example.org"])


def test_change_and_cancellation_emails_state_the_new_time_in_its_zone(team, smtp_inbox, django_capture_on_commit_callbacks):
    session = schedule(team, django_capture_on_commit_callbacks)
    smtp_inbox.messages.clear()
    later = START.replace(hour=14, minute=30)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, plan=nairobi_plan([team["noah"], team["greta"], team["kamau"]], starts_at=later), actor=team["user"])
    changed = by_recipient(smtp_inbox)["noah@example.org"]
    assert "When: Dec. 10, 2026, 2:30 p.m. Nairobi time (6:30 a.m. your time, New York)" in body(changed)
    assert event(changed).decoded("DTSTART") == later
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, actor=team["user"])
    cancelled = by_recipient(smtp_inbox)["greta@example.org"]
    assert "planned for Dec. 10, 2026, 2:30 p.m. Nairobi time." in " ".join(body(cancelled).split())
    assert event(cancelled).decoded("DTSTART") == later
    entry = AuditEntry.objects.get(action="session.update")
    assert entry.detail["time_zone"] == "Africa/Nairobi" and entry.detail["starts_at"] == "2026-12-10T14:30:00+03:00"


def login(client, user, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def test_facilitator_mode_shows_the_zone(client, team, django_capture_on_commit_callbacks):
    session = schedule(team, django_capture_on_commit_callbacks)
    login(client, team["user"])
    response = client.get(reverse("dialogues:facilitate", args=[session.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Running session S1" in page
    assert '<span class="fac-when">Dec. 10, 2026, 10 a.m. Nairobi time</span>' in page
    assert "7 a.m." not in page


def test_session_pages_show_the_time_in_the_sessions_zone(client, team, django_capture_on_commit_callbacks):
    session = schedule(team, django_capture_on_commit_callbacks)
    login(client, team["user"])
    detail = client.get(reverse("dialogues:session_detail", args=[session.pk])).content.decode()
    assert "<dd>Dec. 10, 2026, 10 a.m. Nairobi time</dd>" in detail
    listing = client.get(reverse("dialogues:session_list"))
    assert listing.status_code == 200
    assert "<td>Dec. 10, 2026, 10 a.m. Nairobi time</td>" in listing.content.decode()

    noah = User.objects.create_user("noah@example.org", PASSWORD, person=team["noah"])
    login(client, noah)
    invitations = client.get(reverse("dialogues:my_invitations")).content.decode()
    assert "10 a.m. Nairobi time (2 a.m. your time, New York)" in invitations


def test_schedule_form_defaults_to_the_leaders_zone_and_lists_canonical_zones(client, team):
    login(client, team["user"])
    response = client.get(reverse("dialogues:schedule"))
    assert response.status_code == 200
    page = response.content.decode()
    select = page[page.index('<select name="time_zone"') : page.index("</select>", page.index('<select name="time_zone"'))]
    # The entity's duty stations first, in a group of their own; the leader's zone chosen.
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Your entity&#x27;s duty stations", "All time zones"]
    ours = select[: select.index("All time zones")]
    assert re.findall(r'<option value="([^"]+)"', ours) == ["Africa/Nairobi", "America/New_York", "Europe/Zurich"]
    assert '<option value="Africa/Nairobi" selected>Africa/Nairobi (Nairobi)</option>' in ours
    assert "Europe/Zurich (Genève)" in ours
    assert select.count(" selected") == 1
    # Canonical names only.
    assert '<option value="Africa/Asmara">' in select and "Africa/Asmera" not in select
    assert '<option value="Europe/Kyiv">' in select and "Europe/Kiev" not in select


def test_schedule_form_refuses_an_alias(client, team):
    login(client, team["user"])
    response = client.post(
        reverse("dialogues:schedule"),
        {"date": "2026-12-10", "start_time": "10:00", "time_zone": "Africa/Asmera", "duration_minutes": 90, "mode": "in_person", "invitees": [team["noah"].pk]},
    )
    assert response.status_code == 200
    assert "Select a valid choice. Africa/Asmera is not one of the available choices." in response.content.decode()
    assert not Session.objects.exists()


def test_schedule_page_creates_the_session_in_the_leaders_zone_by_default(client, team, smtp_inbox):
    login(client, team["user"])
    form = client.get(reverse("dialogues:schedule")).context["form"]
    data = {"date": "2026-12-10", "start_time": "10:00", "time_zone": form["time_zone"].value(), "duration_minutes": 90, "mode": "in_person", "invitees": [team["noah"].pk]}
    response = client.post(reverse("dialogues:schedule"), data)
    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.time_zone, session.starts_at) == ("Africa/Nairobi", INSTANT)


def test_question_queue_shows_when_a_question_came_in_the_sessions_zone(client, team, django_capture_on_commit_callbacks, frozen):
    session = schedule(team, django_capture_on_commit_callbacks)
    frozen.move_to(datetime.datetime(2026, 12, 10, 15, 0, tzinfo=datetime.UTC))  # 6 p.m. in Nairobi
    question = Question.objects.create(cycle=team["cycle"], entity=team["entity"], session=session, text="May I accept a calendar from a supplier?")
    eve = make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))
    login(client, eve)
    queue = client.get(reverse("feedback:question_queue"))
    assert queue.status_code == 200
    assert "May I accept a calendar" in queue.content.decode()
    assert "<td>Dec. 10, 2026, 6 p.m. Nairobi time</td>" in queue.content.decode()
    detail = client.get(reverse("feedback:question_detail", args=[question.pk])).content.decode()
    assert "<dd>Dec. 10, 2026, 6 p.m. Nairobi time</dd>" in detail


def test_audit_log_states_the_zone_of_its_times(client, team, django_capture_on_commit_callbacks):
    schedule(team, django_capture_on_commit_callbacks)
    admin = User.objects.create_superuser("admin@example.org", PASSWORD)
    login(client, admin)
    response = client.get("/admin/core/auditentry/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "session.schedule" in page
    # Scheduled on 20 November at 09:00 UTC, which was noon in Nairobi.
    assert "Nov. 20, 2026, noon Nairobi time" in page
    entry = AuditEntry.objects.get(action="session.schedule")
    assert entry.detail == {"invitees": 3, "starts_at": "2026-12-10T10:00:00+03:00", "time_zone": "Africa/Nairobi"}


def test_split_page_says_which_zone_its_times_are_in(client, team):
    login(client, team["user"])
    data = {"date": "2026-12-10", "start_time": "10:00", "time_zone": "Africa/Nairobi", "duration_minutes": 90, "mode": "in_person", "invitees": [team["noah"].pk], "split": "1"}
    response = client.post(reverse("dialogues:schedule"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Split into sessions" in page
    assert "The times below are Nairobi time." in page
    assert 'name="time_1"' in page


def test_a_leaders_reminder_to_invitees_states_both_zones(client, team, smtp_inbox, django_capture_on_commit_callbacks):
    session = schedule(team, django_capture_on_commit_callbacks)
    smtp_inbox.messages.clear()
    login(client, team["user"])
    response = client.post(reverse("remind_invitees", args=[session.pk]), follow=True)
    assert "3 reminders sent." in response.content.decode()
    messages = by_recipient(smtp_inbox)
    assert "It starts at 10 a.m. Nairobi time (2 a.m. your time, New York)." in " ".join(body(messages["noah@example.org"]).split())
    assert "It starts at 10 a.m. Nairobi time." in " ".join(body(messages["kamau@example.org"]).split())


@pytest.mark.parametrize("language", ["fr", "ru", "zh-hans", "es", "ar", "en"])
def test_date_and_time_fields_are_prefilled_in_iso_in_every_language(client, team, django_capture_on_commit_callbacks, language):
    session = schedule(team, django_capture_on_commit_callbacks)
    login(client, team["user"], language)
    response = client.get(reverse("dialogues:session_edit", args=[session.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<input type="date" name="date" value="2026-12-10"' in page  # the locale's 10/12/2026 would leave it empty
    assert '<input type="time" name="start_time" value="10:00"' in page
    assert '<option value="Africa/Nairobi" selected>' in page


def test_a_start_the_clocks_skip_is_refused(client, team, frozen):
    # Sydney's clocks go from 02:00 to 03:00 on Sunday 4 October 2026: 02:30 never happens there.
    frozen.move_to(datetime.datetime(2026, 9, 20, 9, 0, tzinfo=datetime.UTC))
    login(client, team["user"])
    data = {"date": "2026-10-04", "start_time": "02:30", "time_zone": "Australia/Sydney", "duration_minutes": 90, "mode": "video", "invitees": [team["noah"].pk]}
    response = client.post(reverse("dialogues:schedule"), data)
    assert response.status_code == 200
    assert "The clocks go forward that night: 02:30 does not exist in Sydney time. Choose another time." in response.content.decode()
    assert not Session.objects.exists()
    response = client.post(reverse("dialogues:schedule"), data | {"start_time": "03:30"})
    assert response.status_code == 302
    assert Session.objects.get().starts_at == datetime.datetime(2026, 10, 4, 3, 30, tzinfo=ZoneInfo("Australia/Sydney"))
