"""Background work of the dialogues app: thin tasks that call services (Django Tasks). Each is
safe to run often and twice at once: every e-mail is claimed before it leaves."""

from django.tasks import task

from . import reminders
from .scheduling import send_due_reminders


@task
def send_session_reminders(base_url: str = "") -> int:
    """Remind invitees whose session is 1–3 days away."""
    return send_due_reminders(base_url=base_url)


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
