"""The attack of issue 10 through the pages: a participant appointed monitor of a session uploads,
as the session's sign-in sheet or video-conference report, a file far bigger than any session
needs. It is refused within a second with a message naming the limit, and nothing is staged or
recorded.

Personas (fixtures/__init__.py): lena leads pat, quinn, mona, ravi and ina; mona is appointed
monitor of lena's session.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.models import StagedFile
from core.tabular import TableError
from core.tests.bombs import MIB, many_rows_csv, xlsx_bomb
from core.uploads import OversizeUpload
from dialogues.conference import read_conference_report
from dialogues.models import Attendance, Invitation, UnmatchedParticipant
from dialogues.signin import session_appoint_monitor
from org.models import Person

from .fixtures import login, make_people, make_session
from .fixtures.teams import PARTICIPANTS_HEADER, as_csv_utf8, sections


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def session(people):
    s = make_session(people["lena"], mode="video")
    session_appoint_monitor(session=s, actor=people["lena"].user, monitor=people["mona"])
    return s


def post_sheet(client, session, name, data):
    return client.post(reverse("dialogues:attendance_sheet", args=[session.pk]), {"file": SimpleUploadedFile(name, data)})


def post_report(client, session, data):
    return client.post(reverse("dialogues:attendance_conference", args=[session.pk]), {"file": SimpleUploadedFile("report.csv", data)})


def open_page(client, person, session, name):
    """What the participant does first: open the upload page (the first request of a test also
    loads the URLs and templates, which is not what is timed)."""
    login(client, person)
    response = client.get(reverse(f"dialogues:{name}", args=[session.pk]))
    assert response.status_code == 200 and 'type="file"' in response.content.decode()


def assert_nothing_kept():
    assert not Attendance.objects.exists() and not UnmatchedParticipant.objects.exists() and not StagedFile.objects.exists()


def test_participant_uploading_an_xlsx_bomb_as_their_sessions_sheet_is_refused_quickly(client, people, session):
    bomb = xlsx_bomb(390 * MIB)
    open_page(client, people["mona"], session, "attendance_sheet")
    start = time.perf_counter()
    response = post_sheet(client, session, "sheet.xlsx", bomb)
    assert time.perf_counter() - start < 2
    page = response.content.decode()
    assert response.status_code == 200 and "The file cannot be read" in page
    assert "the XLSX file unpacks to more than 5 MB; a sign-in sheet holds at most 5 MB" in page
    assert "Nothing was recorded." in page and "Confirm and record" not in page
    assert_nothing_kept()


def test_participant_uploading_a_million_row_csv_as_their_sessions_sheet_is_refused_quickly(client, people, session):
    open_page(client, people["mona"], session, "attendance_sheet")
    start = time.perf_counter()
    response = post_sheet(client, session, "sheet.csv", many_rows_csv(1_000_000))
    assert time.perf_counter() - start < 2
    page = response.content.decode()
    assert response.status_code == 200
    assert "the file has more than 2,000 rows; a sign-in sheet holds at most 2,000" in page and "Nothing was recorded." in page
    assert_nothing_kept()


def test_video_conference_report_of_more_than_2000_participants_is_refused(client, people, session):
    crowd = [[f"Person {n}", "", "", "", f"person{n}@example.org", f"person{n}@example.org", "Attendee"] for n in range(2001)]
    open_page(client, people["mona"], session, "attendance_conference")
    start = time.perf_counter()
    response = post_report(client, session, as_csv_utf8(sections(participants=crowd)))
    assert time.perf_counter() - start < 2
    page = response.content.decode()
    assert response.status_code == 200 and "The report cannot be read" in page
    assert "the file has more than 2,000 rows; a video-conference report holds at most 2,000" in page
    assert "Nothing was recorded." in page
    assert_nothing_kept()


def test_video_conference_report_of_2000_participants_is_previewed(client, people, session):
    crowd = [[f"Person {n}", "", "", "", f"person{n}@example.org", "", "Attendee"] for n in range(1998)]
    pat = ["Pat Participant", "", "", "", "pat@example.org", "", "Attendee"]
    guest = ["Guest Speaker", "", "", "", "", "", "Attendee"]
    login(client, people["mona"])
    response = post_report(client, session, as_csv_utf8(sections(participants=[pat, guest, *crowd], header=PARTICIPANTS_HEADER)))
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm and record" in page and "Pat Participant" in page
    assert StagedFile.objects.count() == 1 and not Attendance.objects.exists()


def test_video_conference_report_without_participants_is_refused_quickly_however_long():
    """The participants' header is looked for in the first 2,000 rows, not in a million."""
    start = time.perf_counter()
    with pytest.raises(TableError) as caught:
        read_conference_report(b"a,b\n" * 1_000_000)
    assert time.perf_counter() - start < 1
    assert caught.value.problem.message.startswith("no list of participants found")


def test_video_conference_report_larger_than_5_mb_is_refused_before_it_is_read(client, people, session):
    login(client, people["mona"])
    response = post_report(client, session, b"\xff\xfe" + "Name\tEmail\r\n".encode("utf-16-le") * (MIB // 2))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is larger than 5 MB; a video-conference report holds at most 5 MB. Nothing was recorded." in page
    assert_nothing_kept()


def invite(session, *index_numbers):
    """The monitor records the session's own people: its invitees."""
    for number in index_numbers:
        Invitation.objects.create(session=session, person=Person.objects.get(index_number=number))


def test_sheet_preview_renders_at_most_100_warnings(client, people, session):
    invite(session, "T101")
    login(client, people["mona"])
    response = post_sheet(client, session, "sheet.csv", b"participant_index_number\n" + b"T101\n" * 1334)
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm and record" in page
    assert len(response.context["report"].warnings) == 1333
    assert page.count("T101 is listed twice and counts once") == 100
    assert "and 1,233 more warnings" in page


@override_settings(CASCADE_SIGNIN_FILE_MAX_BYTES=1000, CASCADE_ORG_FILE_MAX_BYTES=2000, CASCADE_ATTENDANCE_FILE_MAX_BYTES=2000)
def test_upload_larger_than_any_purpose_allows_is_dropped_as_it_arrives(client, people, session):
    """Past the largest size any upload may have, the bytes are neither kept in memory nor
    written to disk; the form still learns the size and names the limit."""
    login(client, people["mona"])
    response = post_sheet(client, session, "sheet.csv", b"participant_index_number\n" + b"T101\n" * 20_000)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is larger than 1,000 bytes; a sign-in sheet holds at most 1,000 bytes. Nothing was recorded." in page
    upload = response.context["form"].files["file"]
    assert isinstance(upload, OversizeUpload) and upload.size == 25 + 5 * 20_000
    assert_nothing_kept()


def test_a_staged_sheet_is_read_again_within_the_limits_on_confirmation(client, people, session):
    invite(session, "T101", "T102")
    login(client, people["mona"])
    response = post_sheet(client, session, "sheet.csv", b"participant_index_number\nT101\nT102\n")
    assert "Confirm and record" in response.content.decode()
    with override_settings(CASCADE_SIGNIN_FILE_MAX_ROWS=1):
        response = client.post(reverse("dialogues:attendance_sheet", args=[session.pk]), {"staged": response.context["staged"]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "the file has more than 1 row; a sign-in sheet holds at most 1" in page and "Nothing was recorded." in page
    assert_nothing_kept()
