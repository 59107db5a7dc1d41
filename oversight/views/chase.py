"""Chasing from the entity's dashboard: the focal point picks managers waiting or ready and
leaders whose sessions are not reported, previews the reminder in each recipient's language and
sends it now; and reminds every attendee of the entity's held sessions to assess their
facilitator. Focal points of the entity only. Also a leader reminding the invitees of one of
their upcoming sessions: a preview in each invitee's language, then the e-mails (at most one a
week per invitee)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import entity_or_404, scope_for
from dialogues.scope import led_session_or_404
from org.models import Cycle, Person

from ..chasing import (
    CHASE_ASSESS,
    CHASE_INVITEES,
    CHASE_REPORT,
    CHASE_SCHEDULE,
    ENTITY_REASONS,
    LIST_LIMIT,
    chase_candidates,
    chase_preview,
    chase_send,
    invitee_candidates,
)


def chosen_ids(request: HttpRequest, candidates: list[int], *, everyone: bool = False) -> list[int]:
    """The candidates the user ticked (or all of them): never anyone outside `candidates`."""
    if everyone or request.POST.get("everyone") == "on":
        return list(candidates)
    allowed = set(candidates)
    picked = {int(value) for value in request.POST.getlist("people") if value.isdigit()}
    return [pk for pk in candidates if pk in picked and pk in allowed]


@login_required
@require_http_methods(["GET", "POST"])
def chase(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    entity = entity_or_404(scope, code)
    cycle = Cycle.objects.current()
    if entity.pk not in scope.focal_entity_ids or cycle is None:
        raise Http404
    today = timezone.localdate()
    candidates = {reason: chase_candidates(cycle, entity, reason, today=today) for reason in ENTITY_REASONS}
    base_url = request.build_absolute_uri("/").rstrip("/")
    context = {"entity": entity, "cycle": cycle, "counts": {reason: len(ids) for reason, ids in candidates.items()}, "limit": LIST_LIMIT}
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if reason not in ENTITY_REASONS:
            raise Http404
        ids = chosen_ids(request, candidates[reason], everyone=reason == CHASE_ASSESS)
        if not ids:
            messages.error(request, _("Tick at least one person to remind."))
            return redirect("oversight:chase", code=entity.code)
        if request.POST.get("step") == "send":
            result = chase_send(actor=request.user, reason=reason, person_ids=ids, cycle=cycle, target=f"{entity.code}/{cycle.year}", base_url=base_url)
            messages.success(request, result.message)
            return redirect("oversight:chase", code=entity.code)
        sample = list(Person.objects.filter(pk__in=ids[:LIST_LIMIT]).select_related("user", "entity").order_by("language", "pk"))
        context.update(reason=reason, chosen=ids, previews=chase_preview(reason, sample, cycle=cycle, base_url=base_url))
        return render(request, "oversight/chase_preview.html", context)
    for reason in (CHASE_SCHEDULE, CHASE_REPORT):
        shown = candidates[reason][:LIST_LIMIT]
        context[reason] = list(Person.objects.filter(pk__in=shown).select_related("unit").order_by("name", "pk"))
    return render(request, "oversight/chase.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def remind_invitees(request: HttpRequest, pk: int) -> HttpResponse:
    session = led_session_or_404(scope_for(request.user), pk)
    ids = invitee_candidates(session)
    if not ids:
        messages.info(request, _("Nobody to remind: the session is not upcoming, or everyone invited has signed in."))
        return redirect("dialogues:session_detail", session.pk)
    base_url = request.build_absolute_uri("/").rstrip("/")
    if request.method == "POST":
        result = chase_send(actor=request.user, reason=CHASE_INVITEES, person_ids=ids, cycle=session.cycle, target=f"session {session.pk}", session=session, base_url=base_url)
        messages.success(request, result.message)
        return redirect("dialogues:session_detail", session.pk)
    sample = list(Person.objects.filter(pk__in=ids[:LIST_LIMIT]).select_related("user", "entity").order_by("language", "pk"))
    context = {"session": session, "chosen": ids, "previews": chase_preview(CHASE_INVITEES, sample, cycle=session.cycle, session=session, base_url=base_url)}
    return render(request, "oversight/remind_invitees.html", context)
