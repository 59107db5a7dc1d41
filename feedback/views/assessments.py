"""Appendix F, the anonymous facilitator assessment: the attendee's sessions and token, the
form (reached by its token, with or without a login), the leader's results, the entity's table
and the Ethics Office's feedback insight with its exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import entity_or_404, ethics_office_or_404, scope_for
from dialogues.scope import attended_session_or_404
from org.models import Cycle

from ..anonymity import InvalidToken, assessment_submit, assessment_token_issue, token_session
from ..forms import FacilitatorAssessmentForm, InsightFilterForm
from ..insight import RATING_LABELS, feedback_insight, insight_csv, insight_xlsx
from ..models import ASSESSMENT_RATINGS
from ..results import attended_sessions_to_assess, entity_assessment_table, leader_assessment_results

RATING_COLUMNS = [RATING_LABELS[name] for name in ASSESSMENT_RATINGS]
# The device that opened the form keeps its token until the answer is sent, so that a closed
# tab can be reopened from "Sessions you attended". The server keeps nothing of it.
RESUME_COOKIE_PATH = "/feedback/"
RESUME_COOKIE_DAYS = 120


def _resume_cookie(session_id: int) -> str:
    return f"assess_{session_id}"


def _resumable_token(request: HttpRequest, session_id: int) -> str | None:
    """The unused token this device holds for the session, or None."""
    token = request.COOKIES.get(_resume_cookie(session_id), "")
    session = token_session(token)
    return token if session is not None and session.pk == session_id else None


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: no referrer to other sites, no copy in a shared cache.
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the form
    # POST and CSRF protection refuses it; other sites still never see the token in a Referer.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store, private"
    return response


# --- the attendee ---------------------------------------------------------------------------


@login_required
@require_GET
def my_sessions(request: HttpRequest) -> HttpResponse:
    """The sessions the user attended this cycle, each with its "Assess the facilitator" button."""
    scope = scope_for(request.user)
    cycle = Cycle.objects.current()
    if scope.person is None or cycle is None:
        raise Http404
    sessions = list(attended_sessions_to_assess(cycle, scope.person))
    for session in sessions:
        token = _resumable_token(request, session.pk) if session.token_issued else None
        session.resume_url = reverse("feedback:assess", args=[token]) if token else ""
    return render(request, "feedback/my_sessions.html", {"cycle": cycle, "sessions": sessions})


@login_required
@require_POST
def assess_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the attendee their one token for the session and take them to the form."""
    scope = scope_for(request.user)
    session = attended_session_or_404(scope, pk)
    token = assessment_token_issue(session=session, person=scope.person)
    if token is None:
        token = _resumable_token(request, session.pk)
        if token is not None:  # opened on this device and not sent yet: back to the same form
            return redirect("feedback:assess", token=token)
        messages.info(request, _("You already received your assessment link for this session: each attendee gets one."))
        return redirect("feedback:my_sessions")
    response = redirect("feedback:assess", token=token)
    response.set_cookie(
        _resume_cookie(session.pk),
        token,
        max_age=RESUME_COOKIE_DAYS * 24 * 3600,
        path=RESUME_COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, token: str) -> HttpResponse:
    """The anonymous form. The token is the only key: nothing about the user is read or kept."""
    session = token_session(token)
    if session is None:
        return _private(render(request, "feedback/assess_invalid.html", status=404))
    form = FacilitatorAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_submit(token=token, data=form.cleaned_data)
        except InvalidToken:
            return _private(render(request, "feedback/assess_invalid.html", status=404))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # No flash message: it would be kept in the user's session, beside their name.
            response = redirect("feedback:assess_thanks")
            response.delete_cookie(_resume_cookie(session.pk), path=RESUME_COOKIE_PATH, samesite="Strict")
            return response
    status = 400 if form.is_bound and form.errors else 200
    return _private(render(request, "feedback/assess.html", {"session": session, "form": form}, status=status))


@login_required
@require_GET
def assess_preview(request: HttpRequest) -> HttpResponse:
    """Appendix F as a participant reads it before the session: the questions, no form."""
    return render(request, "feedback/assess_preview.html", {"form": FacilitatorAssessmentForm()})


@require_GET
def assess_thanks(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "feedback/assess_thanks.html"))


# --- the leader, the entity and the Ethics Office -----------------------------------------


@login_required
@require_GET
def my_assessments(request: HttpRequest) -> HttpResponse:
    """What participants said of the user as a facilitator this cycle, above the thresholds and
    hidden where the groups the user also sees as head, focal point or Ethics Office would
    otherwise give a small group by subtraction."""
    scope = scope_for(request.user)
    cycle = Cycle.objects.current()
    if scope.person is None or cycle is None:
        raise Http404
    results = leader_assessment_results(cycle, scope)
    return render(request, "feedback/my_assessments.html", {"cycle": cycle, "results": results, "columns": RATING_COLUMNS})


@login_required
@require_GET
def entity_assessments(request: HttpRequest, code: str) -> HttpResponse:
    """An entity's Appendix F by unit: aggregates only, suppressed."""
    entity = entity_or_404(scope_for(request.user), code)
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    table = entity_assessment_table(cycle, entity)
    return render(request, "feedback/entity_assessments.html", {"entity": entity, "cycle": cycle, "table": table, "columns": RATING_COLUMNS})


def _insight_cycle(request: HttpRequest):
    filters = InsightFilterForm(request.GET or None, initial={"cycle": Cycle.objects.current()})
    cycle = Cycle.objects.current()
    if filters.is_bound and filters.is_valid() and filters.cleaned_data["cycle"]:
        cycle = filters.cleaned_data["cycle"]
    if cycle is None:
        raise Http404
    return filters, cycle


@login_required
@require_GET
def insight(request: HttpRequest) -> HttpResponse:
    """The Ethics Office's feedback insight: ratings per entity and themes of the answers."""
    ethics_office_or_404(scope_for(request.user))
    filters, cycle = _insight_cycle(request)
    context = {"filters": filters, "cycle": cycle, "insight": feedback_insight(cycle), "columns": RATING_COLUMNS, "scale": range(1, 6)}
    return render(request, "feedback/insight.html", context)


@login_required
@require_GET
def insight_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The insight as XLSX or CSV, text cells neutralised against formula injection."""
    ethics_office_or_404(scope_for(request.user))
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None or fmt not in ("csv", "xlsx"):
        raise Http404
    data = feedback_insight(cycle)
    if fmt == "csv":
        response = HttpResponse(insight_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(insight_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="feedback-insight-{cycle.year}.{fmt}"'
    return response
