"""Attacks on self sign-in: guessing the room code, and signing someone in with a pass or a
ticket link that was issued to another person.

Personas (fixtures/__init__.py): lena leads the session; pat plays Alice, who is in the room;
quinn plays Bob, who is not and would like to be counted, or to count Alice; mallory is
anonymous.
"""

import datetime
import re
from urllib.parse import unquote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cascade.testing import PASSWORD
from dialogues.models import Attendance
from dialogues.signin import signin_code

from .fixtures import login, make_people, make_session

ENTRY = "/s/"
TOO_MANY = "Too many wrong codes"


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def session(people):
    return make_session(people["lena"])


def enter(client, code, address="198.51.100.7"):
    return client.get(ENTRY, {"c": code}, REMOTE_ADDR=address)


def wrong_code(session, number):
    """A code of the right shape for this session that is not the one shown."""
    shown = {signin_code(session, timezone.now() - datetime.timedelta(minutes=m)).split("-")[1] for m in range(0, 70)}
    candidates = (f"{a}{b}{c}KM" for a in "23456789" for b in "ABCDEFGH" for c in "JKMNPQRS")
    return f"{session.pk}-{[c for c in candidates if c not in shown][number]}"


def pass_of(page: str) -> str:
    return re.search(r'name="pass" value="([^"]+)"', page).group(1)


# -- guessing the room code --------------------------------------------------------------------


def test_room_code_guessing_is_throttled(people, session):
    mallory = Client()
    for number in range(10):
        response = enter(mallory, wrong_code(session, number))
        assert response.status_code == 400 and "This code is not valid or has expired" in response.content.decode()
    response = enter(mallory, signin_code(session))  # even the right code, once locked
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert "/login/" not in response.get("Location", "")
    someone_else = Client()
    response = enter(someone_else, signin_code(session), address="192.0.2.30")
    assert response.status_code == 302 and "/dialogues/signin/" in unquote(response.url)


def test_room_code_guessing_from_many_addresses_is_throttled_per_account(people, session):
    bob = Client()
    login(bob, people["quinn"])
    for number in range(10):
        assert enter(bob, wrong_code(session, number), address=f"198.51.100.{number}").status_code == 400
    response = enter(bob, signin_code(session), address="192.0.2.99")
    assert response.status_code == 429 and TOO_MANY in response.content.decode()


def test_a_slow_typist_with_a_code_that_just_expired_is_not_guessing(people, session, settings):
    settings.CASCADE_SIGNIN_GRACE_MINUTES = 2
    stale = signin_code(session, timezone.now() - datetime.timedelta(minutes=5))
    slow = Client()
    for _ in range(12):
        response = enter(slow, stale)
        assert response.status_code == 400 and "has expired" in response.content.decode()
    response = enter(slow, signin_code(session))
    assert response.status_code == 302 and "/dialogues/signin/" in unquote(response.url)


def test_room_code_lock_ends_after_the_window(people, session):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        mallory = Client()
        for number in range(11):
            enter(mallory, wrong_code(session, number))
        assert enter(mallory, signin_code(session)).status_code == 429
        traveller.shift(datetime.timedelta(minutes=11))
        response = enter(mallory, signin_code(session))
    assert response.status_code == 302


def test_typed_code_entry_without_a_code_is_not_counted(people, session):
    for _ in range(15):
        assert Client().get(ENTRY, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert enter(Client(), signin_code(session)).status_code == 302


# -- passes and ticket links are for the person they were issued to ----------------------------


def alice_at_the_sign_in_page(people, session):
    alice = Client()
    login(alice, people["pat"])
    url = enter(alice, signin_code(session)).url
    page = alice.get(url).content.decode()
    assert "Sign in</button>" in page
    return alice, url, pass_of(page)


def test_pass_issued_to_alice_does_not_sign_in_bob(people, session):
    _alice, url, alices_pass = alice_at_the_sign_in_page(people, session)
    bob = Client()
    login(bob, people["quinn"])
    bobs_url = enter(bob, signin_code(session)).url  # Bob typed the code himself: his ticket is genuine
    response = bob.post(bobs_url, {"pass": alices_pass})
    assert response.status_code == 200 and "You are signed in" in response.content.decode()
    assert list(Attendance.objects.values_list("person__name", flat=True)) == ["Quinn Report"]  # Bob, never Alice
    mallory = Client()  # nobody logged in, no cookie: the pass alone is not enough
    response = mallory.post(url, {"pass": alices_pass})
    assert response.status_code == 400 and "Type the code shown in the room" in response.content.decode()
    assert not Attendance.objects.filter(person=people["pat"]).exists()


def test_pass_issued_to_alice_still_signs_her_in(people, session):
    alice, url, alices_pass = alice_at_the_sign_in_page(people, session)
    response = alice.post(url, {"pass": alices_pass})
    assert response.status_code == 200 and "You are signed in" in response.content.decode()
    assert list(Attendance.objects.values_list("person__name", flat=True)) == ["Pat Participant"]


def test_ticket_link_forwarded_is_refused(people, session):
    alice = Client()
    login(alice, people["pat"])
    url = enter(alice, signin_code(session)).url  # Alice scanned, then sends the link to Bob by chat
    assert url.startswith(reverse("dialogues:signin", args=[session.pk]))
    bob = Client()
    login(bob, people["quinn"])
    response = bob.get(url)
    assert response.status_code == 400
    assert "This sign-in link was opened in another browser" in response.content.decode()
    response = bob.post(url)
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    page = alice.get(url).content.decode()  # the link still works in the browser that scanned
    assert "Sign in</button>" in page
    alice.post(url, {"pass": pass_of(page)})
    assert list(Attendance.objects.values_list("person__name", flat=True)) == ["Pat Participant"]


def test_ticket_survives_the_login_in_between(people, session):
    phone = Client()
    response = enter(phone, signin_code(session))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    next_url = re.search(r"next=([^&]+)", response.url).group(1)
    response = phone.post(reverse("login"), {"username": "pat@example.org", "password": PASSWORD, "next": unquote(next_url)})
    assert response.status_code == 302
    page = phone.get(response.url).content.decode()
    assert "Sign in</button>" in page
    assert "You are signed in" in phone.post(response.url, {"pass": pass_of(page)}).content.decode()
    assert Attendance.objects.filter(person=people["pat"]).exists()
