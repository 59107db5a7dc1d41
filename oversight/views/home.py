"""The home page: where the user stands this cycle, one section per role they hold, and the
next steps of each (`oversight/next_steps.py`). It lives here, at the top of the domain layers,
because it reads all of them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.scope import scope_for, visible_entities
from accounts.selectors import suspended_grants
from dialogues.models import Session
from org.models import Cycle

from ..next_steps import home_steps
from ..selectors import CascadeState, cascade_states, direct_reports_reached, rollup, state_counts


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
        entities = list(visible_entities(scope).values_list("code", "name", "pk"))
        codes = [code for code, _name, _pk in entities]
        names = {code: name for code, name, _pk in entities}
        ids = {code: pk for code, _name, pk in entities}
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
    return render(request, "oversight/home.html", context)
