"""In a real browser: a leader captures a question in facilitator mode and reports the session
(Appendix C) with it prefilled; three participants assess the facilitator anonymously
(Appendix F) and the leader sees "results appear after 5 responses"; after five, the averages."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from cascade.testing import PASSWORD
from conftest import browser_login
from demo.kit import load_demo_kit
from dialogues.models import Attendance, AttendanceMethod, Session
from feedback.models import FacilitatorAssessment, LeaderFeedback, Question
from org.models import Cycle, Entity, Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
RATINGS = ["preparation", "inclusion", "safety", "time_use", "overall"]


def assess(browser, live_server, person, overall: int) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    browser_login(page, live_server, person.email, PASSWORD)
    page.goto(f"{live_server.url}/feedback/my/sessions/")
    page.get_by_role("button", name="Assess the facilitator").click()
    for field in RATINGS:
        page.locator(f"input[name={field}][value='{overall if field == 'overall' else 4}']").check()
    page.get_by_role("button", name="Send my assessment").click()
    page.wait_for_url("**/assess/thanks/")
    context.close()


def test_leader_reports_from_facilitator_mode_and_sees_assessments_only_from_five(browser, page, live_server):
    now = timezone.now()
    entity = Entity.objects.create(code="OPS", name="Operations")
    leader = Person.objects.create(index_number="M1", name="Marta Leader", email="marta@example.org", entity=entity, language="en")
    team = [
        Person.objects.create(index_number=f"R{i}", name=f"Report {i}", email=f"r{i}@example.org", entity=entity, manager=leader, language="en")
        for i in range(6)
    ]
    cycle = Cycle.objects.create(year=now.year, topic="Gifts and favours", opens=datetime.date(now.year, 1, 1), deadline=datetime.date(now.year, 12, 31))
    load_demo_kit(cycle)
    start = now - datetime.timedelta(hours=2)
    session = Session.objects.create(cycle=cycle, leader=leader, ref="S1", date=start.date(), starts_at=start, time_zone="UTC")
    session.scenarios.set(cycle.kit.scenarios.order_by("order")[:2])
    Attendance.objects.bulk_create([Attendance(session=session, person=p, method=AttendanceMethod.SELF, recorded_by=p) for p in team])
    User.objects.create_user(leader.email, PASSWORD, person=leader)
    for person in team:
        User.objects.create_user(person.email, PASSWORD, person=person)

    # Facilitator mode: a question nobody could answer.
    browser_login(page, live_server, leader.email, PASSWORD)
    page.goto(f"{live_server.url}/dialogues/sessions/{session.pk}/facilitate/")
    page.locator("#box-question").get_by_role("textbox").fill("Can a team accept a gift basket at the end of the year?")
    page.locator("#box-question").get_by_role("button", name="Save").click()
    page.locator("#box-question li").first.wait_for()

    # Appendix C, prefilled with it.
    page.goto(f"{live_server.url}/dialogues/sessions/{session.pk}/")
    page.get_by_role("link", name="Your feedback on the session (Appendix C)").click()
    questions = page.get_by_label("Questions that could not be answered", exact=False)
    assert "gift basket" in questions.input_value()
    assert page.get_by_label("Number of participants").input_value() == "6"
    page.locator("input[name=guide_rating][value='4']").check()
    page.locator("input[name=topics_rating][value='5']").check()
    page.get_by_label("What went well?").fill("People shared real dilemmas from their own work.")
    page.get_by_label("What did not go well?").fill("We ran short of time for the third scenario.")
    page.get_by_role("button", name="Send the feedback").click()
    page.wait_for_load_state()
    feedback = LeaderFeedback.objects.get(session=session)
    assert feedback.guide_rating == 4 and feedback.topics_rating == 5
    assert Question.objects.filter(text__icontains="gift basket").count() == 1

    # Three anonymous assessments: too few to show.
    for person, overall in zip(team[:3], [5, 4, 3]):
        assess(browser, live_server, person, overall)
    assert FacilitatorAssessment.objects.filter(session=session).count() == 3
    page.goto(f"{live_server.url}/feedback/my/assessments/")
    assert page.get_by_text("Results appear after 5 responses").first.is_visible()

    # Five: the averages appear (overall 5, 4, 3, 4, 4 → 4.0).
    for person in team[3:5]:
        assess(browser, live_server, person, 4)
    page.goto(f"{live_server.url}/feedback/my/assessments/")
    assert page.get_by_text("Results appear after 5 responses").count() == 0
    row = page.locator("table.assessment-table tbody tr").first
    assert row.locator("td").nth(0).inner_text() == "5"
    assert "4.0" in [cell.inner_text() for cell in row.locator("td").all()]


def test_an_attendee_closes_the_tab_and_finishes_the_assessment_later(browser, live_server, people, d1):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    browser_login(page, live_server, people.participant.email, PASSWORD)
    page.goto(f"{live_server.url}/feedback/my/sessions/")
    page.get_by_role("button", name="Assess the facilitator").click()
    page.wait_for_url("**/feedback/assess/**")
    page.locator("input[name=overall][value='2']").check()
    page.close()  # interrupted before sending

    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/my/sessions/")
    page.get_by_role("link", name="Continue your assessment").click()
    for field in RATINGS:
        page.locator(f"input[name={field}][value='4']").check()
    page.get_by_role("button", name="Send my assessment").click()
    page.wait_for_url("**/assess/thanks/")
    assert FacilitatorAssessment.objects.filter(session=d1, overall=4).count() == 1
    page.goto(f"{live_server.url}/feedback/my/sessions/")
    assert page.get_by_text("Sent, or opened on another device").is_visible()
    assert page.get_by_role("link", name="Continue your assessment").count() == 0
    context.close()
