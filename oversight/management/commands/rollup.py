"""Print Appendix E, the roll-up of participants against personnel (the JSON or CSV other tools read)."""

import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from org.models import Cycle, Entity
from oversight.selectors import rollup, rollup_csv_rows, rollup_document


class Command(BaseCommand):
    help = "Print the roll-up of a cycle, per entity and unit, as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True)
        parser.add_argument("--entity")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, cycle, entity, format, **options):
        try:
            the_cycle = Cycle.objects.get(year=cycle)
        except Cycle.DoesNotExist:
            raise CommandError(f"no cycle for {cycle}", returncode=2) from None
        if entity and not Entity.objects.filter(code=entity).exists():
            raise CommandError(f"no entity {entity}", returncode=2)
        entities = rollup(the_cycle, entity_codes=[entity] if entity else None)
        if format == "csv":
            csv.writer(sys.stdout, lineterminator="\n").writerows(rollup_csv_rows(entities))
        else:
            self.stdout.write(json.dumps(rollup_document(the_cycle, entities), ensure_ascii=False, indent=1))
