# Questions point at the cycle (now in org) and leaders' reports at scenarios (now in kit). Issue 12 moved models between apps, not data: every table keeps its name and
# its rows; only Django's record of which app owns each model changes (state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0004_question_kind_asked_by'),
        ('kit', '0001_initial'),
        ('org', '0003_cycle_from_dialogues'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='leaderfeedback',
                    name='scenarios_used',
                ),
                migrations.AlterField(
                    model_name='question',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='org.cycle', verbose_name='cycle'),
                ),
                migrations.AddField(
                    model_name='leaderfeedback',
                    name='scenarios_used',
                    field=models.ManyToManyField(blank=True, related_name='+', to='kit.scenario', verbose_name='scenarios used'),
                ),
            ],
            database_operations=[],
        ),
    ]
