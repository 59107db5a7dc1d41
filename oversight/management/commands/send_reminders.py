"""Queue the reminders, one task per reason: sessions 1–3 days ahead, managers ready for more
than 14 days, missing feedback, the focal points' weekly digest and the December escalations.
Run it from cron every hour or so: each reminder goes once per reason and period, even when two
runs overlap, so running it often only makes reminders timelier."""

from django.core.management.base import BaseCommand

from dialogues import tasks as session_tasks

from ... import tasks

TASKS = {
    "sessions": session_tasks.send_session_reminders,
    "ready": tasks.send_ready_nudges,
    "feedback": tasks.send_feedback_reminders,
    "digest": tasks.send_focal_digests,
    "escalation": tasks.send_escalations,
}


class Command(BaseCommand):
    help = "Send the reminders (sessions 1-3 days ahead, ready managers, missing feedback, digests, escalations) through the task backend."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="the site's address, for links in e-mails")
        parser.add_argument("--only", choices=sorted(TASKS), action="append", help="queue only this reason (repeatable)")

    def handle(self, *args, base_url, only, **options):
        for name, reminder_task in TASKS.items():
            if only and name not in only:
                continue
            result = reminder_task.enqueue(base_url=base_url)
            self.stdout.write(f"queued {result.id} ({result.status}) {name}")
