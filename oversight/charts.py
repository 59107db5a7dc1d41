"""Charts drawn on the server as SVG: no JavaScript, readable at a glance, each one an image with
a title and a description for assistive technology. The page puts a data table right below each
chart; the chart only repeats what the table says.

Presentation attributes (fill, stroke) live in dashboard.css through classes, so that a
high-contrast or print style sheet can change them.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def _pct(value: float) -> str:
    return f"{number_format(round(100 * value, 1), 1)} %"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # a share, 0..1; None when there is nothing to measure
    flagged: bool = False  # drawn in the warning style (e.g. an entity at risk)


def _svg_start(width: float, height: float, chart_id: str, title: str, description: str) -> SafeString:
    """A chart's opening tag, named by its title and described for screen readers."""
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-title {}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )


def bar_chart(bars: list[Bar], *, chart_id: str, title: str, description: str) -> SafeString:
    """Horizontal bars, one per row, on a 0-100 % scale with grid lines every 25 %."""
    label_w, plot_w, value_w, row_h, top = 110, 480, 80, 22, 28
    width, height = label_w + plot_w + value_w, top + row_h * len(bars) + 8
    parts = [_svg_start(width, height, chart_id, title, description)]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/><text class="tick" x="{}" y="16" text-anchor="middle">{} %</text>',
                x,
                top - 6,
                x,
                height - 4,
                x,
                tick,
            )
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        parts.append(format_html('<text class="label" x="{}" y="{}" text-anchor="end">{}</text>', label_w - 8, y + 15, bar.label))
        if bar.value is None:
            parts.append(format_html('<text class="value" x="{}" y="{}">—</text>', label_w + 4, y + 15))
            continue
        bar_w = max(plot_w * min(bar.value, 1.0), 1.5)
        parts.append(
            format_html(
                '<rect class="bar{}" x="{}" y="{}" width="{}" height="{}"/><text class="value" x="{}" y="{}">{}</text>',
                " bar-flagged" if bar.flagged else "",
                label_w,
                y + 3,
                round(bar_w, 1),
                row_h - 7,
                round(label_w + bar_w + 6, 1),
                y + 15,
                _pct(bar.value),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 (a constant)
    return mark_safe("".join(parts))  # noqa: S308 (every part went through format_html)


def line_chart(
    points: list[tuple[datetime.date, int]],
    *,
    total: int,
    start: datetime.date,
    deadline: datetime.date,
    projection: datetime.date | None,
    chart_id: str,
    title: str,
    description: str,
) -> SafeString:
    """Cumulative people reached (y, as a share of `total`) by week (x) from `start` to the
    deadline, with the 100 % line, the deadline marked, and a dashed line at the current pace
    from the last point to `projection` (or to the deadline's level of that pace)."""
    left, right, top, bottom, width, height = 56, 24, 16, 44, 680, 300
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max((deadline - start).days, 1)

    def x(day: datetime.date) -> float:
        return round(left + plot_w * min(max((day - start).days, 0), span) / span, 1)

    def y(count: float) -> float:
        share = count / total if total else 0
        return round(top + plot_h * (1 - min(share, 1.0)), 1)

    parts = [_svg_start(width, height, chart_id, title, description)]
    for tick in (0, 25, 50, 75, 100):
        ty = round(top + plot_h * (1 - tick / 100), 1)
        parts.append(
            format_html(
                '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/><text class="tick" x="{}" y="{}" text-anchor="end">{} %</text>',
                "target" if tick == 100 else "grid",
                left,
                ty,
                left + plot_w,
                ty,
                left - 6,
                ty + 4,
                tick,
            )
        )
    # Month starts along the x axis.
    month = datetime.date(start.year, start.month, 1)
    while month <= deadline:
        if month >= start:
            parts.append(
                format_html(
                    '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/><text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                    x(month),
                    top,
                    x(month),
                    top + plot_h,
                    x(month),
                    top + plot_h + 18,
                    date_format(month, "YEAR_MONTH_FORMAT"),
                )
            )
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    parts.append(
        format_html(
            '<line class="deadline" x1="{}" y1="{}" x2="{}" y2="{}"/><text class="deadline-label" x="{}" y="{}" text-anchor="end">{}</text>',
            x(deadline),
            top,
            x(deadline),
            top + plot_h,
            x(deadline) - 4,
            top + plot_h + 36,
            _("Deadline %(date)s") % {"date": date_format(deadline, "DATE_FORMAT")},
        )
    )
    if points:
        coords = " ".join(f"{x(day)},{y(count)}" for day, count in points)
        parts.append(format_html('<polyline class="series" points="{}"/>', coords))
        parts.append(format_html_join("", '<circle class="point" cx="{}" cy="{}" r="3"/>', ((x(d), y(c)) for d, c in points)))
        last_day, last_count = points[-1]
        if projection is not None and last_count < total:
            end_day = min(projection, deadline)
            end_count = (
                total if projection <= deadline else last_count + (total - last_count) * (deadline - last_day).days / max((projection - last_day).days, 1)
            )
            parts.append(format_html('<line class="projection" x1="{}" y1="{}" x2="{}" y2="{}"/>', x(last_day), y(last_count), x(end_day), y(end_count)))
    parts.append(mark_safe("</svg>"))  # noqa: S308 (a constant)
    return mark_safe("".join(parts))  # noqa: S308 (every part went through format_html)
