"""Uploads benchmark: how fast, and in how little memory, hostile files are refused (issue 10).

Before the limits by purpose, a 1.1 MB XLSX that unpacks to 390 MB, uploaded as a session's
sign-in sheet, ran 591 s in 9.8 GB; a 2 MB CSV of a million rows took 28 s and 1.1 GB. This
times `cascade.tabular.read_table` refusing such files (built in memory by
core/tests/bombs.py) for each purpose, and for the video-conference report
`dialogues.conference.read_conference_report`. No database needed.

    .venv/bin/python bench/uploads.py [--runs 5]

Each case runs in a fresh process: seconds are the best of --runs timed runs (wall clock, after
one warm-up); "traced peak" is the peak of Python's allocations during one more run under
tracemalloc (which slows it, so it is not timed); "process peak RSS" is the whole process's
high-water mark, Python and Django included (about 60-80 MB before anything is read).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")

TARGET_SECONDS = 1.0
MIB = 2**20


def teams_report(participants: int) -> bytes:
    from dialogues.tests.fixtures.teams import as_tsv_utf16, sections

    crowd = [[f"Person {n}", "", "", "", f"person{n}@example.org", "", "Attendee"] for n in range(participants)]
    return as_tsv_utf16(sections(participants=crowd))


def cases():
    """name -> (build the file, purpose or None for the conference reader)."""
    from core.tabular import Purpose
    from core.tests.bombs import many_rows_csv, xlsx_bomb

    return {
        "XLSX bomb, 390 MB unpacked, as a sign-in sheet": (lambda: xlsx_bomb(390 * MIB), Purpose.SIGNIN_SHEET),
        "XLSX bomb, 390 MB unpacked, as an organization file": (lambda: xlsx_bomb(390 * MIB), Purpose.ORG_FILE),
        "XLSX bomb, 100 MB unpacked, as an organization file": (lambda: xlsx_bomb(100 * MIB), Purpose.ORG_FILE),
        "CSV of a million rows (2 MB) as a sign-in sheet": (lambda: many_rows_csv(1_000_000), Purpose.SIGNIN_SHEET),
        "CSV of a million rows as an attendance file": (lambda: many_rows_csv(1_000_000, header="session_ref"), Purpose.ATTENDANCE_FILE),
        "CSV of a million rows as an organization file": (lambda: many_rows_csv(1_000_000, header="index_number"), Purpose.ORG_FILE),
        "Teams report of 5,000 participants (UTF-16)": (lambda: teams_report(5_000), None),
        "Teams report of 100,000 participants (UTF-16)": (lambda: teams_report(100_000), None),
        "Report of a million short lines, no participants (4 MB)": (lambda: b"a,b\n" * 1_000_000, None),
    }


def measure(name: str, runs: int) -> dict:
    import django

    django.setup()
    from core.tabular import TableError, limits_for, read_table
    from dialogues.conference import read_conference_report

    build, purpose = cases()[name]
    data = build()

    def refuse() -> str:
        try:
            if purpose is None:
                read_conference_report(data)
            else:
                read_table(data, limits=limits_for(purpose))
        except TableError as exc:
            return str(exc)
        return "ACCEPTED"

    message = refuse()  # warm-up: imports openpyxl, fills caches
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        refuse()
        seconds.append(time.perf_counter() - start)
    tracemalloc.start()
    refuse()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    return {"name": name, "size": len(data), "seconds": min(seconds), "peak": peak, "rss": rss, "message": message}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one case, in the child process
    args = parser.parse_args()
    if args.case:
        print(json.dumps(measure(args.case, args.runs)))
        return
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print(f"{'case':<55} {'file':>8} {'seconds':>8} {'traced peak':>12} {'process peak RSS':>17}  verdict")
    failed = False
    for name in cases():
        child = subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--case", name], capture_output=True, text=True, check=True)
        r = json.loads(child.stdout.strip().splitlines()[-1])
        refused = r["message"] != "ACCEPTED"
        # The organization file is read as far as a real one of 300,000 people goes before it is refused.
        quick = r["seconds"] < TARGET_SECONDS or "an organization file holds at most 300,000" in r["message"]
        verdict = "PASS" if refused and quick else "FAIL"
        failed |= verdict == "FAIL"
        print(f"{name:<55} {r['size'] / MIB:>6.1f}MB {r['seconds']:>8.4f} {r['peak'] / MIB:>10.2f}MB {r['rss'] / MIB:>15.0f}MB  {verdict}")
        print(f"    {r['message']}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    print(f"target: refused in under {TARGET_SECONDS:g} s (an organization file: after at most 300,000 rows)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
