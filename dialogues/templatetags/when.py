"""Times in a stated zone, for templates: `{% load when %}`.

- `{{ session.starts_at|when:session.time_zone }}`: "Dec. 10, 2026, 10 a.m. Nairobi time"
- `{{ session.starts_at|when_time:session.time_zone }}`: "10 a.m. Nairobi time"
- `{% your_time session.starts_at session.time_zone own_zone %}`: "8 a.m. your time, Geneva",
  or nothing when the reader's clock shows the session's time
- `{{ session.time_zone|zone_label }}`: "Nairobi time"

Django's own `date` filter writes an aware time in the active zone (UTC here) and names no
zone; these filters always say which zone they mean.
"""

from django import template

from org.zones import format_time, format_when, format_your_time
from org.zones import zone_label as _zone_label

register = template.Library()


@register.filter
def when(moment, zone: str = "UTC") -> str:
    return format_when(moment, zone or "UTC") if moment else ""


@register.filter
def when_time(moment, zone: str = "UTC") -> str:
    return format_time(moment, zone or "UTC") if moment else ""


@register.filter
def zone_label(zone: str) -> str:
    return _zone_label(zone or "UTC")


@register.simple_tag
def your_time(moment, zone: str, own_zone: str) -> str:
    """The moment on the reader's own clock, when it differs from `zone`'s; else empty."""
    return format_your_time(moment, zone, own_zone) if moment and zone and own_zone else ""
