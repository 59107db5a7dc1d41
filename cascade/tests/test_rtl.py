"""Arabic pages mirror: screenshots of the main pages in Arabic and in English, and the layout
measured in the browser. What starts at the left in English (the heading's text, the brand, the
first column of a table, the agenda of facilitator mode, the previous-part button) starts at the
right in Arabic; the breadcrumb's arrows point the reading way; a sign-in code, typed or shown
as an example, still reads left to right.

The screenshots stay in the test's temporary folder, named in every failure message."""

import pytest
from django.core.management import call_command

from cascade.tests.crawl import anonymous_page, role_page
from dialogues.models import Session
from org.models import Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LEYLA = "leyla.hosseini@demo.cascade.example"

# The boxes that tell which way a page runs, in CSS pixels from the viewport's left edge.
LAYOUT = """() => {
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const text = el => { if (!el) return null; const range = document.createRange(); range.selectNodeContents(el); return box(range); };
  const heading = document.querySelector("main h1");
  const columns = document.querySelectorAll("main table thead tr:first-child th");
  return {
    dir: document.documentElement.dir,
    width: document.documentElement.clientWidth,
    heading: text(heading),
    headingBlock: box(heading),
    brand: box(document.querySelector(".brand")),
    firstColumn: box(columns[0]),
    lastColumn: box(columns[columns.length - 1]),
    agenda: box(document.querySelector(".fac-main")),
    notes: box(document.querySelector(".fac-side")),
    previous: box(document.querySelector('[data-timer-action="previous"]')),
    next: box(document.querySelector('[data-timer-action="next"]')),
    arrows: [...document.querySelectorAll(".tree-path li + li")].map(li => getComputedStyle(li, "::before").content),
    chartLabels: [...document.querySelectorAll("svg.chart text.label")].map(t => {
      const chart = t.closest("svg").getBoundingClientRect(), r = t.getBoundingClientRect();
      return [Math.round(r.left - chart.left), Math.round(r.right - chart.left)];
    }),
    chartTextOutside: [...document.querySelectorAll("svg.chart text")].filter(t => {
      const chart = t.closest("svg").getBoundingClientRect(), r = t.getBoundingClientRect();
      return r.left < chart.left - 1 || r.right > chart.right + 1;
    }).map(t => t.textContent),
  };
}"""

# Where "1234" and "K7QXM" of the example code are drawn, and which way the code field runs.
CODE_LAYOUT = """() => {
  const hint = document.getElementById("code-hint");
  const walker = document.createTreeWalker(hint, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && !node.data.includes("1234-K7QXM")) {}
  const at = (start, end) => { const range = document.createRange(); range.setStart(node, start); range.setEnd(node, end); const r = range.getBoundingClientRect(); return {left: r.left, top: r.top}; };
  const offset = node.data.indexOf("1234-K7QXM");
  return {number: at(offset, offset + 4), code: at(offset + 5, offset + 10), field: getComputedStyle(document.getElementById("code")).direction};
}"""


def shoot(page, url: str, folder, name: str) -> dict:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=folder / f"{name}.png", full_page=True)
    return page.evaluate(LAYOUT)


def layouts(browser, live_server, folder, role: str | None, path: str, name: str, **options) -> dict[str, dict]:
    """The page's layout in English and in Arabic, with a screenshot of each."""
    found = {}
    for language in ("en", "ar"):
        page = role_page(browser, live_server, role, language, **options) if role else anonymous_page(browser, live_server, language, **options)
        found[language] = shoot(page, live_server.url + path, folder, f"{name}-{language}")
        page.context.close()
    return found


def starts_at_the_start(layout: dict, what: str) -> bool:
    """Whether the element's box starts at the page's inline start: the left in English, the
    right in Arabic (within 1 px of its block's edge for a heading's text)."""
    box = layout[what]
    if what == "heading":
        block = layout["headingBlock"]
        return abs(box["left"] - block["left"]) < 1 if layout["dir"] == "ltr" else abs(block["right"] - box["right"]) < 1
    middle = layout["width"] / 2
    return box["right"] < middle if layout["dir"] == "ltr" else box["left"] > middle


def assert_mirrored(found: dict, folder, name: str, *, table: bool = False) -> None:
    en, ar = found["en"], found["ar"]
    where = f"(screenshots: {folder}/{name}-en.png, {name}-ar.png)"
    assert en["dir"] == "ltr" and ar["dir"] == "rtl", where
    for what in ("heading", "brand") if en["brand"] else ("heading",):
        assert starts_at_the_start(en, what) and starts_at_the_start(ar, what), f"{what} does not start at the start {where}: {en[what]} {ar[what]}"
    # Arabic text is right-aligned: the heading ends further right than the English one does.
    assert ar["heading"]["right"] > en["heading"]["right"], where
    if table:
        assert en["firstColumn"]["left"] < en["lastColumn"]["left"], where
        assert ar["firstColumn"]["left"] > ar["lastColumn"]["left"], f"the first column is not at the right {where}"


def test_home_of_the_ethics_office_mirrors(browser, live_server, tmp_path):
    call_command("demo", stdout=open("/dev/null", "w"))
    found = layouts(browser, live_server, tmp_path, "noor.lindqvist", "/", "home")
    assert_mirrored(found, tmp_path, "home", table=True)


def test_entity_dashboard_mirrors_and_its_breadcrumb_points_the_reading_way(browser, live_server, tmp_path):
    call_command("demo", stdout=open("/dev/null", "w"))
    leyla = Person.objects.get(email=LEYLA)
    path = f"/oversight/entities/{leyla.entity.code}/?manager={leyla.index_number}"
    found = layouts(browser, live_server, tmp_path, "defne.arslan", path, "dashboard")
    assert_mirrored(found, tmp_path, "dashboard", table=True)
    assert found["en"]["arrows"] and set(found["en"]["arrows"]) == {'"›"'}, found["en"]["arrows"]
    assert found["ar"]["arrows"] and set(found["ar"]["arrows"]) == {'"‹"'}, f"{found['ar']['arrows']} (screenshot: {tmp_path}/dashboard-ar.png)"


def test_ethics_office_dashboard_mirrors_and_its_charts_keep_their_labels_inside(browser, live_server, tmp_path):
    call_command("demo", stdout=open("/dev/null", "w"))
    found = layouts(browser, live_server, tmp_path, "noor.lindqvist", "/oversight/", "ethics-office")
    assert_mirrored(found, tmp_path, "ethics-office", table=True)
    # The bars' labels (entity codes, the same in both languages) sit where they do in English.
    assert found["ar"]["chartLabels"] and found["ar"]["chartLabels"] == found["en"]["chartLabels"], (
        f"chart labels moved (screenshot: {tmp_path}/ethics-office-ar.png)"
    )
    for language in ("en", "ar"):
        assert not found[language]["chartTextOutside"], (
            f"chart labels cut off in {language}: {found[language]['chartTextOutside']} (screenshot: {tmp_path}/ethics-office-{language}.png)"
        )


def test_facilitator_mode_mirrors(browser, live_server, tmp_path):
    call_command("demo", stdout=open("/dev/null", "w"))
    session = Session.objects.filter(leader__email=LEYLA).order_by("-date").first()
    found = layouts(browser, live_server, tmp_path, "leyla.hosseini", f"/dialogues/sessions/{session.pk}/facilitate/", "facilitator")
    assert_mirrored(found, tmp_path, "facilitator")
    en, ar = found["en"], found["ar"]
    where = f"(screenshots: {tmp_path}/facilitator-en.png, facilitator-ar.png)"
    assert en["agenda"]["left"] < en["notes"]["left"] and ar["agenda"]["left"] > ar["notes"]["left"], f"the agenda is not at the start {where}"
    assert en["previous"]["left"] < en["next"]["left"] and ar["previous"]["left"] > ar["next"]["left"], f"'previous' is not at the start {where}"


def test_sign_in_page_on_a_phone_mirrors_and_the_code_reads_left_to_right(browser, live_server, tmp_path):
    found = layouts(browser, live_server, tmp_path, None, "/s/", "signin-phone", **PHONE)
    assert_mirrored(found, tmp_path, "signin-phone")
    for language in ("en", "ar"):
        page = anonymous_page(browser, live_server, language, **PHONE)
        page.goto(f"{live_server.url}/s/")
        page.locator("#code").press_sequentially("1234-K7QXM")
        page.screenshot(path=tmp_path / f"signin-phone-typed-{language}.png")
        code = page.evaluate(CODE_LAYOUT)
        page.context.close()
        where = f"(screenshot: {tmp_path}/signin-phone-typed-{language}.png)"
        assert code["number"]["top"] == code["code"]["top"], f"the example code is broken over two lines in {language} {where}"
        assert code["number"]["left"] < code["code"]["left"], f"the example reads K7QXM-1234 in {language} {where}"
        assert code["field"] == "ltr", f"the code field runs {code['field']} in {language} {where}"
