"""Print every manager's state in the cascade (the JSON other tools read: managers with depth, reports, state; counts per state)."""

import json

from django.core.management.base import BaseCommand, CommandError

from org.models import Cycle, Entity
from oversight.selectors import cascade_document, cascade_states


class Command(BaseCommand):
    help = "Print the cascade state of every manager of a cycle as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True)
        parser.add_argument("--entity")

    def handle(self, *args, cycle, entity, **options):
        try:
            the_cycle = Cycle.objects.get(year=cycle)
        except Cycle.DoesNotExist:
            raise CommandError(f"no cycle for {cycle}", returncode=2) from None
        entity_ids = None
        if entity:
            entity_ids = list(Entity.objects.filter(code=entity).values_list("pk", flat=True))
            if not entity_ids:
                raise CommandError(f"no entity {entity}", returncode=2)
        managers = cascade_states(the_cycle, entity_ids=entity_ids)
        self.stdout.write(json.dumps(cascade_document(the_cycle, managers), ensure_ascii=False, indent=1))
