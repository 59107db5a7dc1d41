"""A manager schedules a session for 30 direct reports in a real browser: the split is
proposed, adjusted, and the invitations reach a real SMTP server."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from cascade.testing import PASSWORD
from conftest import browser_login, cycle_around_today
from dialogues.models import Session
from org.models import Entity, Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.clock]


def test_manager_schedules_thirty_reports_in_two_sessions(page, live_server, smtp_inbox):
    today = timezone.localdate()
    entity = Entity.objects.create(code="OPS", name="Operations")
    marta = Person.objects.create(index_number="M1", name="Marta Leader", email="marta@example.org", entity=entity)
    for i in range(30):
        Person.objects.create(index_number=f"R{i:02d}", name=f"Report {i:02d}", email=f"r{i:02d}@example.org", entity=entity, manager=marta)
    cycle_around_today()
    User.objects.create_user("marta@example.org", PASSWORD, person=marta)
    day = today + datetime.timedelta(days=3)

    browser_login(page, live_server, "marta@example.org", PASSWORD)
    page.get_by_role("link", name="Schedule a session").click()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("Room or link").fill("Room 12")
    assert page.get_by_role("checkbox", name="Report 00").is_checked()  # the team is invited by default
    page.get_by_role("button", name="Schedule and send invitations").click()

    page.get_by_role("heading", name="Split into sessions").wait_for()
    assert page.get_by_text("You invited 30 people").is_visible()
    page.locator("input[name=time_2]").fill("14:00")
    page.get_by_role("button", name="Confirm and send invitations").click()
    page.get_by_text("2 sessions scheduled").wait_for()

    sessions = Session.objects.order_by("starts_at")
    assert [s.invitations.count() for s in sessions] == [15, 15]
    assert [s.starts_at.astimezone(datetime.UTC).strftime("%H:%M") for s in sessions] == ["09:30", "14:00"]
    assert len(smtp_inbox.messages) == 30
