"""Figures formatted for the reader's language."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(part, whole) -> str:
    """`participants|percent:personnel` → "78.5 %" in the active locale; "—" without a whole."""
    if not whole:
        return "—"
    return f"{number_format(round(100 * part / whole, 1), 1)}\u00a0%"  # no break before the sign


@register.filter
def figure(value, kind="count") -> str:
    """A report figure in the active locale: a count, a percentage ("78.5 %") or an average of
    ratings from 1 to 5 ("4.12"); "—" when there is nothing to show."""
    if value is None:
        return "—"
    if kind == "percent":
        return f"{number_format(value, 1)}\u00a0%"
    if kind == "average":
        return number_format(value, 2)
    return number_format(value, force_grouping=True)


@register.filter
def change(value, kind="count") -> str:
    """The change from the previous cycle, signed: "+12", "−0.25"; for a percentage, in points:
    "+4.1 points". "—" when either cycle has nothing to show."""
    if value is None:
        return "—"
    decimals = {"percent": 1, "average": 2}.get(kind, 0)
    value = round(value, decimals)
    text = ("+" if value > 0 else "−" if value < 0 else "") + number_format(abs(value), decimals)
    if kind == "percent":
        # Translators: a change in percentage points, such as "+4.1 points".
        return _("%(change)s points") % {"change": text}
    return text
