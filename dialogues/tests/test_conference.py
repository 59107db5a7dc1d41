"""A video-conference attendance report (Teams) for one session: read, matched, previewed, recorded.

The report files are built in fixtures/teams.py in the layout Teams exports (dialogues/conference.py):
UTF-16LE with a BOM and tab-separated with its three sections as exported; a UTF-8 comma copy
with lower-case headers; an old (pre-2021) export; and malformed ones.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.scope import scope_for
from core.models import AuditEntry
from core.tabular import TableError
from dialogues.conference import read_conference_report
from dialogues.models import Attendance, SessionStatus, UnmatchedParticipant
from dialogues.signin import SigninError, attendance_conference_plan, attendance_record_conference

from .fixtures import login, make_people, make_session
from .fixtures.teams import FILES, read


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def session(people):
    return make_session(people["lena"], mode="video")


def upload(client, session, name):
    url = reverse("dialogues:attendance_conference", args=[session.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, read(name))})


def test_fixture_files_match_their_builders():
    for name, build in FILES.items():
        assert read(name) == build(), f"run dialogues/tests/fixtures/teams.py again to rebuild {name}"


def test_exported_report_is_utf16_tab_separated_with_three_sections():
    data = read("teams-v2-utf16.csv")
    assert data[:2] == b"\xff\xfe"
    text = data.decode("utf-16")
    assert "1. Summary" in text and "2. Participants" in text and "3. In-Meeting Activities" in text and "\t" in text


@pytest.mark.parametrize("name", ["teams-v2-utf16.csv", "teams-v2-utf8-comma.csv"])
def test_reader_lists_each_participant_once_in_either_encoding(name):
    attendees = read_conference_report(read(name)).attendees
    assert [a.name for a in attendees] == [
        "Lena Leader", "Pat Participant", "Quinn Report", "Ravi Remote", "Guest Speaker (External)", "", "Ina Inactive",
    ]
    assert attendees[1].email == "pat@example.org" and attendees[3].upn == "ravi@example.org"
    assert attendees[0].is_organizer


def test_people_are_matched_by_email_then_upn_ignoring_case(people, session):
    report = attendance_conference_plan(session=session, data=read("teams-v2-utf16.csv"), scope=scope_for(people["lena"].user))
    assert [p.index_number for p in report.people] == ["T101", "T102", "T104"]
    # a guest, someone who chose not to be named, and someone no longer active
    assert report.unmatched == ["Guest Speaker (External)", "Participant without a name (row 16)", "Ina Inactive"]


def test_the_organizer_who_leads_the_session_is_not_counted(people, session):
    report = attendance_conference_plan(session=session, data=read("teams-v2-utf16.csv"), scope=scope_for(people["lena"].user))
    assert people["lena"] not in report.people
    assert "Lena Leader" not in report.unmatched
    assert any("Lena Leader leads the session and is not counted as a participant" == w.message for w in report.warnings)


def test_old_export_is_matched_by_name_and_the_leader_is_not_counted(people, session):
    """Issue 11: the older layout has names only; Pat is lena's direct report, matched by name
    (before, every name of an old export was kept as a guest)."""
    report = attendance_conference_plan(session=session, data=read("teams-old.csv"), scope=scope_for(people["lena"].user))
    assert report.people == [people["pat"]] and report.by_name == {people["pat"].pk}
    assert report.unmatched == ["Guest Speaker"]


@pytest.mark.parametrize(
    "name, message",
    [
        ("teams-no-participants.csv", "no list of participants found"),
        ("teams-empty-participants.csv", "the list of participants is empty"),
        ("teams-not-text.csv", "the file is not text"),
    ],
)
def test_malformed_reports_are_rejected_with_a_clear_message(client, people, session, name, message):
    with pytest.raises(TableError, match=message):
        read_conference_report(read(name))
    login(client, people["lena"])
    response = upload(client, session, name)
    page = response.content.decode()
    assert message in page and "Confirm and record" not in page
    assert not Attendance.objects.exists() and not UnmatchedParticipant.objects.exists()


def test_report_is_previewed_then_recorded_with_an_audit_entry(client, people, session):
    login(client, people["lena"])
    response = upload(client, session, "teams-v2-utf16.csv")
    page = response.content.decode()
    assert "Confirm and record" in page and "Pat Participant" in page and "Guest Speaker (External)" in page
    assert not Attendance.objects.exists()
    response = client.post(reverse("dialogues:attendance_conference", args=[session.pk]), {"staged": response.context["staged"]})
    assert response.status_code == 302
    rows = Attendance.objects.filter(session=session).order_by("person__index_number")
    assert [(a.person.index_number, a.method, a.recorded_by_id) for a in rows] == [
        ("T101", "conference", people["lena"].pk), ("T102", "conference", people["lena"].pk), ("T104", "conference", people["lena"].pk),
    ]
    assert set(session.unmatched.values_list("name", flat=True)) == {"Guest Speaker (External)", "Participant without a name (row 16)", "Ina Inactive"}
    entry = AuditEntry.objects.get(action="attendance.conference")
    assert entry.actor == people["lena"].user and "participants 3 (new 3)" in entry.detail["summary"]


def test_importing_the_same_report_again_adds_nobody_twice(people, session):
    for _round in range(2):
        report = attendance_record_conference(session=session, data=read("teams-v2-utf8-comma.csv"), actor=people["lena"].user)
    assert report.new_people == 0 and report.new_unmatched == 0
    assert Attendance.objects.filter(session=session).count() == 3
    assert UnmatchedParticipant.objects.filter(session=session).count() == 3
    assert AuditEntry.objects.filter(action="attendance.conference").count() == 2


def test_report_keeps_earlier_sign_ins_as_they_were(people, session):
    Attendance.objects.create(session=session, person=people["pat"], method="self", recorded_by=people["pat"])
    attendance_record_conference(session=session, data=read("teams-v2-utf16.csv"), actor=people["lena"].user)
    assert Attendance.objects.get(person=people["pat"]).method == "self"


def test_monitor_may_import_the_report(client, people, session):
    session.monitor = people["mona"]
    session.save()
    login(client, people["mona"])
    assert "Confirm and record" in upload(client, session, "teams-v2-utf16.csv").content.decode()


def test_other_leader_gets_404(client, people, session):
    login(client, people["otto"])
    assert upload(client, session, "teams-v2-utf16.csv").status_code == 404


def test_report_before_the_session_starts_is_refused(client, people):
    later = make_session(people["lena"], starts_in_minutes=60)
    with pytest.raises(SigninError, match="once the session has started"):
        attendance_record_conference(session=later, data=read("teams-v2-utf16.csv"), actor=people["lena"].user)
    login(client, people["lena"])
    page = client.get(reverse("dialogues:attendance_conference", args=[later.pk])).content.decode()
    assert "once the session has started" in page and 'type="file"' not in page
    assert not Attendance.objects.exists()


def test_report_for_a_cancelled_session_is_refused(people, session):
    session.status = SessionStatus.CANCELLED
    with pytest.raises(SigninError, match="cancelled"):
        attendance_record_conference(session=session, data=read("teams-v2-utf16.csv"), actor=people["lena"].user)
    assert not Attendance.objects.exists()
