"""Leader feedback (Appendix C), sessions not reported, and the Ethics Office's questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scope import entity_or_404, ethics_office_or_404, scope_for
from dialogues.running import sign_in_sheet
from dialogues.scope import led_session_or_404
from kit.translations import published_kit_reader
from org.models import Cycle

from .. import selectors
from ..forms import AskForm, LeaderFeedbackForm, QuestionForm, QueueFilterForm
from ..models import LeaderFeedback, Question
from ..selectors import (
    ethics_office_staff,
    faq_questions,
    feedback_initial,
    feedback_scenarios,
    feedback_values,
    leader_questions,
    leader_sessions_to_report,
    question_queue,
    report_due_date,
    session_is_held,
    sessions_not_reported,
)
from ..services import leader_feedback_save, question_ask, question_update
from ..suggest import suggestions_for


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- the leader ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def leader_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Appendix C for a held session: only its leader, editable until the entity certifies."""
    session = led_session_or_404(scope_for(request.user), pk)
    if not session_is_held(session):
        messages.info(request, _("You can report a session once it has been held."))
        return redirect("feedback:my_reports")
    feedback = LeaderFeedback.objects.filter(session=session).select_related("entity", "unit").first()
    # Called through the module so that certification (another issue) plugs in here.
    frozen = feedback is not None and selectors.entity_is_certified(feedback.entity, session.cycle)
    scenarios = feedback_scenarios(session)
    initial = feedback_values(feedback) if feedback else feedback_initial(session)
    reader = published_kit_reader(session.cycle, request.LANGUAGE_CODE)
    form = LeaderFeedbackForm(request.POST if request.method == "POST" and not frozen else None, initial=initial, scenarios=scenarios, reader=reader)
    if request.method == "POST" and not frozen and form.is_valid():
        try:
            leader_feedback_save(session=session, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your feedback is saved. Unanswered questions went to the Ethics Office."))
            return redirect("feedback:my_reports")
    context = {
        "session": session,
        "sheet": sign_in_sheet(session),
        "feedback": feedback,
        "form": form,
        "frozen": frozen,
    }
    status = 409 if frozen and request.method == "POST" else 400 if form.is_bound and form.errors else 200
    return render(request, "feedback/leader_feedback.html", context, status=status)


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """The leader's held sessions of the current cycle: those to report first, then those reported."""
    scope = scope_for(request.user)
    cycle = Cycle.objects.current()
    if scope.person is None or cycle is None:
        raise Http404
    sessions = list(leader_sessions_to_report(cycle, scope.person))
    overdue = set(sessions_not_reported(cycle, leader=scope.person).values_list("pk", flat=True))
    today = timezone.localdate()
    to_report = [(s, report_due_date(s), s.pk in overdue) for s in sessions if not s.has_feedback]
    context = {
        "cycle": cycle,
        "to_report": to_report,
        "reported": [s for s in sessions if s.has_feedback],
        "today": today,
    }
    return render(request, "feedback/my_reports.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_questions(request: HttpRequest) -> HttpResponse:
    """Questions forwarded from the user's sessions, those they asked about the materials before
    a session (managers), and the Ethics Office's answers."""
    scope = scope_for(request.user)
    if scope.person is None:
        raise Http404
    cycle = Cycle.objects.current()
    form = AskForm(request.POST or None) if scope.is_manager and cycle is not None else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                question_ask(leader=scope.person, cycle=cycle, text=form.cleaned_data["text"], actor=request.user)
            except ValidationError as error:
                form.add_error("text", error)
            else:
                messages.success(request, _("Your question is with the Ethics Office; the answer will come by e-mail and appear here."))
                return redirect("feedback:my_questions")
    return render(request, "feedback/my_questions.html", {"questions": leader_questions(scope.person), "form": form})


# --- the focal point -------------------------------------------------------------------


@login_required
@require_GET
def entity_not_reported(request: HttpRequest, code: str) -> HttpResponse:
    """Held sessions of an entity not reported 3 days after their date. Focal points and the
    head see them by leader; the Ethics Office, which never sees names, sees the number only."""
    scope = scope_for(request.user)
    entity = entity_or_404(scope, code)
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    sessions = sessions_not_reported(cycle, entity_ids=[entity.pk])
    named = entity.pk in scope.named_entity_ids
    context = {
        "entity": entity,
        "cycle": cycle,
        "named": named,
        "count": sessions.count(),
        "page": Paginator(sessions, 100).get_page(request.GET.get("page")) if named else None,
    }
    return render(request, "feedback/entity_not_reported.html", context)


# --- the Ethics Office -----------------------------------------------------------------


@login_required
@require_GET
def question_queue_view(request: HttpRequest) -> HttpResponse:
    """The Ethics Office's queue of forwarded questions, by cycle, status and entity."""
    ethics_office_or_404(scope_for(request.user))
    cycle = Cycle.objects.current()
    filters = QueueFilterForm(request.GET or None, initial={"cycle": cycle})
    status, entity = "", None
    if filters.is_bound and filters.is_valid():
        cycle = filters.cleaned_data["cycle"] or cycle
        status, entity = filters.cleaned_data["status"], filters.cleaned_data["entity"]
    questions = question_queue(cycle, status=status, entity=entity) if cycle else Question.objects.none()
    # Times are shown in the zone of the session a question came from (UTC when it has none).
    questions = questions.annotate(session_time_zone=F("session__time_zone"))
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "feedback/question_queue.html", {"cycle": cycle, "filters": filters, "page": page, "query": query.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One question: assign it, move it along, answer it, publish it; with kit suggestions."""
    ethics_office_or_404(scope_for(request.user))
    question = get_object_or_404(Question.objects.select_related("cycle", "entity", "assigned_to", "session"), pk=pk)
    staff = ethics_office_staff()
    initial = {"assigned_to": question.assigned_to, "status": question.status, "answer": question.answer}
    form = QuestionForm(request.POST or None, initial=initial, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question_update(
                question=question,
                status=data["status"],
                answer=data["answer"],
                assigned_to=data["assigned_to"],
                actor=request.user,
                base_url=_base_url(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("feedback:question_detail", pk=question.pk)
    kit = getattr(question.cycle, "kit", None)
    zone = question.session.time_zone if question.session_id else "UTC"
    context = {"question": question, "form": form, "suggestions": suggestions_for(question.text, kit), "zone": zone}
    return render(request, "feedback/question_detail.html", context, status=400 if form.is_bound and form.errors else 200)


# --- everyone --------------------------------------------------------------------------


@login_required
@require_GET
def faq(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The published questions and answers of a cycle (the current one by default), with
    nothing that tells which session, leader or entity asked."""
    cycle = get_object_or_404(Cycle, year=year) if year is not None else Cycle.objects.current()
    questions = faq_questions(cycle) if cycle else Question.objects.none()
    cycles = Cycle.objects.order_by("-year").only("year")
    return render(request, "feedback/faq.html", {"cycle": cycle, "questions": questions, "cycles": cycles})
