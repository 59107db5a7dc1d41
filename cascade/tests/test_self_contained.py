"""A clone of the repository alone sets up, runs and tests Cascade: no code, script, template or
setting refers to the project's shared folder beside the repository. The contracts' sample files
that the tests read are in cascade/tests/contracts/."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".git", ".venv", "node_modules", "var", "__pycache__", ".pytest_cache"}
SUFFIXES = {".py", ".sh", ".bash", ".html", ".txt", ".toml", ".cfg", ".ini"}  # code, shell, templates, settings
OUTSIDE = re.compile(r"\.\./shared\b|\bshared/formats\b")


def is_shell_script(path: Path) -> bool:
    with path.open("rb") as file:
        first = file.readline(200)
    return first.startswith(b"#!") and b"sh" in first


def scanned_files(root: Path):
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in SKIPPED for part in relative.parts) or not path.is_file() or path.is_symlink():
            continue
        if path.suffix in SUFFIXES or (not path.suffix and is_shell_script(path)):
            yield path


def references_outside(root: Path, *, exclude: Path | None = None) -> list[str]:
    """`file:line: text` for every line that refers to the shared folder beside the repository."""
    found = []
    for path in scanned_files(root):
        if path == exclude:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_nothing_in_the_repository_refers_to_the_shared_folder_beside_it():
    names = {path.relative_to(ROOT).as_posix() for path in scanned_files(ROOT)}
    # The scan reaches the code, the scripts, the templates and the settings.
    assert {"conftest.py", "dev", ".ci/run", "scripts/debian.sh", "pyproject.toml", "templates/base.html"} <= names
    assert references_outside(ROOT, exclude=Path(__file__).resolve()) == []


def test_a_reference_to_the_shared_folder_is_found(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "samples.py").write_text('FORMATS = Path(__file__).parent.parent / "../shared" / "formats"\n')
    (tmp_path / "run").write_text("#!/usr/bin/env bash\ncat shared/formats/sample-org.csv\n")
    (tmp_path / "notes.md").write_text("shared/formats is where the contracts live\n")  # not code: not scanned
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.py").write_text("'../shared'\n")

    assert references_outside(tmp_path) == [
        'app/samples.py:1: FORMATS = Path(__file__).parent.parent / "../shared" / "formats"',
        "run:2: cat shared/formats/sample-org.csv",
    ]
