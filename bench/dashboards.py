"""Dashboards benchmark: the Ethics Office dashboard and the largest entity's dashboard served
over HTTP by gunicorn with DEBUG=0, on a synthetic organization of --people people.

Run `bench/dashboards.sh`, which starts a throw-away PostgreSQL server and calls this script
with DATABASE_URL pointing at it. By hand:

    DATABASE_URL=postgres://user@host:port/name .venv/bin/python bench/dashboards.py \\
        [--people 150000] [--seed 1] [--requests 10] [--workers 2] [--explain]

Steps: migrate; `seed_scale --people N`; collectstatic into a temporary folder (DEBUG=0 needs
the manifest; the settings are bench/signin_settings.py, the product's settings with that
folder); an Ethics Office user and a focal point of the largest entity, each with a login
session written by Django's session store (the requests then run the real middleware and
login); gunicorn on 127.0.0.1; per page two warm-up GETs per worker, then --requests timed GETs, each a
full HTTP round trip on a kept-alive connection; median and max against the target. Then, in
this process, each selector of the two pages timed alone (best of 3), and with --explain the
EXPLAIN ANALYZE of the dashboards' SQL, to see where the time goes.
"""

import argparse
import http.client
import os
import secrets
import statistics
import subprocess
import sys
import time

from common import PYTHON, ROOT, gunicorn, served_env, setup_django, step

TARGET_MS = 500.0


def create_users() -> dict:
    """An Ethics Office user and a focal point of the largest entity, with login sessions."""
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import Role, RoleGrant, User
    from org.models import Entity

    largest = Entity.objects.annotate(n=Count("people")).order_by("-n").first()
    cookies = {}
    for email, role, entity in (("eo@bench.example", Role.ETHICS_OFFICE, None), ("fp@bench.example", Role.FOCAL_POINT, largest)):
        user, _created = User.objects.get_or_create(email=email)
        user.set_password(secrets.token_urlsafe(16))
        user.save()
        RoleGrant.objects.get_or_create(user=user, role=role, entity=entity)
        store = SessionStore()
        store.update(
            {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend", HASH_SESSION_KEY: user.get_session_auth_hash()}
        )
        store.set_expiry(timezone.now() + datetime.timedelta(days=1))
        store.create()
        cookies[email] = store.session_key
    return {"entity": largest.code, "entity_people": largest.n, "eo": cookies["eo@bench.example"], "fp": cookies["fp@bench.example"]}


def timed_gets(port: int, path: str, sessionid: str, requests: int, warmups: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={sessionid}"}

    def get() -> tuple[float, int, int]:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, len(body)

    # Warm-up: enough requests for every worker to have served the page once (a worker's first
    # request imports the views and loads the translations: seconds, once per process).
    for _ in range(warmups):
        warm_ms, status, size = get()
        if status != 200:
            sys.exit(f"GET {path} answered {status}")
    times = [get()[0] for _ in range(requests)]
    connection.close()
    return {"path": path, "warm": warm_ms, "median": statistics.median(times), "max": max(times), "min": min(times), "bytes": size}


def selector_breakdown(entity_code: str) -> list[tuple[str, float]]:
    """Each selector of the two pages alone, best of 3, in milliseconds, with JIT off as in the views."""
    from django.utils import timezone

    from org.models import Cycle, Entity
    from oversight import dashboards, tree
    from oversight.selectors import rollup

    cycle = Cycle.objects.current()
    today = timezone.localdate()
    entity = Entity.objects.get(code=entity_code)
    top = tree.tree_level(cycle, entity.pk)
    calls = {
        "EO: progress_report (all)": lambda: dashboards.progress_report(cycle, today=today),
        "entity: rollup": lambda: rollup(cycle, entity_codes=[entity.code]),
        "entity: progress_report": lambda: dashboards.progress_report(cycle, entity_ids=[entity.pk], today=today),
        "entity: entity_cascade (counts, top level, lists)": lambda: tree.entity_cascade(cycle, entity.pk, today=today),
        "entity: tree_level (top; the htmx fragment)": lambda: tree.tree_level(cycle, entity.pk),
        "entity: entity_sessions": lambda: list(dashboards.entity_sessions(cycle, entity.pk)),
        "entity: entity_session_totals": lambda: dashboards.entity_session_totals(cycle, entity.pk),
    }
    result = []
    for name, call in calls.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            with dashboards.fast_reads():  # as the views run them: JIT off
                call()
            times.append((time.perf_counter() - started) * 1000)
        result.append((name, min(times)))
    print(f"entity {entity.code}: {len(top)} top manager(s) in its tree")
    return result


def explain_queries(entity_code: str) -> None:
    """EXPLAIN ANALYZE of every query of the heaviest selectors."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from org.models import Cycle, Entity
    from oversight import dashboards, tree
    from oversight.selectors import rollup

    cycle = Cycle.objects.current()
    today = timezone.localdate()
    entity = Entity.objects.get(code=entity_code)
    calls = {
        "entity_cascade": lambda: tree.entity_cascade(cycle, entity.pk, today=today),
        "progress_report (all)": lambda: dashboards.progress_report(cycle, today=today),
        "rollup (entity)": lambda: rollup(cycle, entity_codes=[entity.code]),
    }
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        for query in captured.captured_queries:
            with dashboards.fast_reads(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print(f"\n=== EXPLAIN ANALYZE: {name}\n" + "\n".join(line for (line,) in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=10, help="timed GETs per page, after two warm-up GETs per worker")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--explain", action="store_true", help="also print EXPLAIN ANALYZE of the main queries")
    parser.add_argument("--skip-seed", action="store_true", help="the database is already migrated and seeded")
    options = parser.parse_args()

    started = time.perf_counter()
    env, tmp = served_env("dashboards")
    run_env = {**os.environ, **env}
    seed_summary = "(seeded before)"
    if not options.skip_seed:
        step("migrate")
        subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=run_env, check=True, timeout=600)
        step(f"seed_scale --people {options.people} --seed {options.seed}")
        seeded = subprocess.run(
            [PYTHON, "manage.py", "seed_scale", "--people", str(options.people), "--seed", str(options.seed)],
            cwd=ROOT,
            env=run_env,
            check=True,
            timeout=1200,
            capture_output=True,
            text=True,
        )
        seed_summary = seeded.stdout.strip()
    step("collectstatic")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=run_env, check=True, timeout=600)
    step("users and login sessions")
    setup_django(env)
    users = create_users()
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    connections.close_all()

    with gunicorn(run_env, tmp / "gunicorn.log", "--workers", str(options.workers), "--timeout", "120") as port:
        step(f"GET the Ethics Office dashboard, {options.requests} times after {2 * options.workers} warm-up GETs")
        eo = timed_gets(port, "/oversight/", users["eo"], options.requests, 2 * options.workers)
        step(f"GET the dashboard of {users['entity']}, {options.requests} times after {2 * options.workers} warm-up GETs")
        entity = timed_gets(port, f"/oversight/entities/{users['entity']}/", users["fp"], options.requests, 2 * options.workers)

    print(f"Cascade dashboards benchmark — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, PostgreSQL {server_version}")
    print(f"data: {seed_summary}")
    print(
        f"largest entity {users['entity']}: {users['entity_people']} people; gunicorn {options.workers} sync workers, DEBUG=0; "
        f"{options.requests} GETs per page after {2 * options.workers} warm-up GETs, over HTTP on 127.0.0.1 (one kept-alive connection)"
    )
    print()
    header = ("page", "last warm-up ms", "median ms", "max ms", "min ms", "KiB", "target", "result")
    rows = [header]
    for name, r in (("Ethics Office dashboard", eo), (f"entity dashboard {users['entity']} (focal point)", entity)):
        passed = r["median"] < TARGET_MS and r["max"] < TARGET_MS
        rows.append(
            (
                name,
                f"{r['warm']:.0f}",
                f"{r['median']:.0f}",
                f"{r['max']:.0f}",
                f"{r['min']:.0f}",
                f"{r['bytes'] / 1024:.0f}",
                f"< {TARGET_MS:.0f} ms",
                "PASS" if passed else "FAIL",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if j in (0, 6) else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    errors = (tmp / "gunicorn.log").read_text().strip()
    if errors:
        print(f"gunicorn log:\n{errors[-3000:]}")
    print("\nselectors alone, in-process, best of 3 (ms):")
    for name, ms in selector_breakdown(users["entity"]):
        print(f"  {name:<48} {ms:8.1f}")
    if options.explain:
        explain_queries(users["entity"])
    print(f"\nwhole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
