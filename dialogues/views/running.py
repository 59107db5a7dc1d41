"""Facilitator mode (the leader's page while the session runs) and the sign-in sheet (Appendix A)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.middleware import screen_poll
from accounts.scope import scope_for
from dialogues.scope import led_session_or_404, sheet_session_or_404
from kit.translations import kit_reader

from ..forms import CAPTURE_LABELS, CaptureForm, ScenarioChoiceForm
from ..models import CaptureKind, Session, SessionCapture
from ..running import (
    facilitator_agenda,
    facilitator_scenarios,
    room_slides,
    session_capture_add,
    session_capture_delete,
    session_captures,
    session_choose_scenarios,
    session_kit,
    session_signed_in_count,
    sign_in_sheet,
)

FACILITATE = "dialogues/running/facilitate.html"
# htmx stops polling when a poll answers 286: used once the login has expired, so that the
# login page is never swapped into the count.
HTMX_STOP_POLLING = 286


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _box(session: Session, kind: str, form: CaptureForm | None = None) -> dict:
    return {
        "kind": kind,
        "title": CAPTURE_LABELS[kind],
        "form": form or CaptureForm(kind=kind),
        "captures": session_captures(session, kind),
    }


def _facilitate_page(request: HttpRequest, session: Session, *, choice_form=None, capture_form=None, status=200) -> HttpResponse:
    kit = session_kit(session)
    # The kit's texts in the leader's language where translated, else in the original.
    reader = kit_reader(kit, request.LANGUAGE_CODE) if kit else None
    scenarios = facilitator_scenarios(session, reader) if kit else []
    if kit and not scenarios and choice_form is None:
        choice_form = ScenarioChoiceForm(kit=kit, session=session, reader=reader)
    agenda = facilitator_agenda(reader) if kit else []
    boxes = [
        _box(session, kind, capture_form if capture_form is not None and capture_form.kind == kind else None)
        for kind in (CaptureKind.QUESTION, CaptureKind.CONTRIBUTION)
    ]
    context = {
        "session": session,
        "kit": kit,
        "reader": reader,
        "topic": reader.text(kit, "topic") if kit else None,
        "agenda": agenda,
        "agenda_marker": reader.marker(*(text for part in agenda for text in (part.title, part.guidance))) if kit else "",
        "scenarios": scenarios,
        "choice_form": choice_form,
        "boxes": boxes,
        "signed_in": session_signed_in_count(session),
    }
    return render(request, FACILITATE, context, status=status)


@login_required
@require_GET
def facilitate(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's full-screen page while running the session; only the leader may open it."""
    session = led_session_or_404(scope_for(request.user), pk)
    return _facilitate_page(request, session)


@login_required
@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    """The room view for the projector: the kit as full-screen slides (agenda, ground rules,
    each scenario and its questions), moved with the arrow keys; never the leader's notes.
    Facilitator mode stays on the leader's own screen."""
    session = led_session_or_404(scope_for(request.user), pk)
    kit = session_kit(session)
    if kit is None:
        messages.info(request, _("The room view shows the dialogue kit, which the Ethics Office has not published yet."))
        return redirect("dialogues:facilitate", session.pk)
    reader = kit_reader(kit, request.LANGUAGE_CODE)
    return render(request, "dialogues/running/room.html", {"session": session, "reader": reader, "slides": room_slides(session, reader)})


@login_required
@require_POST
def facilitate_scenarios(request: HttpRequest, pk: int) -> HttpResponse:
    session = led_session_or_404(scope_for(request.user), pk)
    kit = session_kit(session)
    if kit is None:
        raise Http404
    form = ScenarioChoiceForm(request.POST, kit=kit, session=session, reader=kit_reader(kit, request.LANGUAGE_CODE))
    if form.is_valid():
        try:
            session_choose_scenarios(session=session, scenarios=list(form.cleaned_data["scenarios"]), actor=request.user)
        except ValidationError as error:
            form.add_error("scenarios", error)
        else:
            messages.success(request, _("Scenarios chosen."))
            return redirect(reverse("dialogues:facilitate", args=[session.pk]) + "#scenarios")
    return _facilitate_page(request, session, choice_form=form)


@screen_poll
@never_cache
@require_GET
def facilitate_count(request: HttpRequest, pk: int) -> HttpResponse:
    """The live sign-in count, polled by htmx every few seconds."""
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    session = led_session_or_404(scope_for(request.user), pk)
    return render(request, f"{FACILITATE}#live_count", {"session": session, "signed_in": session_signed_in_count(session)})


def _box_response(request: HttpRequest, session: Session, kind: str, *, form=None, status_message: str = "") -> HttpResponse:
    """The capture box swapped by htmx, with the status line updated out of band."""
    context = {"session": session, "box": _box(session, kind, form), "status_message": status_message}
    return render(request, "dialogues/running/capture_box.html", context)


@login_required
@require_POST
def capture_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = led_session_or_404(scope_for(request.user), pk)
    kind = request.POST.get("kind", "")
    if kind not in CaptureKind.values:
        raise Http404
    form = CaptureForm(request.POST, kind=kind)
    if form.is_valid():
        try:
            session_capture_add(session=session, kind=kind, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            form.add_error("text", error)
    if form.errors:
        if _is_htmx(request):
            return _box_response(request, session, kind, form=form)
        return _facilitate_page(request, session, capture_form=form, status=400)
    if _is_htmx(request):
        return _box_response(request, session, kind, status_message=_("Note saved."))
    messages.success(request, _("Note saved."))
    return redirect(reverse("dialogues:facilitate", args=[session.pk]) + f"#box-{kind}")


@login_required
@require_POST
def capture_delete(request: HttpRequest, pk: int, capture_pk: int) -> HttpResponse:
    session = led_session_or_404(scope_for(request.user), pk)
    capture = get_object_or_404(SessionCapture, session=session, pk=capture_pk)
    session_capture_delete(session=session, capture_id=capture.pk, actor=request.user)
    if _is_htmx(request):
        return _box_response(request, session, capture.kind, status_message=_("Note deleted."))
    messages.success(request, _("Note deleted."))
    return redirect(reverse("dialogues:facilitate", args=[session.pk]) + f"#box-{capture.kind}")


@login_required
@require_GET
@never_cache
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Appendix A as a printable page: for the leader and the entity's focal points and head."""
    session = sheet_session_or_404(scope_for(request.user), pk)
    return render(request, "dialogues/running/sheet.html", {"sheet": sign_in_sheet(session)})


def _pdf_filename(session: Session) -> str:
    ref = re.sub(r"[^A-Za-z0-9._-]+", "-", session.ref).strip("-.") or str(session.pk)
    return f"sign-in-sheet-{ref}-{session.date.isoformat()}.pdf"


@login_required
@require_GET
@never_cache
def sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Appendix A as an A4 PDF in the user's language, from the same template as the page."""
    from weasyprint import CSS, HTML  # heavy import: only the PDF needs it

    session = sheet_session_or_404(scope_for(request.user), pk)
    html = render_to_string("dialogues/running/sheet_pdf.html", {"sheet": sign_in_sheet(session)}, request=request)
    # No base URL: the document refers to nothing outside itself, so WeasyPrint fetches nothing.
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("css/sheet.css"))])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_pdf_filename(session)}"'
    return response
