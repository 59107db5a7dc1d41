"""The commands that print the cascade's numbers and the organization print, byte for byte, what
they printed before: `rollup`, `cascade_status` and `export_org` on the contracts' sample files,
in every format and with every option they take, compared with the golden files in
contracts/golden/ (standard output, standard error and any file the command writes).

A golden file holds one stream of one case: `<case>.stdout`, `<case>.stderr` or `<case>.written`
(the file the command wrote). A stream without a golden file must be empty.

The golden files pin today's behaviour so that moving code between apps cannot change an output
unnoticed. When an output is meant to change, regenerate them and review the diff:

    CASCADE_WRITE_GOLDEN=1 DATABASE_URL=sqlite:///var/test.sqlite3 .venv/bin/python -m pytest -q -p no:cacheprovider cascade/tests/test_outputs_unchanged.py
    git diff cascade/tests/contracts/golden/

With CASCADE_WRITE_GOLDEN=1 the tests rewrite the files and are reported as skipped; without it
(the default) they only compare.

None of these outputs holds a date or a time, and every order in them is defined: the roll-up
sorts entities by code and units by path in Python, `cascade_status` and `export_org` sort by index
number in SQL (byte order on SQLite and on the C.UTF-8 PostgreSQL of `./dev test`).
"""

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from org.models import Entity, Person

REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "contracts" / "golden"
WRITE_GOLDEN = os.environ.get("CASCADE_WRITE_GOLDEN", "").strip() == "1"
STREAMS = ("stdout", "stderr", "written")
# The file name export_org is given, relative to the test's working directory: the summary it
# prints names it, so it must not be a temporary directory's path.
EXPORT_FILE = "organization.csv"


def leave_a_manager_and_give_a_zone():
    """The sample with one manager gone (S000040 leads a session and has reports) and one person
    with a time zone of their own: export_org's orphan warning and optional time_zone column."""
    assert Person.objects.filter(manager_id="S000040", active=True).exists()
    Person.objects.filter(index_number="S000040").update(active=False)
    Person.objects.filter(index_number="S000002").update(time_zone="Europe/Vienna")


def add_an_entity_without_people():
    Entity.objects.create(code="E99", name="Entity without people")


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    prepare: Callable[[], None] | None = None
    writes: str | None = None  # the file the command writes, relative to the working directory


ENTITIES = ["E00", "E01", "E02", "EOSG"]  # every entity of sample-org.csv

CASES = [
    Case("rollup", ("rollup", "--cycle", "2026")),
    *[Case(f"rollup-{code}", ("rollup", "--cycle", "2026", "--entity", code)) for code in ENTITIES],
    Case("rollup-E99-no-people", ("rollup", "--cycle", "2026", "--entity", "E99"), prepare=add_an_entity_without_people),
    Case("rollup-csv", ("rollup", "--cycle", "2026", "--format", "csv")),
    *[Case(f"rollup-csv-{code}", ("rollup", "--cycle", "2026", "--format", "csv", "--entity", code)) for code in ENTITIES],
    Case("rollup-csv-E99-no-people", ("rollup", "--cycle", "2026", "--format", "csv", "--entity", "E99"), prepare=add_an_entity_without_people),
    Case("cascade_status", ("cascade_status", "--cycle", "2026")),
    *[Case(f"cascade_status-{code}", ("cascade_status", "--cycle", "2026", "--entity", code)) for code in ENTITIES],
    Case("cascade_status-E99-no-people", ("cascade_status", "--cycle", "2026", "--entity", "E99"), prepare=add_an_entity_without_people),
    Case("export_org-to-stdout", ("export_org", "-")),
    Case("export_org-to-file", ("export_org", EXPORT_FILE), writes=EXPORT_FILE),
    Case("export_org-to-stdout-orphans-and-zone", ("export_org", "-"), prepare=leave_a_manager_and_give_a_zone),
    Case("export_org-to-file-orphans-and-zone", ("export_org", EXPORT_FILE), prepare=leave_a_manager_and_give_a_zone, writes=EXPORT_FILE),
]


@pytest.fixture
def sample_loaded(db, formats_dir, capsysbinary):
    """The contracts' samples loaded as in oversight/tests/test_contract_samples.py; what loading
    them printed is discarded."""
    call_command("import_org", str(formats_dir / "sample-org.csv"))
    call_command("open_cycle", year=2026, topic="Sample", opens="2026-09-01", deadline="2026-12-31")
    call_command("import_attendance", str(formats_dir / "sample-attendance.csv"), cycle=2026)
    capsysbinary.readouterr()


def readable_diff(expected: bytes, actual: bytes) -> str:
    """A unified diff in which every line is shown with repr(): a changed line ending, a
    byte-order mark or a trailing space is visible."""

    def lines(data: bytes) -> list[str]:
        return [repr(line) + "\n" for line in data.decode("utf-8", "backslashreplace").splitlines(keepends=True)]

    return "".join(difflib.unified_diff(lines(expected), lines(actual), "golden", "now", n=2))


def run(case: Case, capsysbinary, tmp_path, monkeypatch) -> dict[str, bytes]:
    """Run the command as `manage.py` would (its arguments as strings, parsed by its parser) in a
    directory of its own; return every stream as bytes."""
    monkeypatch.chdir(tmp_path)
    if case.prepare:
        case.prepare()
    capsysbinary.readouterr()
    call_command(*case.args)
    captured = capsysbinary.readouterr()
    outputs = {"stdout": captured.out, "stderr": captured.err, "written": b""}
    if case.writes:
        outputs["written"] = (tmp_path / case.writes).read_bytes()
    return outputs


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_output_is_byte_identical_to_golden(case, sample_loaded, capsysbinary, tmp_path, monkeypatch):
    outputs = run(case, capsysbinary, tmp_path, monkeypatch)
    assert outputs["stdout"] or outputs["written"], "the command printed or wrote something"
    if case.writes:
        assert outputs["written"], f"{case.writes} is not empty"

    if WRITE_GOLDEN:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stream in STREAMS:
            path = GOLDEN / f"{case.name}.{stream}"
            if outputs[stream]:
                path.write_bytes(outputs[stream])
            else:
                path.unlink(missing_ok=True)
        pytest.skip(f"CASCADE_WRITE_GOLDEN=1: golden files of {case.name} rewritten, nothing compared")

    differences = []
    for stream in STREAMS:
        path = GOLDEN / f"{case.name}.{stream}"
        expected = path.read_bytes() if path.exists() else b""
        if outputs[stream] != expected:
            differences.append(f"{stream} differs from {path.relative_to(REPOSITORY)}:\n{readable_diff(expected, outputs[stream])}")
    assert not differences, "\n".join(differences) + "\n(regenerate with CASCADE_WRITE_GOLDEN=1 only if the change is intended)"


def test_every_golden_file_belongs_to_a_case():
    """A golden file no case reads would compare nothing: a renamed case leaves none behind."""
    expected = {f"{case.name}.{stream}" for case in CASES for stream in STREAMS}
    present = {path.name for path in GOLDEN.iterdir() if path.name != "README.md"}
    assert present, "the golden files are there"
    assert present <= expected, f"golden files of no case: {sorted(present - expected)}"
    # Every case compares at least its main output with a file of its own.
    for case in CASES:
        assert {f"{case.name}.stdout", f"{case.name}.written"} & present, f"{case.name} has a golden file"


def test_json_is_the_default_format_of_rollup(sample_loaded, capsysbinary):
    call_command("rollup", "--cycle", "2026")
    default = capsysbinary.readouterr()
    call_command("rollup", "--cycle", "2026", "--format", "json")
    explicit = capsysbinary.readouterr()
    assert default.out.startswith(b'{\n "cycle": 2026,')
    assert explicit == default


@pytest.mark.parametrize(
    "args, message",
    [
        (("rollup", "--cycle", "2025"), "no cycle for 2025"),
        (("rollup", "--cycle", "2025", "--format", "csv"), "no cycle for 2025"),
        (("rollup", "--cycle", "2026", "--entity", "E77"), "no entity E77"),
        (("rollup", "--cycle", "2026", "--format", "csv", "--entity", "E77"), "no entity E77"),
        (("cascade_status", "--cycle", "2025"), "no cycle for 2025"),
        (("cascade_status", "--cycle", "2026", "--entity", "E77"), "no entity E77"),
    ],
)
def test_unknown_cycle_or_entity_is_the_same_error(sample_loaded, capsysbinary, args, message):
    with pytest.raises(CommandError) as raised:
        call_command(*args)
    assert str(raised.value) == message
    assert raised.value.returncode == 2
    captured = capsysbinary.readouterr()
    assert captured.out == b"" and captured.err == b""  # nothing printed before the error


def test_export_org_to_a_directory_that_does_not_exist_is_an_error(sample_loaded, tmp_path, capsysbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as raised:
        call_command("export_org", "missing/organization.csv")
    assert str(raised.value) == "missing/organization.csv: No such file or directory"
    assert raised.value.returncode == 2
    assert capsysbinary.readouterr().out == b""
    assert not (tmp_path / "missing").exists()
