"""Certification of Appendix E: the page of one entity, its three steps and its exports. The
page and exports are for the entity's focal points and head and for the Ethics Office (numbers
only); each step is for one role, checked again by its service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import entity_or_404, ethics_office_or_404, scope_for
from core.exports import csv_text, xlsx_bytes
from org.models import Cycle

from .. import certification as certs
from ..forms import CertificationStatementForm
from ..models import CertificationStatus
from ..selectors import rollup_csv_rows

EXPORT_FORMATS = {"xlsx", "csv", "pdf"}


def _context(request: HttpRequest, code: str) -> dict:
    scope = scope_for(request.user)
    entity = entity_or_404(scope, code)
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    certification = certs.certification_for(entity, cycle)
    appendix, draft = certs.appendix_e(entity, cycle, certification)
    return {
        "entity": entity,
        "cycle": cycle,
        "certification": certification,
        "status": CertificationStatus(certification.status) if certification else CertificationStatus.DRAFT,
        "appendix": appendix,
        "draft": draft,
        # Signatories are named to the entity's own people; the Ethics Office sees roles only.
        "named": entity.pk in scope.named_entity_ids,
        "scope": scope,
    }


@login_required
@require_GET
@never_cache
def certification(request: HttpRequest, code: str) -> HttpResponse:
    """Appendix E of the entity: the snapshot once submitted, else the live roll-up as a draft;
    the status, the history and the buttons the user's role allows."""
    context = _context(request, code)
    entity, status, scope = context["entity"], context["status"], context["scope"]
    context["history"] = certs.certification_history(entity, context["cycle"])
    context["can_submit"] = entity.pk in scope.focal_entity_ids and status in (CertificationStatus.DRAFT, CertificationStatus.REOPENED)
    context["can_certify"] = entity.pk in scope.head_entity_ids and status == CertificationStatus.SUBMITTED
    context["can_reopen"] = scope.ethics_office and status in (CertificationStatus.SUBMITTED, CertificationStatus.CERTIFIED)
    if context["can_submit"] or context["can_certify"]:
        context["checks"] = certs.certification_checks(entity, context["cycle"], context["appendix"])
        context["days_left"] = (context["cycle"].deadline - timezone.localdate()).days
    if context["can_certify"]:
        context["statement"], _language = certs.certification_statement(context["cycle"], request.LANGUAGE_CODE)
    certification = context["certification"]
    if certification is not None:
        context["submit_warnings"] = [certs.check_message(c) for c in certification.submit_warnings]
        context["certify_warnings"] = [certs.check_message(c) for c in certification.certify_warnings]
    return render(request, "oversight/certification.html", context)


def _step(request: HttpRequest, code: str, service, done: str, **kwargs) -> HttpResponse:
    scope = scope_for(request.user)
    entity = entity_or_404(scope, code)
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    try:
        service(actor=request.user, entity=entity, cycle=cycle, **kwargs)  # PermissionDenied: 403
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("oversight:certification", code=entity.code)


@login_required
@require_POST
def certification_submit(request: HttpRequest, code: str) -> HttpResponse:
    return _step(request, code, certs.certification_submit, _("Appendix E submitted to the head of entity."), confirmed=request.POST.get("confirm") == "on")


@login_required
@require_POST
def certification_certify(request: HttpRequest, code: str) -> HttpResponse:
    return _step(
        request,
        code,
        certs.certification_certify,
        _("Appendix E certified."),
        statement_accepted=request.POST.get("accept") == "on",
        reason=request.POST.get("certify_reason", "")[:2000],
        language=request.LANGUAGE_CODE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def certification_statement(request: HttpRequest) -> HttpResponse:
    """The Ethics Office writes the cycle's certification statement in each language."""
    scope = scope_for(request.user)
    ethics_office_or_404(scope)
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    form = CertificationStatementForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        certs.certification_statements_set(actor=request.user, cycle=cycle, texts=form.texts())
        messages.success(request, _("Certification statement saved."))
        return redirect("oversight:certification_statement")
    return render(request, "oversight/certification_statement.html", {"cycle": cycle, "form": form, "default": certs.default_statement()})


@login_required
@require_POST
def certification_reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _step(request, code, certs.certification_reopen, _("Appendix E reopened."), reason=request.POST.get("reason", ""))


def _sheet_rows(context: dict) -> list[list]:
    """Appendix E as a sheet: a few lines saying what it is, then the table."""
    appendix, certification = context["appendix"], context["certification"]
    status = CertificationStatus.DRAFT if context["draft"] else context["status"]
    rows: list[list] = [
        [_("Appendix E: certification of the Leadership Dialogue"), context["entity"].code],
        [_("Cycle"), context["cycle"].year],
        [_("Status"), str(status.label)],
    ]
    if certification is not None and not context["draft"]:
        if certification.submitted_at:
            rows.append([_("Submitted on"), certification.submitted_at.isoformat(timespec="minutes")])
        if certification.certified_at:
            rows.append([_("Certified on"), certification.certified_at.isoformat(timespec="minutes")])
    rows.append([])
    rows.append([_("Unit"), _("Personnel"), _("Participants")])
    rows.extend([u.unit, u.personnel, u.participants] for u in appendix.units)
    rows.append([_("Total"), appendix.personnel, appendix.participants])
    return rows


@login_required
@require_GET
@never_cache
def certification_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Appendix E as XLSX, CSV (the roll-up's CSV rows) or PDF: the snapshot once submitted, else the
    live roll-up, marked as a draft (in the file name, and inside the XLSX and PDF)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    context = _context(request, code)
    name = f"appendix-e-{context['entity'].code}-{context['cycle'].year}{'-draft' if context['draft'] else ''}.{fmt}"
    name = "".join(c if c.isalnum() or c in "._-" else "-" for c in name)
    if fmt == "csv":
        response = HttpResponse(csv_text(rollup_csv_rows([context["appendix"]])), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        rows = _sheet_rows(context)
        content = xlsx_bytes({_("Appendix E"): rows}, header_rows={_("Appendix E"): rows.index([_("Unit"), _("Personnel"), _("Participants")]) + 1})
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        from weasyprint import CSS, HTML  # heavy import: only the PDF needs it

        html = render_to_string("oversight/certification_pdf.html", context, request=request)
        # No base URL: the document refers to nothing outside itself, so WeasyPrint fetches nothing.
        content = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("oversight/certification.css"))])
        response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
