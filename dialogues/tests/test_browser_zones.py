"""Issue 11's "done when", in a real browser: a leader in Nairobi schedules a session at 10:00 for
invitees in New York and Geneva. Each e-mail that reaches the SMTP server, its calendar entry, and
facilitator mode in Chromium give the same instant, each with its zone named.

The server runs on a fixed day (time_machine); the browser keeps its own clock, so the cookies
are made to last the browser's session rather than a date the browser could find past."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from accounts.models import User
from cascade.testing import PASSWORD
from conftest import browser_login
from dialogues.models import Session
from org.models import Cycle, DutyStation, Entity, Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
START = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Africa/Nairobi"))  # 07:00 UTC
TODAY = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


def test_session_in_nairobi_reads_the_same_in_emails_calendars_and_facilitator_mode(page, live_server, smtp_inbox, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(TODAY, tick=True):
        # Seeded by a migration, but an earlier transactional test may have flushed the table.
        for name, zone in [("Nairobi", "Africa/Nairobi"), ("Geneva", "Europe/Zurich")]:
            DutyStation.objects.get_or_create(name=name, defaults={"time_zone": zone})
        entity = Entity.objects.create(code="OPS", name="Operations")
        amina = Person.objects.create(index_number="A1", name="Amina Leader", email="amina@example.org", entity=entity, duty_station="Nairobi")
        Person.objects.create(index_number="N1", name="Noah Newyork", email="noah@example.org", entity=entity, manager=amina, time_zone="America/New_York")
        Person.objects.create(index_number="G1", name="Greta Geneva", email="greta@example.org", entity=entity, manager=amina, duty_station="Geneva")
        Cycle.objects.create(year=2026, topic="Gifts and favours", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))
        User.objects.create_user("amina@example.org", PASSWORD, person=amina)

        browser_login(page, live_server, "amina@example.org", PASSWORD)
        page.get_by_role("link", name="Schedule a session").click()
        zone = page.get_by_label("Time zone")
        assert zone.input_value() == "Africa/Nairobi"  # the leader's duty station's zone, by default
        assert zone.locator("optgroup").first.get_attribute("label") == "Your entity's duty stations"
        assert zone.locator("option[value='Africa/Asmera']").count() == 0 and zone.locator("option[value='Africa/Asmara']").count() == 1
        page.get_by_label("Date").fill("2026-12-10")
        page.get_by_label("Start time").fill("10:00")
        page.get_by_role("button", name="Schedule and send invitations").click()
        page.get_by_text("1 session scheduled").wait_for()
        session = Session.objects.get()
        assert session.starts_at == START

        # The e-mails, as the SMTP server received them, and their calendar entries.
        received = {m["To"]: m for m in smtp_inbox.messages}
        assert set(received) == {"noah@example.org", "greta@example.org"}
        for address, own in [("noah@example.org", "2 a.m. your time, New York"), ("greta@example.org", "8 a.m. your time, Geneva")]:
            message = received[address]
            text = message.get_body(("plain",)).get_content()
            assert f"When: Dec. 10, 2026, 10 a.m. Nairobi time ({own})" in text
            calendar = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
            event = Calendar.from_ical(calendar.get_payload(decode=True)).walk("VEVENT")[0]
            assert event.decoded("DTSTART") == START
            assert event["DTSTART"].params["TZID"] == "Africa/Nairobi"
            assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION" and event["ATTENDEE"].params["RSVP"] == "TRUE"

        # Facilitator mode, from the session's page.
        page.get_by_role("link", name="Facilitator mode").click()
        page.get_by_role("heading", name="Running session S1").wait_for()
        assert page.locator(".fac-when").inner_text() == "Dec. 10, 2026, 10 a.m. Nairobi time"
        assert "7 a.m." not in page.locator(".fac-meta").inner_text()
