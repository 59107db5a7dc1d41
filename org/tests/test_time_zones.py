"""A person's time zone: the organization file's optional `time_zone` column, else
the duty station's zone from the Ethics Office's table, else the entity's; the canonical list a
picker offers; the readable name of a zone."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from org.models import DutyStation, Entity, Person
from org.tests.test_import_org import HEADER, assert_rejected, base_rows, changed_rows, loaded, person, run_ok, summary, write  # noqa: F401 (loaded is a fixture)
from org.zones import canonical_zones, duty_station_zones, entity_time_zones, person_time_zone, person_time_zones, zone_city, zone_label

WITH_ZONE = HEADER + ["time_zone"]


def test_time_zone_column_is_imported_and_a_change_counts_as_updated(db, tmp_path, capsys):
    rows = base_rows()
    rows[0]["time_zone"] = "America/New_York"
    rows[1]["time_zone"] = "Europe/Zurich"
    out, err = run_ok(capsys, write(tmp_path, rows, header=WITH_ZONE))
    assert out == summary(created=5) and err == ""
    assert dict(Person.objects.values_list("index_number", "time_zone")) == {"A1": "America/New_York", "B1": "Europe/Zurich", "B2": "", "C1": "", "D1": ""}

    rows[2]["time_zone"] = "Africa/Nairobi"
    out, _err = run_ok(capsys, write(tmp_path, rows, header=WITH_ZONE))
    assert out == summary(updated=1, unchanged=4)
    assert Person.objects.get(index_number="B2").time_zone == "Africa/Nairobi"


@pytest.mark.parametrize(
    "value, message",
    [
        ("Africa/Nairobii", "“Africa/Nairobii” is not an IANA time zone name; did you mean Africa/Nairobi?"),
        ("africa/nairobi", "“africa/nairobi” is not an IANA time zone name; did you mean Africa/Nairobi?"),
        ("Europe/Geneva", "“Europe/Geneva” is not an IANA time zone name; did you mean Europe/Zurich?"),
        ("GMT+3", "“GMT+3” is not an IANA time zone name such as Africa/Nairobi or Europe/Zurich"),
    ],
)
def test_bad_time_zone_in_org_file_is_a_row_error(loaded, capsys, value, message):  # noqa: F811
    rows = changed_rows() + [person("E1")]
    rows[-1]["time_zone"] = value

    assert_rejected(capsys, write(loaded, rows, header=WITH_ZONE), [f"row 7: time_zone: {message}"])


def test_an_alias_is_still_an_iana_name_and_is_accepted(db, tmp_path, capsys):
    rows = base_rows()
    rows[0]["time_zone"] = "Africa/Asmera"  # the old spelling of Africa/Asmara, still in the database
    out, _err = run_ok(capsys, write(tmp_path, rows, header=WITH_ZONE))
    assert out == summary(created=5)
    assert Person.objects.get(index_number="A1").time_zone == "Africa/Asmera"


def export(tmp_path) -> str:
    path = tmp_path / "export.csv"
    call_command("export_org", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return path.read_text(encoding="utf-8")


def test_export_adds_time_zone_last_only_when_someone_has_one(db, tmp_path, capsys, formats_dir):
    # The contracts' sample has no time_zone column: its export keeps exactly its columns.
    call_command("import_org", str(formats_dir / "sample-org.csv"), stdout=io.StringIO())
    sample_header = (formats_dir / "sample-org.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert export(tmp_path).splitlines()[0] == sample_header

    Person.objects.filter(index_number="S000001").update(time_zone="America/New_York")
    text = export(tmp_path)
    assert text.splitlines()[0] == sample_header + ",time_zone"
    assert text.splitlines()[2].endswith(",America/New_York")  # S000001, after S000000
    assert text.splitlines()[1].endswith(",")  # S000000: no zone of their own
    (tmp_path / "again.csv").write_text(text, encoding="utf-8")
    out, _err = run_ok(capsys, tmp_path / "again.csv")
    assert out == summary(unchanged=Person.objects.count())


def test_main_duty_stations_are_seeded_with_their_zones(db):
    zones = dict(DutyStation.objects.values_list("name", "time_zone"))
    assert zones["Nairobi"] == "Africa/Nairobi"
    assert zones["Geneva"] == zones["Genève"] == "Europe/Zurich"
    assert zones["Vienna"] == zones["Wien"] == "Europe/Vienna"
    assert zones["New York"] == "America/New_York"
    assert zones["Goma"] == "Africa/Lubumbashi"
    assert zones["Port-au-Prince"] == "America/Port-au-Prince"
    assert set(zones.values()) <= set(canonical_zones())


def test_person_time_zone_is_their_own_else_their_duty_stations_else_their_entitys(db):
    entity = Entity.objects.create(code="OPS", time_zone="Asia/Bangkok")
    own = Person.objects.create(index_number="P1", name="Own", email="p1@example.org", entity=entity, duty_station="Nairobi", time_zone="Asia/Tokyo")
    station = Person.objects.create(index_number="P2", name="Station", email="p2@example.org", entity=entity, duty_station="  genève ")
    unknown_station = Person.objects.create(index_number="P3", name="Field", email="p3@example.org", entity=entity, duty_station="Lake Oyana")
    no_station = Person.objects.create(index_number="P4", name="Nowhere", email="p4@example.org", entity=entity)
    default = Person.objects.create(index_number="P5", name="Default", email="p5@example.org", entity=Entity.objects.create(code="DEF"))

    expected = {own.pk: "Asia/Tokyo", station.pk: "Europe/Zurich", unknown_station.pk: "Asia/Bangkok", no_station.pk: "Asia/Bangkok", default.pk: "UTC"}
    assert {p.pk: person_time_zone(p) for p in Person.objects.all()} == expected
    assert person_time_zones(Person.objects.all()) == expected

    DutyStation.objects.create(name="Lake Oyana", time_zone="Africa/Kampala")  # the Ethics Office places it
    assert person_time_zone(Person.objects.get(pk=unknown_station.pk)) == "Africa/Kampala"


def test_person_time_zones_takes_three_queries_for_any_number_of_people(db, django_assert_num_queries):
    entities = [Entity.objects.create(code=f"E{i}") for i in range(5)]
    Person.objects.bulk_create(
        Person(index_number=f"P{i}", name=f"P {i}", email=f"p{i}@example.org", entity=entities[i % 5], duty_station=["Nairobi", "Mars", ""][i % 3]) for i in range(300)
    )
    with django_assert_num_queries(3):  # the people, the duty stations, the entities still needed
        zones = person_time_zones(Person.objects.all())
    assert len(zones) == 300 and set(zones.values()) == {"Africa/Nairobi", "UTC"}
    people, stations = list(Person.objects.select_related("entity")), duty_station_zones()
    with django_assert_num_queries(0):  # a batch sender passes the table; the entities came with the people
        assert person_time_zones(people, stations=stations) == zones


def test_entity_time_zones_lists_the_zones_of_its_duty_stations(db):
    entity = Entity.objects.create(code="OPS")
    for i, station in enumerate(["Nairobi", "Genève", "Geneva", "Mars", ""]):
        Person.objects.create(index_number=f"P{i}", name=f"P {i}", email=f"p{i}@example.org", entity=entity, duty_station=station)
    Person.objects.create(index_number="P9", name="P 9", email="p9@example.org", entity=entity, time_zone="Asia/Tokyo")
    Person.objects.create(index_number="X1", name="Gone", email="x1@example.org", entity=entity, duty_station="Bangkok", active=False)
    assert entity_time_zones(entity.pk) == {"Africa/Nairobi": ["Nairobi"], "Asia/Tokyo": [], "Europe/Zurich": ["Geneva", "Genève"]}


def test_canonical_zone_list_has_no_aliases():
    zones = canonical_zones()
    assert "Africa/Asmara" in zones and "Africa/Asmera" not in zones
    assert "Europe/Kyiv" in zones and "Europe/Kiev" not in zones
    assert "Asia/Kolkata" in zones and "Asia/Calcutta" not in zones
    assert "UTC" in zones and "US/Eastern" not in zones and "Etc/GMT+3" not in zones
    assert "Africa/Nairobi" in zones and "America/New_York" in zones and "Europe/Zurich" in zones
    assert list(zones) == sorted(zones) and len(zones) > 300


def test_a_zone_is_named_after_its_city():
    assert zone_label("Africa/Nairobi") == "Nairobi time"
    assert zone_label("America/Argentina/Buenos_Aires") == "Buenos Aires time"
    assert zone_label("America/Port-au-Prince") == "Port-au-Prince time"
    assert zone_label("Europe/Zurich") == "Geneva time"  # the duty station readers know it by
    assert zone_label("UTC") == "UTC"
    assert zone_city("America/New_York") == "New York"
    with translation.override("fr"):
        assert zone_city("Africa/Addis_Ababa") in {"Addis Ababa", "Addis-Abeba"}  # translated once the catalogue has it
