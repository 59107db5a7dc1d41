import django.db.models.functions.text
import org.zones
from django.db import migrations, models

# The main duty stations of the United Nations and their zones (plain facts), with the local
# spellings organization files use ("Genève", "Wien"). The Ethics Office keeps the table in the
# admin from here on.
DUTY_STATIONS = [
    ("Abidjan", "Africa/Abidjan"),
    ("Abyei", "Africa/Khartoum"),
    ("Addis Ababa", "Africa/Addis_Ababa"),
    ("Amman", "Asia/Amman"),
    ("Arusha", "Africa/Dar_es_Salaam"),
    ("Baghdad", "Asia/Baghdad"),
    ("Bamako", "Africa/Bamako"),
    ("Bangkok", "Asia/Bangkok"),
    ("Bangui", "Africa/Bangui"),
    ("Beirut", "Asia/Beirut"),
    ("Bogotá", "America/Bogota"),
    ("Bonn", "Europe/Berlin"),
    ("Brasília", "America/Sao_Paulo"),
    ("Brindisi", "Europe/Rome"),
    ("Brussels", "Europe/Brussels"),
    ("Cairo", "Africa/Cairo"),
    ("Copenhagen", "Europe/Copenhagen"),
    ("Dakar", "Africa/Dakar"),
    ("Damascus", "Asia/Damascus"),
    ("Entebbe", "Africa/Kampala"),
    ("Gao", "Africa/Bamako"),
    ("Geneva", "Europe/Zurich"),
    ("Genève", "Europe/Zurich"),
    ("Goma", "Africa/Lubumbashi"),
    ("Islamabad", "Asia/Karachi"),
    ("Jerusalem", "Asia/Jerusalem"),
    ("Juba", "Africa/Juba"),
    ("Kabul", "Asia/Kabul"),
    ("Khartoum", "Africa/Khartoum"),
    ("Kinshasa", "Africa/Kinshasa"),
    ("Laayoune", "Africa/El_Aaiun"),
    ("Malakal", "Africa/Juba"),
    ("Mexico City", "America/Mexico_City"),
    ("Mogadishu", "Africa/Mogadishu"),
    ("Montevideo", "America/Montevideo"),
    ("Montreal", "America/Toronto"),
    ("Nairobi", "Africa/Nairobi"),
    ("Naqoura", "Asia/Beirut"),
    ("New Delhi", "Asia/Kolkata"),
    ("New York", "America/New_York"),
    ("Nicosia", "Asia/Nicosia"),
    ("Panama", "America/Panama"),
    ("Paris", "Europe/Paris"),
    ("Port of Spain", "America/Port_of_Spain"),
    ("Port-au-Prince", "America/Port-au-Prince"),
    ("Pristina", "Europe/Belgrade"),
    ("Rome", "Europe/Rome"),
    ("Santiago", "America/Santiago"),
    ("The Hague", "Europe/Amsterdam"),
    ("Tokyo", "Asia/Tokyo"),
    ("Tripoli", "Africa/Tripoli"),
    ("Valencia", "Europe/Madrid"),
    ("Vienna", "Europe/Vienna"),
    ("Washington", "America/New_York"),
    ("Wien", "Europe/Vienna"),
]


def seed_duty_stations(apps, schema_editor):
    DutyStation = apps.get_model("org", "DutyStation")
    known = {name.casefold() for name in DutyStation.objects.values_list("name", flat=True)}
    DutyStation.objects.bulk_create([DutyStation(name=name, time_zone=zone) for name, zone in DUTY_STATIONS if name.casefold() not in known])


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='entity',
            name='time_zone',
            field=models.CharField(default='UTC', help_text='An IANA name, e.g. Africa/Nairobi.', max_length=64, validators=[org.zones.validate_time_zone], verbose_name='time zone'),
        ),
        migrations.AddField(
            model_name='person',
            name='time_zone',
            field=models.CharField(blank=True, max_length=64, validators=[org.zones.validate_time_zone], verbose_name='time zone'),
        ),
        migrations.CreateModel(
            name='DutyStation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text="As written in the organization file's duty_station column.", max_length=100, verbose_name='name')),
                ('time_zone', models.CharField(help_text='An IANA name, e.g. Africa/Nairobi.', max_length=64, validators=[org.zones.validate_time_zone], verbose_name='time zone')),
            ],
            options={
                'verbose_name': 'duty station',
                'verbose_name_plural': 'duty stations',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='duty_station_unique_name')],
            },
        ),
        migrations.RunPython(seed_duty_stations, migrations.RunPython.noop),
    ]
