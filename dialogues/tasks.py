"""Background work of the dialogues app: thin tasks that call services (Django Tasks)."""

from django.tasks import task

from .scheduling import send_due_reminders


@task
def send_session_reminders(base_url: str = "") -> int:
    """Remind invitees whose session is 1–3 days away; safe to run often and twice at once."""
    return send_due_reminders(base_url=base_url)
