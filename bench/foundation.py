"""Foundation benchmark: the organization import, the roll-up and the cascade status at scale,
each beside a floor — the bare database work it cannot beat — on the same data.

Run `bench/foundation.sh`, which starts a throw-away PostgreSQL server (default durability
settings) and calls this script with DATABASE_URL pointing at it. By hand:

    DATABASE_URL=postgres://user@host:port/name .venv/bin/python bench/foundation.py \\
        [--people 150000] [--seed 1] [--runs 5] [--explain]

DATABASE_URL names an empty database the script may fill; the script creates (and drops
again) two more databases beside it on the same server, NAME_import and NAME_floor, so the
user needs CREATEDB.

Steps: migrate; `seed_scale --people N`; `export_org` to a temporary CSV; on a second, freshly
migrated database, `import_org` of that CSV twice (the create path, then the unchanged path);
on the seeded database `rollup` and `cascade_status`, selector and full command, each the best
of --runs after a warm-up; and their floors: one bare GROUP BY for the roll-up, one bare
recursive CTE for the depths, and a bare `Person.objects.bulk_create` of the same rows into an
empty table (on a third freshly migrated database).

Set-up steps run as subprocesses (`manage.py ...`, wall time including Python start-up); timed
measures run inside a worker process that has Django set up, with time.perf_counter around
call_command (its output sent to a StringIO) or around the selector call.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BATCH = 2000  # the batch size org_import uses for its creates

ROLLUP_TARGET = 0.5
ROLLUP_RATIO = 3.0
CASCADE_TARGET = 1.0
IMPORT_TARGET = 30.0
SEED_TARGET = 60.0


# -- the orchestrator (no Django here) --------------------------------------------------------


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + name))


def server_connection(base: str):
    """An autocommit connection to the server's `postgres` database, to create databases."""
    import psycopg

    parts = urlsplit(base)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
    )


def recreate_database(base: str, name: str) -> None:
    with server_connection(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(base: str, name: str) -> None:
    with server_connection(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def manage(url: str, *args: str) -> tuple[float, str]:
    """Run `manage.py ARGS` against `url`; (wall seconds, standard output)."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds, done.stdout.strip()


def worker(url: str, name: str, *args: str) -> dict:
    """Run one measuring worker (this file, --worker NAME) against `url`; its JSON result."""
    done = subprocess.run([PYTHON, __file__, "--worker", name, *args], cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"worker {name} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each read, after one warm-up")
    parser.add_argument("--explain", action="store_true", help="also print EXPLAIN ANALYZE of the read queries")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        return run_worker(options)

    base = os.environ.get("DATABASE_URL", "")
    if urlsplit(base).scheme not in ("postgres", "postgresql"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (bench/foundation.sh starts one)")
    seeded_name = urlsplit(base).path.lstrip("/")
    import_name, floor_name = f"{seeded_name}_import", f"{seeded_name}_floor"
    import_url, floor_url = database_url(base, import_name), database_url(base, floor_name)
    started = time.perf_counter()
    load_before = os.getloadavg()
    rows = []  # (measure, how, seconds, floor, target text, passed or None)

    with tempfile.TemporaryDirectory(prefix="cascade-bench-") as tmp:
        csv_path = str(Path(tmp) / "org.csv")
        step(f"migrate {seeded_name}")
        manage(base, "migrate", "--no-input", "-v0")
        step(f"seed_scale --people {options.people} --seed {options.seed}")
        seed_seconds, seed_summary = manage(base, "seed_scale", "--people", str(options.people), "--seed", str(options.seed))
        step("export_org")
        export_seconds, export_summary = manage(base, "export_org", csv_path)
        csv_bytes = Path(csv_path).stat().st_size

        step(f"create and migrate {import_name} and {floor_name}")
        for name, url in ((import_name, import_url), (floor_name, floor_url)):
            recreate_database(base, name)
            manage(url, "migrate", "--no-input", "-v0")
        try:
            step("import_org twice on the fresh database")
            imported = worker(import_url, "import", "--csv", csv_path)
            step("bare bulk_create on another fresh database")
            floor = worker(floor_url, "bulk_create", "--csv", csv_path)
        finally:
            drop_database(base, import_name)
            drop_database(base, floor_name)
        step(f"roll-up and cascade status, best of {options.runs} after a warm-up")
        reads = worker(base, "reads", "--runs", str(options.runs), *(["--explain"] if options.explain else []))

    people = options.people
    rows.append((f"seed_scale --people {people}", "subprocess", seed_seconds, None, f"< {SEED_TARGET:.0f} s", seed_seconds < SEED_TARGET))
    rows.append(("export_org", "subprocess", export_seconds, None, "", None))
    for key, label in (("create", "import_org, create path"), ("unchanged", "import_org, unchanged path")):
        seconds = imported[key]["seconds"]
        rows.append((label, "in-process", seconds, floor["seconds"] if key == "create" else None, f"< {IMPORT_TARGET:.0f} s", seconds < IMPORT_TARGET))
    for key, label in (("rollup_selector", "rollup: selector"), ("rollup_command", f"rollup --cycle {reads['year']}")):
        seconds = reads[key]
        passed = seconds < ROLLUP_TARGET and seconds <= ROLLUP_RATIO * reads["rollup_floor"]
        rows.append((label, "in-process", seconds, reads["rollup_floor"], f"< {ROLLUP_TARGET} s, <= {ROLLUP_RATIO:.0f}x floor", passed))
    for key, label in (("cascade_selector", "cascade_states: selector"), ("cascade_command", f"cascade_status --cycle {reads['year']}")):
        seconds = reads[key]
        rows.append((label, "in-process", seconds, reads["depth_floor"], f"< {CASCADE_TARGET:.0f} s", seconds < CASCADE_TARGET))

    print(f"Cascade foundation benchmark — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, PostgreSQL {reads['server']['server_version']}")
    print("server: " + ", ".join(f"{k}={v}" for k, v in reads["server"].items() if k != "server_version"))
    load_after = os.getloadavg()
    print(f"load:   1-minute load average {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end (other work on the machine slows every measure)")
    print(f"data:   {seed_summary}")
    print(f"        {export_summary} ({csv_bytes / 2**20:.1f} MB)")
    shape = reads["shape"]
    print(
        f"        active people {shape['people']}, entities {shape['entities']}, units {shape['units']}, roll-up rows {shape['rollup_rows']}, "
        f"managers {shape['managers']}, depth histogram {shape['depths']}"
    )
    print(f"        cascade states {shape['states']}; people reached {shape['reached']} ({100 * shape['reached'] / max(shape['people'], 1):.0f}%)")
    print(f"import: 1st {imported['create']['summary']!r}; 2nd {imported['unchanged']['summary']!r}")
    print()
    header = ("measure", "how", "seconds", "floor", "ratio", "target", "result")
    table = [header]
    for measure, how, seconds, floor_seconds, target, passed in rows:
        table.append(
            (
                measure,
                how,
                f"{seconds:.3f}",
                f"{floor_seconds:.3f}" if floor_seconds is not None else "—",
                f"{seconds / floor_seconds:.1f}x" if floor_seconds else "—",
                target or "—",
                "—" if passed is None else ("PASS" if passed else "FAIL"),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) if j in (0, 1, 5) else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("floors, same data:")
    print(
        f"  import_org create  <- bare Person.objects.bulk_create of the same {floor['rows']} rows into an empty table, batch_size={BATCH}: "
        f"{floor['seconds']:.3f} s = {floor['rows'] / floor['seconds']:,.0f} rows/s (import_org: {floor['rows'] / imported['create']['seconds']:,.0f} rows/s)"
    )
    print(
        f"  rollup             <- one bare GROUP BY (active people by entity and unit, reached through attendance or leading): "
        f"{reads['rollup_floor']:.3f} s, {reads['rollup_floor_rows']} rows, same numbers as the selector: {'yes' if reads['rollup_agrees'] else 'NO'}"
    )
    print(f"  cascade_status     <- one bare recursive CTE of depths over org_person (manager_id -> index_number): {reads['depth_floor']:.3f} s")
    print(
        "timings: reads are the best of "
        f"{options.runs} runs after one warm-up (all runs: rollup selector {fmt_runs(reads['runs']['rollup_selector'])}; "
        f"cascade selector {fmt_runs(reads['runs']['cascade_selector'])}); in-process = time.perf_counter around call_command or the "
        "selector in a worker process with Django set up; subprocess = wall time of `manage.py ...` including start-up."
    )
    failed = [row[0] for row in rows if row[5] is False]
    print(f"result: {'all targets met' if not failed else 'FAILED: ' + '; '.join(failed)} — whole run {time.perf_counter() - started:.0f} s")
    for title, text in reads.get("explain", {}).items():
        print(f"\n=== EXPLAIN ANALYZE: {title}\n{text}")


def fmt_runs(runs: list[float]) -> str:
    return "/".join(f"{r:.3f}" for r in runs)


# -- the workers (Django set up from DATABASE_URL) --------------------------------------------


def run_worker(options) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    import django

    django.setup()
    result = {"import": worker_import, "bulk_create": worker_bulk_create, "reads": worker_reads}[options.worker](options)
    print(json.dumps(result))


def worker_import(options) -> dict:
    from django.core.management import call_command

    result = {}
    for key in ("create", "unchanged"):
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        call_command("import_org", options.csv, stdout=out, stderr=err)
        result[key] = {"seconds": time.perf_counter() - started, "summary": out.getvalue().strip()}
    return result


def worker_bulk_create(options) -> dict:
    """The floor of the create path: the same rows, as Person objects built beforehand, written
    by one bare bulk_create (and its commit) into an empty table."""
    from django.db import transaction

    from org.models import Entity, Person, Unit

    with open(options.csv, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    entities = {}
    for row in rows:
        entities.setdefault(row["entity"], row["entity_name"])
    Entity.objects.bulk_create([Entity(code=code, name=name) for code, name in entities.items()])
    entity_ids = dict(Entity.objects.values_list("code", "pk"))
    paths = set()
    for row in rows:
        if row["unit"]:
            levels = row["unit"].split(" > ")
            paths.update((row["entity"], " > ".join(levels[:depth])) for depth in range(1, len(levels) + 1))
    unit_ids: dict[tuple[str, str], int] = {}
    for level in sorted({path.count(" > ") for _code, path in paths}):
        keys = sorted(key for key in paths if key[1].count(" > ") == level)
        units = [Unit(entity_id=entity_ids[code], path=path, parent_id=unit_ids[(code, path.rsplit(" > ", 1)[0])] if level else None) for code, path in keys]
        Unit.objects.bulk_create(units, batch_size=5000)
        unit_ids.update({key: unit.pk for key, unit in zip(keys, units)})
    people = [
        Person(
            index_number=row["index_number"],
            name=row["name"],
            email=row["email"],
            manager_id=row["manager_index_number"] or None,
            entity_id=entity_ids[row["entity"]],
            unit_id=unit_ids[(row["entity"], row["unit"])] if row["unit"] else None,
            category=row["category"],
            location_type=row["location_type"],
            duty_station=row["duty_station"],
            language=row["language"],
            active=True,
        )
        for row in rows
    ]
    assert not Person.objects.exists()
    started = time.perf_counter()
    with transaction.atomic():
        Person.objects.bulk_create(people, batch_size=BATCH)
    return {"seconds": time.perf_counter() - started, "rows": len(people)}


def best_of(runs: int, call) -> tuple[float, list[float]]:
    call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times), times


def worker_reads(options) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.models import Cycle, Entity, Person, Unit
    from oversight.selectors import _cascade_sql, attended_sql, cascade_states, led_sql, rollup

    cycle = Cycle.objects.current()
    person, entity, unit = Person._meta.db_table, Entity._meta.db_table, Unit._meta.db_table
    # Table names come from the models: no user text in the SQL.
    rollup_floor_sql = f"""
SELECT e.code, u.path, COUNT(*) AS personnel, COUNT(r.person_id) AS participants
FROM {person} p
JOIN {entity} e ON e.id = p.entity_id
LEFT JOIN {unit} u ON u.id = p.unit_id
LEFT JOIN (
    {attended_sql()}
    UNION
    {led_sql()}
) r ON r.person_id = p.id
WHERE p.active
GROUP BY e.code, u.path"""  # noqa: S608
    depth_floor_sql = f"""
WITH RECURSIVE tree (index_number, depth) AS (
    SELECT index_number, 0 FROM {person} WHERE active AND manager_id IS NULL
    UNION ALL
    SELECT p.index_number, t.depth + 1 FROM {person} p JOIN tree t ON p.manager_id = t.index_number WHERE p.active
)
SELECT depth, COUNT(*) FROM tree GROUP BY depth ORDER BY depth"""  # noqa: S608
    params = {"cycle": cycle.pk}

    def sql(text):
        with connection.cursor() as cursor:
            cursor.execute(text, params)
            return cursor.fetchall()

    def command(name):
        call_command(name, "--cycle", str(cycle.year), stdout=io.StringIO(), stderr=io.StringIO())

    result = {"year": cycle.year, "runs": {}}
    with connection.cursor() as cursor:
        result["server"] = {}
        for setting in ("server_version", "shared_buffers", "work_mem", "fsync", "synchronous_commit", "jit"):
            cursor.execute(f"SHOW {setting}")
            result["server"][setting] = cursor.fetchone()[0]
    measures = {
        "rollup_selector": lambda: rollup(cycle),
        "rollup_command": lambda: command("rollup"),
        "rollup_floor": lambda: sql(rollup_floor_sql),
        "cascade_selector": lambda: cascade_states(cycle),
        "cascade_command": lambda: command("cascade_status"),
        "depth_floor": lambda: sql(depth_floor_sql),
    }
    for key, call in measures.items():
        result[key], result["runs"][key] = best_of(options.runs, call)

    # The floor must compute the same numbers as the selector.
    floor_rows = sql(rollup_floor_sql)
    selector = {(e.entity, u.unit): (u.personnel, u.participants) for e in rollup(cycle) for u in e.units}
    result["rollup_agrees"] = selector == {(code, path or ""): (n, r) for code, path, n, r in floor_rows}
    result["rollup_floor_rows"] = len(floor_rows)
    managers = cascade_states(cycle)
    states = {}
    for m in managers:
        states[m.state] = states.get(m.state, 0) + 1
    result["shape"] = {
        "people": Person.objects.active().count(),
        "entities": Entity.objects.count(),
        "units": Unit.objects.count(),
        "rollup_rows": len(selector),
        "managers": len(managers),
        "depths": dict(sql(depth_floor_sql)),
        "states": states,
        "reached": sum(participants for _personnel, participants in selector.values()),
    }

    if options.explain:
        with CaptureQueriesContext(connection) as captured:
            rollup(cycle)
        rollup_sql = captured.captured_queries[-1]["sql"]
        explain = {}
        for title, text, args in (
            ("rollup selector (as the ORM sends it)", rollup_sql, None),
            ("rollup floor", rollup_floor_sql, params),
            ("cascade_states selector", _cascade_sql(""), params),
            ("depth floor", depth_floor_sql, params),
        ):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, args)
                explain[title] = "\n".join(line for (line,) in cursor.fetchall())
        result["explain"] = explain
    return result


if __name__ == "__main__":
    main()
