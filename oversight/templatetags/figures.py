"""Figures formatted for the reader's language."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(part, whole) -> str:
    """`participants|percent:personnel` → "78.5 %" in the active locale; "—" without a whole."""
    if not whole:
        return "—"
    return f"{number_format(round(100 * part / whole, 1), 1)} %"
