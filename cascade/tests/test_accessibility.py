"""Every page of the demo, as every role, in English and in Arabic, passes axe-core (WCAG 2.2 AA
and best practices) in Debian's Chromium and the Nu HTML Checker with no error.

The crawl follows the links each role sees, from the home page; pages of the same shape (two
sessions, two entities) are checked once per role. Downloads (PDF, CSV, XLSX) are not pages."""

import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command

from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_RULES = "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']}"
ROLES = ["noor.lindqvist", "leyla.hosseini", "defne.arslan", "hiwot.alemu", "claire.lefevre"]
NOT_PAGES = re.compile(r"/(logout|admin)/|\.(pdf|xlsx|csv)$|/static/|/i18n/|/export")
MAX_PAGES_PER_ROLE = 60


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(page, base: str, seen_shapes: set, problems: list, saved: list) -> None:
    axe = (NODE_MODULES / "axe-core" / "axe.min.js").read_text()
    queue, visited = ["/"], 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        response = page.goto(base + path)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        page.add_script_tag(content=axe)
        for violation in page.evaluate(f"axe.run(document, {AXE_RULES})")["violations"]:
            targets = [node["target"] for node in violation["nodes"][:3]]
            problems.append(f"axe {path}: {violation['id']}: {violation['help']} {targets}")
        saved.append((path, response.text()))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlparse(urljoin(base + path, href))
            if url.netloc == urlparse(base).netloc and not NOT_PAGES.search(url.path) and shape(url.path) not in seen_shapes:
                queue.append(url.path)


def vnu_errors(saved: list) -> list[str]:
    """One run of the Nu HTML Checker over every saved page (it refuses loopback URLs)."""
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for number, (path, html) in enumerate(saved):
            file = Path(folder) / f"page{number}.html"
            file.write_text(html)
            files[str(file)] = path
        run = subprocess.run(
            ["java", "-jar", str(NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"), "--errors-only", "--format", "gnu", *files],
            capture_output=True,
            text=True,
        )
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    for file, path in files.items():
        errors = [line.replace(file, path) for line in errors]
    assert run.returncode == 0 or errors, run.stderr
    return errors


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_demo_page_passes_axe_and_the_html_checker(browser, live_server, language):
    call_command("demo", stdout=open("/dev/null", "w"))
    problems, saved = [], []
    anonymous = browser.new_context()
    anonymous.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = anonymous.new_page()
    for path in ("/login/", "/s/"):
        response = page.goto(live_server.url + path)
        saved.append((path, response.text()))  # as served, before axe is injected
        page.add_script_tag(content=(NODE_MODULES / "axe-core" / "axe.min.js").read_text())
        problems += [f"axe {path}: {v['id']}: {v['help']}" for v in page.evaluate(f"axe.run(document, {AXE_RULES})")["violations"]]
    anonymous.close()
    for role in ROLES:
        context = browser.new_context()
        page = context.new_page()
        browser_login(page, live_server, f"{role}@demo.cascade.example", "cascade-demo")
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        crawl(page, live_server.url, set(), problems, saved)  # each role's pages differ
        context.close()
    assert len(saved) > 30, "the crawl should reach the demo's pages"
    if language == "ar":
        assert all('dir="rtl"' in html for _path, html in saved)
    problems += [f"vnu {line}" for line in vnu_errors(saved)]
    assert not problems, "\n".join(problems)
