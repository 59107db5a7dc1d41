"""The dialogue kit: the Ethics Office edits every part of it; leaders and participants read
their guide once it is published, and a participant never sees the leader's notes.

The named test people (cascade/testing.py), with cycle 2026:
- people.ethics (Eve): the Ethics Office, not in the organization file;
- people.focal (Fiona): focal point of E1, no reports;
- people.leader (Lena): a manager in E1;
- people.participant (Adam): a participant with no reports.
"""

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from cascade.testing import login
from core.models import AuditEntry
from demo.kit import DEMO_KIT, load_demo_kit
from kit.models import AgendaItem, DiscussionQuestion, Kit, Scenario, ScenarioFormat
from kit.selectors import kit_for_cycle
from kit.services import question_save, scenario_save
from org.models import Cycle

YEAR = 2026
# Texts of the demo kit that only the leader's guide may show.
IMPORTANT_POINT = DEMO_KIT.scenarios[0].questions[0].important_points[0]
REFERENCE = DEMO_KIT.scenarios[0].questions[0].references[0]
KEY_MESSAGE = DEMO_KIT.scenarios[0].key_messages[0]
GUIDANCE_START = DEMO_KIT.agenda[1][2].split("\n")[0]
GUIDELINES_START = DEMO_KIT.guidelines.split("\n")[0]


@pytest.fixture
def cycle(people) -> Cycle:
    call_command("open_cycle", year=YEAR, topic="Gifts and favours", opens="2026-09-01", deadline="2026-12-31")
    return Cycle.objects.get(year=YEAR)


@pytest.fixture
def kit(cycle) -> Kit:
    return load_demo_kit(cycle)


def url(name, *args):
    return reverse(f"kit:{name}", args=[YEAR, *args])


def fields(prefix: str, **values) -> dict:
    return {f"{prefix}-{name}": value for name, value in values.items()}


def first_scenario(kit) -> Scenario:
    return kit.scenarios.order_by("order").first()


def audit_actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(actor=user).order_by("pk").values_list("action", flat=True))


# --- editing --------------------------------------------------------------------------------


def test_ethics_office_starts_a_kit_with_the_standard_agenda(client, people, cycle):
    login(client, people.ethics)
    assert "Start the kit" in client.get(url("edit")).content.decode()

    data = fields("kit", language="fr", why_it_matters="Parce que.", key_lessons="Une\nDeux", ground_rules="", guidelines="")
    response = client.post(url("edit"), data)

    assert response.status_code == 302 and response.url.endswith("#kit-texts")
    kit = Kit.objects.get(cycle=cycle)
    assert (kit.language, kit.why_it_matters, kit.key_lessons, kit.published) == ("fr", "Parce que.", "Une\nDeux", False)
    assert [item.minutes for item in kit.agenda.all()] == [10, 10, 65, 5]
    assert audit_actions(people.ethics.user) == ["kit.create"]


def test_ethics_office_edits_the_kit_texts(client, people, kit):
    login(client, people.ethics)
    data = fields("kit", language="en", why_it_matters="Trust.", key_lessons="Ask first", ground_rules="Listen", guidelines="Keep time")

    client.post(url("edit"), data)

    kit.refresh_from_db()
    assert (kit.why_it_matters, kit.key_lessons, kit.ground_rules, kit.guidelines) == ("Trust.", "Ask first", "Listen", "Keep time")
    assert audit_actions(people.ethics.user) == ["kit.save"]


def test_ethics_office_edits_an_agenda_item(client, people, kit):
    item = kit.agenda.get(order=2)
    login(client, people.ethics)

    response = client.post(url("agenda_edit", item.pk), fields(f"agenda-{item.pk}", title="Your story", minutes=12, guidance="Tell it."))

    assert response.url.endswith(f"#agenda-{item.pk}")
    item.refresh_from_db()
    assert (item.title, item.minutes, item.guidance) == ("Your story", 12, "Tell it.")
    assert audit_actions(people.ethics.user) == ["kit.agenda.save"]


def test_ethics_office_adds_moves_and_removes_an_agenda_item(client, people, kit):
    login(client, people.ethics)

    client.post(url("agenda_add"), fields("agenda-new", title="Break", minutes=3, guidance=""))
    added = kit.agenda.get(title="Break")
    assert added.order == 5
    client.post(url("agenda_move", added.pk), {"direction": "up"})
    assert list(kit.agenda.values_list("title", flat=True)) == ["Introduction", "Opening activity", "Scenario discussions", "Break", "Conclusion"]
    client.post(url("agenda_delete", added.pk))

    assert list(kit.agenda.values_list("order", "title")) == [(1, "Introduction"), (2, "Opening activity"), (3, "Scenario discussions"), (4, "Conclusion")]
    assert audit_actions(people.ethics.user) == ["kit.agenda.save", "kit.agenda.move", "kit.agenda.delete"]


def test_ethics_office_edits_a_scenario(client, people, kit):
    scenario = first_scenario(kit)
    login(client, people.ethics)
    data = fields(
        f"scenario-{scenario.pk}",
        title="The basket",
        format=ScenarioFormat.SCRIPT,
        text="A: hello",
        video_url="",
        key_messages="Decline",
        resources="Helpline",
    )

    client.post(url("scenario_edit", scenario.pk), data)

    scenario.refresh_from_db()
    assert (scenario.title, scenario.format, scenario.text, scenario.key_messages, scenario.resources) == (
        "The basket",
        "script",
        "A: hello",
        "Decline",
        "Helpline",
    )
    assert audit_actions(people.ethics.user) == ["kit.scenario.save"]


def test_video_scenario_without_a_link_is_refused_and_shown_again(client, people, kit):
    scenario = first_scenario(kit)
    login(client, people.ethics)
    data = fields(f"scenario-{scenario.pk}", title="Film", format=ScenarioFormat.VIDEO, text="Watch", video_url="")

    response = client.post(url("scenario_edit", scenario.pk), data)

    assert response.status_code == 200
    assert "A video scenario needs the link to its video." in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.title == DEMO_KIT.scenarios[0].title
    assert not AuditEntry.objects.filter(actor=people.ethics.user).exists()


def test_ethics_office_adds_a_scenario_with_a_question(client, people, kit):
    login(client, people.ethics)

    client.post(
        url("scenario_add"), fields("scenario-new", title="The lift", format="written", text="A ride home.", video_url="", key_messages="", resources="")
    )
    scenario = kit.scenarios.get(title="The lift")
    client.post(
        url("question_add", scenario.pk),
        fields(f"question-new-{scenario.pk}", text="Should she accept?", follow_ups="Why?", important_points="Timing", references="Paragraph 1"),
    )

    assert scenario.order == 4
    question = scenario.questions.get()
    assert (question.order, question.text, question.follow_ups, question.important_points, question.references) == (
        1,
        "Should she accept?",
        "Why?",
        "Timing",
        "Paragraph 1",
    )
    assert audit_actions(people.ethics.user) == ["kit.scenario.save", "kit.question.save"]


def test_ethics_office_edits_moves_and_removes_a_question(client, people, kit):
    scenario = first_scenario(kit)
    first, second, third = scenario.questions.order_by("order")
    login(client, people.ethics)

    client.post(
        url("question_edit", second.pk),
        fields(f"question-{second.pk}", text="New?", follow_ups="", important_points="Point", references="Ref"),
    )
    client.post(url("question_move", second.pk), {"direction": "up"})
    client.post(url("question_delete", first.pk))

    second.refresh_from_db()
    assert (second.text, second.important_points, second.references) == ("New?", "Point", "Ref")
    assert list(scenario.questions.order_by("order").values_list("pk", "order")) == [(second.pk, 1), (third.pk, 2)]
    assert audit_actions(people.ethics.user) == ["kit.question.save", "kit.question.move", "kit.question.delete"]


def test_ethics_office_reorders_and_removes_scenarios(client, people, kit):
    hamper, conference, neighbour = kit.scenarios.order_by("order")
    login(client, people.ethics)

    client.post(url("scenario_move", neighbour.pk), {"direction": "up"})
    client.post(url("scenario_delete", hamper.pk))

    assert list(kit.scenarios.order_by("order").values_list("pk", "order")) == [(neighbour.pk, 1), (conference.pk, 2)]
    assert not DiscussionQuestion.objects.filter(scenario_id=hamper.pk).exists()
    assert audit_actions(people.ethics.user) == ["kit.scenario.move", "kit.scenario.delete"]


def test_htmx_edit_answers_with_the_changed_fragment(client, people, kit):
    item = kit.agenda.get(order=1)
    login(client, people.ethics)

    response = client.post(
        url("agenda_edit", item.pk), fields(f"agenda-{item.pk}", title="Welcome", minutes=10, guidance=""), headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="kit-agenda"')
    assert "<html" not in page and "Welcome" in page
    assert '<p id="kit-announce" class="kit-announce" data-hx-swap-oob="innerHTML">Agenda item saved.</p>' in page
    assert '<section id="kit-status" class="kit-status" aria-labelledby="kit-status-title" data-hx-swap-oob="true">' in page
    item.refresh_from_db()
    assert item.title == "Welcome"


def test_htmx_question_edit_with_errors_returns_the_scenario_with_the_error(client, people, kit):
    question = first_scenario(kit).questions.first()
    login(client, people.ethics)

    response = client.post(url("question_edit", question.pk), fields(f"question-{question.pk}", text=""), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith(f'<article id="scenario-{question.scenario_id}"')
    assert "This field is required." in page
    question.refresh_from_db()
    assert question.text == DEMO_KIT.scenarios[0].questions[0].text


def test_edit_page_shows_every_part(client, people, kit):
    login(client, people.ethics)
    page = client.get(url("edit")).content.decode()
    for text in (DEMO_KIT.agenda[2][0], DEMO_KIT.scenarios[2].title, DEMO_KIT.scenarios[1].questions[2].text, IMPORTANT_POINT):
        assert text in page


def test_ethics_office_withdraws_and_publishes_the_kit(client, people, kit):
    login(client, people.ethics)

    client.post(url("publish"), {"publish": "", "confirm": "on"})
    kit.refresh_from_db()
    assert not kit.published
    client.post(url("publish"), {"publish": "on", "confirm": "on"})
    kit.refresh_from_db()
    assert kit.published
    assert audit_actions(people.ethics.user) == ["kit.unpublish", "kit.publish"]


def test_withdrawing_a_published_kit_asks_for_confirmation(client, people, kit):
    login(client, people.ethics)
    page = client.get(url("edit")).content.decode()
    assert 'id="confirm-withdraw" name="confirm" required' in page
    response = client.post(url("publish"), {"publish": ""}, follow=True)
    assert "Confirm that you want to withdraw the kit" in response.content.decode()
    kit.refresh_from_db()
    assert kit.published and audit_actions(people.ethics.user) == []


def test_publishing_with_languages_incomplete_lists_each_share_and_asks_for_confirmation(client, people, kit):
    login(client, people.ethics)
    client.post(url("publish"), {"publish": "", "confirm": "on"})
    page = client.get(url("edit")).content.decode()
    assert 'id="confirm-publish" name="confirm" required' in page
    assert "Some languages are incomplete (" in page and "French " in page and "\u00a0%" in page
    response = client.post(url("publish"), {"publish": "on"}, follow=True)
    assert "Confirm that you want to publish with languages incomplete." in response.content.decode()
    kit.refresh_from_db()
    assert not kit.published


def test_an_incomplete_kit_cannot_be_published(client, people, cycle):
    login(client, people.ethics)
    client.post(url("edit"), fields("kit", language="en", why_it_matters="", key_lessons="", ground_rules="", guidelines=""))

    response = client.post(url("publish"), {"publish": "on"}, follow=True)

    assert "The kit cannot be published yet" in response.content.decode()
    assert not Kit.objects.get(cycle=cycle).published
    assert audit_actions(people.ethics.user) == ["kit.create"]


EDIT_PAGES = [
    ("GET", "edit", ()),
    ("POST", "edit", ()),
    ("POST", "publish", ()),
    ("POST", "agenda_add", ()),
    ("POST", "agenda_edit", ("agenda",)),
    ("POST", "agenda_delete", ("agenda",)),
    ("POST", "agenda_move", ("agenda",)),
    ("POST", "scenario_add", ()),
    ("POST", "scenario_edit", ("scenario",)),
    ("POST", "scenario_delete", ("scenario",)),
    ("POST", "scenario_move", ("scenario",)),
    ("POST", "question_add", ("scenario",)),
    ("POST", "question_edit", ("question",)),
    ("POST", "question_delete", ("question",)),
    ("POST", "question_move", ("question",)),
]


@pytest.mark.parametrize("persona", ["focal", "leader"])
def test_focal_point_and_manager_get_404_on_every_edit_page(client, people, kit, persona):
    ids = {"agenda": kit.agenda.first().pk, "scenario": first_scenario(kit).pk, "question": DiscussionQuestion.objects.first().pk}
    login(client, getattr(people, persona))
    for method, name, args in EDIT_PAGES:
        target = url(name, *(ids[a] for a in args))
        response = client.get(target) if method == "GET" else client.post(target, {"direction": "up", "publish": ""})
        assert response.status_code == 404, (method, name)
    kit.refresh_from_db()
    assert kit.published and kit.agenda.count() == 4 and kit.scenarios.count() == 3
    assert not AuditEntry.objects.filter(action__startswith="kit.", actor__isnull=False).exists()


# --- the guides -----------------------------------------------------------------------------


def test_participant_guide_shows_questions_but_never_leader_notes(client, people, kit):
    login(client, people.participant)

    page = client.get(url("participant")).content.decode()

    question = DEMO_KIT.scenarios[0].questions[0]
    assert question.text in page and question.follow_ups[0] in page
    assert DEMO_KIT.ground_rules[0] in page and DEMO_KIT.key_lessons[0] in page
    assert "Scenario discussions" in page and "65" in page
    for secret in (IMPORTANT_POINT, KEY_MESSAGE, GUIDANCE_START, GUIDELINES_START):
        assert secret not in page
    assert "Important points" not in page
    # The references and resources are the participant's pre-reading (Appendix D), listed
    # once at the end, not beside each question.
    resources = page.split('<section class="kit-resources"', 1)[1]
    assert REFERENCE in resources and REFERENCE not in page.split('<section class="kit-resources"', 1)[0]


def test_leader_guide_shows_important_points_and_references(client, people, kit):
    login(client, people.leader)

    page = client.get(url("leader")).content.decode()

    for text in (IMPORTANT_POINT, REFERENCE, KEY_MESSAGE, GUIDANCE_START, GUIDELINES_START, DEMO_KIT.scenarios[2].video_url):
        assert text in page


def test_participant_gets_404_for_the_leader_guide(client, people, kit):
    login(client, people.participant)
    assert client.get(url("leader")).status_code == 404


def test_unpublished_kit_is_404_for_participants_and_leaders_but_readable_by_ethics_office(client, people, kit):
    Kit.objects.filter(pk=kit.pk).update(published=False)
    login(client, people.participant)
    assert client.get(url("participant")).status_code == 404
    login(client, people.leader)
    assert client.get(url("leader")).status_code == 404
    assert client.get(url("participant")).status_code == 404
    login(client, people.ethics)
    page = client.get(url("leader")).content.decode()
    assert "Draft: this kit is not published yet" in page and IMPORTANT_POINT in page


def test_guides_are_printable(client, people, kit):
    login(client, people.leader)
    page = client.get(url("leader")).content.decode()
    assert "css/kit.css" in page
    assert "@media print" in open(finders.find("css/kit.css"), encoding="utf-8").read()


def test_kit_link_sends_each_role_to_its_page(client, people, kit):
    expected = {people.ethics.user: url("edit"), people.leader.user: url("leader"), people.participant.user: url("participant")}
    for user, target in expected.items():
        client.force_login(user)
        assert client.get(reverse("kit:current")).url == target


def _grow(kit, actor, scenarios: int):
    for n in range(scenarios):
        scenario = scenario_save(actor=actor, kit=kit, title=f"Extra {n}", format="written", text="Text")
        for m in range(3):
            question_save(actor=actor, scenario=scenario, text=f"Question {n}.{m}", follow_ups="a\nb", important_points="p", references="r")


@pytest.mark.parametrize("page", ["participant", "leader"])
def test_guide_pages_make_the_same_few_queries_whatever_the_kit_size(client, people, kit, page, django_assert_max_num_queries):
    login(client, people.leader)
    client.get(url(page))  # warm the session
    with django_assert_max_num_queries(14):
        small = client.get(url(page))
    _grow(kit, None, 6)
    with django_assert_max_num_queries(14):
        large = client.get(url(page))
    assert small.status_code == large.status_code == 200
    assert "Question 5.2" in large.content.decode()


def test_edit_page_queries_do_not_grow_with_the_kit(client, people, kit, django_assert_max_num_queries):
    login(client, people.ethics)
    _grow(kit, None, 6)
    with django_assert_max_num_queries(16):
        assert client.get(url("edit")).status_code == 200


def test_kit_for_cycle_reads_everything_in_four_queries(kit, django_assert_num_queries):
    with django_assert_num_queries(4):
        loaded = kit_for_cycle(kit.cycle)
        texts = [q.text for s in loaded.scenarios.all() for q in s.questions.all()] + [a.title for a in loaded.agenda.all()]
    assert len(texts) == 9 + 4


# --- the demo kit ---------------------------------------------------------------------------


def test_demo_kit_is_complete_and_published(kit):
    agenda = list(kit.agenda.all())
    assert [item.minutes for item in agenda] == [10, 10, 65, 5]
    assert sum(item.minutes for item in agenda) == 90
    assert all(item.guidance for item in agenda)
    scenarios = list(kit.scenarios.prefetch_related("questions"))
    assert len(scenarios) >= 3
    assert {s.format for s in scenarios} == {"written", "script", "video"}
    for scenario in scenarios:
        questions = list(scenario.questions.all())
        assert len(questions) >= 2
        assert scenario.key_messages and scenario.resources
        for question in questions:
            assert 1 <= len(question.follow_ups.splitlines()) <= 3
            assert 2 <= len(question.important_points.splitlines()) <= 4
            assert question.references
    assert next(s for s in scenarios if s.format == "video").video_url.startswith("https://video.example/")
    assert len(kit.key_lessons.splitlines()) == 5 and 5 <= len(kit.ground_rules.splitlines()) <= 6
    assert kit.published


def test_loading_the_demo_kit_again_keeps_the_same_rows(kit):
    before = sorted(DiscussionQuestion.objects.values_list("pk", "scenario_id", "order", "text"))
    scenarios = list(Scenario.objects.values_list("pk", "order"))
    Scenario.objects.filter(pk=scenarios[0][0]).update(title="Edited by hand")

    load_demo_kit(kit.cycle)

    assert sorted(DiscussionQuestion.objects.values_list("pk", "scenario_id", "order", "text")) == before
    assert list(Scenario.objects.values_list("pk", "order")) == scenarios
    assert Scenario.objects.get(pk=scenarios[0][0]).title == DEMO_KIT.scenarios[0].title
    assert AgendaItem.objects.count() == 4 and Kit.objects.count() == 1


@pytest.mark.django_db
def test_demo_command_ships_a_published_kit(capsys):
    call_command("demo")
    kit = Kit.objects.get(cycle=Cycle.objects.current())
    assert kit.published and kit.scenarios.count() == 3
