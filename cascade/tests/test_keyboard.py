"""The main journeys with a keyboard only: Tab, Shift+Tab, Enter, Space and typing into the
field that has the focus; no click, no filling of a field that is not focused. At every step
the focused element shows a visible focus indicator (an outline or a ring) inside the
viewport, and every page with the site's header starts with a link that skips to the main
content.

Journeys: logging in; a participant signing in to a session with the code typed on /s/; a
manager scheduling a session; a focal point submitting Appendix E and the head of entity
certifying it (the keyboard twin of oversight/tests/test_browser_certification.py)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role, User
from cascade.testing import PASSWORD, make_user
from conftest import cycle_around_today
from dialogues.models import Attendance, Session
from dialogues.signin import signin_code
from org.models import Entity, Person
from oversight.models import Certification, CertificationStatus
from oversight.tests.test_dashboards import build_org

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# What has the focus: where it is, whether it shows, and whether it matches `selector`.
FOCUS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {
    html: el.outerHTML.slice(0, 160),
    matches: selector ? el.matches(selector) : false,
    text: (el.innerText || el.value || "").trim(),
    inMain: !!el.closest("main"),
    indicator: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none",
    inView: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""


class Keyboard:
    """A person at the keyboard: moves the focus, checks it shows, types where it is."""

    def __init__(self, page):
        self.page = page

    def focused(self, selector: str | None = None) -> dict:
        focus = self.page.evaluate(FOCUS, selector)
        assert focus is not None, f"the focus is lost on {self.page.url}"
        assert focus["indicator"], f"no visible focus indicator on {focus['html']} ({self.page.url})"
        assert focus["inView"], f"the focused element is outside the viewport: {focus['html']} ({self.page.url})"
        return focus

    def tab_to(self, selector: str, *, text: str | None = None, back: bool = False, limit: int = 120, here: bool = False) -> dict:
        """Press Tab (or Shift+Tab) until the focus is on an element matching `selector` (and
        whose text contains `text`), checking the focus indicator at every stop; with `here`,
        the element that has the focus already may be the one."""

        def reached(focus):
            return focus["matches"] and (text is None or text in focus["text"])

        if here and reached(focus := self.focused(selector)):
            return focus
        for _step in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            if reached(focus := self.focused(selector)):
                return focus
        pytest.fail(f"{selector} {text or ''} not reached with the keyboard in {limit} steps on {self.page.url}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def skip_to_main(self, selector: str = "main *") -> dict:
        """On a page just opened, the first Tab reaches the skip link, visible; Enter moves the
        focus to the main content, where the next Tab lands on `selector`."""
        focus = self.tab_to("a.skip-link", limit=1)
        assert focus["text"], "the skip link has no text"
        self.press("Enter")
        assert self.page.evaluate("() => document.activeElement.id") == "main"
        return self.tab_to(selector, limit=1)


def log_in(keys: Keyboard, live_server, email: str, password: str) -> None:
    """The login page puts the focus in the e-mail field; Tab to the password, Enter to log in."""
    page = keys.page
    page.goto(f"{live_server.url}/login/")
    assert keys.focused("#id_username")["matches"]
    keys.type(email)
    keys.tab_to("#id_password", limit=1)
    keys.type(password)
    with page.expect_navigation():
        keys.press("Enter")


@pytest.fixture
def team():
    """Marta leads three reports in OPS; the cycle of this year is open, around today."""
    entity = Entity.objects.create(code="OPS", name="Operations")
    marta = Person.objects.create(index_number="M1", name="Marta Leader", email="marta@example.org", entity=entity)
    reports = [
        Person.objects.create(index_number=f"R{i}", name=name, email=f"r{i}@example.org", entity=entity, manager=marta)
        for i, name in enumerate(["Kwame Mensah", "Lucía Paredes", "Zoë Ångström"])
    ]
    cycle = cycle_around_today()
    for person in [marta, *reports]:
        User.objects.create_user(person.email, PASSWORD, person=person)
    return {"marta": marta, "reports": reports, "cycle": cycle}


def test_logging_in_with_the_keyboard_then_skipping_to_the_content(page, live_server, team):
    keys = Keyboard(page)
    log_in(keys, live_server, "marta@example.org", PASSWORD)
    assert page.url == f"{live_server.url}/"
    keys.skip_to_main()
    # Shift+Tab from the content goes back up through the header, to the skip link.
    keys.tab_to("a.skip-link", back=True)


@pytest.mark.clock
def test_participant_signs_in_with_the_typed_code(browser, live_server, team):
    start = timezone.now() - datetime.timedelta(minutes=5)
    session = Session.objects.create(cycle=team["cycle"], leader=team["marta"], ref="K1", date=start.date(), starts_at=start, time_zone="UTC")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    keys = Keyboard(phone.new_page())
    keys.page.goto(f"{live_server.url}/s/")
    keys.tab_to("#code", limit=1)
    keys.type(signin_code(session).lower())  # as typed on a phone, in lower case
    with keys.page.expect_navigation():
        keys.press("Enter")
    # Not logged in yet: the login page comes first, then the one button.
    assert keys.focused("#id_username")["matches"]
    keys.type("r0@example.org")
    keys.tab_to("#id_password", limit=1)
    keys.type(PASSWORD)
    with keys.page.expect_navigation():
        keys.press("Enter")
    keys.tab_to("button.signin-button", text="Sign in")
    with keys.page.expect_navigation():
        keys.press("Enter")
    keys.page.get_by_text("You are signed in.").wait_for()
    phone.close()
    assert Attendance.objects.filter(session=session, person=team["reports"][0]).exists()


@pytest.mark.clock
def test_manager_schedules_a_session_with_the_keyboard(page, live_server, team, smtp_inbox):
    day = timezone.localdate() + datetime.timedelta(days=3)
    keys = Keyboard(page)
    log_in(keys, live_server, "marta@example.org", PASSWORD)
    keys.tab_to("nav a", text="Schedule a session")
    with page.expect_navigation():
        keys.press("Enter")
    keys.skip_to_main("input[name=date]")  # the form's first field
    # Chromium orders a date field's parts by its own locale: day first, else month first.
    keys.type(day.strftime("%d%m%Y"))
    if page.evaluate("() => document.activeElement.value") != day.isoformat():
        keys.press("ArrowLeft")
        keys.press("ArrowLeft")
        keys.type(day.strftime("%m%d%Y"))
    assert page.evaluate("() => document.activeElement.value") == day.isoformat()
    keys.tab_to("input[name=start_time]")
    keys.type("0930")
    if not page.evaluate("() => document.activeElement.value"):
        keys.type("A")  # Chromium may show a 12-hour clock whatever the locale: 09:30 AM
    keys.tab_to("input[name=location]")
    keys.type("Room 12")
    # Everyone is invited by default; Space leaves Zoë out.
    keys.tab_to("input[name=invitees]")
    while "Zoë" not in page.evaluate("() => document.activeElement.labels[0].innerText"):
        keys.tab_to("input[name=invitees]", limit=1)
    keys.press("Space")
    keys.tab_to("button[type=submit]", text="Schedule and send invitations")
    with page.expect_navigation():
        keys.press("Enter")
    page.get_by_text("1 session scheduled").wait_for()
    session = Session.objects.get()
    assert session.location == "Room 12" and session.date == day
    assert sorted(session.invitations.values_list("person__name", flat=True)) == ["Kwame Mensah", "Lucía Paredes"]


def test_focal_point_submits_appendix_e_and_head_certifies_with_the_keyboard(browser, live_server):
    build_org()
    make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA"))
    make_user("hank@example.org", "H")  # H heads AAA

    def confirm(keys):  # the focal point confirms, having read the warnings
        keys.tab_to("main input[name=confirm]")
        keys.press("Space")

    def accept_and_explain(keys):  # the head accepts the statement and says why, despite the warnings
        keys.tab_to("main input[name=accept]")
        keys.press("Space")
        keys.tab_to("main textarea[name=certify_reason]")
        keys.type("Ops holds its last sessions in January.")

    for email, step, button, done in [
        ("fiona@example.org", confirm, "Submit Appendix E", "Appendix E submitted to the head of entity."),
        ("hank@example.org", accept_and_explain, "Certify Appendix E", "Appendix E certified."),
    ]:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        keys = Keyboard(context.new_page())
        log_in(keys, live_server, email, PASSWORD)
        keys.skip_to_main()
        keys.tab_to("main a", text="AAA", here=True)  # the entity's row on the home page
        with keys.page.expect_navigation():
            keys.press("Enter")
        keys.tab_to("main a", text="Open the certification page", limit=300)
        with keys.page.expect_navigation():
            keys.press("Enter")
        step(keys)
        keys.tab_to("main button", text=button)
        with keys.page.expect_navigation():
            keys.press("Enter")
        keys.page.get_by_text(done).wait_for()
        context.close()
    assert Certification.objects.get().status == CertificationStatus.CERTIFIED
