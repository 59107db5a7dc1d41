"""Upload → preview → confirm, shared by the import pages.

The first POST reads the file and runs the import as a dry run: errors are shown and nothing is
kept; a clean file is staged and its preview shown. The second POST takes the staged file and
runs the import for real, all or nothing (the organization may have changed in between, so it
is validated again).
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.services import staged_file_put, staged_file_take

from .forms import ConfirmForm, TableUploadForm
from .tabular import TableError, read_table

# run(table, dry_run=..., actor=..., options=...) -> a report with .ok and .summary()
Runner = Callable[..., object]


def preview_then_confirm(
    request: HttpRequest,
    *,
    kind: str,
    template: str,
    run: Runner,
    form_class: type[TableUploadForm] = TableUploadForm,
    options_of: Callable[[dict], dict] = lambda cleaned: {},
    done_message: str,
    done_url: str,
    context: dict | None = None,
) -> HttpResponse:
    context = dict(context or {})
    form = form_class()
    if request.method == "POST" and "staged" in request.POST:
        confirm = ConfirmForm(request.POST)
        staged = staged_file_take(user=request.user, kind=kind, pk=confirm.cleaned_data["staged"]) if confirm.is_valid() else None
        if staged is None:
            messages.error(request, _("That preview has expired; upload the file again."))
            return redirect(request.path)
        report = run(read_table(bytes(staged.data)), dry_run=False, actor=request.user, options=staged.options)
        if report is not None and report.ok:
            messages.success(request, done_message % {"summary": report.summary()})
            return redirect(done_url)
        context["report"] = report
    elif request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            data, options = form.cleaned_data["file"], options_of(form.cleaned_data)
            try:
                report = run(read_table(data), dry_run=True, actor=request.user, options=options)
            except TableError as exc:
                context["problems"] = [exc.problem]
            else:
                context["report"] = report
                if report is not None and report.ok:
                    context["staged"] = staged_file_put(user=request.user, kind=kind, data=data, options=options).pk
    context["form"] = form
    return render(request, template, context)

