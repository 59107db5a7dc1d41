"""Reads of the dialogue kit."""

from django.db.models import Prefetch

from org.models import Cycle

from .models import DiscussionQuestion, Kit, Scenario


def kit_for_cycle(cycle: Cycle) -> Kit | None:
    """The cycle's kit with its agenda, scenarios and their questions, in order, in four
    queries whatever its size; None when the Ethics Office has not started it."""
    return (
        Kit.objects.filter(cycle=cycle)
        .select_related("cycle")
        .prefetch_related(
            "agenda",
            Prefetch(
                "scenarios",
                queryset=Scenario.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("questions", queryset=DiscussionQuestion.objects.order_by("order", "pk"))
                ),
            ),
        )
        .first()
    )


def total_minutes(kit: Kit) -> int:
    """The agenda's length; uses the prefetched items."""
    return sum(item.minutes for item in kit.agenda.all())
