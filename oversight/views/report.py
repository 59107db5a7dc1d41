"""The Ethics Office's annual report: a page, a PDF and an XLSX workbook of one cycle beside the
cycle before it. For the Ethics Office alone, and aggregates only (`oversight.report`)."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.scope import ethics_office_or_404, scope_for
from core.exports import xlsx_bytes
from org.models import Cycle

from ..charts import Bar, bar_chart
from ..dashboards import fast_reads
from ..report import AnnualReport, annual_report, report_sheets

EXPORT_FORMATS = {"pdf", "xlsx"}


def participation_chart(report: AnnualReport):
    """Participation by entity in the report's cycle, as bars; the table beside it has the
    figures of both cycles."""
    bars = [Bar(row.key, row.rate.current / 100 if row.rate.current is not None else None) for row in report.participation.entities]
    return bar_chart(
        bars,
        chart_id="report-participation",
        title=_("Participation by entity, %(year)s") % {"year": report.cycle.year},
        description=_("Share of each entity's personnel reached in cycle %(year)s; the table below gives the figures of both cycles.") % {"year": report.cycle.year},
    )


def _report_or_404(request: HttpRequest, year: int) -> AnnualReport:
    ethics_office_or_404(scope_for(request.user))
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise Http404
    with fast_reads():  # a dozen aggregate queries, as on the dashboards: no JIT on PostgreSQL
        return annual_report(cycle)


@login_required
@require_GET
def annual_report_page(request: HttpRequest, year: int) -> HttpResponse:
    """The report of the cycle of `year`, with links to the other cycles and the downloads."""
    report = _report_or_404(request, year)
    years = Cycle.objects.exclude(year=year).order_by("-year").values_list("year", flat=True)
    return render(request, "oversight/annual_report.html", {"report": report, "other_years": list(years), "participation_chart": participation_chart(report)})


@login_required
@require_GET
@never_cache
def annual_report_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The report as a PDF (in the reader's language) or an XLSX workbook, one sheet per table."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    report = _report_or_404(request, year)
    if fmt == "xlsx":
        content = xlsx_bytes(report_sheets(report))
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        from weasyprint import CSS, HTML  # heavy import: only the PDF needs it

        html = render_to_string("oversight/annual_report_pdf.html", {"report": report, "participation_chart": participation_chart(report)}, request=request)
        # No base URL: the document refers to nothing outside itself, so WeasyPrint fetches nothing.
        content = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("oversight/report.css"))])
        response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{report.cycle.year}-{get_language()}.{fmt}"'
    return response
