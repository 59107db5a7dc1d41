"""Background work of the dialogues app: thin tasks that call services (Django Tasks). Each is
safe to run often and twice at once: every e-mail is claimed before it leaves. The reminders
that read the cascade and the feedback are oversight's (oversight/tasks.py)."""

from django.tasks import task

from .scheduling import send_due_reminders


@task
def send_session_reminders(base_url: str = "") -> int:
    """Remind invitees whose session is 1–3 days away."""
    return send_due_reminders(base_url=base_url)
