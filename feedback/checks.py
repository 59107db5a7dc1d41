"""System checks of the anonymity thresholds (see docs/anonymity.md)."""

from django.conf import settings
from django.core.checks import Error

FLOOR = 3


def check_anonymity_thresholds(app_configs=None, **kwargs) -> list[Error]:
    """CASCADE_MIN_RESPONSES and CASCADE_MIN_COMMENTS below 3 would let a leader or an office
    read one or two people's answers: refuse to start."""
    errors = []
    for number, name, default in ((1, "CASCADE_MIN_RESPONSES", 5), (2, "CASCADE_MIN_COMMENTS", 10)):
        value = getattr(settings, name, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < FLOOR:
            errors.append(
                Error(
                    f"{name} is {value!r}; it must be an integer of at least {FLOOR}.",
                    hint="Facilitator assessments are anonymous only in groups of several answers; use 5 and 10.",
                    id=f"feedback.E00{number}",
                )
            )
    return errors
