"""Self sign-in benchmark: the sign-in POST under load over HTTP, beside a floor — a bare Django
endpoint doing one INSERT — served by the same gunicorn with the same settings.

Run `bench/signin.sh`, which starts a throw-away PostgreSQL server (default durability settings)
and calls this script with DATABASE_URL pointing at it. By hand:

    DATABASE_URL=postgres://user@host:port/name .venv/bin/python bench/signin.py \\
        [--people 10000] [--duration 20] [--connections 16] [--workers 4] [--worker-class sync]

Steps: migrate; create one entity, one leader and --people participants with users, a cycle and
one session that started ten minutes ago; for every participant a login session (django_session
row), a CSRF token and the signed pass the sign-in page would give them (the GET before the tap),
written to a file the wrk Lua script reads, so that each request is another person's sign-in with
the real middleware and CSRF check (no bench-only authentication path); collectstatic into a temporary folder (DEBUG=0 needs the manifest); start
gunicorn on 127.0.0.1 with DEBUG=0 and bench/signin_settings.py, which adds the floor URL; warm
up; run wrk for --duration seconds against the floor, then against the sign-in POST; print
requests/s, p99 latency and the ratio. Only loopback traffic; every step is bounded in time.
"""

import argparse
import datetime
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import PYTHON, ROOT, gunicorn, served_env, setup_django, step

TARGET_RATE = 1000.0
BROWSER = "bench-browser"  # the value of the signin cookie the tickets are bound to (dialogues/signin.py)
TARGET_P99_MS = 50.0


def midday_zone(now: datetime.datetime) -> str:
    """A time zone where it is about noon, so the session is on today's date there."""
    offset = 12 - now.astimezone(datetime.UTC).hour
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def create_data(people: int, creds_path: Path) -> dict:
    """People, users, a session in progress, login sessions; returns the session and ticket."""
    import zoneinfo

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as LoginSession
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from dialogues.models import Session
    from dialogues.signin import session_facts, signin_pass_make, ticket_make
    from org.models import Cycle, Entity, Person

    now = timezone.now()
    zone = midday_zone(now)
    password = make_password(secrets.token_urlsafe(16))
    with transaction.atomic():
        entity = Entity.objects.create(code="BENCH", name="Benchmark entity")
        leader = Person.objects.create(index_number="L0", name="Leader Zero", email="leader@bench.example", entity=entity)
        Person.objects.bulk_create(
            [Person(index_number=f"P{n:06d}", name=f"Participant {n}", email=f"p{n}@bench.example", manager_id="L0", entity=entity) for n in range(people)],
            batch_size=5000,
        )
        ids = dict(Person.objects.filter(entity=entity).values_list("index_number", "pk"))
        User.objects.bulk_create(
            [User(email=f"p{n}@bench.example", password=password, person_id=ids[f"P{n:06d}"]) for n in range(people)], batch_size=5000
        )
        cycle = Cycle.objects.create(year=now.year, topic="Benchmark", opens=datetime.date(now.year, 1, 1), deadline=datetime.date(now.year, 12, 31))
        starts_at = now - datetime.timedelta(minutes=10)
        session = Session.objects.create(
            cycle=cycle, leader=leader, ref="BENCH-1", date=starts_at.astimezone(zoneinfo.ZoneInfo(zone)).date(), starts_at=starts_at, time_zone=zone
        )
        users = list(User.objects.filter(email__endswith="@bench.example").only("pk", "password", "person_id"))
        facts = session_facts(session.pk)
        store = SessionStore()
        expire = now + datetime.timedelta(days=1)
        login_sessions, lines = [], []
        for user in users:
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend", HASH_SESSION_KEY: user.get_session_auth_hash()}
            login_sessions.append(LoginSession(session_key=key, session_data=store.encode(data), expire_date=expire))
            # the pass the sign-in page gives this person (the GET a phone makes before the tap)
            signin_pass = signin_pass_make(session=facts, person_id=user.person_id, login_session=key).replace(":", "%3A")
            lines.append(f"{key} {get_random_string(32)} {signin_pass}")
        LoginSession.objects.bulk_create(login_sessions, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL)")
    creds_path.write_text("\n".join(lines) + "\n")
    return {"session": session.pk, "ticket": ticket_make(session.pk, browser=BROWSER), "zone": zone}


def counts(session_id: int) -> dict:
    from django.db import connection

    from dialogues.models import Attendance

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_floor")
        floor_rows = cursor.fetchone()[0]
        settings = {}
        for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return {"attendance": Attendance.objects.filter(session_id=session_id).count(), "floor_rows": floor_rows, "server": settings}


def wrk(url: str, *, duration: int, connections: int, threads: int, script: Path, creds: Path | None, offset: int = 0) -> dict:
    args = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "5s", "-s", str(script), url]
    if creds is not None:
        args += ["--", str(creds), str(threads), str(offset)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=duration + 30)
    out = done.stdout
    if done.returncode:
        sys.exit(f"wrk failed ({done.returncode}):\n{out}{done.stderr}")

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "none",
        "raw": out,
    }


FLOOR_LUA = """wrk.method = "POST"
wrk.body = "x=1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def profile(n: int, data: dict, creds: Path) -> None:
    """cProfile of N sign-in POSTs through Django's WSGI handler, with the queries of one."""
    import cProfile
    import io as _io
    import pstats

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = WSGIHandler()
    pairs = [line.split() for line in creds.read_text().splitlines()]

    def post(i):
        sid, csrf, signin_pass = pairs[i % len(pairs)]
        body = f"csrfmiddlewaretoken={csrf}&pass={signin_pass}".encode()
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": f"/dialogues/signin/{data['session']}/", "QUERY_STRING": f"t={data['ticket']}",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
            "HTTP_COOKIE": f"sessionid={sid}; csrftoken={csrf}", "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)), "wsgi.input": _io.BytesIO(body), "wsgi.errors": sys.stderr,
        }
        statuses = []
        b"".join(app(environ, lambda status, headers, *a: statuses.append(status)))
        return statuses[0]

    def post_floor():
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/bench/floor/", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": "3", "wsgi.input": _io.BytesIO(b"x=1"), "wsgi.errors": sys.stderr,
        }
        b"".join(app(environ, lambda status, headers, *a: None))

    for i in range(50):
        post(i)  # warm-up
        post_floor()
    started = time.perf_counter()
    for _i in range(n):
        post_floor()
    floor_ms = (time.perf_counter() - started) / n * 1000
    started = time.perf_counter()
    for i in range(100_000, 100_000 + n):
        post(i)
    signin_ms = (time.perf_counter() - started) / n * 1000
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection as c
    from django.template.loader import render_to_string

    from accounts.models import User
    from dialogues.signin import session_facts, ticket_is_valid

    def t(label, fn):
        started = time.perf_counter()
        for _i in range(n):
            fn()
        print(f"  {label}: {(time.perf_counter() - started) / n * 1000:.3f} ms")

    facts = session_facts(data["session"])
    t("SELECT 1 (raw cursor)", lambda: c.cursor().execute("SELECT 1"))
    t("login session load", lambda: SessionStore(pairs[7][0]).load())
    t("user get", lambda: User.objects.get(pk=5))
    t("session_facts", lambda: session_facts(data["session"]))
    t("ticket", lambda: ticket_is_valid(data["ticket"], data["session"], browser=BROWSER))
    t("render done page", lambda: render_to_string("dialogues/signin/participant.html", {"state": "done", "session_id": facts.pk, "leader_name": facts.leader_name, "date": facts.date}))
    print(f"in-process, no profiler: floor {floor_ms:.2f} ms, sign-in {signin_ms:.2f} ms per request (ratio {floor_ms / signin_ms:.2f})")
    with CaptureQueriesContext(connection) as queries:
        status = post(50)
    print(f"one POST: {status}, {len(queries)} queries:")
    for q in queries.captured_queries:
        print(f"  {q['time']}s  {q['sql'][:160]}")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i in range(51, 51 + n):
        post(i)
    profiler.disable()
    print(f"{n} POSTs in-process: {(time.perf_counter() - started) / n * 1000:.2f} ms each")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=80_000, help="enough for every measured request to be a first sign-in")
    parser.add_argument("--duration", type=int, default=15, help="seconds of each measured wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of floor then sign-in; the verdict takes the medians")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of each warm-up run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--gunicorn-threads", type=int, default=1)
    parser.add_argument("--raw", action="store_true", help="also print wrk's own output")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="instead of the HTTP runs, profile N sign-in POSTs in-process through the WSGI handler")
    options = parser.parse_args()
    missing = [tool for tool in ("wrk", "curl") if shutil.which(tool) is None]
    if missing and not options.profile:
        sys.exit(f"{' and '.join(missing)} not installed: bench/signin.sh installs them (Debian packages)")

    started = time.perf_counter()
    env, tmp = served_env("signin")
    run_env = {**os.environ, **env}
    step("migrate")
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=run_env, check=True, timeout=600)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=run_env, check=True, timeout=600)
    step(f"create {options.people} people with users and login sessions, one session in progress")
    setup_django(env)
    creds = tmp / "creds.txt"
    data = create_data(options.people, creds)
    from django.db import connections

    connections.close_all()
    if options.profile:
        return profile(options.profile, data, creds)

    server_options = ["--workers", str(options.workers), "--worker-class", options.worker_class,
                      "--threads", str(options.gunicorn_threads), "--backlog", "2048", "--preload"]
    with gunicorn(run_env, tmp / "gunicorn.log", *server_options) as port:
        floor_url = f"http://127.0.0.1:{port}/bench/floor/"
        signin_url = f"http://127.0.0.1:{port}/dialogues/signin/{data['session']}/?t={data['ticket']}"
        floor_lua = tmp / "floor.lua"
        floor_lua.write_text(FLOOR_LUA)
        signin_lua = Path(__file__).with_name("signin.lua")
        common = {"connections": options.connections, "threads": options.threads}
        step("check one sign-in by hand (and wait for the workers to be ready)")
        check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--cookie",
                                f"sessionid=x; csrftoken={'a' * 32}; signin={BROWSER}", "-d", "csrfmiddlewaretoken=" + "a" * 32, signin_url],
                               capture_output=True, text=True, timeout=120)
        step(f"  anonymous POST answers {check.stdout} (a redirect to the login page is expected)")
        step(f"warm-up, {options.warmup} s each")
        wrk(floor_url, duration=options.warmup, script=floor_lua, creds=None, **common)
        rounds, offset = [], 0
        for number in range(1, options.rounds + 1):
            # Alternating runs: a slow spell of a shared machine then hits both endpoints.
            step(f"round {number} of {options.rounds}: floor {options.duration} s, then sign-in {options.duration} s")
            floor = wrk(floor_url, duration=options.duration, script=floor_lua, creds=None, **common)
            signin = wrk(signin_url, duration=options.duration, script=signin_lua, creds=creds, offset=offset, **common)
            offset += signin["requests"] + 1000  # the next round starts with people who have not signed in yet
            rounds.append((floor, signin))
    after = counts(data["session"])
    errors = (tmp / "gunicorn.log").read_text().strip()

    def median_of(index: int, key: str) -> float:
        return statistics.median(r[index][key] for r in rounds)

    floor_rate, signin_rate, signin_p99 = median_of(0, "rate"), median_of(1, "rate"), median_of(1, "p99")
    ratio = signin_rate / floor_rate if floor_rate else 0.0
    passed = signin_rate >= TARGET_RATE and signin_p99 < TARGET_P99_MS and all(r[1]["non2xx"] == 0 for r in rounds)
    print(f"Cascade self sign-in benchmark — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, PostgreSQL {after['server']['server_version']}")
    print("server: " + ", ".join(f"{k}={v}" for k, v in after["server"].items() if k != "server_version"))
    print(f"gunicorn: {options.workers} workers, {options.worker_class}, {options.gunicorn_threads} thread(s); DEBUG=0; "
          f"wrk: {options.threads} threads, {options.connections} connections, {options.rounds} rounds of {options.duration} s per endpoint")
    print(f"data: {options.people} participants with users and login sessions; session {data['session']} started 10 min ago ({data['zone']})")
    print()
    header = ("round", "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "non-2xx", "socket errors")
    rows = [header]
    for number, pair in enumerate(rounds, 1):
        for name, r in zip(("floor: bare view, one INSERT", "sign-in POST"), pair):
            rows.append((str(number), name, str(r["requests"]), f"{r['rate']:.0f}", f"{r['p50']:.1f}", f"{r['p99']:.1f}", str(r["non2xx"]), r["socket_errors"]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if j in (1, 7) else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print(f"medians of {options.rounds} rounds: sign-ins/s {signin_rate:.0f}, p99 {signin_p99:.1f} ms; floor/s {floor_rate:.0f}; ratio sign-in/floor {ratio:.2f}")
    measured = sum(r[1]["requests"] for r in rounds)
    print(f"rows written: attendance {after['attendance']} first sign-ins for {measured} measured sign-in requests (wrk counts only the "
          f"requests completed in its window), floor rows {after['floor_rows']}")
    print(f"target: median >= {TARGET_RATE:.0f} sign-ins/s with median p99 < {TARGET_P99_MS:.0f} ms and no errors: {'PASS' if passed else 'FAIL'}"
          f" — whole run {time.perf_counter() - started:.0f} s")
    if errors:
        print(f"gunicorn log:\n{errors[-3000:]}")
    if options.raw:
        for number, (floor, signin) in enumerate(rounds, 1):
            print(f"\n=== round {number}, wrk floor\n" + floor["raw"] + f"\n=== round {number}, wrk sign-in\n" + signin["raw"])


if __name__ == "__main__":
    main()
