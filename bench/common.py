"""What the HTTP benchmarks share: progress lines, a free loopback port, Django set-up in the
benchmark's own process, and a gunicorn server started and stopped around the measures."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_env(script: str) -> tuple[dict, Path]:
    """The settings a benchmark serves the product with (DEBUG=0, a fresh secret key, static
    files collected into a temporary folder, bench/signin_settings.py), from a PostgreSQL
    DATABASE_URL; and that temporary folder."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit(f"DATABASE_URL must name a PostgreSQL database (bench/{script}.sh starts one)")
    tmp = Path(tempfile.mkdtemp(prefix=f"cascade-{script}-bench-"))
    env = {
        "DATABASE_URL": base,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "BENCH_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_SETTINGS_MODULE": "bench.signin_settings",
    }
    return env, tmp


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@contextlib.contextmanager
def gunicorn(env: dict, log_path: Path, *options: str):
    """Serve cascade.wsgi on 127.0.0.1 with gunicorn and the given options; yield the port once
    it accepts connections; stop the whole process group at the end."""
    port = free_port()
    log = open(log_path, "w")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "cascade.wsgi:application", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *options],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit(f"gunicorn did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
