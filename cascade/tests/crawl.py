"""The demo's pages as each role sees them, for the browser tests that check every page
(accessibility, languages): log in as a demo persona, follow the links from the home page.

Pages of the same shape (two sessions, two entities) are visited once per role. Downloads
(PDF, CSV, XLSX) are not pages."""

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlparse

from django.conf import settings

from conftest import browser_login

ROLES = ["noor.lindqvist", "rosa.achterberg", "leyla.hosseini", "defne.arslan", "hiwot.alemu", "claire.lefevre"]
PASSWORD = "cascade-demo"
PUBLIC_PAGES = ("/login/", "/s/", "/password/reset/", "/password/reset/sent/", "/password/reset/MQ/invalid-token/")
NOT_PAGES = re.compile(r"/(logout|admin)/|\.(pdf|xlsx|csv)$|/static/|/i18n/|/export")
MAX_PAGES_PER_ROLE = 60


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def speak(context, live_server, language: str) -> None:
    """Switch the context's pages to a language, as the language switcher does."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def anonymous_page(browser, live_server, language: str, **options):
    """A page in a new browser context, nobody logged in, speaking `language`."""
    page = browser.new_context(**options).new_page()
    speak(page.context, live_server, language)
    return page


def role_page(browser, live_server, role: str, language: str, **options):
    """A page in a new browser context, logged in as a demo persona, then speaking `language`
    (the login sets the language of the person's record; the cookie set after it wins)."""
    page = browser.new_context(**options).new_page()
    browser_login(page, live_server, f"{role}@demo.cascade.example", PASSWORD)
    speak(page.context, live_server, language)
    return page


def crawl(page, base: str, visit: Callable[[str, object], None]) -> list[str]:
    """Follow the links the page's user sees, from the home page, breadth first; call
    `visit(path, response)` on each HTML page reached (the page is loaded in `page`) and return
    their paths."""
    queue, seen_shapes, visited = ["/"], set(), []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        response = page.goto(base + path)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(path)
        visit(path, response)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlparse(urljoin(base + path, href))
            if url.netloc == urlparse(base).netloc and not NOT_PAGES.search(url.path) and shape(url.path) not in seen_shapes:
                queue.append(url.path)
    return visited
