"""Certification in a real browser: AAA's focal point finds a waiting manager in the cascade
tree (opened level by level with htmx), opens Appendix E and submits it; the head of entity
certifies it; an attendance import then reaches three more people, and the certified page
still shows the numbers as certified."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Role
from accounts.tests.personas import PASSWORD, make_user
from conftest import browser_login
from oversight.models import Certification, CertificationStatus
from oversight.tests.test_dashboards import build_org

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_focal_point_submits_head_certifies_and_the_numbers_stay(browser, page, live_server, tmp_path):
    cycle = build_org()
    make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA"))
    make_user("hank@example.org", "H")  # H heads AAA: no manager above

    # 1. The focal point opens the entity's dashboard and walks the tree down to M3, waiting.
    browser_login(page, live_server, "fiona@example.org", PASSWORD)
    page.goto(f"{live_server.url}/oversight/entities/AAA/")
    page.get_by_role("link", name="Show the 2 managers reporting to Person H Named").click()
    page.get_by_role("link", name="Show the 1 manager reporting to Person M2 Named").click()
    waiting = page.locator(".node", has_text="Person M3 Named")
    waiting.wait_for()
    assert waiting.locator(".state").inner_text().strip() == "Waiting"

    # 2. She opens the certification page from the dashboard and submits the roll-up.
    page.get_by_role("link", name="Open the certification page").click()
    page.get_by_role("heading", name="Certification of AAA").wait_for()
    assert page.locator(".total-personnel").inner_text() == "11" and page.locator(".total-participants").inner_text() == "5"
    page.get_by_role("button", name="Submit Appendix E").click()
    page.get_by_text("Appendix E submitted to the head of entity.").wait_for()
    assert page.get_by_role("button", name="Certify Appendix E").count() == 0

    # 3. The head of entity logs in and certifies.
    page.context.clear_cookies()
    browser_login(page, live_server, "hank@example.org", PASSWORD)
    page.goto(f"{live_server.url}/oversight/entities/AAA/certification/")
    page.get_by_role("button", name="Certify Appendix E").click()
    page.get_by_text("Appendix E certified.").wait_for()
    assert Certification.objects.get().status == CertificationStatus.CERTIFIED

    # 4. A late attendance import reaches M3, R1 and R2; the certified numbers do not move.
    sheet = tmp_path / "late.csv"
    sheet.write_text("session_ref,date,leader_index_number,participant_index_number\nS9,2026-11-25,M3,R1\nS9,2026-11-25,M3,R2\n")
    call_command("import_attendance", str(sheet), "--cycle", str(cycle.year), stdout=io.StringIO())
    page.reload()
    assert page.locator(".certification-status").first.inner_text() == "Certified"
    assert page.locator(".total-personnel").inner_text() == "11" and page.locator(".total-participants").inner_text() == "5"
    page.goto(f"{live_server.url}/oversight/entities/AAA/")
    assert page.locator(".cards .figure").nth(1).inner_text() == "8"  # the live dashboard moved on
