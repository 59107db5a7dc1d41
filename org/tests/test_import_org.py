"""The organization import (the organization file other tools write, and the exit codes of the commands), through `import_org` and `org_import`.

Every bad file is built on top of a loaded organization and also carries changes of every kind
(an update, a new person in a new entity and unit, someone left out), so that a partial write
would show in the database snapshot compared before and after.
"""

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEntry
from core.tabular import read_table
from org.models import Entity, Person, Unit
from org.services import org_import

HEADER = [
    "index_number",
    "name",
    "email",
    "manager_index_number",
    "entity",
    "entity_name",
    "unit",
    "category",
    "location_type",
    "duty_station",
    "language",
]
REPOSITORY = Path(__file__).resolve().parents[2]
DGC_NAME = "Department of Global Communications"
OCHA_NAME = "Office for the Coordination of Humanitarian Affairs"


# --- building files -------------------------------------------------------------------------


def person(index, *, manager="", name=None, email=None, entity="DGC", entity_name="", unit="", category="", location_type="", duty_station="", language="") -> dict:
    return {
        "index_number": index,
        "name": f"Person {index}" if name is None else name,
        "email": f"{index.lower()}@example.org" if email is None else email,
        "manager_index_number": manager,
        "entity": entity,
        "entity_name": entity_name,
        "unit": unit,
        "category": category,
        "location_type": location_type,
        "duty_station": duty_station,
        "language": language,
    }


def base_rows() -> list[dict]:
    """A1 heads DGC; B1 and B2 report to A1, C1 to B1; D1 (OCHA) reports to A1. Rows 2 to 6."""
    return [
        person("A1", name="Amina Diallo", entity_name=DGC_NAME, category="international", location_type="headquarters", duty_station="New York", language="en"),
        person("B1", manager="A1", unit="News", category="national", location_type="away", duty_station="Geneva", language="fr"),
        person("B2", manager="A1", unit="News > Web", category="non-staff", location_type="field", language="es"),
        person("C1", manager="B1", unit="News > Web > Video", language="ar"),
        person("D1", manager="A1", entity="OCHA", entity_name=OCHA_NAME, unit="Operations", language="zh"),
    ]


def changed_rows() -> list[dict]:
    """The base organization with a change of every kind: B2 renamed, D1 left out, N1 (new, in a
    new entity and new units) added. Rows: A1=2, B1=3, B2=4, C1=5, N1=6; bad rows start at 7."""
    rows = [r for r in base_rows() if r["index_number"] != "D1"]
    rows[2]["name"] = "Renamed Person"
    rows.append(person("N1", manager="A1", entity="UNEP", entity_name="UN Environment Programme", unit="Ecosystems > Marine"))
    return rows


def csv_bytes(rows, *, header=None, delimiter=",", bom=False, line_end="\n") -> bytes:
    header = HEADER if header is None else header
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows, *, header=None, cell=lambda column, value: value) -> bytes:
    header = HEADER if header is None else header
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([cell(column, row.get(column, "")) or None for column in header])
    workbook.create_sheet("Ignored").append(["index_number"])  # only the first sheet is read
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path, rows, name="org.csv", **options):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows, **options) if name.endswith(".xlsx") else csv_bytes(rows, **options))
    return path


# --- running and observing ------------------------------------------------------------------


def db_snapshot() -> dict:
    """Every row of every table an import may write, all fields."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Entity, Unit, Person, AuditEntry)
    }


def org_state() -> dict:
    """The organization as the file describes it, independent of primary keys."""
    return {
        p.index_number: (
            p.name,
            p.email,
            p.manager_id,
            p.entity.code,
            p.unit.path if p.unit else "",
            p.category,
            p.location_type,
            p.duty_station,
            p.language,
            p.active,
        )
        for p in Person.objects.select_related("entity", "unit")
    }


def run_ok(capsys, path, *args) -> tuple[str, str]:
    capsys.readouterr()
    call_command("import_org", str(path), *args)
    return capsys.readouterr()


def assert_rejected(capsys, path, expected_errors, *args):
    """The command exits 1, lists exactly `expected_errors` on stderr and writes nothing."""
    before = db_snapshot()
    capsys.readouterr()
    with pytest.raises(CommandError) as raised:
        call_command("import_org", str(path), *args)
    out, err = capsys.readouterr()
    assert raised.value.returncode == 1
    assert out == ""
    assert [line for line in err.splitlines() if not line.startswith("warning: ")] == expected_errors
    assert db_snapshot() == before
    return err


# One person of the 5 leaving is 20 %, above the mass-change guard (test_org_files.py tests it):
# the tests of what leaving does confirm it.
ALLOW = "--allow-mass-change"


def summary(created=0, updated=0, deactivated=0, reactivated=0, unchanged=0) -> str:
    return f"created {created}, updated {updated}, deactivated {deactivated}, reactivated {reactivated}, unchanged {unchanged}\n"


@pytest.fixture
def loaded(db, tmp_path, capsys):
    """The base organization, imported."""
    out, err = run_ok(capsys, write(tmp_path, base_rows(), name="base.csv"))
    assert out == summary(created=5)
    assert err == ""
    return tmp_path


# --- a good file ----------------------------------------------------------------------------


def test_first_import_creates_people_entities_units_and_reporting_lines(db, tmp_path, capsys):
    out, err = run_ok(capsys, write(tmp_path, base_rows()))

    assert out == summary(created=5)
    assert err == ""
    assert org_state() == {
        "A1": ("Amina Diallo", "a1@example.org", None, "DGC", "", "international", "headquarters", "New York", "en", True),
        "B1": ("Person B1", "b1@example.org", "A1", "DGC", "News", "national", "away", "Geneva", "fr", True),
        "B2": ("Person B2", "b2@example.org", "A1", "DGC", "News > Web", "non-staff", "field", "", "es", True),
        "C1": ("Person C1", "c1@example.org", "B1", "DGC", "News > Web > Video", "", "", "", "ar", True),
        "D1": ("Person D1", "d1@example.org", "A1", "OCHA", "Operations", "", "", "", "zh", True),
    }
    assert dict(Entity.objects.values_list("code", "name")) == {"DGC": DGC_NAME, "OCHA": OCHA_NAME}
    a1 = Person.objects.get(index_number="A1")
    assert sorted(a1.direct_reports.values_list("index_number", flat=True)) == ["B1", "B2", "D1"]


def test_unit_path_creates_its_parent_units(db, tmp_path, capsys):
    run_ok(capsys, write(tmp_path, base_rows()))

    units = {(u.entity.code, u.path): (u.parent.path if u.parent else None) for u in Unit.objects.select_related("entity", "parent")}
    assert units == {
        ("DGC", "News"): None,
        ("DGC", "News > Web"): "News",
        ("DGC", "News > Web > Video"): "News > Web",
        ("OCHA", "Operations"): None,
    }
    video = Unit.objects.get(path="News > Web > Video")
    assert video.parent.parent.entity == video.entity
    assert video.name == "Video"


def test_parent_units_are_created_when_only_the_deepest_path_is_listed(db, tmp_path, capsys):
    out, _err = run_ok(capsys, write(tmp_path, [person("A1", unit="Division 1 > Section 2 > Team 3")]))

    assert out == summary(created=1)
    assert sorted(Unit.objects.values_list("path", "parent__path")) == [
        ("Division 1", None),
        ("Division 1 > Section 2", "Division 1"),
        ("Division 1 > Section 2 > Team 3", "Division 1 > Section 2"),
    ]


def test_same_unit_path_in_two_entities_makes_two_units(db, tmp_path, capsys):
    run_ok(capsys, write(tmp_path, [person("A1", unit="Admin"), person("B1", entity="OCHA", unit="Admin")]))

    assert sorted(Unit.objects.values_list("entity__code", "path")) == [("DGC", "Admin"), ("OCHA", "Admin")]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(loaded, capsys):
    before = {model: rows for model, rows in db_snapshot().items() if model != "AuditEntry"}

    out, err = run_ok(capsys, loaded / "base.csv")

    assert out == summary(unchanged=5)
    assert err == ""
    assert {model: rows for model, rows in db_snapshot().items() if model != "AuditEntry"} == before


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("name", "Amina D. Diallo", "Amina D. Diallo"),
        ("email", "amina.diallo@example.org", "amina.diallo@example.org"),
        ("manager_index_number", "B2", "B2"),
        ("entity", "OCHA", "OCHA"),
        ("unit", "News > Web", "News > Web"),
        ("category", "national", "national"),
        ("location_type", "field", "field"),
        ("duty_station", "Nairobi", "Nairobi"),
        ("language", "ru", "ru"),
    ],
)
def test_change_of_one_field_counts_as_updated(loaded, capsys, column, value, expected):
    rows = base_rows()
    c1 = rows[3]
    c1[column] = value
    if column == "entity":
        c1["unit"] = ""  # units belong to an entity

    out, err = run_ok(capsys, write(loaded, rows))

    assert out == summary(updated=1, unchanged=4)
    assert err == ""
    fields = dict(zip(["name", "email", "manager_index_number", "entity", "unit", "category", "location_type", "duty_station", "language"], org_state()["C1"]))
    assert fields[column] == expected
    out, _err = run_ok(capsys, write(loaded, rows))
    assert out == summary(unchanged=5)


def test_clearing_an_optional_field_counts_as_updated(loaded, capsys):
    rows = base_rows()
    rows[1].update(manager_index_number="", unit="", category="", language="")

    out, _err = run_ok(capsys, write(loaded, rows))

    assert out == summary(updated=1, unchanged=4)
    assert org_state()["B1"] == ("Person B1", "b1@example.org", None, "DGC", "", "", "away", "Geneva", "", True)


def test_new_entity_name_replaces_the_old_one(loaded, capsys):
    rows = base_rows()
    rows[0]["entity_name"] = "Department of Global Communications (DGC)"

    run_ok(capsys, write(loaded, rows))

    assert Entity.objects.get(code="DGC").name == "Department of Global Communications (DGC)"


def test_entity_name_given_on_one_row_only_is_kept(db, tmp_path, capsys):
    rows = [person("A1"), person("B1", manager="A1", entity_name=DGC_NAME), person("C1", manager="A1")]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert (out, err) == (summary(created=3), "")
    assert Entity.objects.get(code="DGC").name == DGC_NAME


def test_person_missing_from_a_later_snapshot_becomes_inactive_and_is_kept(loaded, capsys):
    c1 = Person.objects.get(index_number="C1")
    rows = [r for r in base_rows() if r["index_number"] != "C1"]

    out, err = run_ok(capsys, write(loaded, rows, name="without-c1.csv"), ALLOW)

    assert (out, err) == (summary(deactivated=1, unchanged=4), "")
    kept = Person.objects.get(index_number="C1")
    assert kept.pk == c1.pk
    assert kept.active is False
    assert (kept.name, kept.manager_id, kept.unit.path) == ("Person C1", "B1", "News > Web > Video")
    assert Person.objects.active().count() == 4
    # Still absent: nothing more to do.
    out, _err = run_ok(capsys, loaded / "without-c1.csv")
    assert out == summary(unchanged=4)


def test_person_who_reappears_is_reactivated(loaded, capsys):
    c1_pk = Person.objects.get(index_number="C1").pk
    run_ok(capsys, write(loaded, [r for r in base_rows() if r["index_number"] != "C1"], name="without-c1.csv"), ALLOW)

    out, err = run_ok(capsys, loaded / "base.csv")

    assert (out, err) == (summary(reactivated=1, unchanged=4), "")
    c1 = Person.objects.get(index_number="C1")
    assert (c1.pk, c1.active) == (c1_pk, True)
    out, _err = run_ok(capsys, loaded / "base.csv")
    assert out == summary(unchanged=5)


def test_reactivated_person_takes_the_values_of_the_new_file(loaded, capsys):
    run_ok(capsys, write(loaded, [r for r in base_rows() if r["index_number"] != "C1"], name="without-c1.csv"), ALLOW)
    rows = base_rows()
    rows[3].update(name="C. One", manager_index_number="B2", unit="News")

    out, _err = run_ok(capsys, write(loaded, rows))

    assert out == summary(reactivated=1, unchanged=4)
    assert org_state()["C1"] == ("C. One", "c1@example.org", "B2", "DGC", "News", "", "", "", "ar", True)


def test_one_import_counts_each_kind_of_change(loaded, capsys):
    out, err = run_ok(capsys, write(loaded, changed_rows()), ALLOW)

    assert (out, err) == (summary(created=1, updated=1, deactivated=1, unchanged=3), "")
    state = org_state()
    assert state["B2"][0] == "Renamed Person"
    assert state["D1"][-1] is False
    assert state["N1"] == ("Person N1", "n1@example.org", "A1", "UNEP", "Ecosystems > Marine", "", "", "", "", True)
    assert Unit.objects.filter(entity__code="UNEP").count() == 2


def test_dry_run_on_an_empty_database_prints_the_counts_and_writes_nothing(db, tmp_path, capsys):
    out, err = run_ok(capsys, write(tmp_path, base_rows()), "--dry-run")

    assert (out, err) == (summary(created=5), "")
    assert db_snapshot() == {"Entity": [], "Unit": [], "Person": [], "AuditEntry": []}


def test_dry_run_prints_every_kind_of_change_and_writes_nothing(loaded, capsys):
    run_ok(capsys, write(loaded, [r for r in base_rows() if r["index_number"] != "C1"], name="without-c1.csv"), ALLOW)
    rows = changed_rows()  # C1 comes back, B2 renamed, D1 left out, N1 new
    before = db_snapshot()

    out, err = run_ok(capsys, write(loaded, rows), "--dry-run", ALLOW)

    assert (out, err) == (summary(created=1, updated=1, deactivated=1, reactivated=1, unchanged=2), "")
    assert db_snapshot() == before
    out, _err = run_ok(capsys, loaded / "org.csv", ALLOW)  # the real import gives the same counts
    assert out == summary(created=1, updated=1, deactivated=1, reactivated=1, unchanged=2)


def test_unknown_columns_are_only_a_warning(db, tmp_path, capsys):
    header = HEADER + ["notes", "phone"]
    rows = [dict(person("A1"), notes="boss", phone="123"), dict(person("B1", manager="A1"), notes="", phone="")]

    out, err = run_ok(capsys, write(tmp_path, rows, header=header))

    assert out == summary(created=2)
    assert err.splitlines() == ["warning: row 1: notes: unknown column, ignored", "warning: row 1: phone: unknown column, ignored"]
    assert Person.objects.count() == 2


def test_unknown_column_warning_is_also_listed_beside_errors(loaded, capsys):
    rows = changed_rows() + [person("E1", manager="Z9")]
    err = assert_rejected(capsys, write(loaded, rows, header=HEADER + ["notes"]), ["row 7: manager_index_number: Z9 is not the index number of any row"])
    assert "warning: row 1: notes: unknown column, ignored" in err.splitlines()


def test_only_the_required_columns_are_enough(db, tmp_path, capsys):
    header = ["index_number", "name", "email", "entity"]

    out, err = run_ok(capsys, write(tmp_path, [person("A1"), person("B1")], header=header))

    assert (out, err) == (summary(created=2), "")
    assert org_state()["B1"] == ("Person B1", "b1@example.org", None, "DGC", "", "", "", "", "", True)


def test_column_order_is_free(db, tmp_path, capsys):
    header = list(reversed(HEADER))

    run_ok(capsys, write(tmp_path, base_rows(), header=header))

    assert org_state()["C1"] == ("Person C1", "c1@example.org", "B1", "DGC", "News > Web > Video", "", "", "", "ar", True)


def test_blank_lines_are_skipped_and_row_numbers_still_count_them(db, tmp_path, capsys):
    text = "index_number,name,email,entity\nA1,Amina,a1@example.org,DGC\n\n,,,\nB1,,b1@example.org,DGC\n"
    path = tmp_path / "org.csv"
    path.write_text(text)

    assert_rejected(capsys, path, ["row 5: name: is required"])


# --- file formats ---------------------------------------------------------------------------


EXPECTED_BASE_STATE = {
    "A1": ("Amina Diallo", "a1@example.org", None, "DGC", "", "international", "headquarters", "New York", "en", True),
    "B1": ("Person B1", "b1@example.org", "A1", "DGC", "News", "national", "away", "Geneva", "fr", True),
    "B2": ("Person B2", "b2@example.org", "A1", "DGC", "News > Web", "non-staff", "field", "", "es", True),
    "C1": ("Person C1", "c1@example.org", "B1", "DGC", "News > Web > Video", "", "", "", "ar", True),
    "D1": ("Person D1", "d1@example.org", "A1", "OCHA", "Operations", "", "", "", "zh", True),
}


@pytest.mark.parametrize(
    "options",
    [
        {"delimiter": ","},
        {"delimiter": ";"},
        {"delimiter": ",", "bom": True},
        {"delimiter": ";", "bom": True},
        {"delimiter": ",", "line_end": "\r\n"},
        {"delimiter": ";", "bom": True, "line_end": "\r\n"},
    ],
    ids=["comma", "semicolon", "comma-bom", "semicolon-bom", "comma-crlf", "semicolon-bom-crlf"],
)
def test_csv_variants_give_the_same_organization(db, tmp_path, capsys, options):
    out, err = run_ok(capsys, write(tmp_path, base_rows(), **options))

    assert (out, err) == (summary(created=5), "")
    assert org_state() == EXPECTED_BASE_STATE


def test_semicolon_csv_keeps_commas_inside_values(db, tmp_path, capsys):
    rows = [person("A1", name="Diallo, Amina", duty_station="Addis Ababa, Ethiopia")]

    run_ok(capsys, write(tmp_path, rows, delimiter=";"))

    assert org_state()["A1"][0] == "Diallo, Amina"
    assert org_state()["A1"][7] == "Addis Ababa, Ethiopia"


def test_comma_csv_keeps_quoted_commas_and_non_latin_names(db, tmp_path, capsys):
    rows = [person("A1", name="王芳, O'Neil"), person("B1", manager="A1", name="Алексей Иванов", entity_name="Départment")]

    run_ok(capsys, write(tmp_path, rows, bom=True))

    assert org_state()["A1"][0] == "王芳, O'Neil"
    assert org_state()["B1"][0] == "Алексей Иванов"
    assert Entity.objects.get(code="DGC").name == "Départment"


def test_bom_header_is_not_read_as_an_unknown_column(db, tmp_path, capsys):
    out, err = run_ok(capsys, write(tmp_path, base_rows(), bom=True))

    assert "unknown column" not in err
    assert out == summary(created=5)


def test_xlsx_first_sheet_gives_the_same_organization(db, tmp_path, capsys):
    out, err = run_ok(capsys, write(tmp_path, base_rows(), name="org.xlsx"))

    assert (out, err) == (summary(created=5), "")
    assert org_state() == EXPECTED_BASE_STATE


def test_xlsx_numeric_index_numbers_are_read_as_text(db, tmp_path, capsys):
    rows = [person("1001"), person("1002", manager="1001")]

    def numbers(column, value):
        return int(value) if column in ("index_number", "manager_index_number") and value else value

    out, _err = run_ok(capsys, write(tmp_path, rows, name="org.xlsx", cell=numbers))

    assert out == summary(created=2)
    assert Person.objects.get(index_number="1002").manager_id == "1001"


def test_xlsx_and_csv_of_the_same_snapshot_are_interchangeable(loaded, capsys):
    out, _err = run_ok(capsys, write(loaded, base_rows(), name="org.xlsx"))

    assert out == summary(unchanged=5)


def test_rejected_xlsx_lists_problems_with_row_numbers(loaded, capsys):
    rows = changed_rows() + [person("E1", category="staff")]

    assert_rejected(capsys, write(loaded, rows, name="org.xlsx"), ["row 7: category: “staff” is not one of: international, national, non-staff"])


# --- a bad file writes nothing --------------------------------------------------------------


def test_person_who_is_their_own_manager_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows()
    rows[1]["manager_index_number"] = "B1"

    assert_rejected(capsys, write(loaded, rows), ["row 3: manager_index_number: reporting lines form a loop through B1"])


def test_top_person_who_is_their_own_manager_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows()
    rows[0]["manager_index_number"] = "A1"

    assert_rejected(capsys, write(loaded, rows), ["row 2: manager_index_number: reporting lines form a loop through A1"])


def test_loop_of_two_people_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows() + [person("E1", manager="E2"), person("E2", manager="E1")]

    assert_rejected(
        capsys,
        write(loaded, rows),
        [
            "row 7: manager_index_number: reporting lines form a loop through E1",
            "row 8: manager_index_number: reporting lines form a loop through E2",
        ],
    )


def test_loop_of_three_people_in_reporting_lines_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows()
    rows[0]["manager_index_number"] = "C1"  # A1 -> C1 -> B1 -> A1

    assert_rejected(
        capsys,
        write(loaded, rows),
        [
            "row 2: manager_index_number: reporting lines form a loop through A1",
            "row 3: manager_index_number: reporting lines form a loop through B1",
            "row 5: manager_index_number: reporting lines form a loop through C1",
        ],
    )


def test_people_reporting_into_a_loop_are_not_themselves_on_the_loop(db, tmp_path, capsys):
    rows = [
        person("T1"),
        person("X1", manager="X2"),
        person("X2", manager="X3"),
        person("X3", manager="X1"),
        person("Y1", manager="X1"),  # reports into the loop, is not on it
        person("Z1", manager="Y1"),
    ]

    assert_rejected(
        capsys,
        write(tmp_path, rows),
        [
            "row 3: manager_index_number: reporting lines form a loop through X1",
            "row 4: manager_index_number: reporting lines form a loop through X2",
            "row 5: manager_index_number: reporting lines form a loop through X3",
        ],
    )
    assert db_snapshot() == {"Entity": [], "Unit": [], "Person": [], "AuditEntry": []}


def test_loop_is_rejected_wherever_the_rows_stand_in_the_file(loaded, capsys):
    rows = changed_rows() + [person("E3", manager="E1"), person("E2", manager="E3"), person("E1", manager="E2")]
    rows.reverse()  # E1 is now row 2, E2 row 3, E3 row 4

    assert_rejected(
        capsys,
        write(loaded, rows),
        [
            "row 2: manager_index_number: reporting lines form a loop through E1",
            "row 3: manager_index_number: reporting lines form a loop through E2",
            "row 4: manager_index_number: reporting lines form a loop through E3",
        ],
    )


def test_long_chain_without_a_loop_is_accepted(db, tmp_path, capsys):
    rows = [person("P0")] + [person(f"P{i}", manager=f"P{i - 1}") for i in range(1, 60)]
    rows.reverse()  # managers after their reports

    out, _err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(created=60)
    assert Person.objects.get(index_number="P59").manager.manager.index_number == "P57"


def test_unknown_manager_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows() + [person("E1", manager="Z9")]

    assert_rejected(capsys, write(loaded, rows), ["row 7: manager_index_number: Z9 is not the index number of any row"])


def test_manager_only_in_the_database_and_not_in_the_file_is_unknown(loaded, capsys):
    rows = changed_rows()  # D1 left out of the file but still in the database
    rows.append(person("E1", manager="D1"))

    assert_rejected(capsys, write(loaded, rows), ["row 7: manager_index_number: D1 is not the index number of any row"])


def test_duplicate_email_ignoring_case_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows() + [person("E1", email="B1@Example.ORG")]

    assert_rejected(capsys, write(loaded, rows), ["row 7: email: B1@Example.ORG already appears on row 3"])


def test_duplicate_index_number_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows() + [person("B1", email="another@example.org")]

    assert_rejected(capsys, write(loaded, rows), ["row 7: index_number: B1 already appears on row 3"])


@pytest.mark.parametrize(
    "index_number",
    ["A 1", "A_1", "A/1", "Ä1", "A1.", "X" * 21],
    ids=["space", "underscore", "slash", "non-ascii", "dot", "21-characters"],
)
def test_bad_index_number_is_rejected_and_nothing_written(loaded, capsys, index_number):
    rows = changed_rows() + [person(index_number, email="e1@example.org")]

    assert_rejected(capsys, write(loaded, rows), ["row 7: index_number: use at most 20 letters, digits or “-”"])


def test_index_number_of_20_letters_digits_and_dashes_is_accepted(db, tmp_path, capsys):
    index_number = "AB-12-cd-34-EF-56-gh"
    assert len(index_number) == 20

    out, _err = run_ok(capsys, write(tmp_path, [person(index_number, email="x@example.org")]))

    assert out == summary(created=1)
    assert Person.objects.get().index_number == index_number


@pytest.mark.parametrize("email", ["not-an-email", "a1@", "@example.org", "a b@example.org", "a1@example"])
def test_bad_email_is_rejected_and_nothing_written(loaded, capsys, email):
    rows = changed_rows() + [person("E1", email=email)]

    assert_rejected(capsys, write(loaded, rows), [f"row 7: email: “{email}” is not a valid e-mail address"])


@pytest.mark.parametrize("value", ["staff", "International", "non staff"])
def test_bad_category_is_rejected_and_nothing_written(loaded, capsys, value):
    rows = changed_rows() + [person("E1", category=value)]

    assert_rejected(capsys, write(loaded, rows), [f"row 7: category: “{value}” is not one of: international, national, non-staff"])


@pytest.mark.parametrize("value", ["hq", "Headquarters", "remote"])
def test_bad_location_type_is_rejected_and_nothing_written(loaded, capsys, value):
    rows = changed_rows() + [person("E1", location_type=value)]

    assert_rejected(capsys, write(loaded, rows), [f"row 7: location_type: “{value}” is not one of: headquarters, away, field"])


@pytest.mark.parametrize("value", ["de", "EN", "english", "pt"])
def test_bad_language_is_rejected_and_nothing_written(loaded, capsys, value):
    rows = changed_rows() + [person("E1", language=value)]

    assert_rejected(capsys, write(loaded, rows), [f"row 7: language: “{value}” is not one of: ar, zh, en, fr, ru, es"])


@pytest.mark.parametrize("value", ["D G C", "DGC/NY", "E" * 21])
def test_bad_entity_code_is_rejected_and_nothing_written(loaded, capsys, value):
    rows = changed_rows() + [person("E1", entity=value)]

    assert_rejected(capsys, write(loaded, rows), ["row 7: entity: use at most 20 letters, digits, “-” or “_”"])


def test_unit_path_with_an_empty_level_is_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows() + [person("E1", unit="News >  > Web")]

    assert_rejected(capsys, write(loaded, rows), ["row 7: unit: a level of the path is empty"])


LONG_EMAIL = "a" * 64 + "@" + ("b" * 63 + ".") * 3 + "org"  # 260 characters, otherwise valid


@pytest.mark.parametrize(
    "column, value, limit",
    [
        ("name", "N" * 201, 200),
        ("email", LONG_EMAIL, 254),
        ("entity_name", "E" * 201, 200),
        ("unit", "Division > " + "U" * 490, 500),
        ("duty_station", "D" * 101, 100),
    ],
)
def test_value_too_long_for_its_column_is_rejected_and_nothing_written(loaded, capsys, column, value, limit):
    rows = changed_rows() + [dict(person("E1", entity="NEW"), **{column: value})]

    assert_rejected(capsys, write(loaded, rows), [f"row 7: {column}: use at most {limit} characters"])


def test_values_as_long_as_their_columns_allow_are_accepted(db, tmp_path, capsys):
    row = person("A1", name="N" * 200, entity_name="E" * 200, unit="Division > " + "U" * 489, duty_station="D" * 100)

    out, err = run_ok(capsys, write(tmp_path, [row]))

    assert (out, err) == (summary(created=1), "")
    assert org_state()["A1"][0] == "N" * 200
    assert len(Unit.objects.get(parent__isnull=False).path) == 500


@pytest.mark.parametrize("column", ["index_number", "name", "email", "entity"])
def test_missing_required_column_is_rejected_and_nothing_written(loaded, capsys, column):
    header = [c for c in HEADER if c != column]

    assert_rejected(capsys, write(loaded, changed_rows(), header=header), [f"row 1: {column}: missing column"])


def test_every_missing_column_is_listed(db, tmp_path, capsys):
    assert_rejected(
        capsys,
        write(tmp_path, [person("A1")], header=["name", "unit"]),
        ["row 1: index_number: missing column", "row 1: email: missing column", "row 1: entity: missing column"],
    )


def test_column_that_appears_twice_is_rejected(loaded, capsys):
    header = HEADER + ["name"]

    assert_rejected(capsys, write(loaded, changed_rows(), header=header), ["row 1: name: column appears twice"])


@pytest.mark.parametrize("column", ["index_number", "name", "email", "entity"])
def test_missing_required_value_is_rejected_and_nothing_written(loaded, capsys, column):
    rows = changed_rows() + [dict(person("E1", manager="A1"), **{column: ""})]

    assert_rejected(capsys, write(loaded, rows), [f"row 7: {column}: is required"])


def test_value_of_spaces_only_counts_as_missing(loaded, capsys):
    rows = changed_rows() + [person("E1", name="   ")]

    assert_rejected(capsys, write(loaded, rows), ["row 7: name: is required"])


def test_two_names_for_one_entity_are_rejected_and_nothing_written(loaded, capsys):
    rows = changed_rows() + [person("E1", entity_name="Dept. of Global Communications")]

    assert_rejected(
        capsys,
        write(loaded, rows),
        [f"row 7: entity_name: “Dept. of Global Communications” differs from “{DGC_NAME}” given for DGC on row 2"],
    )


def test_every_problem_of_a_file_is_listed_in_row_order(loaded, capsys):
    rows = changed_rows() + [
        person("E1", email="bad", language="de"),
        person("E 2", email="e2@example.org", manager="Z9"),
        person("E3", email="A1@example.org", location_type="hq"),
    ]
    rows[0]["name"] = ""

    assert_rejected(
        capsys,
        write(loaded, rows),
        [
            "row 2: name: is required",
            "row 7: email: “bad” is not a valid e-mail address",
            "row 7: language: “de” is not one of: ar, zh, en, fr, ru, es",
            "row 8: index_number: use at most 20 letters, digits or “-”",
            "row 8: manager_index_number: Z9 is not the index number of any row",
            "row 9: email: A1@example.org already appears on row 2",
            "row 9: location_type: “hq” is not one of: headquarters, away, field",
        ],
    )


def test_dry_run_of_a_bad_file_is_rejected_the_same_way(loaded, capsys):
    rows = changed_rows() + [person("E1", manager="Z9")]

    assert_rejected(capsys, write(loaded, rows), ["row 7: manager_index_number: Z9 is not the index number of any row"], "--dry-run")


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "row 1: file: the file is empty"),
        (b"\n\n", "row 1: file: the file is empty"),
        (b"\xff\xd8\xff\xe0 not text \x81\x82", "row 1: file: the file is not UTF-8 text or an XLSX workbook"),
        (b"PK\x03\x04 not really a workbook", "row 1: file: the XLSX file is damaged"),
    ],
    ids=["empty", "blank-lines", "binary", "damaged-xlsx"],
)
def test_unreadable_file_is_rejected_with_exit_1(loaded, capsys, content, problem):
    path = loaded / "org.csv"
    path.write_bytes(content)

    assert_rejected(capsys, path, [problem])


# --- the command's usage --------------------------------------------------------------------


def test_missing_file_is_wrong_usage_with_exit_2(loaded, capsys):
    before = db_snapshot()

    with pytest.raises(CommandError) as raised:
        call_command("import_org", str(loaded / "nowhere.csv"))

    assert raised.value.returncode == 2
    assert "nowhere.csv" in str(raised.value)
    assert db_snapshot() == before


def manage(*args) -> subprocess.CompletedProcess:
    """The real command line, for its exit status: only for runs that stop before the database."""
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPOSITORY, capture_output=True, text=True, timeout=120)


def test_exit_status_of_the_real_command_line(tmp_path):
    bad = write(tmp_path, [person("A1", manager="A1"), person("B1", email="bad")])

    rejected = manage("import_org", str(bad))
    missing_file = manage("import_org", str(tmp_path / "nowhere.csv"))
    no_argument = manage("import_org")

    assert rejected.returncode == 1
    assert rejected.stdout == ""
    assert rejected.stderr.splitlines()[:2] == [
        "row 2: manager_index_number: reporting lines form a loop through A1",
        "row 3: email: “bad” is not a valid e-mail address",
    ]
    assert missing_file.returncode == 2
    assert no_argument.returncode == 2


# --- the service, as the upload page calls it -----------------------------------------------


def test_service_reports_errors_and_writes_nothing(loaded):
    before = db_snapshot()
    rows = changed_rows() + [person("E1", manager="E1")]

    report = org_import(table=read_table(csv_bytes(rows)))

    assert not report.ok
    assert report.written is False
    assert [str(p) for p in report.errors] == ["row 7: manager_index_number: reporting lines form a loop through E1"]
    assert db_snapshot() == before


def test_service_dry_run_counts_and_samples_without_writing(loaded):
    before = db_snapshot()

    report = org_import(table=read_table(csv_bytes(changed_rows())), dry_run=True)

    assert report.ok and report.written is False
    assert report.summary() == summary(created=1, updated=1, deactivated=1, unchanged=3).strip()
    assert report.samples == {"created": [("N1", "Person N1")], "updated": [("B2", "Renamed Person")], "deactivated": [("D1", "Person D1")]}
    assert db_snapshot() == before


def test_service_import_records_an_audit_entry(loaded):
    report = org_import(table=read_table(csv_bytes(changed_rows())), allow_mass_change=True)

    assert report.written is True
    entry = AuditEntry.objects.order_by("pk").last()
    assert entry.action == "org.import"
    assert entry.detail == {"summary": report.summary()}
