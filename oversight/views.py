from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.scope import entity_or_404, scope_for

from .selectors import current_cycle, rollup, state_counts


@login_required
def entity(request: HttpRequest, code: str) -> HttpResponse:
    """An entity's roll-up by unit and its managers by state: numbers only, no names."""
    the_entity = entity_or_404(scope_for(request.user), code)
    cycle = current_cycle()
    if cycle is None:
        raise Http404
    rows = rollup(cycle, entity_codes=[the_entity.code])
    states = state_counts(cycle, entity_ids=[the_entity.pk]).get(the_entity.pk, {})
    return render(request, "oversight/entity.html", {"entity": the_entity, "cycle": cycle, "rollup": rows[0] if rows else None, "states": states})
