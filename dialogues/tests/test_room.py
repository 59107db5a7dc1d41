# ruff: noqa: F811 (the fixtures of test_running, imported by name, are parameters here)
"""The room view: the kit on the projector as slides (the topic, the agenda, the ground rules,
each scenario chosen for the session and its questions), never the leader's notes; only the
session's leader opens it; in a browser, the keyboard alone moves through it."""

import pytest
from django.urls import reverse

from accounts.models import Role
from conftest import browser_login
from kit.models import Kit

from .test_running import kit, lena, org, user  # noqa: F401 (fixtures)

LEADER_NOTES = ["Welcome everyone and agree the ground rules.", "Point to remember on", "Staff regulation 1.2", "Read the scenario aloud"]


def room_url(session):
    return reverse("dialogues:room", args=[session.pk])


def test_the_room_view_shows_the_chosen_scenarios_and_their_questions_without_leader_notes(client, org, kit, lena):
    kit["kit"].ground_rules = "Speak for yourself; what is said here stays here."
    kit["kit"].save()
    org["session"].scenarios.set(kit["scenarios"][:2])
    client.force_login(lena)
    response = client.get(room_url(org["session"]))
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


def test_without_a_choice_the_room_view_offers_every_scenario(client, org, kit, lena):
    client.force_login(lena)
    page = client.get(room_url(org["session"])).content.decode()
    assert all(f"What happens in {title}." in page for title in ("The gift", "The post", "The friend"))


def test_without_a_published_kit_the_leader_is_sent_back_to_facilitator_mode(client, org, lena):
    client.force_login(lena)
    response = client.get(room_url(org["session"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dialogues:facilitate", args=[org["session"].pk])
    assert "has not published yet" in response.content.decode()


@pytest.mark.parametrize("who", ["monitor", "focal_point", "ethics_office", "other_manager"])
def test_only_the_leader_opens_the_room_view(client, org, kit, who):
    accounts = {
        "monitor": lambda: user("mona@example.org", org["reports"][3]),
        "focal_point": lambda: user("fiona@example.org", None, (Role.FOCAL_POINT, org["e1"])),
        "ethics_office": lambda: user("eve@example.org", None, (Role.ETHICS_OFFICE, None)),
        "other_manager": lambda: user("otto@example.org", org["otto"]),
    }
    client.force_login(accounts[who]())
    assert client.get(room_url(org["session"])).status_code == 404


def test_facilitator_mode_links_the_room_view(client, org, kit, lena):
    client.force_login(lena)
    page = client.get(reverse("dialogues:facilitate", args=[org["session"].pk])).content.decode()
    assert f'href="{room_url(org["session"])}"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_room_view_moves_with_the_keyboard_only(page, live_server, org, kit):
    lena_user = user("lena@example.org", org["lena"])
    lena_user.set_password("a-long-test-password")
    lena_user.save()
    org["session"].scenarios.set(kit["scenarios"][:2])
    browser_login(page, live_server, "lena@example.org", "a-long-test-password")
    page.goto(f"{live_server.url}{room_url(org['session'])}")
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
