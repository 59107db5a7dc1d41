"""Reads of the organization that every layer above shares."""

from .models import Cycle


def current_cycle() -> Cycle | None:
    """The cycle people work in now: the latest one."""
    return Cycle.objects.order_by("-year").first()
