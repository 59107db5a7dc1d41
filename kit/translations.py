"""The kit in several languages.

The Ethics Office writes the kit in one language (`Kit.language`) and may translate each of its
texts into the other official languages (`KitTranslation`). A reader sees each text in their
language where it is translated, else in the original, named as such (`KitText`): the element
that holds it carries the original's `lang` and `dir`, and the page says, once per block, that it
is shown in the original language.

Selectors: `kit_texts` (what there is to translate), `kit_reader` and `published_kit_reader`
(the kit as one reader sees it), `translation_progress`. Service: `kit_translation_save`.
"""

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext as _

from core.models import AuditAction
from core.services import audit_record
from org.models import Cycle, Language, django_language

from .models import AgendaItem, DiscussionQuestion, Kit, KitPart, KitTranslation, Scenario
from .selectors import kit_for_cycle

Key = tuple[str, int, str]  # part, object id, field

# The translatable texts of each part, in reading order.
FIELDS: dict[str, tuple[str, ...]] = {
    KitPart.KIT: ("topic", "why_it_matters", "key_lessons", "ground_rules", "guidelines"),
    KitPart.AGENDA: ("title", "guidance"),
    KitPart.SCENARIO: ("title", "text", "key_messages", "resources"),
    KitPart.QUESTION: ("text", "follow_ups", "important_points", "references"),
}
# Texts only the leader's guide (and facilitator mode) shows.
LEADER_ONLY = frozenset(
    {
        (KitPart.KIT, "guidelines"),
        (KitPart.AGENDA, "guidance"),
        (KitPart.SCENARIO, "key_messages"),
        (KitPart.QUESTION, "important_points"),
    }
)
_PARTS = {Kit: KitPart.KIT, AgendaItem: KitPart.AGENDA, Scenario: KitPart.SCENARIO, DiscussionQuestion: KitPart.QUESTION}


def org_language(code: str) -> str | None:
    """The organization file's code for Django's language code (`zh-hans` is `zh`)."""
    return next((value for value in Language.values if django_language(value) == code), None)


# Language names as they read inside a sentence, in brackets: "(English)". A context of their
# own, since several languages write them in lower case there and capitalize them in a list.
_NAMES_IN_SENTENCE = {
    Language.AR: pgettext_lazy("language named in a sentence", "Arabic"),
    Language.ZH: pgettext_lazy("language named in a sentence", "Chinese"),
    Language.EN: pgettext_lazy("language named in a sentence", "English"),
    Language.FR: pgettext_lazy("language named in a sentence", "French"),
    Language.RU: pgettext_lazy("language named in a sentence", "Russian"),
    Language.ES: pgettext_lazy("language named in a sentence", "Spanish"),
}


def language_name(code: str) -> str:
    """The name of a language (organization file's code) in the active language, as it reads
    in a list or a heading."""
    return str(get_language_info(django_language(code))["name_translated"])


def language_in_sentence(code: str) -> str:
    """The name of a language in the active language, as it reads inside a sentence."""
    return str(_NAMES_IN_SENTENCE[code])


def direction(lang: str) -> str:
    """The writing direction of a language (Django's code): Arabic is right-to-left."""
    return "rtl" if get_language_info(lang)["bidi"] else "ltr"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _original(obj, part: str, field: str) -> str:
    # The topic belongs to the cycle; the kit translates it with its other texts.
    return obj.cycle.topic if (part, field) == (KitPart.KIT, "topic") else getattr(obj, field)


# --- what a reader sees -------------------------------------------------------------------


class KitText(str):
    """A kit text as one reader sees it: `lang` and `dir` of the language it is in;
    `fallback` when it is shown in the kit's original language for want of a translation into
    the reader's; `marker`, the note that says so (empty when the page says it once for all)."""

    lang: str
    dir: str
    fallback: bool
    marker: str

    def __new__(cls, text: str, *, lang: str, fallback: bool = False, marker: str = ""):
        self = super().__new__(cls, text)
        self.lang, self.fallback, self.marker = lang, fallback, marker
        self.dir = direction(lang)
        return self

    @property
    def lines(self) -> list[str]:
        """The non-empty lines of a one-per-line text."""
        return [line.strip() for line in self.splitlines() if line.strip()]

    @property
    def html(self) -> SafeString:
        """The text inline, in an element that names its language."""
        return format_html('<span lang="{}" dir="{}">{}</span>', self.lang, self.dir, str(self))


@dataclass(frozen=True)
class ShownAgendaItem:
    item: AgendaItem
    title: KitText
    guidance: KitText  # empty outside the leader's guide
    marker: str


@dataclass(frozen=True)
class ShownQuestion:
    question: DiscussionQuestion
    text: KitText
    follow_ups: KitText
    important_points: KitText  # empty outside the leader's guide
    references: KitText  # empty outside the leader's guide


@dataclass(frozen=True)
class ShownScenario:
    scenario: Scenario
    title: KitText
    text: KitText
    key_messages: KitText  # empty outside the leader's guide
    resources: KitText  # empty outside the leader's guide
    questions: list[ShownQuestion]
    marker: str  # one for the whole scenario


@dataclass(frozen=True)
class ShownKit:
    kit: Kit
    note: str  # said once for the page when nothing of the kit is translated
    topic: KitText
    why_it_matters: KitText
    key_lessons: KitText
    ground_rules: KitText
    guidelines: KitText  # empty outside the leader's guide
    agenda: list[ShownAgendaItem]
    agenda_marker: str  # for the agenda's titles
    scenarios: list[ShownScenario]


class KitReader:
    """A kit's texts in one reader's language: the translation where there is one, else the
    original, marked. `language` is None when the reader reads the kit's own language."""

    def __init__(self, kit: Kit, language: str | None, translations: dict[Key, str]):
        self.kit = kit
        self.language = language
        self.original_lang = django_language(kit.language)
        self._translations = translations
        name = language_in_sentence(kit.language)
        self._all = _("Shown in the original language (%(language)s).") % {"language": name}
        self._some = _("Partly shown in the original language (%(language)s).") % {"language": name}
        self.note = ""
        if language is not None and not translations:
            self.note = _("This kit is not translated into your language yet: it is shown in its original language (%(language)s).") % {"language": name}

    def text(self, obj, field: str) -> KitText:
        """The text `field` of a part of the kit (the kit, an agenda item, a scenario, a question)."""
        part = _PARTS[type(obj)]
        original = _original(obj, part, field)
        if self.language is None or not original.strip():
            return KitText(original, lang=self.original_lang)
        translated = self._translations.get((part, obj.pk, field))
        if translated:
            return KitText(translated, lang=django_language(self.language))
        return KitText(original, lang=self.original_lang, fallback=True, marker="" if self.note else self._all)

    def marker(self, *texts: KitText) -> str:
        """One note for a block of texts: empty when none of them is shown in the original, or
        when the page already says that the whole kit is."""
        shown = [text for text in texts if text]
        fallbacks = sum(text.fallback for text in shown)
        if self.note or not fallbacks:
            return ""
        return self._all if fallbacks == len(shown) else self._some

    def _leader_text(self, obj, field: str, leader: bool) -> KitText:
        if leader or (_PARTS[type(obj)], field) not in LEADER_ONLY:
            return self.text(obj, field)
        return KitText("", lang=self.original_lang)

    def agenda_item(self, item: AgendaItem, *, leader: bool) -> ShownAgendaItem:
        title, guidance = self.text(item, "title"), self._leader_text(item, "guidance", leader)
        return ShownAgendaItem(item, title, guidance, self.marker(title, guidance))

    def scenario(self, scenario: Scenario, *, leader: bool) -> ShownScenario:
        """A scenario with its questions (prefetched); the leader's notes only for `leader`."""
        questions = [
            ShownQuestion(
                q,
                self.text(q, "text"),
                self.text(q, "follow_ups"),
                self._leader_text(q, "important_points", leader),
                self._leader_text(q, "references", leader),
            )
            for q in scenario.questions.all()
        ]
        title, text = self.text(scenario, "title"), self.text(scenario, "text")
        key_messages, resources = self._leader_text(scenario, "key_messages", leader), self._leader_text(scenario, "resources", leader)
        every = [title, text, key_messages, resources] + [t for q in questions for t in (q.text, q.follow_ups, q.important_points, q.references)]
        return ShownScenario(scenario, title, text, key_messages, resources, questions, marker=self.marker(*every))

    def guide(self, *, leader: bool) -> ShownKit:
        """The whole kit (its parts prefetched, as `kit_for_cycle` does) for a guide; the
        participant guide's has no leader's notes at all, in any language."""
        kit = self.kit
        agenda = [self.agenda_item(item, leader=leader) for item in kit.agenda.all()]
        return ShownKit(
            kit=kit,
            note=self.note,
            topic=self.text(kit, "topic"),
            why_it_matters=self.text(kit, "why_it_matters"),
            key_lessons=self.text(kit, "key_lessons"),
            ground_rules=self.text(kit, "ground_rules"),
            guidelines=self._leader_text(kit, "guidelines", leader),
            agenda=agenda,
            agenda_marker=self.marker(*(a.title for a in agenda)),
            scenarios=[self.scenario(s, leader=leader) for s in kit.scenarios.all()],
        )

    def titles(self, scenarios: Iterable[Scenario]) -> str:
        """The note for a list of scenario titles (the vote list, the leader's choice); reads
        `scenarios` only when the reader's language is not the kit's."""
        if self.language is None:
            return ""
        return self.note or self.marker(*(self.text(s, "title") for s in scenarios))


def kit_reader(kit: Kit, language: str) -> KitReader:
    """The kit as a reader of `language` (Django's code, `request.LANGUAGE_CODE`) sees it, its
    translations loaded in one query (none when the reader reads the kit's own language). The
    kit's cycle should come with it (`select_related`): the topic is the cycle's."""
    code = org_language(language)
    if code is None or code == kit.language:
        return KitReader(kit, None, {})
    rows = KitTranslation.objects.filter(kit=kit, language=code).values_list("part", "object_id", "field", "text")
    return KitReader(kit, code, {(part, object_id, field): text for part, object_id, field, text in rows})


def published_kit_reader(cycle: Cycle, language: str) -> KitReader | None:
    """The reader of the cycle's published kit (two queries), or None while it has none."""
    kit = Kit.objects.select_related("cycle").filter(cycle=cycle, published=True).first()
    return kit_reader(kit, language) if kit else None


# --- what there is to translate ------------------------------------------------------------


@dataclass(frozen=True)
class SourceText:
    """One text of the kit to translate."""

    key: Key
    original: str
    leader_only: bool

    @property
    def name(self) -> str:
        return "-".join(map(str, self.key))


@dataclass(frozen=True)
class TextGroup:
    """The texts of one part of the kit, under its name ("Scenario 2, question 1")."""

    title: str
    texts: list[SourceText]


def _sources(obj, part: str) -> list[SourceText]:
    texts = []
    for field in FIELDS[part]:
        original = _original(obj, part, field)
        if original.strip():  # an empty original has nothing to translate
            texts.append(SourceText((part, obj.pk, field), original, (part, field) in LEADER_ONLY))
    return texts


def kit_texts(kit: Kit) -> list[TextGroup]:
    """Every non-empty text of the kit, grouped by part in reading order. Reads the parts from
    the prefetch of `kit_for_cycle` (no query of its own)."""
    groups = [TextGroup(_("Topic texts"), _sources(kit, KitPart.KIT))]
    for number, item in enumerate(kit.agenda.all(), start=1):
        groups.append(TextGroup(_("Agenda item %(number)d") % {"number": number}, _sources(item, KitPart.AGENDA)))
    for number, scenario in enumerate(kit.scenarios.all(), start=1):
        groups.append(TextGroup(_("Scenario %(number)d") % {"number": number}, _sources(scenario, KitPart.SCENARIO)))
        for q_number, question in enumerate(scenario.questions.all(), start=1):
            title = _("Scenario %(scenario)d, question %(number)d") % {"scenario": number, "number": q_number}
            groups.append(TextGroup(title, _sources(question, KitPart.QUESTION)))
    return [group for group in groups if group.texts]


@dataclass(frozen=True)
class Existing:
    text: str
    stale: bool  # the original changed after the translation was written or confirmed


def kit_translations_of(kit: Kit, language: str, sources: Iterable[SourceText]) -> dict[Key, Existing]:
    """The kit's translations into `language` of the current `sources`, each flagged when its
    original changed since (one query)."""
    digests = {source.key: digest(source.original) for source in sources}
    rows = KitTranslation.objects.filter(kit=kit, language=language).values_list("part", "object_id", "field", "text", "source_digest")
    return {
        (part, object_id, field): Existing(text, source_digest != digests[(part, object_id, field)])
        for part, object_id, field, text, source_digest in rows
        if (part, object_id, field) in digests
    }


@dataclass(frozen=True)
class TranslationProgress:
    language: str  # the organization file's code
    name: str
    translated: int
    total: int
    stale: int


def translation_progress(kit: Kit) -> list[TranslationProgress]:
    """For each language but the kit's own: how many of the kit's texts are translated, and how
    many of those may be out of date. One query (the kit's parts prefetched)."""
    digests = {source.key: digest(source.original) for group in kit_texts(kit) for source in group.texts}
    counts = {code: [0, 0] for code in Language.values if code != kit.language}
    rows = KitTranslation.objects.filter(kit=kit).values_list("language", "part", "object_id", "field", "source_digest")
    for language, part, object_id, field, source_digest in rows:
        key = (part, object_id, field)
        if language in counts and key in digests:
            counts[language][0] += 1
            counts[language][1] += source_digest != digests[key]
    return [TranslationProgress(code, language_name(code), done, len(digests), stale) for code, (done, stale) in counts.items()]


def incomplete_languages(kit: Kit) -> list[TranslationProgress]:
    """The languages in which some of the kit's texts are not translated yet."""
    return [p for p in translation_progress(kit) if p.translated < p.total]


# --- the service ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationSaved:
    saved: int
    removed: int


def kit_translation_save(*, actor, kit: Kit, language: str, texts: dict[Key, str], confirmed: Collection[Key] = ()) -> TranslationSaved:
    """Set the kit's translation into `language` of each text named in `texts` (an empty text
    removes it); texts not named are left as they are, and keys naming no current text of the
    kit (a part removed meanwhile) are ignored. A translation whose text did not change keeps
    its out-of-date flag unless its key is in `confirmed`. One transaction, one audit entry;
    the translations of removed parts go at the same time."""
    if language not in Language.values or language == kit.language:
        raise ValueError(f"cannot translate the kit into {language!r}")
    with transaction.atomic():
        Kit.objects.select_for_update().get(pk=kit.pk)  # one save of a kit's translations at a time
        kit = kit_for_cycle(kit.cycle)
        digests = {source.key: digest(source.original) for group in kit_texts(kit) for source in group.texts}
        rows = {(row.part, row.object_id, row.field): row for row in KitTranslation.objects.filter(kit=kit, language=language)}
        created, changed, removed = [], [], [row.pk for key, row in rows.items() if key not in digests]
        for key, text in texts.items():
            if key not in digests:
                continue
            row = rows.get(key)
            if not text.strip():
                if row is not None:
                    removed.append(row.pk)
            elif row is None:
                part, object_id, field = key
                created.append(KitTranslation(kit=kit, language=language, part=part, object_id=object_id, field=field, text=text, source_digest=digests[key]))
            elif row.text != text or (key in confirmed and row.source_digest != digests[key]):
                row.text, row.source_digest, row.updated_at = text, digests[key], timezone.now()
                changed.append(row)
        KitTranslation.objects.filter(pk__in=removed).delete()
        KitTranslation.objects.bulk_create(created)
        KitTranslation.objects.bulk_update(changed, ["text", "source_digest", "updated_at"])
        result = TranslationSaved(saved=len(created) + len(changed), removed=len(removed))
        audit_record(
            actor=actor,
            action=AuditAction.KIT_TRANSLATION_SAVE,
            target=f"kit {kit.cycle.year} {language}",
            detail={"language": language, "saved": result.saved, "removed": result.removed},
        )
    return result


def language_choices():
    """The session's languages named in the reader's language ("Arabe", "Chinois"... in French)."""
    return [(code, language_name(code)) for code in Language.values]
