from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import can_import_org, scope_for
from accounts.services import staged_file_put, staged_file_take
from cascade.forms import ConfirmForm, TableUploadForm
from cascade.tabular import TableError, read_table

from .services import org_import

KIND = "org"


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Ethics Office: upload the organization file, see what it would change, then confirm."""
    if not can_import_org(scope_for(request.user)):
        raise Http404
    context: dict = {}
    if request.method == "POST" and "staged" in request.POST:
        confirm = ConfirmForm(request.POST)
        staged = staged_file_take(user=request.user, kind=KIND, pk=confirm.data.get("staged")) if confirm.is_valid() else None
        if staged is None:
            messages.error(request, _("That preview has expired; upload the file again."))
            return redirect("org:upload")
        report = org_import(table=read_table(bytes(staged.data)), actor=request.user)
        if report.ok:
            messages.success(request, _("Organization imported: %(summary)s.") % {"summary": report.summary()})
            return redirect("home")
        context["report"] = report  # the organization changed between preview and confirmation
        form = TableUploadForm()
    elif request.method == "POST":
        form = TableUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"]
            try:
                report = org_import(table=read_table(data), dry_run=True)
            except TableError as exc:
                context["problems"] = [exc.problem]
            else:
                context["report"] = report
                context["samples"] = [
                    (kind, label, report.samples.get(kind, []))
                    for kind, label in (("created", _("Created")), ("updated", _("Updated")), ("deactivated", _("Deactivated")), ("reactivated", _("Reactivated")))
                ]
                if report.ok:
                    context["staged"] = staged_file_put(user=request.user, kind=KIND, data=data).pk
    else:
        form = TableUploadForm()
    context["form"] = form
    return render(request, "org/upload.html", context)
