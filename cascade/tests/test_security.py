"""The site's security headers and production settings: a Content-Security-Policy without
'unsafe-inline' on every response, templates with no inline script or style for it to block,
and `check --deploy` clean with production settings (HTTPS behind a proxy, HSTS, __Host- cookies).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-only-" + "0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "cascade.example.org",
    "DATABASE_URL": "sqlite:///var/check-deploy.sqlite3",
    "EMAIL_URL": "smtp://cascade:secret@mail.example.org:587?tls=1",
}


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_csp_header_present_without_unsafe_inline(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200 and "Log in" in response.content.decode()
    header = response["Content-Security-Policy"]
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.mark.django_db
def test_csp_header_on_the_participant_pages_too(client):
    response = client.get("/s/")
    assert response.status_code == 200 and "Code shown in the room" in response.content.decode()
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def template_files():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" not in folder.parts and "node_modules" not in folder.parts:
            yield from folder.rglob("*.html")


def test_no_inline_script_style_or_event_handler_in_templates():
    files = list(template_files())
    assert len(files) > 30
    problems = []
    for file in files:
        text = file.read_text()
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{file.relative_to(ROOT)}:{number}"
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", line):
                problems.append(f"{where}: inline <script>")
            if re.search(r"<style\b", line):
                problems.append(f"{where}: <style> element")
            if re.search(r"\sstyle=", line):
                problems.append(f"{where}: style= attribute")
            if re.search(r"\son[a-z]+\s*=", line) or "javascript:" in line or re.search(r"\s(data-)?hx-on", line):
                problems.append(f"{where}: inline event handler")
    assert not problems, "\n".join(problems)


def test_pages_that_load_htmx_tell_it_not_to_inject_its_style_element():
    for file in template_files():
        text = file.read_text()
        if "htmx.min.js" in text:
            meta = re.search(r"""<meta name="htmx-config" content='([^']+)'>""", text)
            assert meta, f"{file}: loads htmx without the htmx-config meta"
            assert json.loads(meta.group(1))["includeIndicatorStyles"] is False
    css = (ROOT / "static" / "css" / "cascade.css").read_text()
    assert ".htmx-indicator" in css and ".htmx-request .htmx-indicator" in css


def run_production(*args, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASCADE_", "SECURE_", "DJANGO_SETTINGS", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    env.update(PRODUCTION, **extra_env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes():
    done = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_without_https_settings():
    """The check is not vacuous: served over plain HTTP, it warns."""
    done = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING", CASCADE_HTTPS="0")
    assert done.returncode != 0
    assert "security.W008" in done.stderr + done.stdout  # no redirect to HTTPS


PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({n: getattr(s, n) for n in ("
    "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_PATH', 'SESSION_COOKIE_DOMAIN', "
    "'CSRF_COOKIE_PATH', 'CSRF_COOKIE_DOMAIN', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_AGE', 'CASCADE_TRUSTED_PROXIES')}))"
)


def production_settings(**extra_env) -> dict:
    done = run_production("-c", PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="cascade.settings", **extra_env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_uses_host_prefixed_secure_cookies_and_hsts():
    s = production_settings()
    assert (s["SESSION_COOKIE_NAME"], s["CSRF_COOKIE_NAME"]) == ("__Host-sessionid", "__Host-csrftoken")
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert (s["SESSION_COOKIE_PATH"], s["CSRF_COOKIE_PATH"], s["SESSION_COOKIE_DOMAIN"], s["CSRF_COOKIE_DOMAIN"]) == ("/", "/", None, None)
    assert s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_HSTS_PRELOAD"] is False and s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["SESSION_COOKIE_AGE"] == 12 * 3600
    assert s["CASCADE_TRUSTED_PROXIES"] == 0


def test_production_behind_a_proxy_reads_its_https_header():
    s = production_settings(CASCADE_PROXY_SSL_HEADER="X-Forwarded-Proto", CASCADE_TRUSTED_PROXIES="1", CASCADE_HSTS_PRELOAD="1")
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["CASCADE_TRUSTED_PROXIES"] == 1 and s["SECURE_HSTS_PRELOAD"] is True


def test_plain_http_serving_keeps_the_plain_cookie_names():
    """The benchmarks serve DEBUG=0 over plain HTTP on loopback (SECURE_COOKIES=0)."""
    s = production_settings(SECURE_COOKIES="0")
    assert (s["SESSION_COOKIE_NAME"], s["SESSION_COOKIE_SECURE"], s["SECURE_SSL_REDIRECT"]) == ("sessionid", False, False)
