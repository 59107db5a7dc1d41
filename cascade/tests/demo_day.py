"""The demo as seen on a fixed day, for browser tests whose pages show dates and states (the
task list): the clock is set to that day, running, while the demo loads and the test runs.

The browser keeps cookies by the real clock, while the server's is set back: its cookies then
carry no expiry date (they last as long as the browser context), or the browser would drop
them as already expired."""

import contextlib
import datetime
import io

import time_machine
from django.core.management import call_command

DAY = datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC)  # a Monday, halfway through the demo's cycle


@contextlib.contextmanager
def demo_seen_on(settings, day: datetime.datetime = DAY):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.LANGUAGE_COOKIE_AGE = None
    with time_machine.travel(day, tick=True):
        call_command("demo", stdout=io.StringIO())
        yield day
