from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import attendance_import_entity_ids, scope_for, session_or_404, visible_sessions
from cascade.uploads import preview_then_confirm

from .forms import AttendanceUploadForm
from .models import Cycle
from .services import attendance_import


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        visible_sessions(scope_for(request.user))
        .select_related("leader__entity", "cycle")
        .annotate(participants=Count("attendances", distinct=True), guests=Count("unmatched", distinct=True))
        .order_by("-date", "ref")
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "dialogues/session_list.html", {"page": page})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session and who attended: for its leader, and its entity's focal points and head."""
    session = session_or_404(scope_for(request.user), pk)
    attendees = session.attendances.select_related("person__unit").order_by("person__name")
    return render(request, "dialogues/session_detail.html", {"session": session, "attendees": attendees, "guests": session.unmatched.order_by("name")})


@login_required
@require_http_methods(["GET", "POST"])
def attendance_upload(request: HttpRequest) -> HttpResponse:
    """Focal point: import sign-in sheets of their own entity, preview, then confirm."""
    entity_ids = set(attendance_import_entity_ids(scope_for(request.user)))
    if not entity_ids:
        raise Http404

    def run(table, *, dry_run, actor, options):
        cycle = Cycle.objects.filter(pk=options.get("cycle")).first()
        if cycle is None:
            return None
        return attendance_import(table=table, cycle=cycle, dry_run=dry_run, actor=actor, entity_ids=entity_ids)

    return preview_then_confirm(
        request,
        kind="attendance",
        template="dialogues/attendance_upload.html",
        run=run,
        form_class=AttendanceUploadForm,
        options_of=lambda cleaned: {"cycle": cleaned["cycle"].pk},
        done_message=_("Attendance imported: %(summary)s."),
        done_url=reverse("dialogues:session_list"),
    )
