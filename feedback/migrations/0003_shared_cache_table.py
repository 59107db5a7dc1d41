"""The table of the "shared" cache (settings.CACHES), which keeps the themes of the feedback
texts for every worker: created here, so that `migrate` is the only step a deployment needs."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS cascade_cache")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_facilitator_assessment")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
