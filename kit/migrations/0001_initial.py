# The kit's models moved here from dialogues. Issue 12 moved models between apps, not data: every table keeps its name and
# its rows; only Django's record of which app owns each model changes (state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0003_cycle_from_dialogues'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Kit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(choices=[('ar', 'العربية'), ('zh', '中文'), ('en', 'English'), ('fr', 'Français'), ('ru', 'Русский'), ('es', 'Español')], default='en', max_length=2, verbose_name='original language')),
                        ('why_it_matters', models.TextField(blank=True, verbose_name='why it matters')),
                        ('key_lessons', models.TextField(blank=True, help_text='One per line.', verbose_name='key lessons')),
                        ('ground_rules', models.TextField(blank=True, help_text='One per line.', verbose_name='ground rules')),
                        ('guidelines', models.TextField(blank=True, verbose_name='guidelines for the leader')),
                        ('published', models.BooleanField(default=False, verbose_name='published')),
                        ('cycle', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='kit', to='org.cycle')),
                    ],
                    options={
                        'db_table': 'dialogues_kit',
                    },
                ),
                migrations.CreateModel(
                    name='AgendaItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('minutes', models.PositiveSmallIntegerField(verbose_name='minutes')),
                        ('guidance', models.TextField(blank=True, verbose_name='what to say and do')),
                        ('kit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda', to='kit.kit')),
                    ],
                    options={
                        'db_table': 'dialogues_agendaitem',
                        'ordering': ['order'],
                    },
                ),
                migrations.CreateModel(
                    name='Scenario',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('format', models.CharField(choices=[('written', 'Written'), ('script', 'Script with roles'), ('video', 'Video')], default='written', max_length=20, verbose_name='format')),
                        ('text', models.TextField(verbose_name='text')),
                        ('video_url', models.URLField(blank=True, verbose_name='video link')),
                        ('key_messages', models.TextField(blank=True, help_text='One per line.', verbose_name='key messages')),
                        ('resources', models.TextField(blank=True, help_text='One per line.', verbose_name='resources')),
                        ('kit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scenarios', to='kit.kit')),
                    ],
                    options={
                        'db_table': 'dialogues_scenario',
                        'ordering': ['order'],
                    },
                ),
                migrations.CreateModel(
                    name='DiscussionQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('text', models.TextField(verbose_name='question')),
                        ('follow_ups', models.TextField(blank=True, help_text='One per line.', verbose_name='follow-up questions')),
                        ('important_points', models.TextField(blank=True, help_text='One per line; for the leader only.', verbose_name='important points')),
                        ('references', models.TextField(blank=True, help_text='One per line: a regulation, a rule, a paragraph.', verbose_name='references')),
                        ('scenario', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='kit.scenario')),
                    ],
                    options={
                        'db_table': 'dialogues_discussionquestion',
                        'ordering': ['order'],
                    },
                ),
                migrations.CreateModel(
                    name='KitTranslation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(choices=[('ar', 'العربية'), ('zh', '中文'), ('en', 'English'), ('fr', 'Français'), ('ru', 'Русский'), ('es', 'Español')], max_length=2, verbose_name='language')),
                        ('part', models.CharField(choices=[('kit', 'Kit'), ('agenda', 'Agenda item'), ('scenario', 'Scenario'), ('question', 'Discussion question')], max_length=10)),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('field', models.CharField(max_length=30)),
                        ('text', models.TextField(verbose_name='translation')),
                        ('source_digest', models.CharField(max_length=64)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('kit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='kit.kit')),
                    ],
                    options={
                        'verbose_name': 'kit translation',
                        'verbose_name_plural': 'kit translations',
                        'db_table': 'dialogues_kittranslation',
                        'constraints': [models.UniqueConstraint(fields=('kit', 'language', 'part', 'object_id', 'field'), name='kit_translation_once_per_text')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
