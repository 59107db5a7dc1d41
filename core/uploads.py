"""Upload → preview → confirm, shared by the import pages.

The first POST reads the file and runs the import as a dry run: errors are shown and nothing is
kept; a clean file is staged and its preview shown. The second POST takes the staged file and
runs the import for real, all or nothing (the organization may have changed in between, so it
is validated again). The file is read within the limits of its purpose both times, and only a file
that was read within them is staged.

`BoundedUploadHandler` comes first among the upload handlers: it keeps a request larger than any
upload may be from filling the memory or the disk.
"""

import io
from collections.abc import Callable

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.services import staged_file_put, staged_file_take

from .forms import ConfirmForm, TableUploadForm
from .models import StagedFile
from .tabular import Purpose, TableError, limits_for, max_upload_bytes, read_table

# run(table, dry_run=..., actor=..., options=...) -> a report with .ok and .summary()
Runner = Callable[..., object]


def confirmed_upload(request: HttpRequest, *, kind: str) -> StagedFile | None:
    """The staged upload that the confirmation names, taken off the stage (so a second
    confirmation finds nothing); None, with a message saying so, when it expired or was used."""
    confirm = ConfirmForm(request.POST)
    staged = staged_file_take(user=request.user, kind=kind, pk=confirm.cleaned_data["staged"]) if confirm.is_valid() else None
    if staged is None:
        messages.error(request, _("That preview has expired; upload the file again."))
    return staged


def preview_then_confirm(
    request: HttpRequest,
    *,
    kind: str,
    purpose: Purpose,
    template: str,
    run: Runner,
    form_class: type[TableUploadForm] = TableUploadForm,
    options_of: Callable[[dict], dict] = lambda cleaned: {},
    done_message: str,
    done_url: str,
    context: dict | None = None,
) -> HttpResponse:
    context = dict(context or {})
    limits = limits_for(purpose)
    form = form_class(limits=limits)
    if request.method == "POST" and "staged" in request.POST:
        staged = confirmed_upload(request, kind=kind)
        if staged is None:
            return redirect(request.path)
        try:
            report = run(read_table(bytes(staged.data), limits=limits), dry_run=False, actor=request.user, options=staged.options)
        except TableError as exc:  # the limits were lowered since the preview
            context["problems"] = [exc.problem]
        else:
            if report is not None and report.ok:
                messages.success(request, done_message % {"summary": report.summary()})
                return redirect(done_url)
            context["report"] = report
            if getattr(report, "blocked", False):  # wants a confirmation it did not get: stage it again
                context["staged"] = staged_file_put(user=request.user, kind=kind, data=bytes(staged.data), options=staged.options).pk
    elif request.method == "POST":
        form = form_class(request.POST, request.FILES, limits=limits)
        if form.is_valid():
            data, options = form.cleaned_data["file"], options_of(form.cleaned_data)
            try:
                report = run(read_table(data, limits=limits), dry_run=True, actor=request.user, options=options)
            except TableError as exc:
                context["problems"] = [exc.problem]
            else:
                context["report"] = report
                if report is not None and report.ok:
                    context["staged"] = staged_file_put(user=request.user, kind=kind, data=data, options=options).pk
    context["form"] = form
    return render(request, template, context)


class OversizeUpload(UploadedFile):
    """A file larger than any upload may be: its size, and none of its bytes."""

    oversize = True

    def __init__(self, name: str, size: int, content_type: str, charset: str | None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class BoundedUploadHandler(FileUploadHandler):
    """Counts the bytes of each uploaded file and passes them on to the usual handlers (memory,
    then a temporary file) only while the request is no larger than the largest file any
    purpose allows; beyond, they are dropped as they arrive and the file is an OversizeUpload,
    which the form refuses naming the limit of its purpose."""

    def __init__(self, request=None):
        super().__init__(request)
        self.cap, self.request_too_large = max_upload_bytes(), False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_too_large = content_length > self.cap

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return None if self._dropping() else raw_data

    def file_complete(self, file_size):
        if not self._dropping():
            return None
        return OversizeUpload(self.file_name, self.received, self.content_type, self.charset)

    def _dropping(self) -> bool:
        return self.request_too_large or self.received > self.cap
