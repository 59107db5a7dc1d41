from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Session
from org.models import django_language
from oversight.next_steps import home_steps
from oversight.selectors import cascade_states, current_cycle, direct_reports_reached, rollup, state_counts

from .forms import PreferencesForm
from .scope import scope_for, visible_entities
from .services import user_link_person, user_set_mute_reminders


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
