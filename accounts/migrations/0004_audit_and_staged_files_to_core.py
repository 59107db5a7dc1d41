# AuditEntry and StagedFile now belong to the core app (core/migrations/0001_initial.py); their
# tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_access_ends_with_the_organization"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="StagedFile"),
            ],
            database_operations=[],
        ),
    ]
