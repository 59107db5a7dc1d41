"""The oversight dashboards: one per entity (focal points, heads, and the Ethics Office without
names) and one across all entities for the Ethics Office (aggregates only)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.scope import entity_or_404, scope_for
from org.models import Cycle

from .. import dashboards, tree
from ..certification import certification_statuses
from ..charts import Bar, bar_chart, line_chart
from ..models import Certification, CertificationStatus
from ..selectors import rollup
from ..templatetags.figures import percent


def _cycle_or_404():
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    return cycle


def _progress_chart(weeks: list[dashboards.Week], progress: dashboards.Progress, cycle, today: datetime.date, *, chart_id: str, title: str):
    """The line chart of weekly progress: each week's point sits on its last day (or today)."""
    points = [(min(w.start + datetime.timedelta(days=6), max(today, w.start)), w.cumulative) for w in weeks]
    description = _("Share of personnel reached, week by week, from %(opens)s; %(rate)s reached so far; the deadline is %(deadline)s.") % {
        "opens": date_format(cycle.opens, "DATE_FORMAT"),
        "rate": percent(progress.participants, progress.personnel),
        "deadline": date_format(cycle.deadline, "DATE_FORMAT"),
    }
    return line_chart(
        points,
        total=progress.personnel,
        start=dashboards.monday(cycle.opens),
        deadline=cycle.deadline,
        projection=progress.forecast,
        chart_id=chart_id,
        title=title,
        description=description,
    )


@login_required
@require_GET
def entity(request: HttpRequest, code: str) -> HttpResponse:
    """An entity's dashboard: coverage by unit, category and location type, progress, the
    cascade tree, the managers to chase and the sessions. Names for its focal points and head;
    the Ethics Office gets the same numbers with no name (no tree, no lists of managers).

    `?manager=INDEX` opens the tree at that manager; asked by htmx, only that manager's level
    of the tree comes back, as a fragment."""
    scope = scope_for(request.user)
    the_entity = entity_or_404(scope, code)
    cycle = _cycle_or_404()
    today = timezone.localdate()
    named = the_entity.pk in scope.named_entity_ids
    manager = request.GET.get("manager") or None
    if manager is not None and not named:
        raise Http404
    htmx = request.headers.get("HX-Request") == "true"
    with dashboards.fast_reads():
        path = tree.manager_path(the_entity.pk, manager) if manager is not None else []
        if manager is not None and not path:
            raise Http404
        if manager is not None and htmx:
            nodes = tree.tree_level(cycle, the_entity.pk, parent=manager)
            response = render(request, "oversight/entity.html#tree-level", {"entity": the_entity, "nodes": nodes})
            patch_vary_headers(response, ["HX-Request"])
            return response
        rows = rollup(cycle, entity_codes=[the_entity.code])
        report = dashboards.progress_report(cycle, entity_ids=[the_entity.pk], today=today)
        cascade = tree.entity_cascade(cycle, the_entity.pk, today=today, parent=manager)
        context = {
            "entity": the_entity,
            "cycle": cycle,
            "today": today,
            "named": named,
            "rollup": rows[0] if rows else None,
            "progress": report.entities[0] if report.entities else None,
            "weeks": report.weeks,
            "breakdown": report.breakdown.get(the_entity.pk),
            "states": cascade.by_state,
            "ready_too_long": cascade.ready_too_long,
            "reports_not_reached": cascade.reports_not_reached,
            "not_reported": tree.sessions_not_reported(cycle, the_entity.pk, today=today),
            "session_totals": dashboards.entity_session_totals(cycle, the_entity.pk),
            "ready_days": tree.READY_TOO_LONG_DAYS,
            "pace_weeks": dashboards.PACE_DAYS // 7,
            # The Ethics Office sees no tree: a manager's place in it would tell who they are.
            "nodes": cascade.level if named else [],
            "path": path,
            "manager": manager,
            "certification_status": CertificationStatus(
                Certification.objects.filter(entity=the_entity, cycle=cycle).values_list("status", flat=True).first() or CertificationStatus.DRAFT
            ),
            "can_chase": the_entity.pk in scope.focal_entity_ids,
        }
        if named:
            context["sessions"] = list(dashboards.entity_sessions(cycle, the_entity.pk))
    if context["progress"] is not None:
        context["progress_chart"] = _progress_chart(
            report.weeks, context["progress"], cycle, today, chart_id="entity-progress", title=_("Progress of %(code)s over time") % {"code": the_entity.code}
        )
    response = render(request, "oversight/entity.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def ethics_office(request: HttpRequest) -> HttpResponse:
    """The Ethics Office's view of every entity: coverage, breakdowns, progress against the
    deadline with a forecast, and the entities at risk. Aggregates only: no name anywhere."""
    scope = scope_for(request.user)
    if not scope.ethics_office:
        raise Http404
    cycle = _cycle_or_404()
    today = timezone.localdate()
    with dashboards.fast_reads():
        report = dashboards.progress_report(cycle, today=today)
    entities, total, weeks = report.entities, report.total, report.weeks
    coverage_chart = bar_chart(
        [Bar(e.code, e.rate, flagged=bool(e.risk)) for e in entities],
        chart_id="entity-coverage",
        title=_("Coverage per entity"),
        description=_("Share of each entity's personnel reached in cycle %(year)s; entities at risk are drawn in the warning colour.") % {"year": cycle.year},
    )
    statuses = certification_statuses(cycle)  # one query for every entity
    context = {
        "cycle": cycle,
        "today": today,
        "entities": entities,
        "entity_rows": [(e, statuses.get(e.entity_id, CertificationStatus.DRAFT)) for e in entities],
        "at_risk": [e for e in entities if e.risk],
        "total": total,
        "weeks": weeks,
        "breakdown": report.breakdown[None],
        "coverage_chart": coverage_chart,
        "progress_chart": _progress_chart(weeks, total, cycle, today, chart_id="all-progress", title=_("Progress of all entities over time")),
        "risk_coverage": dashboards.RISK_COVERAGE,
        "risk_weeks": dashboards.RISK_WEEKS,
        "pace_weeks": dashboards.PACE_DAYS // 7,
    }
    return render(request, "oversight/ethics_office.html", context)
