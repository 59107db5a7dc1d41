"""Every page of the demo, as every role, speaks each of the six languages: no interface text
is left in English on the Arabic, Chinese, French, Russian or Spanish page.

The crawl of the accessibility test finds each role's pages in English; each page is then
fetched again in every other language with the same session. A text the person reads or hears
(a text node, or a title, alt, placeholder, aria-label or button value) that is the same on the
English page and on the other one is left in English, unless it is data (a value held in the
database, an e-mail, a number, a date), or the catalogue translates it to itself ("Total" is
French too), or it sits in an element that says it is in another language (`lang`) or that it
is not to be translated (`translate="no"`)."""

import re
import zoneinfo
from functools import cache

import pytest
import tinyhtml5
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils.translation import trans_real

from cascade.tests.crawl import PUBLIC_PAGES, ROLES, anonymous_page, crawl, role_page, speak

OTHER_LANGUAGES = ["ar", "zh-hans", "fr", "ru", "es"]
NOT_READ = {"script", "style", "template"}
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription")
BUTTON_TYPES = {"submit", "button", "reset"}
# Strings that the page's script shows: the facilitator timer's labels and messages.
SCRIPT_TEXT = re.compile(r"data-(label|message)-")
NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\d+")
LETTER = re.compile(r"[^\W\d_]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w+\}")


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _language(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


def _normal(text: str) -> str:
    return " ".join(text.split())


def interface_texts(html: str) -> set[str]:
    """What a person reads or hears on the page in the page's own language: text nodes and the
    attributes read out, outside scripts and styles, outside any element whose `lang` names
    another language and outside any marked `translate="no"` (words drawn from answers)."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    page_language = _language(root.get("lang"))
    texts = set()

    def add(text):
        if text and _normal(text):
            texts.add(_normal(text))

    def walk(element):
        if _tag(element) in NOT_READ or element.get("translate") == "no" or _language(element.get("lang", page_language)) != page_language:
            return
        add(element.text)
        for name, value in element.attrib.items():
            if name in READ_ATTRIBUTES or SCRIPT_TEXT.match(name):
                add(value)
        if _tag(element) == "input" and element.get("type", "").lower() in BUTTON_TYPES:
            add(element.get("value"))
        for child in element:
            walk(child)
            add(child.tail)  # the text after a child belongs to this element

    walk(root)
    return texts


def is_data(text: str, data: frozenset[str], data_pattern: re.Pattern | None) -> bool:
    """Whether nothing but data is left once the database's strings, e-mails, addresses and
    numbers are taken out of the text."""
    if text in data:
        return True
    if text.endswith("…") and any(line.startswith(text[:-1].rstrip()) for line in data):
        return True  # a long text cut short (truncatechars)
    rest = data_pattern.sub(" ", text) if data_pattern else text
    return not LETTER.search(NOT_WORDS.sub(" ", rest))


def untranslated(english_html: str, other_html: str, *, data: frozenset[str], same: frozenset[str]) -> list[str]:
    """Interface texts of the English page found unchanged on the other-language page, less data
    and the messages that `same` (the catalogue) translates to themselves."""
    candidates = [text for text in sorted(interface_texts(english_html) & interface_texts(other_html)) if text not in same]
    same_pattern = _message_pattern(same)
    return [text for text in candidates if not (same_pattern and same_pattern.fullmatch(text)) and not is_data(text, data, _data_pattern(data))]


@cache
def _message_pattern(messages: frozenset[str]) -> re.Pattern | None:
    """One pattern for the messages with placeholders ("%(minutes)s minutes"), each placeholder
    standing for any text; a message made of placeholders alone says nothing and is left out."""
    patterns = []
    for message in messages:
        parts = PLACEHOLDER.split(_normal(message))
        if len(parts) > 1 and LETTER.search("".join(parts)):
            patterns.append(".+?".join(re.escape(part.replace("%%", "%")) for part in parts))
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


@cache
def _data_pattern(data: frozenset[str]) -> re.Pattern | None:
    """One pattern for all the data strings, longest first, each matched as whole words."""
    strings = sorted((s for s in data if LETTER.search(s)), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, strings)) + r")(?!\w)") if strings else None


def data_strings() -> frozenset[str]:
    """Every line of every text held in the database: names, codes, kit texts, e-mails (fields
    with choices are left out: what a page shows for them is an interface label); and the time
    zones' identifiers, which the scheduling form offers as they are."""
    strings = set(zoneinfo.available_timezones())
    for model in apps.get_models():
        fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name != "password"
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                strings.update(_normal(line) for line in str(value or "").splitlines() if _normal(line))
    return frozenset(strings)


def translated_to_themselves(language: str) -> frozenset[str]:
    """The messages that the language's catalogues (Cascade's and Django's) translate to
    themselves, and every plural form of a plural message whose singular is translated so."""
    catalog = trans_real.translation(language)._catalog  # Django keeps no public list of its messages
    items = list(catalog.items())
    same = {key for key, value in items if isinstance(key, str) and key == value}
    plurals = {key[0] for key, value in items if isinstance(key, tuple) and key[1] == 0 and key[0] == value}
    same.update(value for key, value in items if isinstance(key, tuple) and key[0] in plurals)
    return frozenset(_normal(message) for message in same)


def test_the_detector_reports_english_left_on_a_french_page():
    english = """<!doctype html><html lang="en"><head><title>Home · Cascade</title></head><body>
    <h1>Welcome, Amira Haddad</h1><p>Sessions held: <b>12</b></p><p>Total</p><p>Amira Haddad (DCLS)</p>
    <button aria-label="Close">×</button><input type="submit" value="Save"><input type="hidden" value="Secret">
    <p lang="en">Kit text in its own language</p><select><option lang="fr">français</option></select>
    <p>amira.haddad@example.org, 2026-10-15</p><p>10 minutes</p><p translate="no">gifts · supplier</p><p>A long answer c…</p>
    <script>var label = "Ignored";</script></body></html>"""
    french = """<!doctype html><html lang="fr"><head><title>Accueil · Cascade</title></head><body>
    <h1>Bienvenue, Amira Haddad</h1><p>Sessions held: <b>12</b></p><p>Total</p><p>Amira Haddad (DCLS)</p>
    <button aria-label="Close">×</button><input type="submit" value="Enregistrer"><input type="hidden" value="Secret">
    <p lang="en">Kit text in its own language</p><select><option lang="fr">français</option></select>
    <p>amira.haddad@example.org, 2026-10-15</p><p>10 minutes</p><p translate="no">gifts · supplier</p><p>A long answer c…</p>
    <script>var label = "Ignored";</script></body></html>"""
    found = untranslated(
        english, french, data=frozenset({"Amira Haddad", "DCLS", "A long answer cut short"}), same=frozenset({"Total", "Cascade", "%(minutes)s minutes"})
    )
    assert found == ["Close", "Sessions held:"]


def test_the_detector_finds_nothing_on_a_translated_page():
    english = '<html lang="en"><body><h1>Your sessions</h1><p title="Session">D1</p></body></html>'
    arabic = '<html lang="ar" dir="rtl"><body><h1>جلساتك</h1><p title="الجلسة">D1</p></body></html>'
    assert untranslated(english, arabic, data=frozenset({"D1"}), same=frozenset()) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_demo_page_has_no_english_left_in_the_other_languages(browser, live_server, tmp_path):
    call_command("demo", stdout=open("/dev/null", "w"))
    data = data_strings()
    same = {language: translated_to_themselves(language) for language in OTHER_LANGUAGES}
    problems, pages = [], 0

    def compare(page, role, english: dict[str, str]):
        """Each page as the role sees it in English, fetched again in every other language."""
        nonlocal pages
        for language in OTHER_LANGUAGES:
            speak(page.context, live_server, language)
            for path, html in english.items():
                response = page.context.request.get(live_server.url + path)
                assert response.ok, f"{path} in {language} as {role}: {response.status}"
                pages += 1
                problems.extend(f"{language} {path} ({role}): {text!r}" for text in untranslated(html, response.text(), data=data, same=same[language]))

    page = anonymous_page(browser, live_server, "en")
    compare(page, "anonymous", {path: page.goto(live_server.url + path).text() for path in PUBLIC_PAGES})
    page.context.close()
    for role in ROLES:
        page = role_page(browser, live_server, role, "en")
        english = {}

        def save(path, response, english=english):
            english[path] = response.text()

        crawl(page, live_server.url, save)
        compare(page, role, english)
        page.context.close()
    assert pages > 150, "the crawl should reach the demo's pages in every language"
    if problems:
        report = tmp_path / "untranslated.txt"
        report.write_text("\n".join(problems) + "\n")
        shown = "\n".join(problems[:100])
        pytest.fail(f"{len(problems)} interface texts left in English (all of them in {report}):\n{shown}", pytrace=False)
