from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import attendance_import_entity_ids, scope_for, session_or_404, visible_sessions
from accounts.services import staged_file_put, staged_file_take
from cascade.forms import ConfirmForm
from cascade.tabular import TableError, read_table

from .forms import AttendanceUploadForm
from .models import Cycle
from .services import attendance_import

KIND = "attendance"


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    sessions = (
        visible_sessions(scope)
        .select_related("leader__entity", "cycle")
        .annotate(participants=Count("attendances", distinct=True), guests=Count("unmatched", distinct=True))
        .order_by("-date", "ref")
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "dialogues/session_list.html", {"page": page})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session and who attended: its leader, and its entity's focal points and head."""
    session = session_or_404(scope_for(request.user), pk)
    attendees = session.attendances.select_related("person__unit").order_by("person__name")
    return render(request, "dialogues/session_detail.html", {"session": session, "attendees": attendees, "guests": session.unmatched.order_by("name")})


@login_required
@require_http_methods(["GET", "POST"])
def attendance_upload(request: HttpRequest) -> HttpResponse:
    """Focal point: import sign-in sheets of their entity, preview, then confirm."""
    entity_ids = set(attendance_import_entity_ids(scope_for(request.user)))
    if not entity_ids:
        raise Http404
    context: dict = {}
    if request.method == "POST" and "staged" in request.POST:
        confirm = ConfirmForm(request.POST)
        staged = staged_file_take(user=request.user, kind=KIND, pk=confirm.data.get("staged")) if confirm.is_valid() else None
        cycle = Cycle.objects.filter(pk=staged.options.get("cycle")).first() if staged else None
        if staged is None or cycle is None:
            messages.error(request, _("That preview has expired; upload the file again."))
            return redirect("dialogues:attendance_upload")
        report = attendance_import(table=read_table(bytes(staged.data)), cycle=cycle, actor=request.user, entity_ids=entity_ids)
        if report.ok:
            messages.success(request, _("Attendance imported: %(summary)s.") % {"summary": report.summary()})
            return redirect("dialogues:session_list")
        context["report"] = report
        form = AttendanceUploadForm()
    elif request.method == "POST":
        form = AttendanceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data, cycle = form.cleaned_data["file"], form.cleaned_data["cycle"]
            try:
                report = attendance_import(table=read_table(data), cycle=cycle, dry_run=True, entity_ids=entity_ids)
            except TableError as exc:
                context["problems"] = [exc.problem]
            else:
                context["report"] = report
                if report.ok:
                    context["staged"] = staged_file_put(user=request.user, kind=KIND, data=data, options={"cycle": cycle.pk}).pk
    else:
        form = AttendanceUploadForm()
    context["form"] = form
    return render(request, "dialogues/attendance_upload.html", context)
