# ruff: noqa: F811 (the fixtures of test_running, imported by name, are parameters here)
"""The room view: the kit on the projector as slides (the topic, the agenda, the ground rules,
each scenario chosen for the session and its questions), never the leader's notes; only the
session's leader opens it; in a browser, the keyboard alone moves through it. The named test
people (cascade/testing.py), Lena's session D1 and the kit of test_running.py."""

import pytest
from django.urls import reverse

from cascade.testing import PASSWORD, login
from conftest import browser_login
from kit.models import Kit
from org.models import Person

from .test_running import d1, kit  # noqa: F401 (fixtures)

LEADER_NOTES = ["Welcome everyone and agree the ground rules.", "Point to remember on", "Staff regulation 1.2", "Read the scenario aloud"]


def room_url(session):
    return reverse("dialogues:room", args=[session.pk])


def test_the_room_view_shows_the_chosen_scenarios_and_their_questions_without_leader_notes(client, people, d1, kit):
    kit["kit"].ground_rules = "Speak for yourself; what is said here stays here."
    kit["kit"].save()
    d1.scenarios.set(kit["scenarios"][:2])
    login(client, people.leader)
    response = client.get(room_url(d1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Speaking up" in page and "Introduction" in page and "Scenario discussions" in page
    assert "Speak for yourself; what is said here stays here." in page
    for title in ("The gift", "The post"):
        assert f"What happens in {title}." in page
        assert f"What should be done about {title}?" in page and f"Who could help with {title}?" in page
    assert "The friend" not in page
    for note in LEADER_NOTES:
        assert note not in page
    # 3 fixed slides, then per scenario its text and its one question.
    assert page.count('class="slide slide-') == 3 + 2 * 2
    assert "js/room.js" in page and "<script>" not in page


def test_without_a_choice_the_room_view_offers_every_scenario(client, people, d1, kit):
    login(client, people.leader)
    page = client.get(room_url(d1)).content.decode()
    assert all(f"What happens in {title}." in page for title in ("The gift", "The post", "The friend"))


def test_without_a_published_kit_the_leader_is_sent_back_to_facilitator_mode(client, people, d1):
    login(client, people.leader)
    response = client.get(room_url(d1), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dialogues:facilitate", args=[d1.pk])
    assert "has not published yet" in response.content.decode()


@pytest.mark.parametrize("who", ["monitor", "focal", "ethics", "peer"])
def test_only_the_leader_opens_the_room_view(client, people, d1, kit, who):
    login(client, getattr(people, who))
    assert client.get(room_url(d1)).status_code == 404


def test_facilitator_mode_links_the_room_view(client, people, d1, kit):
    login(client, people.leader)
    page = client.get(reverse("dialogues:facilitate", args=[d1.pk])).content.decode()
    assert f'href="{room_url(d1)}"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_room_view_moves_with_the_keyboard_only(page, live_server, people, d1, kit):
    d1.scenarios.set(kit["scenarios"][:2])
    # Lena reads French; the words of this walk are the English ones (the keys are the subject).
    Person.objects.filter(pk=people.leader.person.pk).update(language="en")
    browser_login(page, live_server, people.leader.email, PASSWORD)
    page.goto(f"{live_server.url}{room_url(d1)}")
    visible = page.locator(".slide:visible")
    assert visible.count() == 1 and "Speaking up" in visible.inner_text()
    assert page.locator("[data-position]").inner_text() == "Slide 1 of 7"
    page.keyboard.press("ArrowRight")
    assert "Introduction" in page.locator(".slide:visible").inner_text()
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowRight")
    assert "What happens in The gift." in page.locator(".slide:visible").inner_text()
    page.keyboard.press("ArrowRight")
    assert "What should be done about The gift?" in page.locator(".slide:visible").inner_text()
    page.keyboard.press("End")
    assert page.locator("[data-position]").inner_text() == "Slide 7 of 7"
    page.keyboard.press("ArrowRight")  # stays on the last
    assert "What should be done about The post?" in page.locator(".slide:visible").inner_text()
    page.keyboard.press("ArrowLeft")
    assert "What happens in The post." in page.locator(".slide:visible").inner_text()
    page.keyboard.press("Home")
    assert page.locator("[data-position]").inner_text() == "Slide 1 of 7"
    for note in LEADER_NOTES:
        assert note not in page.content()
    assert Kit.objects.get().published
