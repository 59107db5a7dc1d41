"""The whole journey of issue 3 in a real browser: a manager schedules a session for 30 direct
reports (the split is proposed), three participants sign in with the room's code on phones, the
leader runs facilitator mode and downloads Appendix A, whose PDF text holds their names.

One step cannot happen in a test's few seconds: the session's hour arriving. After scheduling,
the test moves the first session's start to a few minutes ago, as time would."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from accounts.models import User
from cascade.testing import PASSWORD
from conftest import browser_login, cycle_around_today
from demo.kit import load_demo_kit
from dialogues.models import Attendance, Session, SessionCapture
from org.models import Entity, Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_schedule_sign_in_on_phones_facilitate_and_download_the_sheet(browser, page, live_server, smtp_inbox):
    today = timezone.localdate()
    entity = Entity.objects.create(code="OPS", name="Operations")
    marta = Person.objects.create(index_number="M1", name="Marta Leader", email="marta@example.org", entity=entity)
    names = ["Zoë Ångström", "Kwame Mensah", "Lucía Paredes"] + [f"Report {i:02d}" for i in range(3, 30)]
    reports = [
        Person.objects.create(index_number=f"R{i:02d}", name=name, email=f"r{i:02d}@example.org", entity=entity, manager=marta)
        for i, name in enumerate(names)
    ]
    cycle = cycle_around_today()
    load_demo_kit(cycle)
    User.objects.create_user("marta@example.org", PASSWORD, person=marta)
    for person in reports[:3]:
        User.objects.create_user(person.email, PASSWORD, person=person)
    day = today + datetime.timedelta(days=1)

    # 1. Scheduling: 30 invitees, the split is proposed and accepted.
    browser_login(page, live_server, "marta@example.org", PASSWORD)
    page.get_by_role("link", name="Schedule a session").click()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("09:00")
    page.get_by_role("button", name="Schedule and send invitations").click()
    page.get_by_role("heading", name="Split into sessions").wait_for()
    page.get_by_role("button", name="Confirm and send invitations").click()
    page.get_by_text("2 sessions scheduled").wait_for()
    assert Session.objects.count() == 2 and len(smtp_inbox.messages) == 30
    session = Session.objects.get(invitations__person=reports[0])

    # The session's hour arrives.
    start = timezone.now() - datetime.timedelta(minutes=5)
    Session.objects.filter(pk=session.pk).update(starts_at=start, date=start.date(), time_zone="UTC")

    # 2. The room display shows the code; three people sign in on their phones.
    page.goto(f"{live_server.url}/dialogues/sessions/{session.pk}/")
    page.get_by_role("link", name="Show the sign-in code in the room").click()
    code = page.locator(".signin-big-code").inner_text().strip()
    assert page.locator("svg.signin-qr-code").count() == 1
    for person in reports[:3]:
        phone = browser.new_context(**PHONE)
        tab = phone.new_page()
        tab.goto(f"{live_server.url}/s/?c={code}")  # what the QR code holds
        tab.get_by_label("E-mail").fill(person.email)
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        button = tab.get_by_role("button", name="Sign in")
        assert len(tab.content().encode()) < 50_000
        button.click()
        tab.get_by_text("signed in", exact=False).first.wait_for()
        if person == reports[0]:  # the answer leads to the anonymous assessment, for after the session
            tab.get_by_role("link", name="Assess the facilitator").click()
            tab.get_by_role("button", name="Assess the facilitator").click()
            tab.get_by_role("heading", level=1).wait_for()
            assert "/feedback/assess/" in tab.url
        phone.close()
    assert set(Attendance.objects.filter(session=session).values_list("person__name", flat=True)) == set(names[:3])

    # 3. Facilitator mode: the live count, a question nobody could answer.
    page.goto(f"{live_server.url}/dialogues/sessions/{session.pk}/")
    page.get_by_role("link", name="Facilitator mode").click()
    assert page.locator("#live-count").inner_text().startswith("3")
    page.get_by_role("heading", name="Agenda").wait_for()
    page.locator("#box-question").get_by_role("textbox").fill("May I accept a meal from a supplier during a site visit?")
    page.locator("#box-question").get_by_role("button", name="Save").click()
    page.locator("#box-question li").get_by_text("May I accept a meal", exact=False).first.wait_for()
    assert SessionCapture.objects.filter(session=session, kind="question").count() == 1

    # 4. Appendix A as a PDF whose text holds the names.
    page.goto(f"{live_server.url}/dialogues/sessions/{session.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Sign-in sheet as PDF").click()
    pdf = download_info.value.path()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for name in names[:3]:
        assert name in text
    assert "Marta Leader" in text
