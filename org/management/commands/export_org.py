"""Write the active organization as an organization file (the columns import_org reads), so that it can be
imported again: `export_org FILE` (FILE `-` writes to standard output).

Rows are streamed from the database in index-number order; importing the file into the same
database changes nothing. The optional `time_zone` column is written, last, only when someone
has a zone of their own: an organization that does not use it exports the very file it imported.
"""

import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from org.models import Person

COLUMNS = [
    "index_number",
    "name",
    "email",
    "manager_index_number",
    "entity",
    "entity_name",
    "unit",
    "category",
    "location_type",
    "duty_station",
    "language",
]
# Written after COLUMNS only when a person has a value for it.
OPTIONAL_COLUMNS = ["time_zone"]


class Command(BaseCommand):
    help = "Write the active organization as a CSV organization file (every column of import_org)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file to write, or - for standard output")

    def handle(self, *args, file, **options):
        people = Person.objects.active()
        optional = [column for column in OPTIONAL_COLUMNS if people.exclude(**{column: ""}).exists()]
        rows = (
            people
            .order_by("index_number")
            .values_list(
                "index_number",
                "name",
                "email",
                "manager_id",
                "manager__active",
                "entity__code",
                "entity__name",
                "unit__path",
                "category",
                "location_type",
                "duty_station",
                "language",
                *optional,
            )
            .iterator(chunk_size=5000)
        )
        try:
            out = sys.stdout if file == "-" else open(file, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from exc
        written = orphans = 0
        try:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS + optional)
            for index_number, name, email, manager, manager_active, code, entity_name, unit, *rest in rows:
                if manager and not manager_active:
                    # The file may only name managers it lists; an inactive manager is left out.
                    manager, orphans = None, orphans + 1
                writer.writerow([index_number, name, email, manager or "", code, entity_name, unit or "", *rest])
                written += 1
        finally:
            if out is not sys.stdout:
                out.close()
        if orphans:
            self.stderr.write(f"warning: {orphans} people report to an inactive manager; their manager_index_number is left empty")
        summary = f"exported {written} people"
        if file == "-":
            self.stderr.write(summary)
        else:
            self.stdout.write(f"{summary} to {file}")
