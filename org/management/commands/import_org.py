"""Load the organization file (CONTRACTS §1): a complete snapshot of people and reporting lines.

Every rule is checked before anything is written; a file with any error writes nothing.
"""

from django.core.management.base import BaseCommand

from cascade.commands import RejectedInput, print_problems, read_table_argument
from cascade.tabular import Purpose
from org.services import org_import


class Command(BaseCommand):
    help = "Import the organization file (CSV or XLSX): people, entities, units, reporting lines."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and summarise without writing")

    def handle(self, *args, file, dry_run, **options):
        report = org_import(table=read_table_argument(file, Purpose.ORG_FILE), dry_run=dry_run)
        print_problems(report.errors, report.warnings)
        if not report.ok:
            raise RejectedInput()
        self.stdout.write(report.summary())
