# Certifications point at the cycle, which now belongs to org. Issue 12 moved models between apps, not data: every table keeps its name and
# its rows; only Django's record of which app owns each model changes (state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_cycle_from_dialogues'),
        ('oversight', '0002_certification_checks_and_statement'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='certification',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certifications', to='org.cycle', verbose_name='cycle'),
                ),
                migrations.AlterField(
                    model_name='certificationstatement',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certification_statements', to='org.cycle', verbose_name='cycle'),
                ),
            ],
            database_operations=[],
        ),
    ]
