"""Every page of the demo, as every role, in English and in Arabic, passes axe-core (WCAG 2.2 AA
and best practices) in Debian's Chromium and the Nu HTML Checker with no error.

The crawl follows the links each role sees, from the home page; pages of the same shape (two
sessions, two entities) are checked once per role. Downloads (PDF, CSV, XLSX) are not pages."""

import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cascade.tests.crawl import PUBLIC_PAGES, ROLES, anonymous_page, crawl, role_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_RULES = "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']}"


def axe_violations(page, path: str) -> list[str]:
    page.add_script_tag(content=(NODE_MODULES / "axe-core" / "axe.min.js").read_text())
    problems = []
    for violation in page.evaluate(f"axe.run(document, {AXE_RULES})")["violations"]:
        targets = [node["target"] for node in violation["nodes"][:3]]
        problems.append(f"axe {path}: {violation['id']}: {violation['help']} {targets}")
    return problems


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
    page = anonymous_page(browser, live_server, language, bypass_csp=True)  # axe is injected as an inline script
    for path in PUBLIC_PAGES:
        response = page.goto(live_server.url + path)
        saved.append((path, response.text()))  # as served, before axe is injected
        problems += axe_violations(page, path)
    page.context.close()
    for role in ROLES:
        page = role_page(browser, live_server, role, language, bypass_csp=True)

        def check(path, response, page=page):
            saved.append((path, response.text()))
            problems.extend(axe_violations(page, path))

        crawl(page, live_server.url, check)  # each role's pages differ
        page.context.close()
    assert len(saved) > 30, "the crawl should reach the demo's pages"
    if language == "ar":
        assert all('dir="rtl"' in html for _path, html in saved)
    problems += [f"vnu {line}" for line in vnu_errors(saved)]
    assert not problems, "\n".join(problems)
