"""The Content-Security-Policy in Debian's Chromium: every page of the demo, as every role, loads
with no violation (no inline script or style, nothing from elsewhere), and htmx still swaps its
fragments under the policy.

A violation shows as a `securitypolicyviolation` event in the page and as a console message;
both are collected. Each page must have been served with the policy, or the test would prove
nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from cascade.testing import PASSWORD
from cascade.tests.crawl import PUBLIC_PAGES, ROLES, anonymous_page, crawl, role_page
from conftest import browser_login
from dialogues.models import Attendance, AttendanceMethod, Session
from org.models import Cycle, Entity, Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
NAVIGATION_MS = 180_000

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


class Watch:
    """Collects the policy's violations in a browser context, page by page."""

    def __init__(self, context):
        self.problems: list[str] = []
        self.path = "?"
        context.set_default_timeout(NAVIGATION_MS)  # the first feedback insight page clusters texts: slow on a busy machine
        context.add_init_script(LISTEN)
        context.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"console {self.path}: {message.text}")

    def check(self, page, path: str, response) -> None:
        self.path = path
        header = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in header:
            self.problems.append(f"{path}: served without the policy ({header!r})")
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)  # deferred scripts (htmx) have run
        self.problems += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations || []")]
        if page.evaluate("typeof htmx !== 'undefined'"):
            if page.evaluate("htmx.config.includeIndicatorStyles") is not False:
                self.problems.append(f"{path}: htmx would inject its indicator style")


def test_every_demo_page_loads_without_a_policy_violation(browser, live_server):
    call_command("demo", stdout=open("/dev/null", "w"))
    problems, visited = [], 0
    page = anonymous_page(browser, live_server, "en")
    watch = Watch(page.context)
    for path in PUBLIC_PAGES:
        watch.check(page, path, page.goto(live_server.url + path))
        visited += 1
    page.context.close()
    problems += watch.problems
    for role in ROLES:
        page = role_page(browser, live_server, role, "en")
        watch = Watch(page.context)
        visited += len(crawl(page, live_server.url, lambda path, response, page=page, watch=watch: watch.check(page, path, response)))
        page.context.close()
        problems += watch.problems
    assert visited > 30, "the crawl should reach the demo's pages"
    assert not problems, "\n".join(problems)


def test_htmx_polls_and_swaps_under_the_policy(browser, page, live_server):
    """The room display: its count, polled every 5 seconds, changes when someone signs in."""
    now = timezone.now()
    entity = Entity.objects.create(code="OPS", name="Operations")
    marta = Person.objects.create(index_number="M1", name="Marta Leader", email="marta@example.org", entity=entity)
    kwame = Person.objects.create(index_number="R1", name="Kwame Mensah", email="kwame@example.org", entity=entity, manager=marta)
    User.objects.create_user("marta@example.org", PASSWORD, person=marta)
    cycle = Cycle.objects.create(year=now.year, topic="Gifts", opens=datetime.date(now.year, 1, 1), deadline=datetime.date(now.year, 12, 31))
    start = now - datetime.timedelta(minutes=5)
    session = Session.objects.create(cycle=cycle, leader=marta, ref="S1", date=start.date(), starts_at=start, time_zone="UTC")
    watch = Watch(page.context)
    browser_login(page, live_server, "marta@example.org", PASSWORD)
    response = page.goto(f"{live_server.url}/dialogues/sessions/{session.pk}/signin-display/")
    watch.check(page, "display", response)
    assert page.locator("#signin-count").inner_text().strip() == "0 signed in"
    assert page.locator("svg.signin-qr-code").count() == 1
    Attendance.objects.create(session=session, person=kwame, method=AttendanceMethod.SELF)
    page.locator("#signin-count").get_by_text("1 signed in").wait_for(timeout=12_000)
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.evaluate("window.__cspViolations") == []
    assert not watch.problems, "\n".join(watch.problems)
