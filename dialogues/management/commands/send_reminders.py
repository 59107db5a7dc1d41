"""Queue the session reminders (1–3 days ahead). Run it from cron every hour or so: each
reminder goes once, even when two runs overlap."""

from django.core.management.base import BaseCommand

from dialogues.tasks import send_session_reminders


class Command(BaseCommand):
    help = "Send the reminders of sessions 1-3 days ahead (through the task backend)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="the site's address, for links in e-mails")

    def handle(self, *args, base_url, **options):
        result = send_session_reminders.enqueue(base_url=base_url)
        self.stdout.write(f"queued {result.id} ({result.status})")
