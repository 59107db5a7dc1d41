"""`import_teams_report FILE --session REF [--leader EMAIL] [--dry-run]`: the
leader's upload of a Teams attendance report, from the command line, matched within what the
session's leader may record.

Personas (fixtures/__init__.py): lena leads pat, quinn, mona, ravi and ina (inactive); otto leads
olga. Sessions are lena's `S1` unless said otherwise.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEntry
from dialogues.models import Attendance, UnmatchedParticipant

from .fixtures import make_people, make_session, person
from .fixtures.teams import read
from .fixtures.teams_i18n import build, guest_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def session(people):
    return make_session(people["lena"], mode="video")


def run(path, *args) -> dict:
    out = io.StringIO()
    call_command("import_teams_report", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def write(tmp_path, name, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_report_is_recorded_and_the_result_printed_as_json(tmp_path, people, session):
    result = run(write(tmp_path, "teams.csv", read("teams-v2-utf16.csv")), "--session", "S1")
    assert result["matched"] == ["T101", "T102", "T104"]
    assert result["guests"] == 3 and result["unmatched"] == []
    assert "row 11: name: Lena Leader leads the session and is not counted as a participant" in result["warnings"]
    assert "row 17: email: ina@example.org: not someone you can record for this session — invite them first, or ask your focal point" in result["warnings"]
    rows = Attendance.objects.filter(session=session).order_by("person__index_number")
    assert [(a.person.index_number, a.method, a.recorded_by_id) for a in rows] == [("T101", "conference", None), ("T102", "conference", None), ("T104", "conference", None)]
    assert UnmatchedParticipant.objects.filter(session=session).count() == 3
    entry = AuditEntry.objects.get(action="attendance.conference")
    assert entry.actor is None and entry.target == f"session {session.pk}"


def test_dry_run_prints_the_same_and_writes_nothing(tmp_path, people, session):
    result = run(write(tmp_path, "teams.csv", read("teams-v2-utf16.csv")), "--session", "S1", "--dry-run")
    assert result["matched"] == ["T101", "T102", "T104"] and result["guests"] == 3
    assert not Attendance.objects.exists() and not UnmatchedParticipant.objects.exists() and not AuditEntry.objects.exists()


def test_a_name_that_fits_several_people_is_listed_and_not_recorded(tmp_path, people, session):
    for number in ("T150", "T151"):
        person(number, "Sam Same", manager="T100", entity=people["lena"].entity, login=False)
    data = b'Full Name,User Action,Timestamp\r\n"SAME, Sam",Joined,1\r\nPat Participant,Joined,1\r\nNadia Nomad (Guest),Joined,1\r\n'
    result = run(write(tmp_path, "old.csv", data), "--session", "S1")
    assert result == {
        "matched": ["T101"],
        "guests": 1,
        "unmatched": ["SAME, Sam"],
        "warnings": ["row 2: name: SAME, Sam fits 2 people the leader can record; not recorded: the leader chooses who it is on the session’s page"],
    }
    assert list(Attendance.objects.values_list("person__index_number", flat=True)) == ["T101"]
    assert list(UnmatchedParticipant.objects.values_list("name", flat=True)) == ["Nadia Nomad (Guest)"]


def test_matching_is_within_the_leaders_scope(tmp_path, people, session):
    """olga is otto's report: not someone lena may record, by address or by name."""
    data = b"Full Name,User Action,Timestamp\r\nOlga Invitee,Joined,1\r\nQuinn Report,Joined,1\r\n"
    result = run(write(tmp_path, "old.csv", data), "--session", "S1", "--dry-run")
    assert result["matched"] == ["T102"] and result["guests"] == 1


def test_localized_xlsx_report(tmp_path, people, session):
    result = run(write(tmp_path, "rapport.xlsx", build("participants", "fr", "xlsx")), "--session", "S1", "--dry-run")
    assert result["matched"] == ["T101"] and result["guests"] == 2  # the French participant is not in this organization
    assert guest_name("fr") == "Nadia Nomad (Invité)"


def test_a_rejected_file_exits_1_with_row_column_message_and_writes_nothing(tmp_path, capsys, people, session):
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, "bad.csv", b"Foo;Bar\r\nx;y\r\n"), "--session", "S1")
    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert err.startswith("row 1: file: no list of participants found: expected a header row with the columns Name, Email, Participant ID (UPN), Role")
    assert "“Foo, Bar”" in err
    assert not Attendance.objects.exists() and not UnmatchedParticipant.objects.exists() and not AuditEntry.objects.exists()


def test_a_report_for_a_session_not_yet_started_exits_1(tmp_path, capsys, people):
    make_session(people["lena"], ref="LATER", starts_in_minutes=60)
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, "teams.csv", read("teams-v2-utf16.csv")), "--session", "LATER")
    assert caught.value.returncode == 1
    assert capsys.readouterr().err.startswith("row 1: session: Attendance can be recorded once the session has started")
    assert not Attendance.objects.exists()


def test_an_unknown_session_or_file_is_wrong_usage(tmp_path, people, session):
    with pytest.raises(CommandError, match="no session with reference 'S9'") as caught:
        run(write(tmp_path, "teams.csv", read("teams-v2-utf16.csv")), "--session", "S9")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="no such file") as caught:
        run(tmp_path / "missing.csv", "--session", "S1")
    assert caught.value.returncode == 2


def test_leader_picks_among_sessions_with_the_same_reference(tmp_path, people, session):
    make_session(people["otto"], ref="S1")
    path = write(tmp_path, "teams.csv", read("teams-v2-utf16.csv"))
    with pytest.raises(CommandError, match="several sessions have reference 'S1'") as caught:
        run(path, "--session", "S1")
    assert caught.value.returncode == 2 and not Attendance.objects.exists()
    result = run(path, "--session", "S1", "--leader", "LENA@example.org")
    assert result["matched"] == ["T101", "T102", "T104"]
    assert set(Attendance.objects.values_list("session_id", flat=True)) == {session.pk}


def test_missing_arguments_exit_2_from_the_command_line():
    env = {**os.environ, "DATABASE_URL": "sqlite:///var/never-created.sqlite3"}
    done = subprocess.run([sys.executable, "manage.py", "import_teams_report", "teams.csv"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--session" in done.stderr


def test_a_leader_without_a_login_is_matched_within_their_own_team(tmp_path, people):
    """The command runs as if the leader uploaded: a leader who never logged in still records
    their own reports, and nobody else's."""
    leo = person("T400", "Leo Loginless", manager="T001", entity=people["lena"].entity, login=False)
    person("T401", "Lia Loginless", manager="T400", entity=people["lena"].entity, login=False)
    make_session(leo, ref="L1")
    data = b"Full Name,User Action,Timestamp\r\nLeo Loginless,Joined,1\r\nLia Loginless,Joined,1\r\nPat Participant,Joined,1\r\n"
    result = run(write(tmp_path, "old.csv", data), "--session", "L1")
    assert result["matched"] == ["T401"] and result["guests"] == 1
    assert "row 2: name: Leo Loginless leads the session and is not counted as a participant" in result["warnings"]
