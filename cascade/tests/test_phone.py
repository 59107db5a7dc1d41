"""The site on a 390 × 844 phone and on a desktop: the header folds into a "Menu" that the
keyboard opens, leaving the screen to the page; the link of the page shown is marked; the
page never gets wider than the screen; links and buttons are at least 44 × 44 CSS pixels."""

import pytest

from cascade.tests.crawl import ROLES, role_page
from cascade.tests.demo_day import demo_seen_on
from cascade.tests.test_keyboard import Keyboard

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

# Boxes of what a finger taps in the header and on the page, in CSS pixels.
TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(el => el.getClientRects().length)
  .map(el => { const r = el.getBoundingClientRect(); return {html: el.outerHTML.slice(0, 120), width: r.width, height: r.height}; })"""


@pytest.fixture
def demo(settings):
    with demo_seen_on(settings) as day:
        yield day


def header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def menu_open(page) -> bool:
    return page.evaluate("document.querySelector('details.site-menu').open")


def test_the_menu_on_a_phone_is_closed_opens_with_the_keyboard_and_its_links_work(browser, live_server, demo):
    page = role_page(browser, live_server, "hiwot.alemu", "en", **PHONE)
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="Welcome, Hiwot Alemu").wait_for()

    # Closed: the header is one line, the links are hidden, the page starts near the top.
    assert not menu_open(page)
    assert header_height(page) <= 0.15 * 844, f"the closed header takes {header_height(page)} px of 844"
    schedule = page.locator("header nav a", has_text="Schedule a session")  # hidden ones too
    assert schedule.count() == 1 and not schedule.is_visible()
    assert page.get_by_text("Menu", exact=True).is_visible()

    # The keyboard: Tab to "Menu", Enter opens it, Tab reaches its links, Enter follows one.
    keys = Keyboard(page)
    keys.tab_to("summary", text="Menu")
    keys.press("Enter")
    assert menu_open(page)
    assert schedule.is_visible()
    assert page.locator("header").get_by_role("button", name="Log out").is_visible()
    keys.tab_to("header nav a", text="Schedule a session")
    with page.expect_navigation():
        keys.press("Enter")
    page.get_by_role("heading", level=1, name="Schedule a session").wait_for()

    # On the new page the menu is closed again; opened, it marks the page shown.
    assert not menu_open(page) and header_height(page) <= 0.15 * 844
    keys.tab_to("summary", text="Menu")
    keys.press("Enter")
    current = page.locator("header nav a[aria-current=page]")
    assert current.count() == 1 and current.inner_text() == "Schedule a session"
    marked = page.evaluate(
        """() => [...document.querySelectorAll('header nav a')].map(a => {
             const s = getComputedStyle(a); return [a.hasAttribute('aria-current'), s.fontWeight, s.borderInlineStartWidth, s.color]; })"""
    )
    plain = {tuple(style) for current, *style in marked if not current}
    mark = next(tuple(style) for current, *style in marked if current)
    assert mark not in plain, f"the current page's link looks like the others: {mark} {plain}"
    # Enter on "Menu", where the focus still is, closes it again.
    keys.tab_to("summary", text="Menu", here=True)
    keys.press("Enter")
    assert not menu_open(page)
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_desktop_the_links_show_without_a_menu(browser, live_server, demo, language):
    page = role_page(browser, live_server, "noor.lindqvist", language, **DESKTOP)
    page.goto(f"{live_server.url}/")
    page.locator("main h1").wait_for()
    assert not page.locator("details.site-menu > summary").is_visible()
    links = page.locator("header nav a")
    assert links.count() >= 5 and all(links.nth(i).is_visible() for i in range(links.count()))  # the Ethics Office: five
    assert page.locator("header nav a[aria-current=page]").get_attribute("href") == "/"
    assert page.locator("#language-select").is_visible()
    assert header_height(page) <= 120, f"the desktop header takes {header_height(page)} px"
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_home_page_fits_a_phone_and_its_targets_are_44_pixels(browser, live_server, demo, language):
    problems = []
    for role in ROLES:
        page = role_page(browser, live_server, role, language, **PHONE)
        page.goto(f"{live_server.url}/")
        page.locator("main h1").wait_for()
        assert not menu_open(page)
        assert header_height(page) <= 0.15 * 844, f"{role} {language}: the closed header takes {header_height(page)} px"
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1]:
            problems.append(f"{role} {language}: the page is {width[0]} px wide on a {width[1]} px screen")
        page.locator("details.site-menu > summary").click()
        targets = page.evaluate(TARGETS, "header summary, header a, header button, header select, main button, .task-name a")
        assert len(targets) >= 8, targets
        problems += [f"{role} {language}: {t['width']:.0f} × {t['height']:.0f} px: {t['html']}" for t in targets if t["width"] < 44 or t["height"] < 44]
        page.context.close()
    assert not problems, "\n".join(problems)


def test_a_checkbox_row_is_a_44_pixel_target_on_a_phone(browser, live_server, demo):
    page = role_page(browser, live_server, "claire.lefevre", "en", **PHONE)
    page.goto(f"{live_server.url}/preferences/")
    label = page.get_by_text("Mute non-essential reminders")
    box = label.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    checkbox = page.get_by_role("checkbox", name="Mute non-essential reminders")
    assert not checkbox.is_checked()
    label.tap()  # a tap anywhere on the row's label ticks the box
    assert checkbox.is_checked()
    page.context.close()
