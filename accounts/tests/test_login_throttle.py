"""Password guessing on the login page: failures are counted per account (the e-mail typed,
whether or not it exists), per client address and per browser, in the database cache that every
worker shares; past the limit the login is refused, even with the right password, until the
window has passed.

Personas: alice has an account; mallory is the attacker, on another address unless a test says.
"""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cascade.testing import PASSWORD

LOGIN = "/login/"
LOCKED = "Too many failed attempts to log in"
START = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.org", PASSWORD)


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.org", PASSWORD)


WRONG = "wrong-password"


def attempt(client, email, password=WRONG, address="198.51.100.7", **headers):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, **headers)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_fifty_wrong_passwords_then_right_one_is_locked_out(client, alice):
    for _ in range(50):
        attempt(client, "alice@example.org")
    response = attempt(client, "alice@example.org", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    assert client.get(reverse("home")).status_code == 302  # still anonymous


def test_the_account_is_locked_from_every_address_after_five_failures(client, alice):
    for number in range(5):
        assert attempt(client, "alice@example.org", address=f"198.51.100.{number}").status_code == 200
    response = attempt(client, "ALICE@example.org", PASSWORD, address="192.0.2.50")  # another address, the e-mail in capitals
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)


def test_four_failures_then_the_right_password_logs_in_and_starts_the_count_again(client, alice):
    for _ in range(4):
        attempt(client, "alice@example.org")
    response = attempt(client, "alice@example.org", PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    client.logout()
    for _ in range(4):
        assert attempt(client, "alice@example.org").status_code == 200
    assert attempt(client, "alice@example.org", PASSWORD).status_code == 302


def test_lockout_ends_after_the_window(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(6):
            attempt(client, "alice@example.org")
        assert attempt(client, "alice@example.org", PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=14))
        assert attempt(client, "alice@example.org", PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=2))
        response = attempt(client, "alice@example.org", PASSWORD)
        assert response.status_code == 302 and logged_in(client)


def test_lockout_message_same_for_unknown_account(alice):
    pages = {}
    for email, address in (("alice@example.org", "198.51.100.1"), ("nobody@example.org", "198.51.100.2")):
        client = Client()  # each from their own browser
        for _ in range(5):
            wrong = attempt(client, email, address=address)
            assert wrong.status_code == 200 and "Please enter a correct e-mail and password" in wrong.content.decode()
        locked = attempt(client, email, address=address)
        pages[email] = (locked.status_code, locked.content.decode().replace(email, "EMAIL"))
    assert pages["alice@example.org"][0] == pages["nobody@example.org"][0] == 429
    assert LOCKED in pages["alice@example.org"][1]
    tokens = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF tokens differ from page to page
    assert tokens.sub("", pages["alice@example.org"][1]) == tokens.sub("", pages["nobody@example.org"][1])


def test_one_address_trying_many_accounts_is_locked_out(client, alice, bob):
    for number in range(20):
        attempt(client, f"guess{number}@example.org", address="203.0.113.9")
    response = attempt(client, "bob@example.org", PASSWORD, address="203.0.113.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)
    response = attempt(client, "bob@example.org", PASSWORD, address="192.0.2.1")  # bob at his desk is not locked out
    assert response.status_code == 302 and logged_in(client)


def test_forged_forwarded_for_header_does_not_escape_the_address_limit(client, alice, bob):
    for number in range(20):
        attempt(client, f"guess{number}@example.org", address="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = attempt(client, "bob@example.org", PASSWORD, address="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429 and not logged_in(client)


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, settings, alice, bob):
    settings.CASCADE_TRUSTED_PROXIES = 1
    proxy = "10.1.1.1"
    for number in range(20):  # the attacker forges a first entry; the proxy appends the real one
        attempt(client, f"guess{number}@example.org", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9")
    response = attempt(client, "bob@example.org", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429 and not logged_in(client)
    response = attempt(client, "bob@example.org", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302 and logged_in(client)


def test_one_browser_is_limited_across_addresses(client, alice, bob):
    client.get(LOGIN)  # the browser's CSRF cookie identifies it
    for number in range(10):
        attempt(client, f"guess{number}@example.org", address=f"198.51.100.{number}")
    response = attempt(client, "bob@example.org", PASSWORD, address="192.0.2.77")
    assert response.status_code == 429 and not logged_in(client)


def test_limits_are_settings(client, settings, alice):
    settings.CASCADE_THROTTLES = {**settings.CASCADE_THROTTLES, "login_account": (2, 15)}
    attempt(client, "alice@example.org")
    attempt(client, "alice@example.org")
    assert attempt(client, "alice@example.org", PASSWORD).status_code == 429


def test_counters_live_in_the_shared_database_cache(client, alice):
    from django.db import connection

    attempt(client, "alice@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cascade_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle" in key for key in keys)
    assert not any("alice" in key or "198.51.100" in key for key in keys)  # no e-mail or address in clear


def test_the_admin_login_is_the_same_throttled_login(client, alice):
    User.objects.filter(pk=alice.pk).update(is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "alice@example.org", "password": WRONG, "next": "/admin/"}, REMOTE_ADDR="198.51.100.7")
    response = client.post("/admin/login/", {"username": "alice@example.org", "password": PASSWORD, "next": "/admin/"}, REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)


def test_the_admin_login_still_leads_staff_to_the_admin(client, alice):
    User.objects.filter(pk=alice.pk).update(is_staff=True, is_superuser=True)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    response = client.post(response.url, {"username": "alice@example.org", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
