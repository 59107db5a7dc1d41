"""The end of a login session: after CASCADE_SESSION_IDLE_MINUTES without a request of the
user's, and CASCADE_SESSION_MAX_HOURS after the login in any case.

Why a middleware and not SESSION_SAVE_EVERY_REQUEST with SESSION_COOKIE_AGE set to the idle
time: that writes the session row on every request, and its deadline slides forever, so there is
no absolute lifetime. Here the session keeps three times (seconds since the epoch): the login,
the last request, the last request the user made (not a poll), each written at most once a
minute, so a user clicking around costs one session write a minute, not one per request.

A screen shown to a room (the facilitator's live count, the room display) polls by itself; a
view marked `@screen_poll` answering htmx does not count as the user's own request. Its polls
keep the session alive for CASCADE_SESSION_SCREEN_MINUTES at most after the user's last own
request: a dialogue in front of a team is not cut off, and a screen left open on an unattended
computer still ends.

The check runs when the request's user is first read, not before: a request that never reads it
(the sign-in POST carrying a pass, the busiest request there is) pays nothing, not even the
session's query.
"""

import time
from functools import wraps
from urllib.parse import quote, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import ngettext

STARTED, SEEN, ACTIVE = "_cascade_started", "_cascade_seen", "_cascade_active"
WRITE_EVERY = 60  # seconds: the last-request times are this precise, and written no more often


def screen_poll(view):
    """Mark a view as polled by a screen shown to a room: an htmx request to it does not count
    as the user's own activity (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.screen_poll = True
    return wrapper


def session_start(sender=None, *, request: HttpRequest, **kwargs) -> None:
    """A new login: its lifetime starts now. Receives `user_logged_in` (accounts/apps.py), so
    that every way of logging in starts it; a session older than this code starts at its first
    request."""
    now = int(time.time())
    request.session.update({STARTED: now, SEEN: now, ACTIVE: now})


def _expiry_reason(session, now: int, passive: bool) -> str | None:
    started = session.get(STARTED)
    if started is None:
        session.update({STARTED: now, SEEN: now, ACTIVE: now})
        return None
    idle = settings.CASCADE_SESSION_IDLE_MINUTES * 60
    if now - started > settings.CASCADE_SESSION_MAX_HOURS * 3600:
        hours = settings.CASCADE_SESSION_MAX_HOURS
        return ngettext("You were logged out %(hours)d hour after logging in. Log in again.", "You were logged out %(hours)d hours after logging in. Log in again.", hours) % {"hours": hours}
    if now - session.get(SEEN, started) > idle or now - session.get(ACTIVE, started) > max(idle, settings.CASCADE_SESSION_SCREEN_MINUTES * 60):
        minutes = settings.CASCADE_SESSION_IDLE_MINUTES
        return ngettext(
            "You were logged out after %(minutes)d minute without activity. Log in again.", "You were logged out after %(minutes)d minutes without activity. Log in again.", minutes
        ) % {"minutes": minutes}
    if now - session.get(SEEN, 0) >= WRITE_EVERY:
        session[SEEN] = now
    if not passive and now - session.get(ACTIVE, 0) >= WRITE_EVERY:
        session[ACTIVE] = now
    return None


class SessionTimeoutMiddleware:
    """Ends expired login sessions (see the module). After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        original = request.user
        checked = []

        def user():
            if not checked:
                checked.append(self._check(request, original))
            return checked[0]

        request.user = SimpleLazyObject(user)

        async def auser():
            return await sync_to_async(user)()

        request.auser = auser
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true":
            response = self._htmx_to_login(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._cascade_screen_poll = getattr(view_func, "screen_poll", False) and request.headers.get("HX-Request") == "true"

    def _check(self, request: HttpRequest, user):
        if not user.is_authenticated:
            return user
        reason = _expiry_reason(request.session, int(time.time()), getattr(request, "_cascade_screen_poll", False))
        if reason is None:
            return user
        # Not auth.logout(): its signal reads request.user, which is being worked out right now.
        request.session.flush()
        messages.info(request, reason, fail_silently=True)
        return AnonymousUser()

    @staticmethod
    def _htmx_to_login(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A fragment must not become the login page: send the whole page there, to come back
        to it afterwards. htmx follows a redirect itself, so the redirect is turned into
        HX-Redirect, which htmx obeys with the whole window."""
        login = resolve_url(settings.LOGIN_URL)
        if response.status_code != 302 or not response["Location"].startswith(login):
            return response
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = (current.path or "/") + (f"?{current.query}" if current.query else "")
        return HttpResponse(headers={"HX-Redirect": f"{login}?next={quote(back)}"})
