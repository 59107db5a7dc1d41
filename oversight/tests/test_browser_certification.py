"""In a real browser (organization of test_dashboards, 28 November 2026): the focal point sees
Appendix E's warnings, must confirm to submit; the head must accept the statement and give a
reason to certify with warnings, and the statement comes back from the PDF (pdftotext). The
focal point chases two managers from the dashboard, and the e-mails reach the SMTP server on
loopback."""

import datetime
import subprocess

import pytest
import time_machine

from accounts.models import Role
from cascade.testing import PASSWORD, make_user
from conftest import browser_login
from oversight.models import Certification, CertificationStatus
from oversight.tests.test_dashboards import build_org

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
NOW = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
REASON = "Two teams of Ops hold their sessions in the first week of January."


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def people(db):
    build_org()
    return {
        "fiona": make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA")),
        "hank": make_user("hank@example.org", "H"),
    }


def test_certification_with_warnings_needs_confirmation_a_reason_and_prints_the_statement(browser, live_server, people):
    focal = browser.new_context().new_page()
    browser_login(focal, live_server, "fiona@example.org", PASSWORD)
    focal.goto(f"{live_server.url}/oversight/entities/AAA/certification/")
    assert focal.get_by_text("Coverage is 45 %: 5 of 11 people have taken part.").is_visible()
    focal.get_by_role("button", name="Submit Appendix E").click()  # the box is not ticked: the browser refuses
    assert not Certification.objects.filter(status=CertificationStatus.SUBMITTED).exists()
    focal.get_by_label("I have read the warnings above and want to submit Appendix E as it stands.").check()
    focal.get_by_role("button", name="Submit Appendix E").click()
    focal.get_by_text("Appendix E submitted to the head of entity.").wait_for()
    focal.context.close()

    head = browser.new_context().new_page()
    browser_login(head, live_server, "hank@example.org", PASSWORD)
    head.goto(f"{live_server.url}/oversight/entities/AAA/certification/")
    assert head.locator("blockquote.statement").inner_text().startswith("I certify")
    head.get_by_label("I accept this statement", exact=False).check()
    head.get_by_role("button", name="Certify Appendix E").click()  # no reason yet: refused by the browser
    assert Certification.objects.get().status == CertificationStatus.SUBMITTED
    head.get_by_label("Why you certify despite the warnings", exact=False).fill(REASON)
    head.get_by_role("button", name="Certify Appendix E").click()
    head.get_by_text("Appendix E certified.").wait_for()
    assert Certification.objects.get().certify_reason == REASON

    with head.expect_download() as download:
        head.get_by_role("link", name="PDF").click()
    pdf = open(download.value.path(), "rb").read()
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split())
    assert "I certify that, to the best of my knowledge" in text and "Person H Named" in text and REASON in text
    head.context.close()


def test_the_focal_point_chases_two_managers_and_the_emails_arrive(browser, live_server, people, smtp_inbox):
    page = browser.new_context().new_page()
    browser_login(page, live_server, "fiona@example.org", PASSWORD)
    page.goto(f"{live_server.url}/oversight/entities/AAA/")
    page.get_by_role("link", name="Remind managers, leaders and attendees from Cascade").click()
    section = page.locator("section", has=page.get_by_role("heading", name="Managers who have not held their session"))
    section.get_by_label("Person N Named", exact=False).uncheck()
    section.get_by_role("button", name="Preview the reminder").click()
    page.get_by_text("2 people will receive this reminder", exact=False).wait_for()
    page.get_by_role("button", name="Send 2 reminders now").click()
    page.get_by_text("2 reminders sent.").wait_for()
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["m2@example.org", "m3@example.org"]
    page.context.close()
