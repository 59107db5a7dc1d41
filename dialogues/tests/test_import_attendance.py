"""The attendance import (the attendance file other tools write, and the exit codes of the commands), through `import_attendance` and `attendance_import`.

Bad files are imported on top of sessions already recorded, and carry good rows as well (a new
session, a replacement of a recorded one), so that a partial write would show in the database
snapshot compared before and after.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEntry
from core.tabular import read_table
from dialogues.models import Attendance, Session, UnmatchedParticipant
from dialogues.services import attendance_import
from org.models import Cycle, Entity, Person, Unit

HEADER = ["session_ref", "date", "leader_index_number", "participant_index_number", "participant_name", "mode"]
PERIOD = "2026-09-01 to 2026-12-31"


# --- the organization and the cycle ---------------------------------------------------------


@pytest.fixture
def org(db):
    """DGC: L1 and L2 lead, P01..P30 report to L1, I1 has left (inactive). OCHA: X1.
    Cycle 2026 is open from 2026-09-01 to 2026-12-31; cycle 2025 also exists."""
    dgc = Entity.objects.create(code="DGC", name="Department of Global Communications")
    ocha = Entity.objects.create(code="OCHA", name="Office for the Coordination of Humanitarian Affairs")
    Person.objects.create(index_number="L1", name="Leader One", email="l1@example.org", entity=dgc)
    Person.objects.create(index_number="L2", name="Leader Two", email="l2@example.org", entity=dgc, manager_id="L1")
    Person.objects.create(index_number="X1", name="Xavier Other", email="x1@example.org", entity=ocha, manager_id="L1")
    Person.objects.create(index_number="I1", name="Inactive One", email="i1@example.org", entity=dgc, manager_id="L1", active=False)
    Person.objects.bulk_create(
        [Person(index_number=f"P{i:02d}", name=f"Participant {i}", email=f"p{i}@example.org", entity=dgc, manager_id="L1") for i in range(1, 31)]
    )
    Cycle.objects.create(year=2025, topic="Last year", opens=datetime.date(2025, 9, 1), deadline=datetime.date(2025, 12, 31))
    return {
        "dgc": dgc,
        "ocha": ocha,
        "cycle": Cycle.objects.create(year=2026, topic="Speaking up", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31)),
    }


# --- building files -------------------------------------------------------------------------


def att(ref, date, leader, participant="", name="", mode="") -> dict:
    return {
        "session_ref": ref,
        "date": date,
        "leader_index_number": leader,
        "participant_index_number": participant,
        "participant_name": name,
        "mode": mode,
    }


def csv_bytes(rows, *, header=None, delimiter=",", bom=False) -> bytes:
    header = HEADER if header is None else header
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows, *, header=None) -> bytes:
    """Dates as real spreadsheet dates, as Excel users type them."""
    header = HEADER if header is None else header
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [dict(zip(header, header))] + [{**r, "date": datetime.date.fromisoformat(r["date"])} if r.get("date") else r for r in rows]:
        sheet.append([row.get(column) or None for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path, rows, name="attendance.csv", **options):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows, **options) if name.endswith(".xlsx") else csv_bytes(rows, **options))
    return path


RECORDED = [  # two sessions already in the database before the bad files
    att("S1", "2026-09-03", "L1", "P01"),
    att("S1", "2026-09-03", "L1", "P02"),
    att("S1", "2026-09-03", "L1", name="Guest Speaker"),
    att("S2", "2026-09-10", "L2", "P03", mode="video"),
]


def good_rows() -> list[dict]:
    """Rows 2 to 4: a replacement of S1 and a new session S3. Bad rows start at row 5."""
    return [
        att("S1", "2026-09-04", "L1", "P05", mode="phone"),
        att("S3", "2026-10-01", "L2", "P06"),
        att("S3", "2026-10-01", "L2", "P07"),
    ]


# --- running and observing ------------------------------------------------------------------


def db_snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Entity, Unit, Person, Cycle, Session, Attendance, UnmatchedParticipant, AuditEntry)
    }


def sessions(year=2026) -> dict:
    """{(leader, ref): (date, mode, participants, unmatched names)} of a cycle."""
    return {
        (s.leader.index_number, s.ref): (
            s.date.isoformat(),
            s.mode,
            sorted(s.attendances.values_list("person__index_number", flat=True)),
            sorted(s.unmatched.values_list("name", flat=True)),
        )
        for s in Session.objects.filter(cycle__year=year).select_related("leader")
    }


def summary(sessions=0, participants=0, unmatched=0, warnings=0) -> str:
    return f"sessions {sessions}, participants {participants}, unmatched {unmatched}, warnings {warnings}\n"


def run_ok(capsys, path, *args, cycle=2026) -> tuple[str, str]:
    capsys.readouterr()
    call_command("import_attendance", str(path), "--cycle", str(cycle), *args)
    return capsys.readouterr()


def assert_rejected(capsys, path, expected_errors, *args, cycle=2026):
    """The command exits 1, lists exactly `expected_errors` on stderr and writes nothing."""
    before = db_snapshot()
    capsys.readouterr()
    with pytest.raises(CommandError) as raised:
        call_command("import_attendance", str(path), "--cycle", str(cycle), *args)
    out, err = capsys.readouterr()
    assert raised.value.returncode == 1
    assert out == ""
    assert [line for line in err.splitlines() if not line.startswith("warning: ")] == expected_errors
    assert db_snapshot() == before
    return err


@pytest.fixture
def recorded(org, tmp_path, capsys):
    """S1 (L1: P01, P02, a guest) and S2 (L2: P03, by video) recorded in cycle 2026."""
    out, err = run_ok(capsys, write(tmp_path, RECORDED, name="recorded.csv"))
    assert (out, err) == (summary(sessions=2, participants=3, unmatched=1), "")
    return tmp_path


# --- a good file ----------------------------------------------------------------------------


def test_import_records_sessions_participants_and_unmatched_names(org, tmp_path, capsys):
    rows = [
        att("S1", "2026-09-03", "L1", "P01", mode="in_person"),
        att("S1", "2026-09-03", "L1", "P02", mode="in_person"),
        att("S1", "2026-09-03", "L1", name="Guest Speaker", mode="in_person"),
        att("S2", "2026-09-10", "L2", "P03", mode="video"),
        att("S2", "2026-09-10", "L2", "X1", mode="video"),  # participants may come from another entity
        att("S3", "2026-12-31", "L2", "P04", mode="phone"),
    ]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert (out, err) == (summary(sessions=3, participants=5, unmatched=1), "")
    assert sessions() == {
        ("L1", "S1"): ("2026-09-03", "in_person", ["P01", "P02"], ["Guest Speaker"]),
        ("L2", "S2"): ("2026-09-10", "video", ["P03", "X1"], []),
        ("L2", "S3"): ("2026-12-31", "phone", ["P04"], []),
    }
    assert Session.objects.filter(cycle__year=2025).count() == 0


def test_mode_defaults_to_in_person_when_empty_or_absent(org, tmp_path, capsys):
    rows = [att("S1", "2026-09-03", "L1", "P01")]
    run_ok(capsys, write(tmp_path, rows, name="empty-mode.csv"))
    run_ok(capsys, write(tmp_path, [att("S2", "2026-09-03", "L1", "P01")], header=HEADER[:4], name="no-mode.csv"))

    assert {ref: state[1] for (_l, ref), state in sessions().items()} == {"S1": "in_person", "S2": "in_person"}


def test_participant_name_column_alone_is_enough(org, tmp_path, capsys):
    header = ["session_ref", "date", "leader_index_number", "participant_name"]
    rows = [att("S1", "2026-09-03", "L1", name="Guest A"), att("S1", "2026-09-03", "L1", name="Guest B")]

    out, _err = run_ok(capsys, write(tmp_path, rows, header=header))

    assert out == summary(sessions=1, participants=0, unmatched=2)
    assert sessions() == {("L1", "S1"): ("2026-09-03", "in_person", [], ["Guest A", "Guest B"])}


def test_participant_index_number_column_alone_is_enough(org, tmp_path, capsys):
    header = ["session_ref", "date", "leader_index_number", "participant_index_number"]

    out, _err = run_ok(capsys, write(tmp_path, [att("S1", "2026-09-03", "L1", "P01")], header=header))

    assert out == summary(sessions=1, participants=1)


def test_index_number_wins_when_both_participant_columns_are_filled(org, tmp_path, capsys):
    out, _err = run_ok(capsys, write(tmp_path, [att("S1", "2026-09-03", "L1", "P01", name="Participant 1")]))

    assert out == summary(sessions=1, participants=1, unmatched=0)
    assert sessions()[("L1", "S1")][2:] == (["P01"], [])


def test_dates_on_the_first_and_last_day_of_the_cycle_are_accepted(org, tmp_path, capsys):
    rows = [att("FIRST", "2026-09-01", "L1", "P01"), att("LAST", "2026-12-31", "L1", "P01")]

    out, _err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=2, participants=2)


def test_same_session_ref_of_two_leaders_makes_two_sessions(org, tmp_path, capsys):
    rows = [att("Team meeting", "2026-09-03", "L1", "P01"), att("Team meeting", "2026-09-04", "L2", "P02", mode="video")]

    out, _err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=2, participants=2)
    assert sessions() == {
        ("L1", "Team meeting"): ("2026-09-03", "in_person", ["P01"], []),
        ("L2", "Team meeting"): ("2026-09-04", "video", ["P02"], []),
    }


def test_rows_of_one_session_need_not_be_next_to_each_other(org, tmp_path, capsys):
    rows = [att("S1", "2026-09-03", "L1", "P01"), att("S2", "2026-09-04", "L2", "P02"), att("S1", "2026-09-03", "L1", "P03")]

    out, _err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=2, participants=3)
    assert sessions()[("L1", "S1")][2] == ["P01", "P03"]


def test_unknown_columns_are_only_a_warning(org, tmp_path, capsys):
    rows = [dict(att("S1", "2026-09-03", "L1", "P01"), room="B-201")]

    out, err = run_ok(capsys, write(tmp_path, rows, header=HEADER + ["room"]))

    assert out == summary(sessions=1, participants=1, warnings=1)
    assert err.splitlines() == ["warning: row 1: room: unknown column, ignored"]
    assert len(sessions()) == 1


# --- warnings: accepted, counted ------------------------------------------------------------


def test_leader_listed_as_own_participant_is_ignored_with_a_warning(org, tmp_path, capsys):
    rows = [att("S1", "2026-09-03", "L1", "P01"), att("S1", "2026-09-03", "L1", "L1")]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=1, participants=1, warnings=1)
    assert err.splitlines() == ["warning: row 3: participant_index_number: the leader is not counted as their own participant"]
    assert sessions() == {("L1", "S1"): ("2026-09-03", "in_person", ["P01"], [])}
    assert not Attendance.objects.filter(person__index_number="L1").exists()


def test_participant_listed_twice_counts_once(org, tmp_path, capsys):
    rows = [att("S1", "2026-09-03", "L1", "P01"), att("S1", "2026-09-03", "L1", "P02"), att("S1", "2026-09-03", "L1", "P01")]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=1, participants=2, warnings=1)
    assert err.splitlines() == ["warning: row 4: participant_index_number: P01 is listed twice in session S1 and counts once"]
    assert Attendance.objects.filter(person__index_number="P01").count() == 1
    assert sessions()[("L1", "S1")][2] == ["P01", "P02"]


def test_unmatched_name_listed_twice_ignoring_case_counts_once(org, tmp_path, capsys):
    rows = [att("S1", "2026-09-03", "L1", name="Guest Speaker"), att("S1", "2026-09-03", "L1", name="guest speaker")]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=1, unmatched=1, warnings=1)
    assert err.splitlines() == ["warning: row 3: participant_name: guest speaker is listed twice in session S1 and counts once"]
    assert UnmatchedParticipant.objects.count() == 1


def test_same_participant_in_two_sessions_counts_in_each(org, tmp_path, capsys):
    rows = [att("S1", "2026-09-03", "L1", "P01"), att("S2", "2026-09-04", "L2", "P01")]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert (out, err) == (summary(sessions=2, participants=2), "")
    assert Attendance.objects.filter(person__index_number="P01").count() == 2


def test_more_than_25_participants_are_accepted_with_a_warning(org, tmp_path, capsys):
    rows = [att("BIG", "2026-09-03", "L1", f"P{i:02d}") for i in range(1, 26)] + [att("BIG", "2026-09-03", "L1", name="Guest")]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=1, participants=25, unmatched=1, warnings=1)
    assert err.splitlines() == ["warning: row 2: session_ref: session BIG has 26 participants; more than 25 should be split"]
    assert Attendance.objects.filter(session__ref="BIG").count() == 25
    assert UnmatchedParticipant.objects.filter(session__ref="BIG").count() == 1


def test_30_participants_are_all_recorded_with_one_warning(org, tmp_path, capsys):
    rows = [att("BIG", "2026-09-03", "L1", f"P{i:02d}") for i in range(1, 31)]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=1, participants=30, warnings=1)
    assert err.splitlines() == ["warning: row 2: session_ref: session BIG has 30 participants; more than 25 should be split"]
    assert Attendance.objects.count() == 30


def test_exactly_25_participants_give_no_warning(org, tmp_path, capsys):
    rows = [att("FULL", "2026-09-03", "L1", f"P{i:02d}") for i in range(1, 26)]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert (out, err) == (summary(sessions=1, participants=25), "")


def test_duplicates_and_the_leader_do_not_count_towards_the_25(org, tmp_path, capsys):
    rows = [att("FULL", "2026-09-03", "L1", f"P{i:02d}") for i in range(1, 26)]
    rows += [att("FULL", "2026-09-03", "L1", "P01"), att("FULL", "2026-09-03", "L1", "L1")]

    out, err = run_ok(capsys, write(tmp_path, rows))

    assert out == summary(sessions=1, participants=25, warnings=2)
    assert "more than 25" not in err


# --- re-importing ---------------------------------------------------------------------------


def test_reimporting_a_session_ref_replaces_that_session(recorded, capsys):
    s1 = Session.objects.get(ref="S1")
    rows = [att("S1", "2026-09-05", "L1", "P04", mode="video"), att("S1", "2026-09-05", "L1", name="Another Guest", mode="video")]

    out, err = run_ok(capsys, write(recorded, rows))

    assert (out, err) == (summary(sessions=1, participants=1, unmatched=1), "")
    assert sessions() == {
        ("L1", "S1"): ("2026-09-05", "video", ["P04"], ["Another Guest"]),
        ("L2", "S2"): ("2026-09-10", "video", ["P03"], []),  # not in the file: untouched
    }
    assert Session.objects.get(ref="S1").pk == s1.pk
    assert Session.objects.count() == 2
    assert not Attendance.objects.filter(person__index_number__in=["P01", "P02"]).exists()


def test_importing_the_same_file_twice_leaves_the_same_sessions(recorded, capsys):
    before = sessions()
    pks = sorted(Session.objects.values_list("pk", flat=True))

    out, err = run_ok(capsys, recorded / "recorded.csv")

    assert (out, err) == (summary(sessions=2, participants=3, unmatched=1), "")
    assert sessions() == before
    assert sorted(Session.objects.values_list("pk", flat=True)) == pks
    assert Attendance.objects.count() == 3
    assert UnmatchedParticipant.objects.count() == 1


def test_same_session_ref_by_another_leader_does_not_replace(recorded, capsys):
    out, _err = run_ok(capsys, write(recorded, [att("S1", "2026-09-20", "L2", "P09")]))

    assert out == summary(sessions=1, participants=1)
    assert sessions()[("L1", "S1")] == ("2026-09-03", "in_person", ["P01", "P02"], ["Guest Speaker"])
    assert sessions()[("L2", "S1")] == ("2026-09-20", "in_person", ["P09"], [])


def test_same_session_ref_in_another_cycle_does_not_replace(recorded, capsys):
    out, _err = run_ok(capsys, write(recorded, [att("S1", "2025-10-01", "L1", "P09")]), cycle=2025)

    assert out == summary(sessions=1, participants=1)
    assert sessions(2025) == {("L1", "S1"): ("2025-10-01", "in_person", ["P09"], [])}
    assert sessions(2026)[("L1", "S1")] == ("2026-09-03", "in_person", ["P01", "P02"], ["Guest Speaker"])


def test_dry_run_prints_the_counts_and_writes_nothing(recorded, capsys):
    before = db_snapshot()
    rows = good_rows() + [att("S3", "2026-10-01", "L2", "P06"), att("S3", "2026-10-01", "L2", name="Visitor")]

    out, err = run_ok(capsys, write(recorded, rows), "--dry-run")

    assert out == summary(sessions=2, participants=3, unmatched=1, warnings=1)
    assert err.splitlines() == ["warning: row 5: participant_index_number: P06 is listed twice in session S3 and counts once"]
    assert db_snapshot() == before
    out, _err = run_ok(capsys, recorded / "attendance.csv")  # the real import gives the same counts
    assert out == summary(sessions=2, participants=3, unmatched=1, warnings=1)
    assert sessions()[("L2", "S3")] == ("2026-10-01", "in_person", ["P06", "P07"], ["Visitor"])


# --- file formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{"delimiter": ","}, {"delimiter": ";"}, {"delimiter": ",", "bom": True}, {"delimiter": ";", "bom": True}],
    ids=["comma", "semicolon", "comma-bom", "semicolon-bom"],
)
def test_csv_variants_give_the_same_sessions(org, tmp_path, capsys, options):
    rows = RECORDED + [att("S4", "2026-11-02", "L1", name="Dupont, Marie")]

    out, err = run_ok(capsys, write(tmp_path, rows, **options))

    assert (out, err) == (summary(sessions=3, participants=3, unmatched=2), "")
    assert sessions() == {
        ("L1", "S1"): ("2026-09-03", "in_person", ["P01", "P02"], ["Guest Speaker"]),
        ("L2", "S2"): ("2026-09-10", "video", ["P03"], []),
        ("L1", "S4"): ("2026-11-02", "in_person", [], ["Dupont, Marie"]),
    }


def test_xlsx_with_real_date_cells_gives_the_same_sessions(org, tmp_path, capsys):
    out, err = run_ok(capsys, write(tmp_path, RECORDED, name="attendance.xlsx"))

    assert (out, err) == (summary(sessions=2, participants=3, unmatched=1), "")
    assert sessions() == {
        ("L1", "S1"): ("2026-09-03", "in_person", ["P01", "P02"], ["Guest Speaker"]),
        ("L2", "S2"): ("2026-09-10", "video", ["P03"], []),
    }


def test_xlsx_date_outside_the_cycle_is_rejected(recorded, capsys):
    rows = good_rows() + [att("S5", "2027-01-04", "L1", "P01")]

    assert_rejected(capsys, write(recorded, rows, name="attendance.xlsx"), [f"row 5: date: 2027-01-04 is outside the cycle’s period {PERIOD}"])


# --- a bad file writes nothing --------------------------------------------------------------


@pytest.mark.parametrize("day", ["2026-08-31", "2026-01-15", "2027-01-01", "2025-10-01"])
def test_date_outside_the_cycle_is_rejected_and_nothing_written(recorded, capsys, day):
    rows = good_rows() + [att("S5", day, "L1", "P01")]

    assert_rejected(capsys, write(recorded, rows), [f"row 5: date: {day} is outside the cycle’s period {PERIOD}"])


@pytest.mark.parametrize("day", ["03/09/2026", "2026-9-3", "20260903", "2026-02-30", "2026-09-03T10:00", "3 Sept 2026", "2026/09/03"])
def test_badly_formatted_date_is_rejected_and_nothing_written(recorded, capsys, day):
    rows = good_rows() + [att("S5", day, "L1", "P01")]

    assert_rejected(capsys, write(recorded, rows), [f"row 5: date: “{day}” is not a date in the form YYYY-MM-DD"])


def test_conflicting_dates_within_one_session_ref_are_rejected_and_nothing_written(recorded, capsys):
    rows = good_rows() + [att("S3", "2026-10-02", "L2", "P08")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: date: 2026-10-02 differs from 2026-10-01 given for session S3 on row 3"])


def test_conflicting_modes_within_one_session_ref_are_rejected_and_nothing_written(recorded, capsys):
    rows = good_rows() + [att("S3", "2026-10-01", "L2", "P08", mode="video")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: mode: video differs from in_person given for session S3 on row 3"])


def test_unknown_leader_is_rejected_and_nothing_written(recorded, capsys):
    rows = good_rows() + [att("S5", "2026-10-01", "Z9", "P01")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: leader_index_number: Z9 is not an active person"])


def test_inactive_leader_is_rejected_and_nothing_written(recorded, capsys):
    rows = good_rows() + [att("S5", "2026-10-01", "I1", "P01")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: leader_index_number: I1 is not an active person"])


def test_unknown_participant_is_rejected_and_nothing_written(recorded, capsys):
    rows = good_rows() + [att("S3", "2026-10-01", "L2", "Z9")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: participant_index_number: Z9 is not an active person"])


def test_inactive_participant_is_rejected_and_nothing_written(recorded, capsys):
    rows = good_rows() + [att("S3", "2026-10-01", "L2", "I1")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: participant_index_number: I1 is not an active person"])


def test_row_with_neither_participant_column_filled_is_rejected_and_nothing_written(recorded, capsys):
    rows = good_rows() + [att("S3", "2026-10-01", "L2")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: participant_index_number: give participant_index_number or participant_name"])


def test_file_with_neither_participant_column_is_rejected_and_nothing_written(recorded, capsys):
    header = ["session_ref", "date", "leader_index_number", "mode"]

    assert_rejected(capsys, write(recorded, good_rows(), header=header), ["row 1: participant_index_number: missing column (or give participant_name)"])


@pytest.mark.parametrize("mode", ["teams", "In_Person", "in person", "email"])
def test_bad_mode_is_rejected_and_nothing_written(recorded, capsys, mode):
    rows = good_rows() + [att("S5", "2026-10-01", "L1", "P01", mode=mode)]

    assert_rejected(capsys, write(recorded, rows), [f"row 5: mode: “{mode}” is not one of: in_person, video, phone"])


@pytest.mark.parametrize("column", ["session_ref", "date", "leader_index_number"])
def test_missing_required_column_is_rejected_and_nothing_written(recorded, capsys, column):
    header = [c for c in HEADER if c != column]

    assert_rejected(capsys, write(recorded, good_rows(), header=header), [f"row 1: {column}: missing column"])


@pytest.mark.parametrize("column", ["session_ref", "date", "leader_index_number"])
def test_missing_required_value_is_rejected_and_nothing_written(recorded, capsys, column):
    rows = good_rows() + [dict(att("S5", "2026-10-01", "L1", "P01"), **{column: ""})]

    assert_rejected(capsys, write(recorded, rows), [f"row 5: {column}: is required"])


def test_session_ref_longer_than_50_characters_is_rejected(recorded, capsys):
    rows = good_rows() + [att("R" * 51, "2026-10-01", "L1", "P01")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: session_ref: use at most 50 characters"])


def test_participant_name_longer_than_200_characters_is_rejected(recorded, capsys):
    rows = good_rows() + [att("S3", "2026-10-01", "L2", name="G" * 201)]

    assert_rejected(capsys, write(recorded, rows), ["row 5: participant_name: use at most 200 characters"])


def test_participant_name_of_200_characters_is_accepted(org, tmp_path, capsys):
    out, _err = run_ok(capsys, write(tmp_path, [att("S1", "2026-09-03", "L1", name="G" * 200)]))

    assert out == summary(sessions=1, unmatched=1)
    assert UnmatchedParticipant.objects.get().name == "G" * 200


def test_every_problem_of_a_file_is_listed_in_row_order(recorded, capsys):
    rows = good_rows() + [
        att("S5", "2026-13-01", "Z9", "P01", mode="teams"),
        att("", "2026-10-01", "L1", ""),
        att("S3", "2026-10-09", "L2", "I1"),
    ]

    assert_rejected(
        capsys,
        write(recorded, rows),
        [
            "row 5: date: “2026-13-01” is not a date in the form YYYY-MM-DD",
            "row 5: leader_index_number: Z9 is not an active person",
            "row 5: mode: “teams” is not one of: in_person, video, phone",
            "row 6: participant_index_number: give participant_index_number or participant_name",
            "row 6: session_ref: is required",
            "row 7: participant_index_number: I1 is not an active person",
        ],
    )


def test_warnings_are_listed_beside_errors_of_a_rejected_file(recorded, capsys):
    rows = good_rows() + [att("S3", "2026-10-01", "L2", "L2"), att("S5", "2026-10-01", "Z9", "P01")]

    err = assert_rejected(capsys, write(recorded, rows), ["row 6: leader_index_number: Z9 is not an active person"])

    assert "warning: row 5: participant_index_number: the leader is not counted as their own participant" in err.splitlines()


def test_dry_run_of_a_bad_file_is_rejected_the_same_way(recorded, capsys):
    rows = good_rows() + [att("S5", "2026-10-01", "Z9", "P01")]

    assert_rejected(capsys, write(recorded, rows), ["row 5: leader_index_number: Z9 is not an active person"], "--dry-run")


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "row 1: file: the file is empty"),
        (b"\xff\xd8\xff\xe0 not text \x81\x82", "row 1: file: the file is not UTF-8 text or an XLSX workbook"),
        (b"PK\x03\x04 not really a workbook", "row 1: file: the XLSX file is damaged"),
    ],
    ids=["empty", "binary", "damaged-xlsx"],
)
def test_unreadable_file_is_rejected_with_exit_1(recorded, capsys, content, problem):
    path = recorded / "attendance.csv"
    path.write_bytes(content)

    assert_rejected(capsys, path, [problem])


# --- the command's usage --------------------------------------------------------------------


def test_unknown_cycle_is_wrong_usage_with_exit_2(recorded, capsys):
    before = db_snapshot()
    path = write(recorded, good_rows())

    with pytest.raises(CommandError) as raised:
        call_command("import_attendance", str(path), "--cycle", "2031")

    assert raised.value.returncode == 2
    assert "2031" in str(raised.value)
    assert db_snapshot() == before


def test_missing_file_is_wrong_usage_with_exit_2(recorded, capsys):
    before = db_snapshot()

    with pytest.raises(CommandError) as raised:
        call_command("import_attendance", str(recorded / "nowhere.csv"), "--cycle", "2026")

    assert raised.value.returncode == 2
    assert "nowhere.csv" in str(raised.value)
    assert db_snapshot() == before


# --- the service: leaders limited to some entities ------------------------------------------


def test_leader_outside_the_allowed_entities_is_rejected_and_nothing_written(recorded, org):
    before = db_snapshot()
    rows = good_rows() + [att("S5", "2026-10-01", "X1", "P01")]

    report = attendance_import(table=read_table(csv_bytes(rows)), cycle=org["cycle"], entity_ids={org["dgc"].pk})

    assert not report.ok
    assert report.written is False
    assert [str(p) for p in report.errors] == ["row 5: leader_index_number: X1 is not an active person of your entity"]
    assert db_snapshot() == before


def test_unknown_leader_and_leader_of_another_entity_get_the_same_message(org):
    rows = [att("S1", "2026-09-03", "X1", "P01"), att("S2", "2026-09-03", "X9", "P02")]

    report = attendance_import(table=read_table(csv_bytes(rows)), cycle=org["cycle"], entity_ids={org["dgc"].pk})

    assert [str(p) for p in report.errors] == [
        "row 2: leader_index_number: X1 is not an active person of your entity",
        "row 3: leader_index_number: X9 is not an active person of your entity",
    ]


def test_participants_of_another_entity_are_rejected_like_unknown_ones(org):
    # P01 and P02 are of DGC and not below X1 (OCHA): an OCHA focal point may not record them.
    rows = [att("S1", "2026-09-03", "X1", "P01"), att("S1", "2026-09-03", "X1", "P99")]

    report = attendance_import(table=read_table(csv_bytes(rows)), cycle=org["cycle"], entity_ids={org["ocha"].pk})

    assert [str(p) for p in report.errors] == [
        "row 2: participant_index_number: P01 is not an active person of your entity, of the leader’s team or among the session’s invitees",
        "row 3: participant_index_number: P99 is not an active person of your entity, of the leader’s team or among the session’s invitees",
    ]
    assert Session.objects.count() == 0


def test_leader_inside_the_allowed_entities_is_accepted_with_participants_from_elsewhere_below_them_or_invited(org):
    # Participants from another entity are recorded when they report to the leader (at any
    # depth) or were invited to the leader's session of that reference.
    Person.objects.filter(index_number="P01").update(manager_id="X1")
    Person.objects.filter(index_number="P02").update(manager_id="P01")
    invited = Session.objects.create(cycle=org["cycle"], leader=Person.objects.get(index_number="X1"), ref="S1", date=datetime.date(2026, 9, 3))
    invited.invitations.create(person=Person.objects.get(index_number="P03"))
    rows = [att("S1", "2026-09-03", "X1", "P01"), att("S1", "2026-09-03", "X1", "P02"), att("S1", "2026-09-03", "X1", "P03")]

    report = attendance_import(table=read_table(csv_bytes(rows)), cycle=org["cycle"], entity_ids={org["ocha"].pk})

    assert report.ok and report.written
    assert report.summary() == summary(sessions=1, participants=3).strip()
    assert sessions() == {("X1", "S1"): ("2026-09-03", "in_person", ["P01", "P02", "P03"], [])}


def test_no_entity_limit_accepts_leaders_of_every_entity(org):
    rows = [att("S1", "2026-09-03", "X1", "P01"), att("S2", "2026-09-03", "L1", "P02")]

    report = attendance_import(table=read_table(csv_bytes(rows)), cycle=org["cycle"])

    assert report.ok and report.written
    assert set(sessions()) == {("X1", "S1"), ("L1", "S2")}


def test_empty_set_of_entities_rejects_every_leader(org):
    rows = [att("S1", "2026-09-03", "L1", "P01")]

    report = attendance_import(table=read_table(csv_bytes(rows)), cycle=org["cycle"], entity_ids=set())

    assert [str(p) for p in report.errors] == ["row 2: leader_index_number: L1 is not an active person of your entity"]
    assert Session.objects.count() == 0


def test_service_dry_run_returns_the_planned_sessions_without_writing(recorded, org):
    before = db_snapshot()

    report = attendance_import(table=read_table(csv_bytes(good_rows())), cycle=org["cycle"], dry_run=True)

    assert report.ok and report.written is False
    assert [(s.leader, s.ref, s.date.isoformat(), s.mode, s.participants) for s in report.sessions] == [
        ("L1", "S1", "2026-09-04", "phone", ["P05"]),
        ("L2", "S3", "2026-10-01", "in_person", ["P06", "P07"]),
    ]
    assert db_snapshot() == before


def test_service_import_records_an_audit_entry(recorded, org):
    report = attendance_import(table=read_table(csv_bytes(good_rows())), cycle=org["cycle"])

    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.action, entry.target) == ("attendance.import", "2026")
    assert entry.detail == {"summary": report.summary(), "replaced": 1}
