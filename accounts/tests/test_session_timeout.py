"""A login session ends after CASCADE_SESSION_IDLE_MINUTES without a request, and in any case
CASCADE_SESSION_MAX_HOURS after the login. A screen shown to a room (the facilitator's live
count, the room display) polls by itself: its polls keep the session for at most
CASCADE_SESSION_SCREEN_MINUTES after the user's last own request.

Personas: alice has an account; lena leads a session in progress (dialogues' fixtures).
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cascade.testing import PASSWORD

START = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.org", PASSWORD)


def log_in(client, email="alice@example.org"):
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302


def still_in(client) -> bool:
    response = client.get(reverse("preferences"))
    if response.status_code == 200:
        assert "Reminders by e-mail" in response.content.decode()
        return True
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    return False


def test_session_expires_after_idle_timeout(client, alice):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client)
        clock.shift(datetime.timedelta(minutes=29))
        assert still_in(client)
        clock.shift(datetime.timedelta(minutes=29))
        assert still_in(client)  # 29 minutes after the last request
        clock.shift(datetime.timedelta(minutes=31))
        assert not still_in(client)
        assert "_auth_user_id" not in client.session
        page = client.get(reverse("login")).content.decode()
    assert "You were logged out after 30 minutes without activity" in page


def test_idle_minutes_are_a_setting(client, alice, settings):
    settings.CASCADE_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        log_in(client)
        clock.shift(datetime.timedelta(minutes=6))
        assert not still_in(client)


def test_activity_keeps_the_session_until_its_absolute_lifetime(client, alice):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client)
        for _ in range(35):  # a request every 20 minutes for 11 h 40
            clock.shift(datetime.timedelta(minutes=20))
            assert still_in(client)
        clock.shift(datetime.timedelta(minutes=21))  # 12 h 01 after the login
        assert not still_in(client)


def test_logging_in_again_starts_a_new_lifetime(client, alice):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client)
        for _ in range(36):
            clock.shift(datetime.timedelta(minutes=20))
            assert still_in(client)
        clock.shift(datetime.timedelta(minutes=20))
        assert not still_in(client)
        log_in(client)
        clock.shift(datetime.timedelta(minutes=20))
        assert still_in(client)


def test_last_activity_is_written_at_most_once_a_minute(client, alice):
    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert still_in(client)
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]]

    with time_machine.travel(START, tick=False) as clock:
        log_in(client)
        clock.shift(datetime.timedelta(minutes=2))
        assert len(session_writes()) == 1
        clock.shift(datetime.timedelta(seconds=20))
        assert session_writes() == []
        clock.shift(datetime.timedelta(seconds=50))
        assert len(session_writes()) == 1


def test_htmx_request_after_expiry_goes_to_the_login_page_not_into_the_fragment(client, alice):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client)
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("preferences"), HTTP_HX_CURRENT_URL="http://testserver/preferences/?x=1", **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=/preferences/%3Fx%3D1"
    assert response.content == b""


# -- a screen that polls -----------------------------------------------------------------------


@pytest.fixture
def led(db):
    from dialogues.tests.fixtures import make_people, make_session

    people = make_people()
    return people["lena"], make_session(people["lena"])


def poll(client, session):
    return client.get(reverse("dialogues:facilitate_count", args=[session.pk]), **HTMX)


def test_facilitator_screen_polls_keep_the_session_for_a_while_but_not_forever(client, led, settings):
    settings.CASCADE_SESSION_SCREEN_MINUTES = 90
    lena, session = led
    with time_machine.travel(datetime.datetime.now(datetime.UTC), tick=False) as clock:
        log_in(client, lena.email)
        assert client.get(reverse("dialogues:facilitate", args=[session.pk])).status_code == 200
        for _ in range(17):  # the screen polls for 85 minutes; lena does not touch it
            clock.shift(datetime.timedelta(minutes=5))
            response = poll(client, session)
            assert response.status_code == 200 and "signed in" in response.content.decode()
        clock.shift(datetime.timedelta(minutes=3))
        assert client.get(reverse("dialogues:facilitate", args=[session.pk])).status_code == 200  # she comes back: still in
        for _ in range(19):  # the screen left open for 95 more minutes
            clock.shift(datetime.timedelta(minutes=5))
            response = poll(client, session)
        assert response.status_code == 286  # htmx stops polling
        assert not still_in(client)


def test_polls_do_not_outlive_the_idle_timeout_when_the_screen_was_closed(client, led):
    lena, session = led
    with time_machine.travel(datetime.datetime.now(datetime.UTC), tick=False) as clock:
        log_in(client, lena.email)
        clock.shift(datetime.timedelta(minutes=31))
        assert poll(client, session).status_code == 286
