"""Each demo role's home page in a real browser, on a fixed day of the demo's cycle:

- a walk of its task list: every step with a link opens the page that does that step;
- the leader schedules a session (after the form's error summary sends them to the field they
  missed) and the participant assesses their facilitator, and each sees the step turn "Done";
- the home page of every role, in English and in Arabic, on a desktop and on a phone, passes
  axe-core and the Nu HTML Checker with no error."""

import re

import pytest

from cascade.tests.crawl import ROLES, role_page
from cascade.tests.demo_day import demo_seen_on
from cascade.tests.test_accessibility import axe_violations, vnu_errors
from dialogues.models import Invitation, Session
from feedback.models import FacilitatorAssessment
from org.models import Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

# The page that does each step, as the page's main heading and title read ("h1 | title").
OPENS = {
    "Schedule your sessions": r"^Schedule a session \|",
    "Hold your sessions": r"^Sessions \|",
    "Record attendance": r"^(Attendance of session \S+|Sessions) \|",
    "Report each session (Appendix C)": r"^Sessions to report \|",
    "Take part in a session": r"^(Your invitations|Sessions you attended) \|",
    "Vote for scenarios and tell your leader your needs": r"^Your invitations \|",
    "Read the participant guide": r"\| Participant guide 2026 ",
    "Assess your facilitator": r"^Sessions you attended \|",
    "Chase the managers who have not held their session": r"^OHC Office for Humanitarian Coordination \|",
    "Collect the reports of held sessions": r"^Sessions not reported: OHC",
    "Submit Appendix E": r"^Certification of OHC",
    "Certify Appendix E": r"^Certification of OHC",
    "Publish the dialogue kit": r"^The 2026 dialogue kit",
    "Translate the kit": r"^The 2026 dialogue kit",
    "Answer the new questions": r"^Questions from the sessions \|",
    "Follow the entities at risk": r"^All entities \|",
    "Reassign the roles of people who left": r"^Role grants to reassign \|",
    "Load the organization file for the cycle": r"^Import the organization \|",
}

# Every step on the page: its title, its state, and the link when it has one.
STEPS = """() => [...document.querySelectorAll('li.task')].map(li => ({
  title: li.querySelector('.task-name').firstChild.textContent.trim(),
  status: li.querySelector('.task-status').textContent.trim(),
  href: li.querySelector('.task-name a')?.getAttribute('href') || null,
}))"""


@pytest.fixture
def demo(settings):
    with demo_seen_on(settings) as day:
        yield day


def steps(page, live_server) -> list[dict]:
    page.goto(f"{live_server.url}/")
    page.locator("ol.tasks").first.wait_for()
    return page.evaluate(STEPS)


def step(page, live_server, title: str) -> dict:
    found = [s for s in steps(page, live_server) if s["title"] == title]
    assert len(found) == 1, f"no single step {title!r} on the home page"
    return found[0]


def opened(page) -> str:
    return f"{page.locator('main h1').inner_text().strip()} | {page.title()}"


@pytest.mark.parametrize("role", ROLES)
def test_every_step_of_the_home_task_list_opens_the_page_that_does_it(browser, live_server, demo, role):
    page = role_page(browser, live_server, role, "en")
    found = steps(page, live_server)
    linked = [s for s in found if s["href"]]
    assert linked, f"{role}: no step has a link: {found}"
    problems = []
    for item in linked:
        assert item["title"] in OPENS, f"{role}: a new step, {item['title']!r}: say which page does it in OPENS"
        response = page.goto(live_server.url + item["href"])
        assert response.status == 200, f"{role}: {item['title']} → {item['href']} answers {response.status}"
        if not re.search(OPENS[item["title"]], opened(page)):
            problems.append(f"{role}: {item['title']!r} opens {item['href']}, headed {opened(page)!r}")
    page.context.close()
    assert not problems, "\n".join(problems)


def test_the_leader_schedules_a_session_and_the_first_step_is_done(browser, live_server, demo):
    page = role_page(browser, live_server, "hiwot.alemu", "en", **PHONE)
    first = steps(page, live_server)[0]
    assert first["title"] == "Schedule your sessions" and first["status"] == "Not started", first
    hiwot = Person.objects.get(email="hiwot.alemu@demo.cascade.example")
    reports = Person.objects.filter(manager=hiwot, active=True).count()
    assert reports > 0

    page.get_by_role("link", name="Schedule your sessions").click()
    page.get_by_role("heading", level=1, name="Schedule a session").wait_for()
    # Sent without a date: the error summary comes first and leads to the field.
    fieldset = page.get_by_role("group", name="Your direct reports")
    for box in fieldset.get_by_role("checkbox").all():
        box.check()
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Schedule and send invitations").click()
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="There is a problem"))
    summary.wait_for()
    summary.get_by_role("link", name=re.compile(r"^Date: ")).click()
    assert page.evaluate("document.activeElement.id") == "id_date"
    assert not Session.objects.filter(leader=hiwot).exclude(date__lt=demo.date()).exists()

    page.get_by_label("Date").fill("2026-11-25")
    fieldset = page.get_by_role("group", name="Your direct reports")
    assert all(box.is_checked() for box in fieldset.get_by_role("checkbox").all())
    page.get_by_role("button", name="Schedule and send invitations").click()
    page.wait_for_url(re.compile(r"/dialogues/sessions/\d+/"))  # (the #id_date of the link followed stays)
    session = Session.objects.get(leader=hiwot, date="2026-11-25")
    assert Invitation.objects.filter(session=session).count() == reports

    after = step(page, live_server, "Schedule your sessions")
    assert after["status"] == "Done" and after["href"], after  # a done step stays a link, to review it
    page.context.close()


def test_the_participant_assesses_the_facilitator_and_the_step_is_done(browser, live_server, demo):
    page = role_page(browser, live_server, "claire.lefevre", "en", **PHONE)
    before = {s["title"]: s for s in steps(page, live_server)}
    assert before["Take part in a session"]["status"] == "Done"
    todo = next(s for s in steps(page, live_server) if s["status"] != "Done" and s["href"] and s["title"] != "Read the participant guide")
    assert todo["title"] == "Assess your facilitator" and todo["status"] == "Not started", todo
    assessments = FacilitatorAssessment.objects.count()

    page.get_by_role("link", name="Assess your facilitator").click()
    page.get_by_role("heading", level=1, name="Sessions you attended").wait_for()
    page.get_by_role("button", name=re.compile("^Assess the facilitator")).first.click()
    page.get_by_role("heading", level=1, name="Assess the facilitator").wait_for()
    for field in ["preparation", "inclusion", "safety", "time_use"]:
        page.locator(f"input[name={field}][value='4']").check()
    page.get_by_role("button", name="Send my assessment").click()
    # The one rating left out: the summary names it, and its link goes to its first choice.
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="There is a problem"))
    summary.wait_for()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.name") == "overall"
    page.locator("input[name=overall][value='5']").check()
    page.get_by_role("button", name="Send my assessment").click()
    page.wait_for_url(re.compile(r"/assess/thanks/"))
    assert FacilitatorAssessment.objects.count() == assessments + 1

    after = step(page, live_server, "Assess your facilitator")
    assert after["status"] == "Done", after
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_home_page_passes_axe_and_the_html_checker(browser, live_server, demo, language):
    problems, saved = [], []
    for role in ROLES:
        for size, options in (("desktop", DESKTOP), ("phone", PHONE)):
            # axe is injected as a script of its own: the page's policy would refuse it.
            page = role_page(browser, live_server, role, language, bypass_csp=True, **options)
            response = page.goto(f"{live_server.url}/")
            page.locator("ol.tasks").first.wait_for()
            saved.append((f"/ as {role}", response.text()))
            problems += axe_violations(page, f"/ as {role} on a {size}")
            if size == "phone":  # the menu open too
                page.locator("details.site-menu > summary").click()
                problems += axe_violations(page, f"/ as {role} on a {size}, menu open")
            page.context.close()
    if language == "ar":
        assert all('dir="rtl"' in html for _path, html in saved)
    assert all("There is a problem" not in html and "ol class=\"tasks\"" in html for _path, html in saved)
    problems += [f"vnu {line}" for line in vnu_errors(saved[::2])]  # the same HTML on both sizes
    assert not problems, "\n".join(problems)
