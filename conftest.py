"""Test set-up shared by every app: the test clock, a fast password hasher and the contracts'
sample files.

The clock: no test reads the real date. The whole session runs at TEST_NOW, and each test starts
there again (the clock ticks from it), so that what a test sees does not depend on the day, the
hour or the order the tests run in. TEST_NOW is DEFAULT_TEST_NOW, an ordinary day of a cycle, or
the instant that the environment variable CASCADE_TEST_NOW names (ISO 8601 with its offset:
`CASCADE_TEST_NOW=2026-12-30T12:00:00Z`). Tests whose outcome depends on the date are marked
`clock`; `./dev test` runs them again at the edges of the year (the `dev` script's CLOCK_INSTANTS).
A test that needs a day of its own says so with `@pytest.mark.time_machine(instant)`.
"""

import datetime
import os
from pathlib import Path

import pytest
import time_machine

# The named test people (`people`), one per role: cascade/testing.py.
pytest_plugins = ["cascade.testing"]

# The contracts' sample files, copied into the repository: a clone alone has them.
CONTRACTS = Path(__file__).resolve().parent / "cascade" / "tests" / "contracts"

DEFAULT_TEST_NOW = "2026-11-18T10:00:00Z"  # a Wednesday morning in UTC, six weeks before the 2026 cycle's deadline


def _test_now() -> datetime.datetime:
    value = os.environ.get("CASCADE_TEST_NOW", "").strip() or DEFAULT_TEST_NOW
    try:
        instant = datetime.datetime.fromisoformat(value)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise SystemExit(f"CASCADE_TEST_NOW={value!r} is not an instant in ISO 8601 with its offset, such as 2026-12-30T12:00:00Z")
    return instant


TEST_NOW = _test_now()

# Started as soon as this file is read, before the test modules (and the conftest.py files below
# this one) are imported: a date computed at import time is then TEST_NOW's date too.
_session_clock = time_machine.travel(TEST_NOW, tick=True)
_session_clock.start()


def pytest_unconfigure(config):
    _session_clock.stop()


def pytest_addoption(parser):
    parser.addoption("--clock-only", action="store_true", help="run only the tests marked `clock` (with any -m or -k given as well)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--clock-only"):
        deselected = [item for item in items if not item.get_closest_marker("clock")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if item.get_closest_marker("clock")]


def pytest_report_header(config):
    return f"test clock: {TEST_NOW.isoformat()} (CASCADE_TEST_NOW {'set' if os.environ.get('CASCADE_TEST_NOW', '').strip() else 'not set'})"


@pytest.fixture(autouse=True)
def _clock(request):
    """Each test starts at TEST_NOW, unless it travels to an instant of its own with the marker
    `time_machine` (time-machine's fixture then moves the clock)."""
    if request.node.get_closest_marker("time_machine"):
        yield
        return
    with time_machine.travel(TEST_NOW, tick=True):
        yield


def cycle_around_today(**fields):
    """This year's cycle, open from two months before today to two months after: sessions a
    few days either side of today are inside it whatever the day, 30 December too."""
    from django.utils import timezone

    from org.models import Cycle

    today = timezone.localdate()
    fields.setdefault("topic", "Gifts and favours")
    return Cycle.objects.create(year=today.year, opens=today - datetime.timedelta(days=60), deadline=today + datetime.timedelta(days=60), **fields)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each test starts in the default language: a request the test client made in French
    leaves French active in this thread (the locale middleware does not reset it)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def formats_dir() -> Path:
    """The contracts' sample files: sample-org.csv, sample-attendance.csv, sample-rollup.json, sample-cascade.json."""
    return CONTRACTS


class SmtpInbox:
    """Messages received by a real SMTP server on loopback (aiosmtpd)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings):
    """Point the default mailer at an aiosmtpd server on 127.0.0.1 and collect what arrives."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10}}
    }
    try:
        yield inbox
    finally:
        controller.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def browser_login(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
