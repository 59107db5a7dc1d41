"""The kit in several languages: the Ethics Office translates each text of the kit; readers see
their language where a translation exists, else the original, marked as such and named by its
`lang` attribute; the participant guide never shows the leader's notes, in any language.

The named test people (cascade/testing.py), with cycle 2026 and the demo kit in English, partly
translated into French and Spanish by `load_demo_kit`:
- people.ethics (Eve): the Ethics Office, who translates;
- people.focal (Fiona): focal point of E1;
- people.leader (Lena): a manager, who leads session T1;
- people.participant (Adam): a participant with no reports, invited to T1.
"""

import datetime
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from cascade.testing import PASSWORD, login
from conftest import browser_login
from core.models import AuditEntry
from demo.kit import DEMO_KIT, FRENCH, load_demo_kit
from dialogues.models import Invitation, ScenarioVote, Session
from kit.models import Kit, KitPart, KitTranslation
from kit.selectors import kit_for_cycle
from kit.services import question_save, scenario_save
from kit.translations import digest, kit_reader, kit_texts, kit_translation_save, language_in_sentence
from org.models import Cycle

YEAR = 2026
TOPIC = "Gifts and favours"

HAMPER, CONFERENCE, NEIGHBOUR = DEMO_KIT.scenarios
# As the pages print them (apostrophes escaped).
FRENCH_WHY = escape(FRENCH.kit["why_it_matters"].split("\n")[0])
FRENCH_HAMPER = FRENCH.scenarios[1]["title"]
FRENCH_QUESTION = FRENCH.questions[(1, 1)]["text"]
FRENCH_POINT = escape(FRENCH.questions[(1, 1)]["important_points"][0])


@pytest.fixture
def kit(people) -> Kit:
    call_command("open_cycle", year=YEAR, topic=TOPIC, opens="2026-09-01", deadline="2026-12-31")
    return load_demo_kit(Cycle.objects.get(year=YEAR))


def url(name, *args):
    return reverse(f"kit:{name}", args=[YEAR, *args])


def read_in(client, persona, language):
    login(client, persona)
    client.cookies.load({"django_language": language})


def between(page: str, start: str, end: str) -> str:
    """The part of the page from `start` to the first `end` after it."""
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def scenarios(kit):
    return list(kit.scenarios.order_by("order"))


def marker(language: str, original: str = "en", partly: bool = False) -> str:
    """The note on a block shown in the original language, as a reader of `language` sees it."""
    with translation.override(language):
        name = language_in_sentence(original)
        if partly:
            return gettext("Partly shown in the original language (%(language)s).") % {"language": name}
        return gettext("Shown in the original language (%(language)s).") % {"language": name}


def field_name(part, obj, field) -> str:
    """The name of a text's field on the translation page."""
    return f"{part}-{obj.pk}-{field}"


def all_texts(kit):
    return [source for group in kit_texts(kit_for_cycle(kit.cycle)) for source in group.texts]


def translations(kit, language) -> dict:
    return {(r.part, r.object_id, r.field): r.text for r in KitTranslation.objects.filter(kit=kit, language=language)}


# --- the Ethics Office's page --------------------------------------------------------------


def test_ethics_office_saves_a_translation_of_several_texts_at_once(client, people, kit):
    hamper = scenarios(kit)[0]
    login(client, people.ethics)
    data = {
        field_name("kit", kit, "why_it_matters"): "Почему это важно.",
        field_name("scenario", hamper, "title"): "Корзина после контракта",
        field_name("scenario", hamper, "key_messages"): "Первое\nВторое",
    }

    response = client.post(url("translations", "ru"), data)

    assert response.status_code == 302 and response.url == url("translations", "ru")
    assert translations(kit, "ru") == {
        ("kit", kit.pk, "why_it_matters"): "Почему это важно.",
        ("scenario", hamper.pk, "title"): "Корзина после контракта",
        ("scenario", hamper.pk, "key_messages"): "Первое\nВторое",
    }
    row = KitTranslation.objects.get(kit=kit, language="ru", part="scenario", field="title")
    assert row.source_digest == digest(HAMPER.title)
    entry = AuditEntry.objects.get(actor=people.ethics.user)
    assert (entry.action, entry.target, entry.detail) == ("kit.translation.save", "kit 2026 ru", {"language": "ru", "saved": 3, "removed": 0})
    page = client.get(url("translations", "ru")).content.decode()
    assert "Корзина после контракта" in page and 'lang="ru"' in page


def test_translation_page_shows_each_original_beside_a_labelled_field(client, people, kit):
    hamper = scenarios(kit)[0]
    login(client, people.ethics)

    page = client.get(url("translations", "fr")).content.decode()

    name = field_name("scenario", hamper, "title")
    assert f'<div id="original-{name}" lang="en" dir="ltr"><p>{HAMPER.title}</p></div>' in page
    assert f'<label for="id_{name}">Title:</label>' in page
    assert f'value="{FRENCH_HAMPER}"' in page
    assert f'aria-describedby="original-{name}"' in page
    assert "<legend>Scenario 1</legend>" in page and "<legend>Scenario 1, question 2</legend>" in page


def test_a_bad_form_changes_nothing(client, people, kit):
    hamper = scenarios(kit)[0]
    before = translations(kit, "fr")
    login(client, people.ethics)
    data = {
        field_name("kit", kit, "why_it_matters"): "Autre chose.",
        field_name("scenario", hamper, "title"): "x" * 201,  # longer than a title may be
    }

    response = client.post(url("translations", "fr"), data)

    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
    assert translations(kit, "fr") == before
    assert not AuditEntry.objects.filter(action="kit.translation.save", actor=people.ethics.user).exists()


def test_an_emptied_field_removes_its_translation_and_keeps_the_others(client, people, kit):
    before = translations(kit, "fr")
    login(client, people.ethics)
    data = {f"{part}-{object_id}-{field}": text for (part, object_id, field), text in before.items()}
    data[field_name("kit", kit, "why_it_matters")] = ""

    client.post(url("translations", "fr"), data)

    after = translations(kit, "fr")
    assert ("kit", kit.pk, "why_it_matters") not in after
    assert after == {key: text for key, text in before.items() if key != ("kit", kit.pk, "why_it_matters")}
    assert AuditEntry.objects.get(actor=people.ethics.user).detail == {"language": "fr", "saved": 0, "removed": 1}


def test_a_translation_whose_original_changed_is_flagged_until_confirmed(client, people, kit):
    hamper = scenarios(kit)[0]
    scenario_save(actor=people.ethics.user, kit=kit, scenario=hamper, title="The hamper", format=hamper.format, text=hamper.text)
    name = field_name("scenario", hamper, "title")
    login(client, people.ethics)

    page = client.get(url("translations", "fr")).content.decode()
    assert f'<p class="kit-warning" id="stale-{name}">Possibly out of date' in page
    assert "1 possibly out of date" in client.get(url("edit")).content.decode()

    data = {f"{p}-{o}-{f}": text for (p, o, f), text in translations(kit, "fr").items()}
    client.post(url("translations", "fr"), {**data, f"{name}-current": "on"})

    row = KitTranslation.objects.get(kit=kit, language="fr", part="scenario", object_id=hamper.pk, field="title")
    assert (row.text, row.source_digest) == (FRENCH_HAMPER, digest("The hamper"))
    confirmed = client.get(url("translations", "fr"))
    assert confirmed.status_code == 200 and f'value="{FRENCH_HAMPER}"' in confirmed.content.decode()  # the page rendered, with the translation
    assert "Possibly out of date" not in confirmed.content.decode()


def test_kit_edit_page_shows_how_complete_each_language_is(client, people, kit):
    login(client, people.ethics)
    total = len(all_texts(kit))
    french = len(translations(kit, "fr"))

    page = client.get(url("edit")).content.decode()

    assert f'<a href="{url("translations", "fr")}">French</a>: {french} of {total} texts translated</li>' in page
    assert f'<a href="{url("translations", "ru")}">Russian</a>: 0 of {total} texts translated</li>' in page
    assert url("translations", "en") not in page  # the kit's own language


@pytest.mark.parametrize("persona", ["focal", "leader", "participant"])
def test_everyone_but_the_ethics_office_gets_404_on_the_translation_page(client, people, kit, persona):
    before = translations(kit, "fr")
    login(client, getattr(people, persona))

    assert client.get(url("translations", "fr")).status_code == 404
    response = client.post(url("translations", "fr"), {field_name("kit", kit, "why_it_matters"): "Piraté."})

    assert response.status_code == 404
    assert translations(kit, "fr") == before
    assert not AuditEntry.objects.filter(action="kit.translation.save", actor__isnull=False).exists()


def test_the_kits_own_language_and_unknown_ones_are_404(client, people, kit):
    login(client, people.ethics)
    assert client.get(url("translations", "en")).status_code == 404
    assert client.get(url("translations", "de")).status_code == 404
    assert client.get(reverse("kit:translations", args=[2030, "fr"])).status_code == 404


def test_the_translation_page_asks_to_log_in_first(client, kit):
    response = client.get(url("translations", "fr"))
    assert response.status_code == 302 and "/login/" in response.url


# --- what readers see ----------------------------------------------------------------------


def test_french_reader_sees_french_where_translated_and_the_original_marked_elsewhere(client, people, kit):
    read_in(client, people.participant, "fr")

    page = client.get(url("participant")).content.decode()

    why = between(page, '<section aria-labelledby="why-title">', "</section>")
    assert FRENCH_WHY in why and escape(DEMO_KIT.why_it_matters.split("\n")[0]) not in why
    assert 'lang="fr" dir="ltr"' in why and "kit-original" not in why
    hamper, conference, neighbour = scenarios(kit)
    translated = between(page, f'aria-labelledby="scenario-{hamper.pk}-title"', "</article>")
    assert FRENCH_HAMPER in translated and FRENCH_QUESTION in translated and HAMPER.title not in translated
    assert marker("fr", partly=True) in translated  # its last two questions are still in English
    untranslated = between(page, f'aria-labelledby="scenario-{neighbour.pk}-title"', "</article>")
    assert untranslated.count('class="kit-original"') == 1  # one marker for the whole scenario
    assert marker("fr") in untranslated
    assert f'<span lang="en" dir="ltr">{NEIGHBOUR.title}</span>' in untranslated
    assert f'<div class="kit-text kit-text-video" lang="en" dir="ltr"><p>{NEIGHBOUR.text.split(chr(10))[0]}' in untranslated


def test_english_reader_of_an_english_kit_sees_no_marker(client, people, kit):
    read_in(client, people.leader, "en")

    page = client.get(url("leader")).content.decode()

    assert "kit-original" not in page
    assert HAMPER.title in page and FRENCH_HAMPER not in page
    assert '<div lang="en" dir="ltr">' in page and '<div lang="fr"' not in page


def test_reader_of_a_language_with_no_translation_gets_one_note_for_the_page(client, people, kit):
    read_in(client, people.leader, "ru")

    page = client.get(url("leader")).content.decode()

    assert page.count('class="kit-original"') == 1
    with translation.override("ru"):
        note = gettext("This kit is not translated into your language yet: it is shown in its original language (%(language)s).")
        assert note % {"language": language_in_sentence("en")} in page
    assert f'<h1 lang="en" dir="ltr">{TOPIC}</h1>' in page


def test_arabic_original_is_marked_right_to_left_for_an_english_reader(client, people, kit):
    Kit.objects.filter(pk=kit.pk).update(language="ar")
    read_in(client, people.leader, "en")

    page = client.get(url("leader")).content.decode()

    assert f'<h1 lang="ar" dir="rtl">{TOPIC}</h1>' in page
    assert "This kit is not translated into your language yet: it is shown in its original language (Arabic)." in page


@pytest.mark.parametrize("language", ["fr", "es", "ru", "ar", "zh-hans", "en"])
def test_participant_guide_never_shows_leader_notes_in_any_language(client, people, kit, language):
    for code in ("fr", "es", "ru", "ar", "zh"):
        secrets = {source.key: f"SECRET {code} {n}" for n, source in enumerate(all_texts(kit)) if source.leader_only}
        kit_translation_save(actor=None, kit=kit, language=code, texts=secrets)
    read_in(client, people.participant, language)

    page = client.get(url("participant")).content.decode()

    assert "SECRET" not in page
    for secret in (HAMPER.questions[0].important_points[0], HAMPER.key_messages[0], DEMO_KIT.guidelines[:40]):
        assert escape(secret) not in page
    assert FRENCH_POINT not in page
    with translation.override(language):
        assert gettext("List of resources (Appendix D)") in page  # the page rendered, whole


def test_participant_guide_lists_the_resources_and_references_as_appendix_d(client, people, kit):
    read_in(client, people.participant, "en")
    response = client.get(url("participant"))
    assert response.status_code == 200
    resources = between(response.content.decode(), '<section class="kit-resources"', "</section>")
    assert escape(HAMPER.title) in resources
    assert escape(HAMPER.resources[0]) in resources and escape(HAMPER.questions[0].references[0]) in resources
    assert escape(HAMPER.questions[0].important_points[0]) not in resources


def test_participant_guide_links_a_preview_of_the_assessment(client, people, kit):
    read_in(client, people.participant, "en")
    page = client.get(url("participant")).content.decode()
    assert f'href="{reverse("feedback:assess_preview")}"' in page
    preview = client.get(reverse("feedback:assess_preview"))
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "The facilitator was well prepared." in text and "Overall, how would you rate the facilitator?" in text
    assert "<form" not in text.split('<main id="main"', 1)[1]


def test_leader_guide_in_french_shows_the_french_leader_notes(client, people, kit):
    read_in(client, people.leader, "fr")

    page = client.get(url("leader")).content.decode()

    assert FRENCH_POINT in page
    assert escape(HAMPER.questions[0].important_points[0]) not in page
    guidelines = between(page, '<section aria-labelledby="guidelines-title"', "</section>")
    assert marker("fr") in guidelines and 'lang="en" dir="ltr"' in guidelines


def test_reader_loads_a_kits_translations_in_one_query(kit, django_assert_num_queries):
    for n in range(5):
        scenario = scenario_save(actor=None, kit=kit, title=f"Extra {n}", format="written", text="Text")
        question_save(actor=None, scenario=scenario, text=f"Question {n}", follow_ups="a\nb", important_points="p", references="r")
    loaded = kit_for_cycle(kit.cycle)

    with django_assert_num_queries(1):
        shown = kit_reader(loaded, "fr").guide(leader=True)
        texts = [shown.topic, *(s.title for s in shown.scenarios), *(q.text for s in shown.scenarios for q in s.questions)]
    with django_assert_num_queries(0):
        kit_reader(loaded, "en").guide(leader=True)

    assert FRENCH_HAMPER in texts and "Question 4" in texts


def test_guide_in_french_makes_the_same_few_queries_whatever_the_kit_size(client, people, kit, django_assert_max_num_queries):
    read_in(client, people.leader, "fr")
    client.get(url("leader"))  # warm the session
    with django_assert_max_num_queries(15):  # one more than in the kit's own language
        small = client.get(url("leader"))
    for n in range(6):
        scenario = scenario_save(actor=None, kit=kit, title=f"Extra {n}", format="written", text="Text")
        question_save(actor=None, scenario=scenario, text=f"Question {n}", follow_ups="a", important_points="p", references="r")
    with django_assert_max_num_queries(15):
        large = client.get(url("leader"))
    assert small.status_code == large.status_code == 200 and "Question 5" in large.content.decode()


# --- facilitator mode and the vote list ----------------------------------------------------


@pytest.fixture
def session(kit, people):
    session = Session.objects.create(
        cycle=kit.cycle,
        leader=people.leader.person,
        ref="T1",
        date=datetime.date(2026, 10, 15),
        starts_at=timezone.make_aware(datetime.datetime(2026, 10, 15, 10)),
    )
    Invitation.objects.create(session=session, person=people.participant.person)
    return session


def test_invitee_votes_on_titles_in_their_language_with_the_originals_marked(client, people, session, kit):
    hamper, conference, neighbour = scenarios(kit)
    read_in(client, people.participant, "fr")

    page = client.get(reverse("dialogues:my_invitations")).content.decode()

    assert f'<span lang="fr" dir="ltr">{FRENCH_HAMPER}</span>' in page
    assert f'<span lang="en" dir="ltr">{NEIGHBOUR.title}</span>' in page
    assert page.count(marker("fr", partly=True)) == 1


def test_invitee_reading_the_kits_language_sees_no_marker(client, people, session):
    read_in(client, people.participant, "en")
    page = client.get(reverse("dialogues:my_invitations")).content.decode()
    assert HAMPER.title in page and "original language" not in page


def test_the_vote_list_links_each_scenario_in_the_participant_guide(client, people, session, kit):
    read_in(client, people.participant, "fr")
    page = client.get(reverse("dialogues:my_invitations")).content.decode()
    guide = url("participant")
    for scenario in scenarios(kit):
        assert f'href="{guide}#scenario-{scenario.pk}-title"' in page
    assert f'#scenario-{scenarios(kit)[0].pk}-title" lang="fr" dir="ltr">{FRENCH_HAMPER}</a>' in page


def test_facilitator_mode_shows_the_chosen_scenarios_in_the_leaders_language(client, people, session, kit):
    hamper, conference, neighbour = scenarios(kit)
    session.scenarios.set([hamper, neighbour])
    read_in(client, people.leader, "fr")

    page = client.get(reverse("dialogues:facilitate", args=[session.pk])).content.decode()

    assert f'<h3 id="scenario-{hamper.pk}" lang="fr" dir="ltr">{FRENCH_HAMPER}</h3>' in page
    assert FRENCH_POINT in page
    assert f'<h3 id="scenario-{neighbour.pk}" lang="en" dir="ltr">{NEIGHBOUR.title}</h3>' in page
    untranslated = between(page, f'aria-labelledby="scenario-{neighbour.pk}"', "</article>")
    assert untranslated.count('class="kit-original"') == 1 and marker("fr") in untranslated
    assert 'data-title="Activité d&#x27;ouverture"' in page


def test_leader_chooses_among_titles_in_their_language(client, people, session, kit):
    read_in(client, people.leader, "es")

    page = client.get(reverse("dialogues:facilitate", args=[session.pk])).content.decode()

    with translation.override("es"):
        votes = ngettext("%(count)d vote", "%(count)d votes", 0) % {"count": 0}
    choice = between(page, '<form method="post" action="', "</form>")
    assert f'<span lang="es" dir="ltr">Un favor para un vecino</span> ({votes})' in choice
    assert "kit-original" not in choice  # Spanish has every title


def test_leader_reading_the_kits_language_chooses_among_the_original_titles(client, people, session, kit):
    read_in(client, people.leader, "en")

    page = client.get(reverse("dialogues:facilitate", args=[session.pk])).content.decode()

    assert f'<span lang="en" dir="ltr">{NEIGHBOUR.title}</span> (0 votes)' in page
    assert "kit-original" not in page


def test_leader_sees_the_votes_on_titles_in_their_language(client, people, session, kit):
    hamper, conference, neighbour = scenarios(kit)
    invitation = session.invitations.get()
    ScenarioVote.objects.bulk_create([ScenarioVote(invitation=invitation, scenario=s) for s in (hamper, neighbour)])
    read_in(client, people.leader, "fr")

    page = client.get(reverse("dialogues:session_detail", args=[session.pk])).content.decode()

    assert f'<td><span lang="fr" dir="ltr">{FRENCH_HAMPER}</span></td><td class="num">1</td>' in page
    assert f'<td><span lang="en" dir="ltr">{NEIGHBOUR.title}</span></td><td class="num">1</td>' in page


@pytest.mark.time_machine(datetime.datetime(2026, 10, 20, 9, tzinfo=datetime.UTC))  # the session of 15 October is held: it can be reported
def test_leader_reports_on_scenario_titles_in_their_language(client, people, session, kit):
    read_in(client, people.leader, "fr")

    page = client.get(reverse("feedback:leader_feedback", args=[session.pk])).content.decode()

    assert f'<span lang="fr" dir="ltr">{FRENCH_HAMPER}</span>' in page
    assert f'<span lang="en" dir="ltr">{NEIGHBOUR.title}</span>' in page
    assert marker("fr", partly=True) in page  # said once, above the list


# --- the demo ------------------------------------------------------------------------------


def test_loading_the_demo_kit_again_keeps_the_same_translations(kit):
    before = sorted(KitTranslation.objects.values_list("pk", "language", "part", "object_id", "field", "text", "source_digest"))

    load_demo_kit(kit.cycle)

    assert sorted(KitTranslation.objects.values_list("pk", "language", "part", "object_id", "field", "text", "source_digest")) == before
    assert {language for _pk, language, *_rest in before} == {"fr", "es"}


def test_demo_translation_is_partial_on_purpose(kit):
    total = len(all_texts(kit))
    french = KitTranslation.objects.filter(kit=kit, language="fr")
    assert 0 < french.count() < total
    assert french.filter(part=KitPart.QUESTION, field="important_points").exists()  # a leader's note, for the guides' tests


# --- in a real browser ---------------------------------------------------------------------

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_RULES = "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']}"


def _axe(page, path: str) -> list[str]:
    page.add_script_tag(content=(NODE_MODULES / "axe-core" / "axe.min.js").read_text())
    found = page.evaluate(f"axe.run(document, {AXE_RULES})")["violations"]
    return [f"axe {path}: {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in found]


def _vnu(saved: list[tuple[str, str]]) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, (_label, html) in enumerate(saved):
            files.append(Path(folder) / f"page{number}.html")
            files[-1].write_text(html)
        run = subprocess.run(
            ["java", "-jar", str(NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"), "--errors-only", "--format", "gnu", *map(str, files)],
            capture_output=True,
            text=True,
        )
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    for file, (label, _html) in zip(files, saved, strict=True):
        errors = [line.replace(str(file), label) for line in errors]
    assert run.returncode == 0 or errors, run.stderr
    return errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_translated_and_mixed_language_pages_pass_axe_and_the_html_checker(browser, live_server, people, session, kit):
    hamper, conference, neighbour = scenarios(kit)
    session.scenarios.set([hamper, neighbour])
    visits = [
        (people.ethics, "en", url("edit")),
        (people.ethics, "en", url("translations", "fr")),
        (people.ethics, "ar", url("translations", "ru")),
        (people.leader, "fr", url("leader")),
        (people.leader, "fr", reverse("dialogues:facilitate", args=[session.pk])),
        (people.leader, "ar", url("leader")),
        (people.participant, "fr", url("participant")),
        (people.participant, "fr", reverse("dialogues:my_invitations")),
        (people.participant, "zh-hans", url("participant")),
    ]
    problems, saved = [], []
    for persona, language, path in visits:
        context = browser.new_context(locale="en-GB", bypass_csp=True)  # axe is injected as an inline script
        page = context.new_page()
        browser_login(page, live_server, persona.email, PASSWORD)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        label = f"{path} ({language})"
        saved.append((label, response.text()))
        problems += _axe(page, label)
        context.close()
    problems += _vnu(saved)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ethics_office_translates_a_title_and_a_russian_reader_sees_it(browser, page, live_server, people, kit):
    hamper, conference, neighbour = scenarios(kit)
    browser_login(page, live_server, people.ethics.email, PASSWORD)
    page.goto(live_server.url + url("edit"))
    page.get_by_role("link", name="Russian").click()
    page.get_by_role("group", name="Scenario 1", exact=True).get_by_label("Title").fill("Корзина после контракта")
    page.get_by_role("button", name="Save the translation").click()
    page.get_by_text("The translation is saved.").wait_for()
    assert translations(kit, "ru") == {("scenario", hamper.pk, "title"): "Корзина после контракта"}

    reader = browser.new_context(locale="en-GB")  # logs in in English, then reads in Russian
    russian = reader.new_page()
    browser_login(russian, live_server, people.leader.email, PASSWORD)
    reader.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    russian.goto(live_server.url + url("leader"))
    heading = russian.locator(f"#scenario-{hamper.pk}-title span[lang=ru]")
    assert heading.inner_text() == "Корзина после контракта"
    assert russian.locator(f"#scenario-{conference.pk}-title span[lang=en]").count() == 1
    reader.close()
