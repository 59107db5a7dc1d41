"""Changing one's password, and resetting a forgotten one by e-mail (Django's own views, in the
site's pages). A reset request answers the same whether or not the account exists, and is
throttled per client address and per e-mail address.

Personas: alice has an account and is linked to a person who reads French; bob has an account;
mallory has none.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cascade.testing import PASSWORD
from core.models import AuditEntry
from org.models import Entity, Person

NEW_PASSWORD = "another-long-passphrase-42"
RESET = "/password/reset/"


@pytest.fixture
def alice(db):
    entity = Entity.objects.create(code="E1", name="Entity One")
    person = Person.objects.create(index_number="A1", name="Alice Archer", email="alice@example.org", entity=entity, language="fr")
    return User.objects.create_user("alice@example.org", PASSWORD, person=person)


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.org", PASSWORD)


@pytest.fixture
def locmem(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def can_log_in(email, password) -> bool:
    response = Client().post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="192.0.2.200")
    return response.status_code == 302


# -- changing one's password -------------------------------------------------------------------


def test_preferences_page_links_to_change_password(client, alice):
    client.force_login(alice)
    page = client.get(reverse("preferences")).content.decode()
    assert f'href="{reverse("password_change")}"' in page and "Change password" in page


def test_password_change_needs_the_old_password(client, alice):
    client.force_login(alice)
    page = client.get(reverse("password_change")).content.decode()
    assert 'class="site-header"' in page and "Old password" in page  # the site's page, not the admin's
    response = client.post(reverse("password_change"), {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 200 and "Your old password was entered incorrectly" in response.content.decode()
    assert can_log_in("alice@example.org", PASSWORD)
    assert not AuditEntry.objects.filter(action="account.password_change").exists()


def test_password_change_keeps_this_session_ends_the_others_and_is_audited(client, alice):
    client.force_login(alice)
    elsewhere = Client()
    elsewhere.force_login(alice)
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert "Your password was changed" in client.get(response.url).content.decode()
    assert client.get(reverse("preferences")).status_code == 200
    assert elsewhere.get(reverse("preferences")).status_code == 302  # the other browser is logged out
    assert can_log_in("alice@example.org", NEW_PASSWORD) and not can_log_in("alice@example.org", PASSWORD)
    entry = AuditEntry.objects.get(action="account.password_change")
    assert entry.actor == alice and entry.target == "alice@example.org"


def test_password_change_refuses_a_common_password(client, alice):
    client.force_login(alice)
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"})
    assert response.status_code == 200 and "This password is too common" in response.content.decode()


def test_anonymous_cannot_change_a_password(client, alice):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# -- a forgotten password ----------------------------------------------------------------------


def test_login_page_links_to_the_password_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Forgot your password?" in page


def test_password_reset_by_email_end_to_end(client, alice, smtp_inbox):
    page = client.get(RESET).content.decode()
    assert 'class="site-header"' in page and 'type="email"' in page
    response = client.post(RESET, {"email": "Alice@Example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "If an account uses this address" in client.get(response.url).content.decode()
    [message] = smtp_inbox.messages
    assert message["To"] == "alice@example.org"
    body = message.get_content()
    link = re.search(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)", body).group(1)
    assert "Réinitialisation" in message["Subject"]  # in alice's language
    response = client.get(link)
    assert response.status_code == 302  # the token leaves the address bar
    form_url = response.url
    page = client.get(form_url).content.decode()
    assert "New password" in page
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")
    assert can_log_in("alice@example.org", NEW_PASSWORD) and not can_log_in("alice@example.org", PASSWORD)
    assert AuditEntry.objects.filter(action="account.password_reset", target="alice@example.org").exists()
    assert client.get(link).status_code == 200 and "no longer valid" in client.get(link).content.decode()  # used once


def test_password_reset_answers_the_same_for_an_unknown_address(alice, locmem):
    answers = []
    for email in ("alice@example.org", "mallory@example.org"):
        response = Client().post(RESET, {"email": email}, REMOTE_ADDR="198.51.100.3")
        answers.append((response.status_code, response.get("Location")))
    assert answers[0] == answers[1] == (302, reverse("password_reset_done"))
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_password_reset_is_throttled_per_email_address_silently(client, alice, locmem):
    for number in range(5):
        response = client.post(RESET, {"email": "alice@example.org"}, REMOTE_ADDR=f"198.51.100.{number}")
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 3  # alice's mailbox is not flooded; the answer says nothing


def test_password_reset_is_throttled_per_client_address(client, alice, locmem):
    for number in range(10):
        client.post(RESET, {"email": f"guess{number}@example.org"}, REMOTE_ADDR="203.0.113.4")
    response = client.post(RESET, {"email": "alice@example.org"}, REMOTE_ADDR="203.0.113.4")
    assert response.status_code == 429 and "Too many password reset requests" in response.content.decode()
    assert mail.outbox == []
    assert Client().post(RESET, {"email": "alice@example.org"}, REMOTE_ADDR="192.0.2.8").status_code == 302
    assert len(mail.outbox) == 1


def test_a_reset_password_lifts_the_login_lockout(client, alice, locmem):
    for _ in range(6):
        client.post(reverse("login"), {"username": "alice@example.org", "password": "wrong"}, REMOTE_ADDR="203.0.113.5")
    assert not can_log_in("alice@example.org", PASSWORD)  # locked
    client.post(RESET, {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert can_log_in("alice@example.org", NEW_PASSWORD)


def test_a_forged_reset_link_is_refused(client, alice):
    response = client.get("/password/reset/MQ/abc-123/")
    assert response.status_code == 200 and "no longer valid" in response.content.decode()
