"""Open the year's dialogue cycle (topic, opening day, deadline); run again for the same year to change it."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from dialogues.services import cycle_open


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value}: not a date in the form YYYY-MM-DD", returncode=2) from exc


class Command(BaseCommand):
    help = "Open (or update) the dialogue cycle of a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--topic", required=True)
        parser.add_argument("--opens", required=True)
        parser.add_argument("--deadline", required=True)

    def handle(self, *args, year, topic, opens, deadline, **options):
        opens_on, deadline_on = iso_date(opens), iso_date(deadline)
        if opens_on > deadline_on:
            raise CommandError("--opens must not be after --deadline", returncode=2)
        if not topic.strip():
            raise CommandError("--topic must not be empty", returncode=2)
        cycle, created = cycle_open(year=year, topic=topic.strip(), opens=opens_on, deadline=deadline_on)
        self.stdout.write(f"{'opened' if created else 'updated'} cycle {cycle.year}: {cycle.opens} to {cycle.deadline}")
