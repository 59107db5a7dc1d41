# The cycle moved here from dialogues so that the kit (below the sessions) can depend on it. Issue 12 moved models between apps, not data: every table keeps its name and
# its rows; only Django's record of which app owns each model changes (state only).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_time_zones_and_duty_stations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Cycle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveIntegerField(unique=True, verbose_name='year')),
                        ('topic', models.CharField(max_length=300, verbose_name='topic')),
                        ('opens', models.DateField(verbose_name='opens')),
                        ('deadline', models.DateField(verbose_name='deadline')),
                    ],
                    options={
                        'verbose_name': 'cycle',
                        'verbose_name_plural': 'cycles',
                        'db_table': 'dialogues_cycle',
                        'ordering': ['-year'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('opens__lte', models.F('deadline'))), name='cycle_opens_before_deadline')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
