from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import attendance_import_entity_ids, scope_for
from core.tabular import Purpose
from core.uploads import preview_then_confirm
from dialogues.scope import guest_session_or_404, led_session_or_404, session_or_404, visible_sessions
from kit.models import Scenario
from kit.translations import published_kit_reader
from org.models import Cycle
from org.zones import person_time_zone

from ..forms import AttendanceUploadForm, GuestForm, RespondForm, ScheduleForm, SplitForm
from ..models import Invitation, ScenarioVote, SessionStatus
from ..scheduling import MAX_PER_SESSION, invitation_respond, propose_split, session_add_guests, session_cancel, session_schedule, session_update
from ..services import attendance_import


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        visible_sessions(scope_for(request.user), monitored=True)
        .select_related("leader__entity", "cycle")
        .annotate(participants=Count("attendances", distinct=True), guests=Count("unmatched", distinct=True))
        .order_by("-date", "ref")
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "dialogues/session_list.html", {"page": page})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session, who was invited and who attended: for its leader, and its entity's focal
    points and head. Invitees' needs and votes are for the leader's eyes."""
    scope = scope_for(request.user)
    session = session_or_404(scope, pk, monitored=True)
    is_leader = scope.person is not None and session.leader_id == scope.person.pk
    context = {
        "session": session,
        "is_leader": is_leader,
        "is_monitor": scope.person is not None and session.monitor_id == scope.person.pk,
        "adds_guests": session.leader.entity_id in scope.named_entity_ids and session.status != SessionStatus.CANCELLED,
        "attendees": session.attendances.select_related("person__unit").order_by("person__name"),
        "guests": session.unmatched.order_by("name"),
        "invitations": session.invitations.select_related("person").order_by("person__name"),
    }
    if is_leader:
        votes = list(
            ScenarioVote.objects.filter(invitation__session=session)
            .values("scenario_id", "scenario__order", "scenario__title")
            .annotate(count=Count("id"))
            .order_by("-count", "scenario__order")
        )
        reader = published_kit_reader(session.cycle, request.LANGUAGE_CODE) if votes else None
        for vote in votes:  # the titles in the leader's language where the kit is translated
            scenario = Scenario(pk=vote["scenario_id"], title=vote["scenario__title"])
            vote["title"] = reader.text(scenario, "title").html if reader else scenario.title
        context["votes"] = votes
    return render(request, "dialogues/session_detail.html", context)


def _show_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: under the field it names, else above the form."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """A manager schedules sessions for their team; more than 25 invitees → a proposed split."""
    scope = scope_for(request.user)
    cycle = Cycle.objects.current()
    if scope.person is None or cycle is None:
        raise Http404
    form = ScheduleForm(request.POST or None, scope=scope, initial={"invitees": _team_ids(scope.person)})
    if request.method == "POST" and form.is_valid():
        people = form.cleaned_data["people"]
        if len(people) > MAX_PER_SESSION or "split" in request.POST:
            groups = propose_split(people)
            split = SplitForm(
                request.POST if "split" in request.POST else None,
                people=people,
                groups=groups,
                first_start=form.cleaned_data["starts_at"],
                duration=form.cleaned_data["duration_minutes"],
            )
            if "split" in request.POST and split.is_valid():
                return _create_sessions(request, scope, cycle, form, split.groups(form.cleaned_data["time_zone"]))
            return render(request, "dialogues/schedule_split.html", {"form": form, "split": split, "count": len(people), "max": MAX_PER_SESSION})
        return _create_sessions(request, scope, cycle, form, [(form.cleaned_data["starts_at"], people)])
    return render(request, "dialogues/schedule.html", {"form": form, "cycle": cycle, "max": MAX_PER_SESSION})


def _team_ids(leader) -> list[int]:
    """By default a leader invites all their active direct reports."""
    return list(leader.direct_reports.active().values_list("pk", flat=True))


def _create_sessions(request, scope, cycle, form, groups) -> HttpResponse:
    try:
        with transaction.atomic():
            sessions = [
                session_schedule(leader=scope.person, cycle=cycle, plan=form.plan(starts_at=start, people=people), actor=request.user, base_url=_base_url(request))
                for start, people in groups
            ]
    except ValidationError as exc:
        _show_errors(form, exc)
        return render(request, "dialogues/schedule.html", {"form": form, "cycle": cycle, "max": MAX_PER_SESSION})
    messages.success(request, ngettext("%(count)d session scheduled; invitations are on their way.", "%(count)d sessions scheduled; invitations are on their way.", len(sessions)) % {"count": len(sessions)})
    return redirect("dialogues:session_detail", sessions[0].pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader changes a session; invitees get the updated calendar entry."""
    scope = scope_for(request.user)
    session = led_session_or_404(scope, pk)
    if session.status == SessionStatus.CANCELLED or session.starts_at is None:
        raise Http404
    start = session.starts_at.astimezone(ZoneInfo(session.time_zone))
    initial = {
        "date": start.date(),
        "start_time": start.time(),
        "time_zone": session.time_zone,
        "duration_minutes": session.duration_minutes,
        "mode": session.mode,
        "location": session.location,
        "languages": [code for code in session.languages.split(",") if code],
        "invitees": list(session.invitations.values_list("person_id", flat=True)),
    }
    form = ScheduleForm(request.POST or None, scope=scope, initial=initial)
    # Invitees from outside the team stay listed under "also invite".
    team = set(form.fields["invitees"].queryset.values_list("pk", flat=True))
    form.initial["others"] = "\n".join(session.invitations.exclude(person_id__in=team).values_list("person__index_number", flat=True))
    if request.method == "POST" and form.is_valid():
        try:
            session_update(session=session, plan=form.plan(), actor=request.user, base_url=_base_url(request))
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Session changed; invitees receive the updated invitation."))
            return redirect("dialogues:session_detail", session.pk)
    return render(request, "dialogues/schedule.html", {"form": form, "session": session, "max": MAX_PER_SESSION})


@login_required
@require_http_methods(["GET", "POST"])
def session_guests(request: HttpRequest, pk: int) -> HttpResponse:
    """A focal point or head invites guests from any entity to a session of their entity. Each
    guest is named by index number and e-mail address together, so that guessing index numbers
    finds nobody; once invited, the guest is one of the session's invitees, whom its leader sees."""
    scope = scope_for(request.user)
    session = guest_session_or_404(scope, pk)
    if session.status == SessionStatus.CANCELLED:
        raise Http404
    form = GuestForm(request.POST or None, scope=scope, session=session)
    if request.method == "POST" and form.is_valid():
        added = session_add_guests(session=session, people=form.cleaned_data["guests"], actor=request.user, base_url=_base_url(request))
        messages.success(request, ngettext("%(count)d guest invited.", "%(count)d guests invited.", added) % {"count": added})
        return redirect("dialogues:session_detail", session.pk)
    return render(request, "dialogues/session_guests.html", {"form": form, "session": session})


@login_required
@require_POST
def session_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = led_session_or_404(scope_for(request.user), pk)
    if request.POST.get("confirm") != "on" and session.invitations.exists():
        messages.error(request, _("Confirm that you want to cancel the session: every invitee is told and their calendar entry removed."))
        return redirect("dialogues:session_detail", session.pk)
    try:
        session_cancel(session=session, actor=request.user, base_url=_base_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Session cancelled; invitees have been told."))
    return redirect("dialogues:session_detail", session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def my_invitations(request: HttpRequest) -> HttpResponse:
    """An invitee's upcoming sessions: state needs, vote for scenarios."""
    scope = scope_for(request.user)
    if scope.person is None:
        raise Http404
    invitations = list(
        Invitation.objects.filter(person=scope.person, session__status=SessionStatus.SCHEDULED)
        .select_related("session__leader", "session__cycle")
        .prefetch_related("votes")
        .order_by("session__starts_at")
    )
    forms_by_invitation = []
    # Scenario titles in the invitee's language where translated: one reader per cycle.
    readers = {cycle.pk: published_kit_reader(cycle, request.LANGUAGE_CODE) for cycle in {i.session.cycle for i in invitations}}
    for invitation in invitations:
        prefix = f"i{invitation.pk}"
        bound = request.method == "POST" and request.POST.get("invitation") == str(invitation.pk)
        form = RespondForm(
            request.POST if bound else None,
            prefix=prefix,
            cycle=invitation.session.cycle,
            reader=readers[invitation.session.cycle_id],
            initial={"needs": invitation.needs, "scenarios": [v.scenario_id for v in invitation.votes.all()]},
        )
        if bound and form.is_valid():
            invitation_respond(invitation=invitation, needs=form.cleaned_data["needs"], scenario_ids=[s.pk for s in form.cleaned_data["scenarios"]], actor=request.user)
            messages.success(request, _("Thank you: your leader will see your answer."))
            return redirect("dialogues:my_invitations")
        forms_by_invitation.append((invitation, form))
    return render(request, "dialogues/my_invitations.html", {"items": forms_by_invitation, "own_zone": person_time_zone(scope.person)})


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
        purpose=Purpose.ATTENDANCE_FILE,
        template="dialogues/attendance_upload.html",
        run=run,
        form_class=AttendanceUploadForm,
        options_of=lambda cleaned: {"cycle": cleaned["cycle"].pk},
        done_message=_("Attendance imported: %(summary)s."),
        done_url=reverse("dialogues:session_list"),
    )
