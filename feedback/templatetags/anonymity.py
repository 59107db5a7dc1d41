"""Counts of anonymous answers as pages show them."""

from django import template

from feedback.anonymity import shown_count

register = template.Library()


@register.filter
def answers(n: int, minimum: int) -> int | str:
    """`cell.n|answers:minimum`: "fewer than 5" below the threshold, never the exact 1 to 4."""
    return shown_count(n, minimum)
