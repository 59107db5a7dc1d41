"""A leader reminds the invitees of one of their upcoming sessions: a preview in each
invitee's language, then the e-mails (at most one a week per invitee)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import scope_for
from dialogues.scope import led_session_or_404
from org.models import Person

from .chasing import CHASE_INVITEES, LIST_LIMIT, chase_preview, chase_send, invitee_candidates


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
    return render(request, "dialogues/remind_invitees.html", context)
