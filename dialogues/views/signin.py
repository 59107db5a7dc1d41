"""Sign-in pages: the participant's one-tap page, the room display, the ticking page of the
leader or monitor, and the two uploads for one session (video-conference report, paper sheet).

The participant's pages are rendered without the site's context processors (no request passed
to the template): they need none of them, and the scope processor alone costs several queries
on the busiest page there is.
"""

import datetime
import re
import secrets

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import throttle
from accounts.middleware import screen_poll
from accounts.scope import scope_for
from core.forms import TableUploadForm
from core.services import staged_file_put
from core.tabular import Problem, Purpose, TableError, limits_for
from core.uploads import confirmed_upload, preview_then_confirm
from dialogues.scope import led_session_or_404, monitored_session_or_404
from org.models import Person

from ..models import Attendance, Session
from ..signin import (
    GUEST_CHOICE,
    SelfSignIn,
    SessionAttendanceReport,
    SigninError,
    attendance_candidates,
    attendance_count,
    attendance_record_conference,
    attendance_record_self,
    attendance_record_sheet,
    attendance_set_by_monitor,
    code_is_current,
    code_was_shown,
    monitor_candidates,
    parse_typed_code,
    recording_problem,
    self_signin_problem,
    session_appoint_monitor,
    session_facts,
    signin_code,
    signin_pass_make,
    signin_pass_read,
    ticket_check,
    ticket_make,
)

PARTICIPANT_TEMPLATE = "dialogues/signin/participant.html"


def entry_url() -> str:
    """Where people type the code: the short top-level `/s/` once it is wired, else the same
    view under /dialogues/."""
    try:
        return reverse("signin_entry")
    except NoReverseMatch:
        return reverse("dialogues:signin_entry")


def _participant_page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    if context.get("state") == "entry":
        context["entry_url"] = entry_url()
    if context.get("state") == "ready":
        context["csrf_token"] = get_token(request)  # the sign-in button
    session = context.pop("session", None)
    if session is not None:  # the page names the leader and the date, and the done page keys its cache on them
        context.update(session_id=session.pk, leader_name=session.leader_name, date=session.date)
    return HttpResponse(render_to_string(PARTICIPANT_TEMPLATE, context), status=status)


def _browser(request: HttpRequest) -> str:
    """The random value in the cookie of the browser that typed a code ("" when none)."""
    return request.COOKIES.get(settings.CASCADE_SIGNIN_COOKIE_NAME, "")


def _code_throttles(request: HttpRequest) -> list[tuple[throttle.Limit, str]]:
    """What a wrong room code counts against: the client's address, and the login (or the
    browser's cookies) when there is one."""
    return [(throttle.limit("code_address"), throttle.client_address(request)), (throttle.limit("code_browser"), throttle.browser_key(request))]


@require_GET
def signin_entry(request: HttpRequest) -> HttpResponse:
    """Type (or scan) the code shown in the room. A current code gives a ticket that carries
    the participant through the login page to the button, in this browser only (a cookie).
    Wrong codes are throttled (accounts/throttle.py): a code is 24 million guesses a minute,
    and a locked address or login gets no answer about any code, right or wrong. An expired
    code that was shown in the last hour is a late typist, not a guess, and is not counted."""
    text = request.GET.get("c", "")
    if not text:
        return _participant_page(request, state="entry")
    checks = _code_throttles(request)
    rule = throttle.locked(checks)
    if rule is not None:
        error = ngettext(
            "Too many wrong codes. Wait %(minutes)d minute, then type the code shown in the room.",
            "Too many wrong codes. Wait %(minutes)d minutes, then type the code shown in the room.",
            rule.minutes,
        ) % {"minutes": rule.minutes}
        return _participant_page(request, status=429, state="entry", code=text, error=error)
    parsed = parse_typed_code(text)
    session = Session.objects.only("signin_secret").filter(pk=parsed[0]).first() if parsed else None
    if session is None or not code_is_current(session.signin_secret, parsed[1]):
        if session is None or not code_was_shown(session.signin_secret, parsed[1]):
            throttle.hit(checks)
        error = _("This code is not valid or has expired. Type the code shown in the room now.")
        return _participant_page(request, status=400, state="entry", code=text, error=error)
    browser = _browser(request) or secrets.token_urlsafe(24)
    url = f"{reverse('dialogues:signin', args=[session.pk])}?t={ticket_make(session.pk, browser=browser)}"
    response = redirect(url) if request.user.is_authenticated else redirect_to_login(url)
    minutes = int(getattr(settings, "CASCADE_SIGNIN_TICKET_MINUTES", 10))
    response.set_cookie(settings.CASCADE_SIGNIN_COOKIE_NAME, browser, max_age=minutes * 60 + 60, path="/", secure=settings.SESSION_COOKIE_SECURE,
                        httponly=True, samesite="Lax")
    return response


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """The CSRF middleware's verdict on this request: None when it passes."""
    return CsrfViewMiddleware(lambda _request: HttpResponse()).process_view(request, None, (), {})


@csrf_exempt  # checked below, except for a POST carrying a genuine pass
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, pk: int) -> HttpResponse:
    """One button, "Sign in". GET (logged in, with a ticket from a current code) shows it with a
    pass signed for this person and session; POST records the sign-in, once. A POST with a
    genuine pass needs neither the login session nor the user (two queries fewer on the
    busiest request); without one, the ticket and the login are checked again.

    The pass is the form's CSRF protection: signed by the server for one person and one
    session, it is on a page only that person's browser could read, and it can sign in no one
    else. A POST without a genuine pass goes through the usual CSRF check."""
    if request.method == "POST":
        facts = signin_pass_read(request.POST.get("pass", ""), pk, login_session=request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""))
        if facts is not None:
            result = attendance_record_self(session_id=pk, person_id=facts["p"], time_zone=facts["z"])
            if result.outcome is SelfSignIn.SIGNED_IN and result.session is None:
                return _participant_page(request, state="done", session_id=pk, leader_name=facts["n"], date=datetime.date.fromisoformat(facts["d"]))
            return _answer(request, result)
        if (refusal := _csrf_refusal(request)) is not None:
            return refusal
    if (error := ticket_check(request.GET.get("t", ""), pk, browser=_browser(request))) is not None:
        return _participant_page(request, status=400, state="entry", error=error)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    person_id = request.user.person_id
    if request.method == "POST":
        return _answer(request, attendance_record_self(session_id=pk, person_id=person_id))
    session = session_facts(pk)
    if session is None:
        return _participant_page(request, status=404, state="refused", error=_("This session does not exist."))
    if person_id is not None and Attendance.objects.filter(session_id=pk, person_id=person_id).exists():
        return _participant_page(request, state="done", session=session)
    problem = self_signin_problem(session) or (_("You lead this session; the leader is not counted as a participant.") if person_id == session.leader_id else None)
    if problem:
        return _participant_page(request, status=409, state="refused", session=session, error=problem)
    signin_pass = signin_pass_make(session=session, person_id=person_id, login_session=request.session.session_key) if person_id is not None else ""
    return _participant_page(request, state="ready", session=session, action=request.get_full_path(), signin_pass=signin_pass)


def _answer(request: HttpRequest, result) -> HttpResponse:
    if result.outcome is SelfSignIn.SIGNED_IN:
        return _participant_page(request, state="done", session=result.session)
    return _participant_page(request, status=409 if result.session else 404, state="refused", session=result.session, error=result.message)


# -- the room display (the leader's screen) ----------------------------------------------------


@screen_poll
@login_required
@require_GET
def signin_display(request: HttpRequest, pk: int) -> HttpResponse:
    """Full screen for the room: a QR code and the typed code, refreshed each minute, and how
    many have signed in, refreshed every few seconds. `?part=code` and `?part=count` are the
    fragments htmx polls."""
    session = led_session_or_404(scope_for(request.user), pk)
    part = request.GET.get("part")
    context = {"session": session, "count": attendance_count(session)}
    if part == "count":
        return render(request, "dialogues/signin/display.html#count", context)
    problem = self_signin_problem(session)
    if problem is None:
        code = signin_code(session)
        url = request.build_absolute_uri(f"{entry_url()}?c={code}")
        qr = segno.make(url, error="m")
        context.update(code=code, entry=request.build_absolute_uri(entry_url()),
                       qr=qr.svg_inline(scale=1, border=2, omitsize=True, svgclass="signin-qr-code", title=_("QR code to sign in")))
        # Poll again just after the next minute starts, when the code changes.
        context["next_poll"] = 61 - timezone.now().second
    else:
        context.update(problem=problem, next_poll=60)
    if part == "code":
        return render(request, "dialogues/signin/display.html#code", context)
    return render(request, "dialogues/signin/display.html", context)


# -- ticking names (leader or monitor) ---------------------------------------------------------


class MonitorForm(forms.Form):
    monitor = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=gettext_lazy("Attendance monitor"),
                                     empty_label=gettext_lazy("Nobody"))

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monitor"].queryset = monitor_candidates(session)
        self.fields["monitor"].initial = session.monitor_id


def _ids(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


@login_required
@require_http_methods(["GET", "POST"])
def attendance_monitor(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader or the appointed monitor ticks who attended. Each row sends back whether it
    was ticked when the page was shown, so only what the user changed is saved."""
    scope = scope_for(request.user)
    session = monitored_session_or_404(scope, pk)
    if request.method == "POST":
        shown, was, ticked = _ids(request.POST.getlist("shown")), _ids(request.POST.getlist("was")), _ids(request.POST.getlist("present"))
        try:
            added, removed = attendance_set_by_monitor(session=session, actor=request.user, present=(ticked & shown) - was, absent=(was & shown) - ticked)
        except SigninError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Attendance saved: %(added)d added, %(removed)d removed.") % {"added": added, "removed": removed})
        return redirect("dialogues:attendance_monitor", pk=session.pk)
    methods = dict(Attendance.objects.filter(session=session).values_list("person_id", "method"))
    is_leader = session.leader_id == scope.person.pk
    people = [(person, methods.get(person.pk)) for person in attendance_candidates(session, with_reports=is_leader)]
    context = {
        "session": session,
        "people": people,
        "count": len(methods),
        "problem": recording_problem(session),
        "is_leader": is_leader,
        "monitor_form": MonitorForm(session=session) if is_leader else None,
    }
    return render(request, "dialogues/signin/monitor.html", context)


@login_required
@require_POST
def monitor_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader appoints or unsets the attendance monitor."""
    session = led_session_or_404(scope_for(request.user), pk)
    form = MonitorForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("Choose one of your direct reports or an invitee."))
    else:
        session_appoint_monitor(session=session, actor=request.user, monitor=form.cleaned_data["monitor"])
        monitor = form.cleaned_data["monitor"]
        messages.success(request, _("%(name)s records attendance for this session.") % {"name": monitor.name} if monitor else _("No attendance monitor."))
    return redirect("dialogues:attendance_monitor", pk=session.pk)


# -- uploads for one session -------------------------------------------------------------------


class ConferenceReportForm(TableUploadForm):
    file = forms.FileField(label=gettext_lazy("Attendance report (CSV or XLSX from Teams)"),
                           help_text=gettext_lazy("As downloaded, in any language, or re-saved from a spreadsheet."))


PICK = re.compile(r"^pick-(\d{1,4})$")


def _picks(post) -> dict[str, str]:
    """The leader's choices for names that fit several people: `pick-N` (a candidate's id, or
    "guest") for the name sent back in `pick-N-name`."""
    picks = {}
    for key in post:
        if (match := PICK.match(key)) and (name := post.get(f"pick-{match.group(1)}-name")):
            picks[name] = post.get(key, "")
    return picks


@login_required
@require_http_methods(["GET", "POST"])
def attendance_conference(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a video-conference attendance report, preview who is matched (and, for a name that
    fits several people, choose who it is), then confirm. The report is not a table of columns,
    so this view stages the raw file itself; a confirmation without a choice for every such name
    records nothing and shows the preview again."""
    session = monitored_session_or_404(scope_for(request.user), pk)
    context: dict = {"session": session, "problem": recording_problem(session)}
    limits = limits_for(Purpose.CONFERENCE_REPORT)
    form = ConferenceReportForm(limits=limits)
    kind = f"conference-{session.pk}"
    try:
        if request.method == "POST" and "staged" in request.POST:
            staged = confirmed_upload(request, kind=kind)
            if staged is None:
                return redirect(request.path)
            data = bytes(staged.data)
            report = attendance_record_conference(session=session, data=data, actor=request.user, picks=_picks(request.POST))
            if report.written:
                messages.success(request, _("Attendance recorded: %(summary)s.") % {"summary": report.summary()})
                return redirect("dialogues:attendance_monitor", pk=session.pk)
            context.update(report=report, staged=staged_file_put(user=request.user, kind=kind, data=data).pk,
                           pick_error=_("Choose who each name below is; nothing was recorded yet."))
        elif request.method == "POST":
            form = ConferenceReportForm(request.POST, request.FILES, limits=limits)
            if form.is_valid():
                data = form.cleaned_data["file"]
                context["report"] = attendance_record_conference(session=session, data=data, actor=request.user, dry_run=True)
                context["staged"] = staged_file_put(user=request.user, kind=kind, data=data).pk
    except TableError as exc:
        context["problems"] = [exc.problem]
    except SigninError as exc:
        context["problem"] = str(exc)
    context["form"] = form
    context["guest_choice"] = GUEST_CHOICE
    return render(request, "dialogues/signin/conference.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the rows of this session's paper sign-in sheet, preview, then confirm."""
    session = monitored_session_or_404(scope_for(request.user), pk)

    def run(table, *, dry_run, actor, options):
        try:
            return attendance_record_sheet(session=session, table=table, actor=actor, dry_run=dry_run)
        except SigninError as exc:
            return SessionAttendanceReport(errors=[Problem(1, "session", str(exc))])

    return preview_then_confirm(
        request,
        kind=f"sheet-{session.pk}",
        purpose=Purpose.SIGNIN_SHEET,
        template="dialogues/signin/sheet.html",
        run=run,
        done_message=_("Sign-in sheet recorded: %(summary)s."),
        done_url=reverse("dialogues:attendance_monitor", args=[session.pk]),
        context={"session": session, "problem": recording_problem(session)},
    )
