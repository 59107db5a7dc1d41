"""Screenshots of every demo role's home page, on a desktop (1280 × 900) and a phone (390 × 844),
in English and in Arabic, into docs/screens/ (full-page PNGs).

    .venv/bin/python scripts/screens.py [--date YYYY-MM-DD] [--out FOLDER]

It loads the demo into a throw-away SQLite database, serves the app on 127.0.0.1 from a thread of
this process and drives Debian's Chromium through Playwright. The clock is set to a fixed day
(`--date`, 16 November of the current cycle by default) so that the pictures change only when
the pages do. Nothing outside the temporary folder and the output folder is written.
"""

import argparse
import datetime
import os
import sys
import tempfile
import threading
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from cascade.tests.crawl import PASSWORD, ROLES  # noqa: E402  (the demo's logins, one per role)

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LANGUAGES = ["en", "ar"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", type=datetime.date.fromisoformat, default=datetime.date(2026, 11, 16), help="the day the demo is seen on")
    parser.add_argument("--out", type=Path, default=BASE_DIR / "docs" / "screens")
    parser.add_argument("--role", action="append", choices=ROLES, help="only this demo login (repeat for more); all by default")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cascade-screens-") as folder:
        # Before Django reads its settings: a database of its own, never var/cascade.sqlite3.
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/demo.sqlite3"
        os.environ["DEBUG"] = "1"
        os.environ["EMAIL_URL"] = "locmem:"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
        import time_machine

        # 10:00 UTC on the day, the clock running from there.
        with time_machine.travel(datetime.datetime.combine(options.date, datetime.time(10), tzinfo=datetime.UTC), tick=True):
            return shoot(options.out, options.role or ROLES)


def shoot(out: Path, roles: list[str]) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The browser keeps cookies by the real clock; the server's is set back, so its cookies
    # must not carry an expiry date that has already passed.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.LANGUAGE_COOKIE_AGE = None
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=open(os.devnull, "w"))
    server, base = serve()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        from playwright.sync_api import sync_playwright

        from conftest import CHROMIUM, CHROMIUM_ARGS, browser_login

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for role in roles:
                for language in LANGUAGES:
                    for size, viewport in SIZES.items():
                        phone = size == "phone"
                        context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, locale="en-GB")
                        page = context.new_page()
                        browser_login(page, Server(base), f"{role}@demo.cascade.example", PASSWORD)
                        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
                        page.goto(f"{base}/")
                        page.evaluate("document.fonts.ready")
                        path = out / f"{role.split('.')[0]}-{language}-{size}.png"
                        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
                        shrink(path)
                        written.append(path)
                        context.close()
            browser.close()
    finally:
        server.shutdown()
    for path in written:
        print(f"{path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path}  {path.stat().st_size // 1024} KB")
    return 0


class Server:
    """What conftest's browser_login needs of pytest-django's live_server."""

    def __init__(self, url: str):
        self.url = url


def serve():
    """The app (and its static files) on a free port of 127.0.0.1, from a thread."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def shrink(path: Path) -> None:
    """A page of flat colours keeps its look in 256 colours, at a third of the bytes."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with WeasyPrint; without it the PNG stays as taken
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


if __name__ == "__main__":
    sys.exit(main())
