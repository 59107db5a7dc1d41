"""Writes to the dialogue kit: its texts, agenda, scenarios and discussion questions.

Every write runs in one transaction and leaves an audit entry. Adding, moving and removing a
part lock the kit row first, so that two editors never hand out the same position.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from core.models import AuditAction
from core.services import audit_record
from org.models import Cycle

from .models import AgendaItem, DiscussionQuestion, Kit, Scenario

# The standard shape of a session (PRODUCT.md): a new kit starts with it.
STANDARD_AGENDA = (
    ("Introduction", 10),
    ("Opening activity", 10),
    ("Scenario discussions", 65),
    ("Conclusion", 5),
)
MIN_SCENARIOS = 3


def _standard_title(title: str, language: str) -> str:
    with translation.override(language):
        return {
            "Introduction": _("Introduction"),
            "Opening activity": _("Opening activity"),
            "Scenario discussions": _("Scenario discussions"),
            "Conclusion": _("Conclusion"),
        }[title]


def _locked(kit: Kit) -> Kit:
    return Kit.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=kit.pk)


def _next_order(siblings: QuerySet) -> int:
    return (siblings.aggregate(top=Max("order"))["top"] or 0) + 1


def _renumber(siblings: QuerySet) -> None:
    """Positions 1..n in the current order, so that moves always find a neighbour."""
    rows = list(siblings.order_by("order", "pk"))
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.order != position:
            row.order = position
            changed.append(row)
    if changed:
        siblings.model.objects.bulk_update(changed, ["order"])


def _move(siblings: QuerySet, obj: Model, offset: int) -> bool:
    """Swap `obj` with its neighbour `offset` (-1 up, +1 down); False at either end."""
    _renumber(siblings)
    rows = list(siblings.order_by("order"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(rows):
        return False
    a, b = rows[index], rows[other]
    a.order, b.order = b.order, a.order
    siblings.model.objects.bulk_update([a, b], ["order"])
    return True


def _target(kit: Kit, part: str = "") -> str:
    return f"kit {kit.cycle.year}" + (f" {part}" if part else "")


# --- the kit itself -------------------------------------------------------------------------


def kit_save(*, actor, cycle: Cycle, language: str, why_it_matters: str, key_lessons: str, ground_rules: str, guidelines: str) -> Kit:
    """Create or update the kit of a cycle; a new kit starts with the standard 90-minute agenda."""
    with transaction.atomic():
        kit, created = Kit.objects.select_for_update().get_or_create(cycle=cycle, defaults={"language": language})
        kit.language = language
        kit.why_it_matters, kit.key_lessons = why_it_matters, key_lessons
        kit.ground_rules, kit.guidelines = ground_rules, guidelines
        kit.save()
        if created:
            AgendaItem.objects.bulk_create(
                AgendaItem(kit=kit, order=i, title=_standard_title(title, language), minutes=minutes)
                for i, (title, minutes) in enumerate(STANDARD_AGENDA, start=1)
            )
        audit_record(actor=actor, action=AuditAction.KIT_CREATE if created else AuditAction.KIT_SAVE, target=_target(kit))
    return kit


def kit_problems(kit: Kit) -> list[str]:
    """What stops the kit from being published (empty when it is ready)."""
    problems = []
    if not kit.why_it_matters.strip():
        problems.append(_("Write why the topic matters."))
    if not kit.agenda.exists():
        problems.append(_("Add the agenda."))
    scenarios = list(kit.scenarios.all().prefetch_related("questions"))
    if len(scenarios) < MIN_SCENARIOS:
        problems.append(_("Add at least %(count)d scenarios.") % {"count": MIN_SCENARIOS})
    for scenario in scenarios:
        if not scenario.questions.all():
            problems.append(_("Add a discussion question to “%(title)s”.") % {"title": scenario.title})
    return problems


class KitNotReady(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def kit_publish(*, actor, kit: Kit, published: bool = True) -> Kit:
    """Show the kit to leaders and participants (or withdraw it); a kit is published only
    when it is complete (`kit_problems`)."""
    with transaction.atomic():
        kit = _locked(kit)
        if published:
            problems = kit_problems(kit)
            if problems:
                raise KitNotReady(problems)
        kit.published = published
        kit.save(update_fields=["published"])
        audit_record(actor=actor, action=AuditAction.KIT_PUBLISH if published else AuditAction.KIT_UNPUBLISH, target=_target(kit))
    return kit


# --- agenda ---------------------------------------------------------------------------------


def agenda_save(*, actor, kit: Kit, item: AgendaItem | None = None, title: str, minutes: int, guidance: str) -> AgendaItem:
    """Add an agenda item at the end, or update `item`."""
    with transaction.atomic():
        if item is None:
            kit = _locked(kit)
            item = AgendaItem(kit=kit, order=_next_order(kit.agenda.all()))
        item.title, item.minutes, item.guidance = title, minutes, guidance
        item.save()
        audit_record(actor=actor, action=AuditAction.KIT_AGENDA_SAVE, target=_target(kit, f"agenda {item.pk}"), detail={"title": title, "minutes": minutes})
    return item


def agenda_delete(*, actor, item: AgendaItem) -> None:
    with transaction.atomic():
        kit = _locked(item.kit)
        audit_record(actor=actor, action=AuditAction.KIT_AGENDA_DELETE, target=_target(kit, f"agenda {item.pk}"), detail={"title": item.title})
        item.delete()
        _renumber(kit.agenda.all())


def agenda_move(*, actor, item: AgendaItem, offset: int) -> bool:
    with transaction.atomic():
        kit = _locked(item.kit)
        moved = _move(kit.agenda.all(), item, offset)
        if moved:
            audit_record(actor=actor, action=AuditAction.KIT_AGENDA_MOVE, target=_target(kit, f"agenda {item.pk}"), detail={"offset": offset})
    return moved


# --- scenarios ------------------------------------------------------------------------------


def scenario_save(
    *,
    actor,
    kit: Kit,
    scenario: Scenario | None = None,
    title: str,
    format: str,
    text: str,
    video_url: str = "",
    key_messages: str = "",
    resources: str = "",
) -> Scenario:
    """Add a scenario at the end, or update `scenario`."""
    with transaction.atomic():
        if scenario is None:
            kit = _locked(kit)
            scenario = Scenario(kit=kit, order=_next_order(kit.scenarios.all()))
        scenario.title, scenario.format, scenario.text, scenario.video_url = title, format, text, video_url
        scenario.key_messages, scenario.resources = key_messages, resources
        scenario.save()
        audit_record(actor=actor, action=AuditAction.KIT_SCENARIO_SAVE, target=_target(kit, f"scenario {scenario.pk}"), detail={"title": title})
    return scenario


def scenario_delete(*, actor, scenario: Scenario) -> None:
    """Remove a scenario with its questions (and the votes and session choices for it)."""
    with transaction.atomic():
        kit = _locked(scenario.kit)
        audit_record(actor=actor, action=AuditAction.KIT_SCENARIO_DELETE, target=_target(kit, f"scenario {scenario.pk}"), detail={"title": scenario.title})
        scenario.delete()
        _renumber(kit.scenarios.all())


def scenario_move(*, actor, scenario: Scenario, offset: int) -> bool:
    with transaction.atomic():
        kit = _locked(scenario.kit)
        moved = _move(kit.scenarios.all(), scenario, offset)
        if moved:
            audit_record(actor=actor, action=AuditAction.KIT_SCENARIO_MOVE, target=_target(kit, f"scenario {scenario.pk}"), detail={"offset": offset})
    return moved


# --- discussion questions -------------------------------------------------------------------


def question_save(
    *,
    actor,
    scenario: Scenario,
    question: DiscussionQuestion | None = None,
    text: str,
    follow_ups: str = "",
    important_points: str = "",
    references: str = "",
) -> DiscussionQuestion:
    """Add a discussion question at the end of a scenario, or update `question`."""
    with transaction.atomic():
        kit = _locked(scenario.kit)
        if question is None:
            question = DiscussionQuestion(scenario=scenario, order=_next_order(scenario.questions.all()))
        question.text, question.follow_ups = text, follow_ups
        question.important_points, question.references = important_points, references
        question.save()
        audit_record(actor=actor, action=AuditAction.KIT_QUESTION_SAVE, target=_target(kit, f"question {question.pk}"), detail={"scenario": scenario.pk})
    return question


def question_delete(*, actor, question: DiscussionQuestion) -> None:
    with transaction.atomic():
        kit = _locked(question.scenario.kit)
        audit_record(actor=actor, action=AuditAction.KIT_QUESTION_DELETE, target=_target(kit, f"question {question.pk}"), detail={"scenario": question.scenario_id})
        question.delete()
        _renumber(question.scenario.questions.all())


def question_move(*, actor, question: DiscussionQuestion, offset: int) -> bool:
    with transaction.atomic():
        kit = _locked(question.scenario.kit)
        moved = _move(question.scenario.questions.all(), question, offset)
        if moved:
            audit_record(actor=actor, action=AuditAction.KIT_QUESTION_MOVE, target=_target(kit, f"question {question.pk}"), detail={"offset": offset})
    return moved


# --- a whole kit at once (the demo) ---------------------------------------------------------


@dataclass(frozen=True)
class QuestionContent:
    text: str
    follow_ups: tuple[str, ...] = ()
    important_points: tuple[str, ...] = ()
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioContent:
    title: str
    format: str
    text: str
    questions: tuple[QuestionContent, ...]
    video_url: str = ""
    key_messages: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()


@dataclass(frozen=True)
class KitContent:
    language: str
    why_it_matters: str
    key_lessons: tuple[str, ...]
    ground_rules: tuple[str, ...]
    guidelines: str
    agenda: tuple[tuple[str, int, str], ...]  # title, minutes, what to say and do
    scenarios: tuple[ScenarioContent, ...] = field(default=())


def _lines(items: tuple[str, ...]) -> str:
    return "\n".join(items)


def _sync(model, existing: list, wanted: list[dict], **parent) -> list:
    """Make `existing` rows (in order) hold `wanted`, position by position: rows are updated in
    place, so that what points at them (votes, session choices) survives a reload."""
    rows = []
    for position, values in enumerate(wanted, start=1):
        row = existing[position - 1] if position <= len(existing) else model(order=position, **parent)
        row.order = position
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        rows.append(row)
    for extra in existing[len(wanted) :]:
        extra.delete()
    return rows


def kit_load(*, actor, cycle: Cycle, content: KitContent) -> Kit:
    """Make the cycle's kit hold exactly `content` (texts, agenda, scenarios, questions).
    Running it twice leaves the same rows; the published flag is left as it was."""
    with transaction.atomic():
        kit, _created = Kit.objects.select_for_update().get_or_create(cycle=cycle)
        kit.language = content.language
        kit.why_it_matters, kit.guidelines = content.why_it_matters, content.guidelines
        kit.key_lessons, kit.ground_rules = _lines(content.key_lessons), _lines(content.ground_rules)
        kit.save()
        _sync(AgendaItem, list(kit.agenda.all()), [{"title": t, "minutes": m, "guidance": g} for t, m, g in content.agenda], kit=kit)
        scenarios = _sync(
            Scenario,
            list(kit.scenarios.all()),
            [
                {
                    "title": s.title,
                    "format": s.format,
                    "text": s.text,
                    "video_url": s.video_url,
                    "key_messages": _lines(s.key_messages),
                    "resources": _lines(s.resources),
                }
                for s in content.scenarios
            ],
            kit=kit,
        )
        for scenario, wanted in zip(scenarios, content.scenarios, strict=True):
            _sync(
                DiscussionQuestion,
                list(scenario.questions.all()),
                [
                    {
                        "text": q.text,
                        "follow_ups": _lines(q.follow_ups),
                        "important_points": _lines(q.important_points),
                        "references": _lines(q.references),
                    }
                    for q in wanted.questions
                ],
                scenario=scenario,
            )
        audit_record(actor=actor, action=AuditAction.KIT_LOAD, target=_target(kit), detail={"scenarios": len(scenarios)})
    return kit
