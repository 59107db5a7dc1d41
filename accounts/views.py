from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dialogues.models import Session
from org.models import django_language
from oversight.next_steps import home_steps
from oversight.selectors import cascade_states, current_cycle, direct_reports_reached, rollup, state_counts

from .forms import GrantActionForm, PreferencesForm
from .models import RoleGrant
from .scope import ethics_office_or_404, scope_for, visible_entities
from .selectors import suspended_grants
from .services import grant_reassign, grant_reinstate, grant_remove, user_link_person, user_set_mute_reminders


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        """Log in, and speak the person's language from the organization file: it goes into
        the language cookie, which LocaleMiddleware reads and the language switcher changes."""
        user_link_person(form.get_user())
        response = super().form_valid(form)
        person = form.get_user().person
        if person is not None and person.language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                django_language(person.language),
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where the user stands, one section per role they hold."""
    scope = scope_for(request.user)
    cycle = current_cycle()
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
        context["entity_rows"] = [
            {"rollup": r, "name": names.get(r.entity, ""), "states": states.get(ids[r.entity], {})}
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
