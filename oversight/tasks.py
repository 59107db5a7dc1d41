"""Background work of oversight: the reminders that read the cascade's states and the feedback
(Django Tasks). Each is safe to run often and twice at once: every e-mail is claimed before it
leaves."""

from django.tasks import task

from . import reminders


@task
def send_ready_nudges(base_url: str = "") -> int:
    """Nudge managers ready for more than 14 days who have scheduled nothing."""
    return reminders.send_ready_nudges(base_url=base_url)


@task
def send_feedback_reminders(base_url: str = "") -> int:
    """Remind leaders whose held session has no feedback three days on."""
    return reminders.send_feedback_reminders(base_url=base_url)


@task
def send_focal_digests(base_url: str = "") -> int:
    """The focal points' weekly digest."""
    return reminders.send_focal_digests(base_url=base_url)


@task
def send_escalations(base_url: str = "") -> int:
    """December escalations to blocked managers and their heads of entity."""
    return reminders.send_escalations(base_url=base_url)
