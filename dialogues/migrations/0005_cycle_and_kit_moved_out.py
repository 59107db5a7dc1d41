# The cycle moved to org and the kit's models to kit. Issue 12 moved models between apps, not data: every table keeps its name and
# its rows; only Django's record of which app owns each model changes (state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dialogues', '0004_attendance_fewer_indexes'),
        ('feedback', '0005_cycle_in_org_scenarios_in_kit'),
        ('kit', '0001_initial'),
        ('org', '0003_cycle_from_dialogues'),
        ('oversight', '0003_cycle_in_org'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='agendaitem',
                    name='kit',
                ),
                migrations.RemoveConstraint(
                    model_name='cycle',
                    name='cycle_opens_before_deadline',
                ),
                migrations.RemoveField(
                    model_name='kit',
                    name='cycle',
                ),
                migrations.AlterField(
                    model_name='session',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='org.cycle', verbose_name='cycle'),
                ),
                migrations.RemoveField(
                    model_name='discussionquestion',
                    name='scenario',
                ),
                migrations.RemoveField(
                    model_name='scenario',
                    name='kit',
                ),
                migrations.RemoveConstraint(
                    model_name='kittranslation',
                    name='kit_translation_once_per_text',
                ),
                migrations.RemoveField(
                    model_name='session',
                    name='scenarios',
                ),
                migrations.AlterField(
                    model_name='scenariovote',
                    name='scenario',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='kit.scenario'),
                ),
                migrations.DeleteModel(
                    name='AgendaItem',
                ),
                migrations.DeleteModel(
                    name='Cycle',
                ),
                migrations.DeleteModel(
                    name='DiscussionQuestion',
                ),
                migrations.RemoveField(
                    model_name='kittranslation',
                    name='kit',
                ),
                migrations.AddField(
                    model_name='session',
                    name='scenarios',
                    field=models.ManyToManyField(blank=True, related_name='sessions', to='kit.scenario', verbose_name='scenarios'),
                ),
                migrations.DeleteModel(
                    name='Scenario',
                ),
                migrations.DeleteModel(
                    name='Kit',
                ),
                migrations.DeleteModel(
                    name='KitTranslation',
                ),
            ],
            database_operations=[],
        ),
    ]
