"""The dialogue kit: the Ethics Office's editing page, and the participant's and leader's guides.

Every editing form is a plain POST that redirects back to the page; with htmx the same view
answers with the fragment of the page that changed (and a status message out of band).
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import scope_for
from org.models import Cycle

from .. import services
from ..forms import AgendaItemForm, KitForm, MoveForm, PublishForm, QuestionForm, ScenarioForm, initial_of
from ..models import AgendaItem, DiscussionQuestion, Kit, Scenario
from ..selectors import kit_for_cycle, total_minutes
from ..translations import incomplete_languages, kit_reader, translation_progress

EDIT_TEMPLATE = "kit/edit.html"


# --- access ---------------------------------------------------------------------------------


def _cycle_or_404(year: int) -> Cycle:
    return get_object_or_404(Cycle, year=year)


def _editor_cycle_or_404(request: HttpRequest, year: int) -> Cycle:
    """Only the Ethics Office edits the kit; anyone else is told nothing exists."""
    if not scope_for(request.user).ethics_office:
        raise Http404
    return _cycle_or_404(year)


def _kit_or_404(cycle: Cycle) -> Kit:
    kit = Kit.objects.select_related("cycle").filter(cycle=cycle).first()
    if kit is None:
        raise Http404
    return kit


def _guide_kit_or_404(request: HttpRequest, year: int) -> Kit:
    """A kit as leaders and participants see it: only once published (the Ethics Office may
    preview it before)."""
    kit = kit_for_cycle(_cycle_or_404(year))
    if kit is None or not (kit.published or scope_for(request.user).ethics_office):
        raise Http404
    return kit


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the editing page -----------------------------------------------------------------------


@dataclass
class AgendaEntry:
    item: AgendaItem
    form: AgendaItemForm


@dataclass
class QuestionEntry:
    question: DiscussionQuestion
    form: QuestionForm


@dataclass
class ScenarioEntry:
    scenario: Scenario
    form: ScenarioForm
    questions: list[QuestionEntry]
    new_question: QuestionForm
    first: bool
    last: bool


def _editor_context(cycle: Cycle, kit: Kit | None, bound: dict[str, forms.Form] | None = None) -> dict:
    """Everything the editing page shows, with a fresh form per part; `bound` holds the one
    form that was just submitted with errors, under its prefix, to show in its place."""
    bound = bound or {}

    def form(cls, prefix: str, obj=None) -> forms.Form:
        return bound.get(prefix) or cls(prefix=prefix, initial=initial_of(obj, cls) if obj is not None else None)

    context: dict = {"cycle": cycle, "kit": kit, "kit_form": form(KitForm, "kit", kit)}
    if kit is None:
        return context
    context["agenda_entries"] = [AgendaEntry(item, form(AgendaItemForm, f"agenda-{item.pk}", item)) for item in kit.agenda.all()]
    context["new_agenda_form"] = form(AgendaItemForm, "agenda-new")
    context["total_minutes"] = total_minutes(kit)
    scenarios = list(kit.scenarios.all())
    context["scenario_entries"] = [
        ScenarioEntry(
            scenario,
            form(ScenarioForm, f"scenario-{scenario.pk}", scenario),
            [QuestionEntry(q, form(QuestionForm, f"question-{q.pk}", q)) for q in scenario.questions.all()],
            form(QuestionForm, f"question-new-{scenario.pk}"),
            first=index == 0,
            last=index == len(scenarios) - 1,
        )
        for index, scenario in enumerate(scenarios)
    ]
    context["new_scenario_form"] = form(ScenarioForm, "scenario-new")
    context["problems"] = services.kit_problems(kit) if not kit.published else []
    context["translations"] = translation_progress(kit)
    context["incomplete"] = [p for p in context["translations"] if p.translated < p.total]
    context["shares"] = ", ".join(f"{p.name} {round(100 * p.translated / p.total) if p.total else 100}\u00a0%" for p in context["incomplete"])
    return context


def _answer(
    request: HttpRequest,
    cycle: Cycle,
    *,
    part: str,
    anchor: str,
    message: str = "",
    bound: dict[str, forms.Form] | None = None,
    scenario_pk: int | None = None,
) -> HttpResponse:
    """After a write (or a rejected form): the changed fragment for htmx; otherwise the page
    again with the errors, or a redirect to the part that changed."""
    if not _is_htmx(request) and not bound:
        if message:
            messages.success(request, message)
        return redirect(reverse("kit:edit", args=[cycle.year]) + "#" + anchor)
    context = _editor_context(cycle, kit_for_cycle(cycle), bound)
    if not _is_htmx(request):
        return render(request, EDIT_TEMPLATE, context)
    if scenario_pk is not None:
        context["entry"] = next(e for e in context["scenario_entries"] if e.scenario.pk == scenario_pk)
    context["message"] = message or _("Please correct the errors below.")
    html = [render_to_string(f"{EDIT_TEMPLATE}#{part}", context, request)]
    # Out of band: the status message, and the publishing status whose checklist may change.
    html.append(render_to_string(f"{EDIT_TEMPLATE}#announce", {**context, "oob": True}, request))
    if part != "status" and context["kit"] is not None:
        html.append(render_to_string(f"{EDIT_TEMPLATE}#status", {**context, "oob": True}, request))
    return HttpResponse("".join(html))


@login_required
@require_http_methods(["GET", "POST"])
def kit_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Ethics Office: the whole kit on one page; this view also saves the kit's texts."""
    cycle = _editor_cycle_or_404(request, year)
    if request.method == "POST":
        form = KitForm(request.POST, prefix="kit")
        if not form.is_valid():
            return _answer(request, cycle, part="texts", anchor="kit-texts", bound={"kit": form})
        services.kit_save(actor=request.user, cycle=cycle, **form.cleaned_data)
        return _answer(request, cycle, part="texts", anchor="kit-texts", message=_("The kit's texts are saved."))
    return render(request, EDIT_TEMPLATE, _editor_context(cycle, kit_for_cycle(cycle)))


@login_required
@require_POST
def kit_publish(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    kit = _kit_or_404(cycle)
    form = PublishForm(request.POST)
    publish = form.is_valid() and form.cleaned_data["publish"]
    confirmed = form.is_valid() and form.cleaned_data["confirm"]
    unconfirmed = ""
    if not publish and kit.published and not confirmed:
        unconfirmed = _("Confirm that you want to withdraw the kit: leaders and participants stop seeing it at once.")
    elif publish and not kit.published and not confirmed and not services.kit_problems(kit) and incomplete_languages(kit):
        unconfirmed = _("Confirm that you want to publish with languages incomplete.")
    if unconfirmed:
        if not _is_htmx(request):
            messages.error(request, unconfirmed)
            return redirect(reverse("kit:edit", args=[cycle.year]) + "#kit-status")
        return _answer(request, cycle, part="status", anchor="kit-status", message=unconfirmed)
    try:
        services.kit_publish(actor=request.user, kit=kit, published=publish)
    except services.KitNotReady as not_ready:
        message = _("The kit cannot be published yet: %(problems)s") % {"problems": " ".join(not_ready.problems)}
        if not _is_htmx(request):
            messages.error(request, message)
            return redirect(reverse("kit:edit", args=[cycle.year]) + "#kit-status")
        return _answer(request, cycle, part="status", anchor="kit-status", message=message)
    done = _("The kit is published: leaders and participants can read it.") if publish else _("The kit is withdrawn: only the Ethics Office can read it.")
    return _answer(request, cycle, part="status", anchor="kit-status", message=done)


def _move_or_none(request: HttpRequest) -> int | None:
    form = MoveForm(request.POST)
    return form.offset if form.is_valid() else None


# Agenda


@login_required
@require_POST
def agenda_add(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    kit = _kit_or_404(cycle)
    form = AgendaItemForm(request.POST, prefix="agenda-new")
    if not form.is_valid():
        return _answer(request, cycle, part="agenda", anchor="kit-agenda", bound={"agenda-new": form})
    services.agenda_save(actor=request.user, kit=kit, **form.cleaned_data)
    return _answer(request, cycle, part="agenda", anchor="kit-agenda", message=_("Agenda item added."))


def _agenda_item_or_404(cycle: Cycle, pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("kit__cycle"), pk=pk, kit__cycle=cycle)


@login_required
@require_POST
def agenda_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    item = _agenda_item_or_404(cycle, pk)
    prefix = f"agenda-{pk}"
    form = AgendaItemForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _answer(request, cycle, part="agenda", anchor=prefix, bound={prefix: form})
    services.agenda_save(actor=request.user, kit=item.kit, item=item, **form.cleaned_data)
    return _answer(request, cycle, part="agenda", anchor=prefix, message=_("Agenda item saved."))


@login_required
@require_POST
def agenda_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    services.agenda_delete(actor=request.user, item=_agenda_item_or_404(cycle, pk))
    return _answer(request, cycle, part="agenda", anchor="kit-agenda", message=_("Agenda item removed."))


@login_required
@require_POST
def agenda_move(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    item = _agenda_item_or_404(cycle, pk)
    offset = _move_or_none(request)
    if offset is not None:
        services.agenda_move(actor=request.user, item=item, offset=offset)
    return _answer(request, cycle, part="agenda", anchor=f"agenda-{pk}", message=_("Agenda reordered."))


# Scenarios


def _scenario_or_404(cycle: Cycle, pk: int) -> Scenario:
    return get_object_or_404(Scenario.objects.select_related("kit__cycle"), pk=pk, kit__cycle=cycle)


@login_required
@require_POST
def scenario_add(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    kit = _kit_or_404(cycle)
    form = ScenarioForm(request.POST, prefix="scenario-new")
    if not form.is_valid():
        return _answer(request, cycle, part="scenarios", anchor="kit-scenarios", bound={"scenario-new": form})
    scenario = services.scenario_save(actor=request.user, kit=kit, **form.cleaned_data)
    return _answer(request, cycle, part="scenarios", anchor=f"scenario-{scenario.pk}", message=_("Scenario added."))


@login_required
@require_POST
def scenario_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    scenario = _scenario_or_404(cycle, pk)
    prefix = f"scenario-{pk}"
    form = ScenarioForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _answer(request, cycle, part="scenario", anchor=prefix, bound={prefix: form}, scenario_pk=pk)
    services.scenario_save(actor=request.user, kit=scenario.kit, scenario=scenario, **form.cleaned_data)
    return _answer(request, cycle, part="scenario", anchor=prefix, message=_("Scenario saved."), scenario_pk=pk)


@login_required
@require_POST
def scenario_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    services.scenario_delete(actor=request.user, scenario=_scenario_or_404(cycle, pk))
    return _answer(request, cycle, part="scenarios", anchor="kit-scenarios", message=_("Scenario removed."))


@login_required
@require_POST
def scenario_move(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    scenario = _scenario_or_404(cycle, pk)
    offset = _move_or_none(request)
    if offset is not None:
        services.scenario_move(actor=request.user, scenario=scenario, offset=offset)
    return _answer(request, cycle, part="scenarios", anchor=f"scenario-{pk}", message=_("Scenarios reordered."))


# Discussion questions


def _question_or_404(cycle: Cycle, pk: int) -> DiscussionQuestion:
    return get_object_or_404(DiscussionQuestion.objects.select_related("scenario__kit__cycle"), pk=pk, scenario__kit__cycle=cycle)


@login_required
@require_POST
def question_add(request: HttpRequest, year: int, scenario_pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    scenario = _scenario_or_404(cycle, scenario_pk)
    prefix = f"question-new-{scenario_pk}"
    form = QuestionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _answer(request, cycle, part="scenario", anchor=prefix, bound={prefix: form}, scenario_pk=scenario_pk)
    question = services.question_save(actor=request.user, scenario=scenario, **form.cleaned_data)
    return _answer(request, cycle, part="scenario", anchor=f"question-{question.pk}", message=_("Question added."), scenario_pk=scenario_pk)


@login_required
@require_POST
def question_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    question = _question_or_404(cycle, pk)
    prefix = f"question-{pk}"
    form = QuestionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _answer(request, cycle, part="scenario", anchor=prefix, bound={prefix: form}, scenario_pk=question.scenario_id)
    services.question_save(actor=request.user, scenario=question.scenario, question=question, **form.cleaned_data)
    return _answer(request, cycle, part="scenario", anchor=prefix, message=_("Question saved."), scenario_pk=question.scenario_id)


@login_required
@require_POST
def question_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    question = _question_or_404(cycle, pk)
    scenario_pk = question.scenario_id
    services.question_delete(actor=request.user, question=question)
    return _answer(request, cycle, part="scenario", anchor=f"scenario-{scenario_pk}", message=_("Question removed."), scenario_pk=scenario_pk)


@login_required
@require_POST
def question_move(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _editor_cycle_or_404(request, year)
    question = _question_or_404(cycle, pk)
    offset = _move_or_none(request)
    if offset is not None:
        services.question_move(actor=request.user, question=question, offset=offset)
    return _answer(request, cycle, part="scenario", anchor=f"question-{pk}", message=_("Questions reordered."), scenario_pk=question.scenario_id)


# --- the guides -----------------------------------------------------------------------------


@login_required
@require_GET
def kit_current(request: HttpRequest) -> HttpResponse:
    """The site's link to the kit: the latest cycle's, in the form the user's role reads."""
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    scope = scope_for(request.user)
    if scope.ethics_office:
        return redirect("kit:edit", year=cycle.year)
    return redirect("kit:leader" if scope.is_manager else "kit:participant", year=cycle.year)


def _guide(request: HttpRequest, kit: Kit, *, leader: bool) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "kit/guide.html",
        {
            "kit": kit,
            "shown": kit_reader(kit, request.LANGUAGE_CODE).guide(leader=leader),
            "cycle": kit.cycle,
            "leader": leader,
            "total_minutes": total_minutes(kit),
            "can_edit": scope.ethics_office,
            "can_lead": scope.ethics_office or scope.is_manager,
        },
    )


@login_required
@require_GET
def kit_participant(request: HttpRequest, year: int) -> HttpResponse:
    """The participant guide: what everyone reads before the session, without leader notes."""
    return _guide(request, _guide_kit_or_404(request, year), leader=False)


@login_required
@require_GET
def kit_leader(request: HttpRequest, year: int) -> HttpResponse:
    """The leader's guide: the whole kit, for managers and the Ethics Office."""
    scope = scope_for(request.user)
    if not (scope.is_manager or scope.ethics_office):
        raise Http404
    return _guide(request, _guide_kit_or_404(request, year), leader=True)
