from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dialogues.models import Cycle, Session
from org.models import django_language
from oversight.next_steps import home_steps
from oversight.selectors import CascadeState, cascade_states, direct_reports_reached, rollup, state_counts

from . import throttle
from .forms import GrantActionForm, PasswordResetForm, PreferencesForm
from .models import RoleGrant
from .scope import ethics_office_or_404, scope_for, visible_entities
from .selectors import suspended_grants
from .services import grant_reassign, grant_reinstate, grant_remove, user_link_person, user_password_changed, user_set_mute_reminders


def refused(view, form, message: str) -> HttpResponse:
    """A throttled form's answer, 429: the form again, unbound (a locked login checks no
    password), with `message`."""
    return view.render_to_response(view.get_context_data(form=form, refusal=message), status=429)


def account_throttle(email: str) -> tuple[throttle.Limit, str]:
    return throttle.limit("login_account"), email.strip().lower()


def login_throttles(request: HttpRequest, email: str) -> list[tuple[throttle.Limit, str]]:
    """What a failed password counts against: the account typed (known or not), the client's
    address, the browser."""
    return [
        account_throttle(email),
        (throttle.limit("login_address"), throttle.client_address(request)),
        (throttle.limit("login_browser"), throttle.browser_key(request)),
    ]


class LoginView(auth_views.LoginView):
    """Log in by e-mail and password; failures are throttled (accounts/throttle.py). While a
    key is locked the password is not even checked, and the answer is the same whether the
    account exists or not."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        rule = throttle.locked(login_throttles(request, request.POST.get("username", "")))
        if rule is not None:
            message = ngettext(
                "Too many failed attempts to log in. Try again in %(minutes)d minute, or reset your password.",
                "Too many failed attempts to log in. Try again in %(minutes)d minutes, or reset your password.",
                rule.minutes,
            ) % {"minutes": rule.minutes}
            return refused(self, self.get_form_class()(request, initial={"username": request.POST.get("username", "")}), message)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.hit(login_throttles(self.request, self.request.POST.get("username", "")))
        return super().form_invalid(form)

    def form_valid(self, form):
        """Log in, and speak the person's language from the organization file: it goes into
        the language cookie, which LocaleMiddleware reads and the language switcher changes.
        The account's failures are forgotten (not the address's: logging in to one's own
        account must not buy an attacker more guesses at others)."""
        user = form.get_user()
        throttle.clear([account_throttle(user.email)])
        user_link_person(user)
        response = super().form_valid(form)
        person = user.person
        if person is not None and person.language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                django_language(person.language),
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where the user stands, one section per role they hold."""
    scope = scope_for(request.user)
    cycle = Cycle.objects.current()
    context = {"cycle": cycle}
    if cycle is not None:
        context["steps"] = home_steps(scope, cycle)
        context["days_left"] = (cycle.deadline - timezone.localdate()).days
    if scope.ethics_office:
        context["suspended_grants"] = suspended_grants().count()
    if cycle is not None and scope.person is not None:
        context["attended"] = list(
            Session.objects.filter(cycle=cycle, attendances__person=scope.person).select_related("leader").order_by("date")
        )
        if scope.is_manager:
            mine = cascade_states(cycle, person_ids=[scope.person.pk])
            context["my_state"] = mine[0] if mine else None
            context["reports"] = list(direct_reports_reached(cycle, scope.person))
            context["led"] = list(Session.objects.filter(cycle=cycle, leader=scope.person).order_by("date"))
    if cycle is not None and (scope.named_entity_ids or scope.ethics_office):
        entities = visible_entities(scope)
        codes = list(entities.values_list("code", flat=True))
        names = dict(entities.values_list("code", "name"))
        ids = dict(entities.values_list("code", "pk"))
        states = state_counts(cycle, entity_ids=list(ids.values()))
        columns = list(reversed(CascadeState))  # the table's columns: the most advanced state first
        context["cascade_states"] = columns
        context["entity_rows"] = [
            {"rollup": r, "name": names.get(r.entity, ""), "states": [states.get(ids[r.entity], {}).get(state, 0) for state in columns]}
            for r in rollup(cycle, entity_codes=codes)
        ]
        context["entity_totals"] = {
            "personnel": sum(r["rollup"].personnel for r in context["entity_rows"]),
            "participants": sum(r["rollup"].participants for r in context["entity_rows"]),
        }
    return render(request, "accounts/home.html", context)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The user's reminder preference: mute digests, nudges and escalations."""
    # An unticked box sends nothing: the POST may be empty and must still bind the form.
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial={"mute_reminders": request.user.mute_reminders})
    if request.method == "POST" and form.is_valid():
        user_set_mute_reminders(user=request.user, mute=form.cleaned_data["mute_reminders"])
        messages.success(request, _("Your preferences are saved."))
        return redirect("preferences")
    return render(request, "accounts/preferences.html", {"form": form})


# -- passwords: Django's own views, in the site's pages ----------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password with the old one; the other sessions of the account end."""

    template_name = "accounts/password_change_form.html"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user_password_changed(user=form.user, how="change")
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def reset_address_throttle(request: HttpRequest) -> tuple[throttle.Limit, str]:
    return throttle.limit("reset_address"), throttle.client_address(request)


def reset_email_throttle(email: str) -> tuple[throttle.Limit, str]:
    return throttle.limit("reset_email"), email.strip().lower()


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. Every request counts against the client's address (past
    the limit: 429, which says nothing of any account) and against the e-mail typed (past the
    limit, no e-mail is sent, and the answer is the usual one: whether an account exists, and
    whether its mailbox was flooded, stays unsaid)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if throttle.locked([reset_address_throttle(request)]):
            form = self.get_form_class()(initial={"email": request.POST.get("email", "")})
            return refused(self, form, _("Too many password reset requests from your network. Try again later."))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        by_email = reset_email_throttle(form.cleaned_data["email"])
        throttle.hit([reset_address_throttle(self.request)])
        if throttle.locked([by_email]):
            return redirect(self.get_success_url())
        throttle.hit([by_email])
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: choose a new password. The account's login lock-out, if any,
    ends with it."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user_password_changed(user=form.user, how="reset")
        throttle.clear([account_throttle(form.user.email)])
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_GET
def suspended_grants_page(request: HttpRequest) -> HttpResponse:
    """The Ethics Office's list of role grants suspended because their holder left: each one
    to reinstate, remove or give to another account. Accounts are shown by e-mail with their
    role and entity; the organization file's names are not shown."""
    ethics_office_or_404(scope_for(request.user))
    return render(request, "accounts/suspended_grants.html", {"grants": list(suspended_grants())})


@login_required
@require_POST
def suspended_grant_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Reinstate, remove or reassign one suspended grant; the message tells what happened."""
    ethics_office_or_404(scope_for(request.user))
    grant = suspended_grants().filter(pk=pk).first()
    if grant is None:
        raise Http404
    form = GrantActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("suspended_grants")
    action, email = form.cleaned_data["action"], form.cleaned_data["email"]
    try:
        if action == "reinstate":
            grant_reinstate(actor=request.user, grant_id=grant.pk)
            messages.success(request, _("The role is given back to %(email)s.") % {"email": grant.user.email})
        elif action == "remove":
            grant_remove(actor=request.user, grant_id=grant.pk)
            messages.success(request, _("The role is removed from %(email)s.") % {"email": grant.user.email})
        else:
            given = grant_reassign(actor=request.user, grant_id=grant.pk, email=email)
            messages.success(request, _("%(role)s is now held by %(email)s.") % {"role": _grant_label(given), "email": given.user.email})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("suspended_grants")


def _grant_label(grant: RoleGrant) -> str:
    return f"{grant.get_role_display()} ({grant.entity.code})" if grant.entity_id else grant.get_role_display()
