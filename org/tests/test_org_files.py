"""Organization files as Excel leaves them (issue 11, item 4): index numbers Excel turned into
numbers or dates, hidden sheets, letters lost to an encoding, legacy-encoded CSV; and the
mass-change guard (many people leaving, many e-mail addresses changing) on the command line
and on olga's upload page."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from cascade.testing import PASSWORD
from core.tabular import read_table
from org.models import Person
from org.services import org_import

from .test_import_org import csv_bytes, db_snapshot, person, summary

HEADER = ["index_number", "name", "email", "manager_index_number", "entity"]


def xlsx(rows, *, typed=None, hidden_first=None, title="People") -> bytes:
    """A workbook of `rows` (dicts); `typed` gives a row's raw index_number cell (a number, a
    date); `hidden_first` adds a hidden ("hidden" or "veryHidden") sheet before the data."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if hidden_first:
        sheet.title = "Lists"
        sheet.sheet_state = hidden_first
        sheet.append(["index_number", "name", "email", "entity"])
        sheet.append(["Z9", "Hidden Person", "hidden@example.org", "DGC"])
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    sheet.append(HEADER)
    for i, row in enumerate(rows):
        values = [row.get(column, "") or None for column in HEADER]
        if typed and i in typed:
            values[0] = typed[i]
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(tmp_path, capsys, data: bytes, *args, name="org.xlsx"):
    """The command's (exit status, stdout, stderr)."""
    path = tmp_path / name
    path.write_bytes(data)
    capsys.readouterr()
    try:
        call_command("import_org", str(path), *args)
    except CommandError as exc:
        out, err = capsys.readouterr()
        return exc.returncode, out, err
    out, err = capsys.readouterr()
    return 0, out, err


def org(count, *, prefix="P", zeros=False) -> list[dict]:
    """`count` people reporting to the first."""
    width = 6 if zeros else 0
    numbers = [f"{i:0{width}d}" if zeros else f"{prefix}{i}" for i in range(1, count + 1)]
    return [person(n, manager="" if i == 0 else numbers[0], email=f"p{i}@example.org") for i, n in enumerate(numbers)]


# --- index numbers Excel changed ------------------------------------------------------------


@pytest.mark.parametrize("cell", [123, 123.0], ids=["int", "float"])
def test_number_cell_in_index_number_is_read_as_text(db, tmp_path, capsys, cell):
    status, out, err = run(tmp_path, capsys, xlsx([person("X"), person("B1", manager="123")], typed={0: cell}))

    assert (status, err) == (0, "")
    assert out == summary(created=2)
    assert Person.objects.get(index_number="123").name == "Person X"
    assert Person.objects.get(index_number="B1").manager_id == "123"


@pytest.mark.parametrize("cell", [datetime.datetime(2024, 3, 4), datetime.date(2024, 3, 4)], ids=["datetime", "date"])
def test_date_cell_in_index_number_is_a_row_error(db, tmp_path, capsys, cell):
    status, out, err = run(tmp_path, capsys, xlsx([person("A1"), person("X", manager="A1")], typed={1: cell}))

    assert (status, out) == (1, "")
    assert "row 3: index_number: Excel turned this cell into a date: format the column as Text and save again" in err.splitlines()
    assert not Person.objects.exists()


def test_number_cell_where_index_numbers_keep_leading_zeros_is_a_row_error(db, tmp_path, capsys):
    rows = org(3, zeros=True)  # 000001, 000002, 000003
    assert run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")[0] == 0
    before = db_snapshot()

    status, out, err = run(tmp_path, capsys, xlsx(rows, typed={2: 3}))  # 000003 saved as the number 3

    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "row 4: index_number: Excel turned this cell into a number and dropped its leading zeros: format the column as Text and save again"
    ]
    assert db_snapshot() == before


def test_text_cells_with_leading_zeros_are_accepted(db, tmp_path, capsys):
    rows = org(3, zeros=True)
    assert run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")[0] == 0

    status, out, err = run(tmp_path, capsys, xlsx(rows))

    assert (status, out, err) == (0, summary(unchanged=3), "")


# --- sheets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_first_sheet_is_skipped_and_the_sheet_read_is_named(db, tmp_path, capsys, state):
    status, out, err = run(tmp_path, capsys, xlsx(org(2), hidden_first=state, title="Staff 2025"), "--dry-run")

    assert (status, err) == (0, "")
    assert out == "Read from sheet “Staff 2025”\n" + summary(created=2)
    status, out, err = run(tmp_path, capsys, xlsx(org(2), hidden_first=state, title="Staff 2025"))
    assert (status, out) == (0, summary(created=2))
    assert sorted(Person.objects.values_list("index_number", flat=True)) == ["P1", "P2"]


def test_the_page_names_the_sheet(client, olga):
    client.force_login(olga)
    response = client.post(reverse("org:upload"), {"file": SimpleUploadedFile("org.xlsx", xlsx(org(2), hidden_first="hidden"))})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Read from sheet “People”." in page and "Confirm and import" in page
    assert "Hidden Person" not in page


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Jos? P?rez", "Jos\ufffd Pérez", "?ngel Ruiz", "Zo\ufffd"])
def test_name_that_lost_letters_to_an_encoding_is_a_row_error(db, tmp_path, capsys, name):
    rows = org(2)
    rows[1]["name"] = name

    status, out, err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")

    assert (status, out) == (1, "")
    assert err.splitlines() == [f"row 3: name: “{name}” was saved in an encoding that lost letters: save as CSV UTF-8"]
    assert not Person.objects.exists()


def test_question_mark_apart_from_letters_is_not_a_lost_letter(db, tmp_path, capsys):
    rows = org(1)
    rows[0]["name"] = "Unknown (?)"

    status, out, err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")

    assert (status, out, err) == (0, summary(created=1), "")


def test_windows_1252_csv_is_refused_naming_the_encoding(db, tmp_path, capsys):
    text = "index_number,name,email,entity\nA1,José Pérez,a1@example.org,DGC\nA2,Zoë Müller,a2@example.org,DGC\nA3,François Garçon,a3@example.org,DGC\n"

    status, out, err = run(tmp_path, capsys, text.encode("cp1252"), name="org.csv")

    assert (status, out) == (1, "")
    assert err.splitlines() == ["row 1: file: the file is encoded as Windows-1252: save it as CSV UTF-8"]
    assert not Person.objects.exists()


def test_utf8_csv_with_bom_is_accepted(db, tmp_path, capsys):
    rows = org(2)
    rows[1]["name"] = "José Pérez"

    status, out, err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER, bom=True), name="org.csv")

    assert (status, out, err) == (0, summary(created=2), "")
    assert Person.objects.get(index_number="P2").name == "José Pérez"


# --- the mass-change guard: the command -----------------------------------------------------


@pytest.fixture
def twenty(db, tmp_path, capsys):
    """20 active people: one leaving is 5 %, four e-mail changes are 20 %: at the thresholds."""
    status, out, _err = run(tmp_path, capsys, csv_bytes(org(20), header=HEADER), name="org.csv")
    assert (status, out) == (0, summary(created=20))
    return org(20)


def test_first_import_into_an_empty_organization_is_never_refused(db, tmp_path, capsys):
    status, out, err = run(tmp_path, capsys, csv_bytes(org(3), header=HEADER), name="org.csv")

    assert (status, out, err) == (0, summary(created=3), "")


def test_leaving_and_email_changes_at_the_thresholds_are_not_refused(twenty, tmp_path, capsys):
    rows = twenty[:-1]  # P20 leaves: 1 of 20 = 5 %
    for row in rows[1:5]:  # 4 of 20 = 20 %
        row["email"] = row["email"].replace("@", ".new@")

    status, out, err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")

    assert (status, out, err) == (0, summary(updated=4, deactivated=1, unchanged=15), "")


def test_email_case_change_is_not_an_email_change(twenty, tmp_path, capsys):
    rows = twenty
    for row in rows[:10]:
        row["email"] = row["email"].upper()

    status, out, err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")

    assert (status, out, err) == (0, summary(updated=10, unchanged=10), "")


def test_leaving_above_the_threshold_is_refused_without_the_flag(twenty, tmp_path, capsys):
    before = db_snapshot()

    status, out, err = run(tmp_path, capsys, csv_bytes(twenty[:-2], header=HEADER), name="org.csv")  # 2 of 20 = 10 %

    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "refused: 2 of 20 active people (10 %) would leave the organization, more than the 5 % allowed without confirmation",
        "nothing written: run again with --allow-mass-change if these changes are intended",
    ]
    assert db_snapshot() == before
    status, out, err = run(tmp_path, capsys, csv_bytes(twenty[:-2], header=HEADER), "--dry-run", name="org.csv")
    assert (status, out) == (1, "") and "--allow-mass-change" in err
    assert db_snapshot() == before


def test_leaving_above_the_threshold_is_imported_with_the_flag(twenty, tmp_path, capsys):
    status, out, err = run(tmp_path, capsys, csv_bytes(twenty[:-2], header=HEADER), "--allow-mass-change", name="org.csv")

    assert (status, out, err) == (0, summary(deactivated=2, unchanged=18), "")
    assert Person.objects.filter(active=False).count() == 2


def test_email_changes_above_the_threshold_are_refused_without_the_flag(twenty, tmp_path, capsys):
    rows = twenty
    for row in rows[:5]:  # 5 of 20 = 25 %
        row["email"] = row["email"].replace("@", ".new@")
    before = db_snapshot()

    status, out, err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")

    assert (status, out) == (1, "")
    assert err.splitlines()[0] == "refused: 5 of 20 active people’s e-mail addresses (25 %) would change, more than the 20 % allowed without confirmation"
    assert db_snapshot() == before
    status, out, _err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER), "--allow-mass-change", name="org.csv")
    assert (status, out) == (0, summary(updated=5, unchanged=15))


def test_thresholds_come_from_the_settings(twenty, tmp_path, capsys, settings):
    settings.CASCADE_IMPORT_MAX_DEACTIVATE_PERCENT = 10
    status, out, _err = run(tmp_path, capsys, csv_bytes(twenty[:-2], header=HEADER), name="org.csv")  # 10 %: at the limit
    assert (status, out) == (0, summary(deactivated=2, unchanged=18))

    settings.CASCADE_IMPORT_MAX_EMAIL_CHANGE_PERCENT = 2.5
    rows = twenty[:-2]
    rows[0]["email"] = "changed@example.org"  # 1 of 18 = 5.6 %
    status, out, err = run(tmp_path, capsys, csv_bytes(rows, header=HEADER), name="org.csv")
    assert (status, out) == (1, "")
    assert "1 of 18 active people’s e-mail addresses (5.6 %) would change, more than the 2.5 % allowed" in err


def test_service_blocks_a_mass_change_and_writes_nothing(twenty):
    before = db_snapshot()

    report = org_import(table=read_table(csv_bytes(twenty[:-2], header=HEADER)))

    assert (report.ok, report.blocked, report.written, report.deactivated) == (False, True, False, 2)
    assert db_snapshot() == before


# --- the mass-change guard: olga's page -----------------------------------------------------


@pytest.fixture
def olga(db):
    user = User.objects.create_user("olga@example.org", PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.ORG_ADMIN)
    return user


def upload(client, data: bytes):
    return client.post(reverse("org:upload"), {"file": SimpleUploadedFile("org.csv", data)})


def test_page_preview_names_the_mass_change_and_asks_for_the_box(client, olga, twenty):
    client.force_login(olga)

    response = upload(client, csv_bytes(twenty[:-2], header=HEADER))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 of 20 active people (10 %) would leave the organization, more than the 5 % allowed without confirmation" in page
    assert 'name="confirm_mass_change" value="1" id="confirm-mass-change" required' in page
    assert "I confirm these changes: 2 people leave and 0 e-mail addresses change, out of 20 active people." in page
    assert Person.objects.filter(active=True).count() == 20


def test_page_confirm_without_the_box_changes_nothing_and_asks_again(client, olga, twenty):
    client.force_login(olga)
    staged = upload(client, csv_bytes(twenty[:-2], header=HEADER)).context["staged"]
    before = db_snapshot()

    response = client.post(reverse("org:upload"), {"staged": staged})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was changed: tick the box below to confirm these changes." in page
    assert db_snapshot() == before
    # The file is staged again: ticking the box now imports it.
    response = client.post(reverse("org:upload"), {"staged": response.context["staged"], "confirm_mass_change": "1"})
    assert response.status_code == 302
    assert Person.objects.filter(active=False).count() == 2


def test_page_confirm_with_the_box_applies_the_changes(client, olga, twenty):
    client.force_login(olga)
    staged = upload(client, csv_bytes(twenty[:-2], header=HEADER)).context["staged"]

    response = client.post(reverse("org:upload"), {"staged": staged, "confirm_mass_change": "1"})

    assert response.status_code == 302
    assert sorted(Person.objects.filter(active=False).values_list("index_number", flat=True)) == ["P19", "P20"]


def test_page_without_a_mass_change_shows_no_box(client, olga, twenty):
    client.force_login(olga)

    response = upload(client, csv_bytes(twenty[:-1], header=HEADER))  # 5 %: at the threshold

    page = response.content.decode()
    assert response.status_code == 200 and "Confirm and import" in page
    assert "confirm_mass_change" not in page
