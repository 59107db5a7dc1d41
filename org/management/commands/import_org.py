"""Load the organization file (index_number, name, email, entity, manager_index_number, ...): a complete snapshot of people and reporting lines.

Every rule is checked before anything is written; a file with any error writes nothing. A
snapshot that would make many people leave or change many e-mail addresses (the mass-change
guard of org_import) is refused the same way unless --allow-mass-change is given.
"""

import sys

from django.core.management.base import BaseCommand

from core.commands import RejectedInput, print_problems, read_table_argument
from core.tabular import Purpose
from org.services import org_import


class Command(BaseCommand):
    help = "Import the organization file (CSV or XLSX): people, entities, units, reporting lines."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and summarise without writing")
        parser.add_argument(
            "--allow-mass-change",
            action="store_true",
            help="import even if more than the set share of active people would leave or change e-mail address",
        )

    def handle(self, *args, file, dry_run, allow_mass_change, **options):
        report = org_import(table=read_table_argument(file, Purpose.ORG_FILE), dry_run=dry_run, allow_mass_change=allow_mass_change)
        print_problems(report.errors, report.warnings)
        if not report.errors and report.mass_change and not allow_mass_change:
            for reason in report.mass_change:
                print(f"refused: {reason}", file=sys.stderr)
            print("nothing written: run again with --allow-mass-change if these changes are intended", file=sys.stderr)
            raise RejectedInput()
        if not report.ok:
            raise RejectedInput()
        if dry_run and report.sheet:
            self.stdout.write(f"Read from sheet “{report.sheet}”")
        self.stdout.write(report.summary())
