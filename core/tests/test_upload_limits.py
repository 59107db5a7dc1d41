"""Uploads bounded by what they are for: a sign-in sheet, a video-conference report, the
organization file and the attendance import file each have a number of rows and a size beyond
which the file is refused, quickly and in little memory, with a message naming the limit.

The hostile files are built in memory by bombs.py.
"""

import contextlib
import io
import re
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import CommandError, call_command
from django.http.multipartparser import MultiPartParser
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from cascade.testing import PASSWORD
from core.forms import TableUploadForm
from core.tabular import MAX_COLUMNS, Problem, Purpose, TableError, limits_for, read_table
from core.uploads import BoundedUploadHandler, OversizeUpload

from .bombs import MIB, SHEET, many_rows_csv, workbook_parts, xlsx_bomb, xlsx_from_parts


@contextlib.contextmanager
def measured(memory: bool = True):
    """Wall-clock seconds and the peak of Python's allocations inside the block, in bytes
    (tracing the allocations slows the code that allocates much; `memory=False` to time alone)."""
    figures = {}
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        yield figures
    finally:
        figures["seconds"] = time.perf_counter() - start
        if memory:
            figures["peak"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()


def with_dimension(parts: dict[str, bytes], ref: bytes) -> dict[str, bytes]:
    """The workbook's parts with the sheet claiming to span `ref`."""
    sheet, replaced = re.subn(rb'<dimension ref="[A-Z0-9:]+" ?/>', b'<dimension ref="' + ref + b'"/>', parts[SHEET])
    assert replaced == 1
    return {**parts, SHEET: sheet}


def refusal(data: bytes, purpose: Purpose) -> Problem:
    with pytest.raises(TableError) as caught:
        read_table(data, limits=limits_for(purpose))
    return caught.value.problem


def test_xlsx_bomb_refused_quickly():
    bomb = xlsx_bomb(390 * MIB)
    assert len(bomb) < 2 * MIB
    with measured() as figures:
        problem = refusal(bomb, Purpose.SIGNIN_SHEET)
    assert figures["seconds"] < 2
    assert figures["peak"] < 50 * MIB
    assert problem.row == 1 and problem.column == "file"
    assert problem.message == "the XLSX file unpacks to more than 5 MB; a sign-in sheet holds at most 5 MB"


def test_xlsx_bomb_refused_quickly_as_an_organization_file_too():
    with measured() as figures:
        problem = refusal(xlsx_bomb(390 * MIB), Purpose.ORG_FILE)
    assert figures["seconds"] < 2 and figures["peak"] < 50 * MIB
    assert problem.message == "the XLSX file unpacks to more than 300 MB; an organization file holds at most 300 MB"


def test_xlsx_packed_tighter_than_any_workbook_is_refused_within_the_size_allowed():
    """100 MB of rows fit an organization file's size, but not 1 MB packed into 3 KB."""
    with measured() as figures:
        problem = refusal(xlsx_bomb(100 * MIB), Purpose.ORG_FILE)
    assert figures["seconds"] < 2 and figures["peak"] < 50 * MIB
    assert problem.column == "file"
    assert problem.message.startswith(f"the XLSX file’s part {SHEET} unpacks to ")
    assert problem.message.endswith(" times its packed size; a workbook is never packed more than 100 times")


def test_million_row_csv_refused_quickly():
    data = many_rows_csv(1_000_000)
    assert len(data) < 3 * MIB
    with measured() as figures:
        problem = refusal(data, Purpose.SIGNIN_SHEET)
    assert figures["seconds"] < 2
    assert figures["peak"] < 50 * MIB
    assert problem == Problem(2002, "file", "the file has more than 2,000 rows; a sign-in sheet holds at most 2,000")


def test_org_file_of_300000_rows_is_accepted_by_limit():
    table = read_table(many_rows_csv(300_000, header="index_number"), limits=limits_for(Purpose.ORG_FILE))
    assert len(table.rows) == 300_000
    assert table.rows[-1] == (300_001, {"index_number": "x"})


def test_million_row_csv_as_an_organization_file_is_refused_at_row_300002():
    """Read as far as an organization file may go (what a real one of 300,000 people costs), no further."""
    problem = refusal(many_rows_csv(1_000_000, header="index_number"), Purpose.ORG_FILE)
    assert problem == Problem(300_002, "file", "the file has more than 300,000 rows; an organization file holds at most 300,000")


def test_attendance_file_holds_50000_rows():
    limits = limits_for(Purpose.ATTENDANCE_FILE)
    assert len(read_table(many_rows_csv(50_000, header="session_ref"), limits=limits).rows) == 50_000
    problem = refusal(many_rows_csv(50_001, header="session_ref"), Purpose.ATTENDANCE_FILE)
    assert problem == Problem(50_002, "file", "the file has more than 50,000 rows; an attendance file holds at most 50,000")


def test_sheet_of_2000_rows_is_read_whole_and_its_blank_rows_count():
    data = b"participant_index_number\n" + b"T101\n\n" * 1000
    table = read_table(data, limits=limits_for(Purpose.SIGNIN_SHEET))
    assert len(table.rows) == 1000 and table.rows[-1][0] == 2000
    problem = refusal(data + b"\n", Purpose.SIGNIN_SHEET)
    assert problem == Problem(2002, "file", "the file has more than 2,000 rows; a sign-in sheet holds at most 2,000")


def test_xlsx_rows_are_counted_as_they_are_read():
    rows = [["participant_index_number"]] + [[f"T{n}"] for n in range(2001)]
    with measured(memory=False) as figures:
        problem = refusal(xlsx_from_parts(workbook_parts(rows)), Purpose.SIGNIN_SHEET)
    assert figures["seconds"] < 2
    assert problem == Problem(2002, "file", "the file has more than 2,000 rows; a sign-in sheet holds at most 2,000")


def test_xlsx_rows_beyond_the_sheets_stated_dimension_are_read():
    """The sheet says it spans A1:A2; the rows after it are read all the same, not dropped."""
    parts = with_dimension(workbook_parts([["participant_index_number"]] + [[f"T{n}"] for n in range(10)]), b"A1:A2")
    table = read_table(xlsx_from_parts(parts), limits=limits_for(Purpose.SIGNIN_SHEET))
    assert [cells["participant_index_number"] for _row, cells in table.rows] == [f"T{n}" for n in range(10)]


def test_xlsx_stating_a_huge_dimension_is_read_quickly():
    parts = with_dimension(workbook_parts([["participant_index_number"], ["T1"]]), b"A1:XFD1048576")
    with measured() as figures:
        table = read_table(xlsx_from_parts(parts), limits=limits_for(Purpose.SIGNIN_SHEET))
    assert figures["seconds"] < 1 and figures["peak"] < 20 * MIB
    assert table.rows == [(2, {"participant_index_number": "T1"})]


def test_xlsx_row_numbered_far_beyond_the_last_is_refused_quickly():
    """openpyxl yields an empty row for each number skipped: a billion of them, unless counted."""
    parts = workbook_parts([["participant_index_number"], ["T1"]])
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", b'<row r="1000000000"><c r="A1000000000" t="inlineStr"><is><t>T2</t></is></c></row></sheetData>')
    with measured(memory=False) as figures:
        problem = refusal(xlsx_from_parts(parts), Purpose.ORG_FILE)
    assert figures["seconds"] < 2
    with measured() as figures:
        refusal(xlsx_from_parts(parts), Purpose.ORG_FILE)
    assert figures["peak"] < 20 * MIB
    assert problem == Problem(300_002, "file", "the file has more than 300,000 rows; an organization file holds at most 300,000")


def test_xlsx_of_too_many_parts_is_refused_before_its_directory_is_read():
    parts = workbook_parts([["participant_index_number"], ["T1"]])
    parts.update({f"xl/media/empty{n}.bin": b"" for n in range(1200)})
    problem = refusal(xlsx_from_parts(parts), Purpose.ORG_FILE)
    assert problem.message == "the XLSX file has more than 1,000 parts; a workbook has far fewer"


def test_xlsx_whose_end_record_understates_its_parts_is_refused_by_the_size_of_its_directory():
    parts = workbook_parts([["participant_index_number"], ["T1"]])
    parts.update({f"xl/media/{n:04d}{'x' * 1000}.bin": b"" for n in range(1100)})
    data = bytearray(xlsx_from_parts(parts))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (12).to_bytes(2, "little") * 2  # "12 parts", as on a plain workbook
    problem = refusal(bytes(data), Purpose.ORG_FILE)
    assert problem.message == "the XLSX file has more than 1,000 parts; a workbook has far fewer"


def test_file_larger_than_its_purpose_allows_is_refused_before_reading():
    data = b"participant_index_number\n" + b"T101," * (5 * MIB // 5)
    problem = refusal(data, Purpose.SIGNIN_SHEET)
    assert problem == Problem(1, "file", "the file is larger than 5 MB; a sign-in sheet holds at most 5 MB")


def test_header_of_too_many_columns_is_refused():
    problem = refusal(",".join(f"c{n}" for n in range(MAX_COLUMNS + 1)).encode() + b"\nx\n", Purpose.ORG_FILE)
    assert problem == Problem(1, "file", f"the first row has more than {MAX_COLUMNS} columns")


def test_line_of_a_million_separators_is_refused_quickly():
    with measured() as figures:
        problem = refusal(b"index_number\n" + b"," * 1_000_000 + b"\n", Purpose.ORG_FILE)
    assert figures["seconds"] < 1 and figures["peak"] < 50 * MIB
    assert problem == Problem(2, "file", "the row is longer than 100,000 characters")


def test_field_longer_than_csv_allows_is_a_problem_not_a_crash():
    problem = refusal(b'index_number\n"' + b"x" * 99_000 + b"\n" + b"x" * 99_000 + b'"\n', Purpose.ORG_FILE)
    assert problem.row == 2 and problem.column == "file" and problem.message.startswith("the row cannot be read")


def test_upload_form_refuses_a_file_larger_than_its_purpose_allows():
    upload = SimpleUploadedFile("sheet.csv", b"participant_index_number\n" + b"x" * (5 * MIB))
    form = TableUploadForm(data={}, files={"file": upload}, limits=limits_for(Purpose.SIGNIN_SHEET))
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is larger than 5 MB; a sign-in sheet holds at most 5 MB. Nothing was recorded."]


def test_upload_form_reads_a_file_within_its_purpose():
    upload = SimpleUploadedFile("sheet.csv", b"participant_index_number\nT101\n")
    form = TableUploadForm(data={}, files={"file": upload}, limits=limits_for(Purpose.SIGNIN_SHEET))
    assert form.is_valid() and form.cleaned_data["file"] == b"participant_index_number\nT101\n"


class Recorder(FileUploadHandler):
    """Stands for the usual handlers after ours: what reaches it would be in memory or on disk."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)

    def file_complete(self, file_size):
        return SimpleUploadedFile(self.file_name, b"x" * self.received)


def parse_upload(data: bytes) -> tuple[object, Recorder]:
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("sheet.csv", data)})
    recorder = Recorder()
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    _post, files = MultiPartParser(meta, io.BytesIO(body), [BoundedUploadHandler(), recorder]).parse()
    return files["file"], recorder


@override_settings(CASCADE_SIGNIN_FILE_MAX_BYTES=1000, CASCADE_ORG_FILE_MAX_BYTES=2000, CASCADE_ATTENDANCE_FILE_MAX_BYTES=2000)
def test_upload_handler_passes_on_no_byte_of_a_request_larger_than_any_upload_may_be():
    upload, recorder = parse_upload(b"x" * 300_000)
    assert isinstance(upload, OversizeUpload) and upload.size == 300_000
    assert recorder.received == 0


@override_settings(CASCADE_SIGNIN_FILE_MAX_BYTES=1000, CASCADE_ORG_FILE_MAX_BYTES=2000, CASCADE_ATTENDANCE_FILE_MAX_BYTES=2000)
def test_upload_handler_passes_on_a_file_within_the_largest_size():
    upload, recorder = parse_upload(b"x" * 1500)
    assert not isinstance(upload, OversizeUpload) and upload.size == 1500 and recorder.received == 1500


@override_settings(CASCADE_SIGNIN_FILE_MAX_ROWS=3)
def test_limits_are_read_from_the_settings_when_used():
    problem = refusal(many_rows_csv(4), Purpose.SIGNIN_SHEET)
    assert problem == Problem(5, "file", "the file has more than 3 rows; a sign-in sheet holds at most 3")


@override_settings(CASCADE_ORG_FILE_MAX_ROWS=2)
def test_import_org_refuses_a_file_of_too_many_rows_with_exit_1(db, tmp_path, capsys):
    path = tmp_path / "org.csv"
    path.write_bytes(b"index_number,name,email,entity\nA1,Ana,ana@example.org,HQ\nA2,Ben,ben@example.org,HQ\nA3,Cy,cy@example.org,HQ\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_org", str(path))
    assert caught.value.returncode == 1
    assert capsys.readouterr().err == "row 4: file: the file has more than 2 rows; an organization file holds at most 2\n"


@override_settings(CASCADE_ATTENDANCE_FILE_MAX_BYTES=100)
def test_import_attendance_refuses_a_file_too_large_before_reading_it(db, tmp_path, capsys):
    from org.models import Cycle

    Cycle.objects.create(year=2026, topic="Speaking up", opens="2026-09-01", deadline="2026-12-31")
    path = tmp_path / "attendance.csv"
    path.write_bytes(b"session_ref,date,leader_index_number\n" + b"P1,2026-10-02,S000003\n" * 10)
    with pytest.raises(CommandError) as caught:
        call_command("import_attendance", str(path), cycle=2026)
    assert caught.value.returncode == 1
    assert capsys.readouterr().err == "row 1: file: the file is larger than 100 bytes; an attendance file holds at most 100 bytes\n"


@override_settings(CASCADE_ORG_FILE_MAX_ROWS=1)
def test_org_upload_page_refuses_a_file_of_too_many_rows_and_changes_nothing(client, db):
    from accounts.models import Role, RoleGrant, User
    from core.models import StagedFile
    from org.models import Person

    olga = User.objects.create_user("olga@example.org", PASSWORD)
    RoleGrant.objects.create(user=olga, role=Role.ORG_ADMIN)  # who imports the organization
    client.force_login(olga)
    data = b"index_number,name,email,entity\nA1,Ana,ana@example.org,HQ\nA2,Ben,ben@example.org,HQ\n"
    response = client.post(reverse("org:upload"), {"file": SimpleUploadedFile("org.csv", data)})
    page = response.content.decode()
    assert response.status_code == 200 and "The file cannot be read" in page
    assert "the file has more than 1 row; an organization file holds at most 1" in page and "Nothing was changed." in page
    assert not Person.objects.exists() and not StagedFile.objects.exists()


def test_preview_renders_at_most_100_warnings():
    warnings = [Problem(n, "participant_index_number", f"warning number {n}") for n in range(2, 1336)]
    html = render_to_string("includes/problems.html", {"problems": warnings, "caption": "Warnings", "are_warnings": True})
    assert html.count("<tr>") == 101  # the head and 100 rows
    assert "warning number 101<" in html and "warning number 102<" not in html
    assert "and 1,234 more warnings" in html


def test_problem_list_renders_at_most_100_problems():
    errors = [Problem(n, "email", f"problem number {n}") for n in range(2, 103)]
    html = render_to_string("includes/problems.html", {"problems": errors, "caption": "Problems"})
    assert html.count("<tr>") == 101 and "problem number 101<" in html
    assert "and 1 more problem" in html and "more problems" not in html


def test_short_problem_list_is_rendered_whole_without_a_remainder():
    errors = [Problem(n, "email", f"problem number {n}") for n in range(2, 102)]
    html = render_to_string("includes/problems.html", {"problems": errors, "caption": "Problems"})
    assert html.count("<tr>") == 101 and "problem number 101<" in html
    assert "more problem" not in html


def test_a_csv_of_a_million_rows_weighs_two_megabytes():
    """The attack as reported: a 2 MB CSV of a million rows."""
    data = many_rows_csv(1_000_000)
    assert 1.9 * MIB < len(data) < 2 * MIB and data.count(b"\n") == 1_000_001
