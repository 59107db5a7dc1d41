"""Record sessions held elsewhere from an attendance file, one row per participant: paper sign-in sheets, conference lists.

Every rule is checked before anything is written; a file with any error writes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from core.commands import RejectedInput, print_problems, read_table_argument
from core.tabular import Purpose
from dialogues.services import attendance_import
from org.models import Cycle


class Command(BaseCommand):
    help = "Import attendance rows (CSV or XLSX) into a cycle's sessions."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--cycle", type=int, required=True, help="the cycle's year")
        parser.add_argument("--dry-run", action="store_true", help="validate and summarise without writing")

    def handle(self, *args, file, cycle, dry_run, **options):
        try:
            the_cycle = Cycle.objects.get(year=cycle)
        except Cycle.DoesNotExist:
            raise CommandError(f"no cycle for {cycle}: open it first with open_cycle", returncode=2) from None
        report = attendance_import(table=read_table_argument(file, Purpose.ATTENDANCE_FILE), cycle=the_cycle, dry_run=dry_run)
        print_problems(report.errors, report.warnings)
        if not report.ok:
            raise RejectedInput()
        self.stdout.write(report.summary())
