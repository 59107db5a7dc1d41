"""The interface speaks the six official languages: every string the code and templates mark
for translation has a translation in Arabic, Chinese, French, Russian and Spanish.

The test extracts the strings afresh (makemessages) into a copy of the catalogues, so a new
string without a translation fails it, as does a translation left fuzzy."""

import shutil
import subprocess

from django.core.management import call_command

LANGUAGES = ["ar", "zh_Hans", "fr", "ru", "es"]
NOT_SOURCES = [".venv", "var", "bench", "node_modules", "*/tests/*", "conftest.py"]


def test_every_interface_string_has_a_translation_in_each_language(tmp_path, settings, monkeypatch):
    # makemessages writes beside the sources it reads, so it runs on a copy of them.
    source = tmp_path / "source"
    shutil.copytree(settings.BASE_DIR, source, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "var", "bench", "__pycache__"))
    locale = source / "locale"
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=LANGUAGES, ignore_patterns=NOT_SOURCES, verbosity=0)
    missing = {}
    for language in LANGUAGES:
        po = locale / language / "LC_MESSAGES" / "django.po"
        check = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        if "untranslated" in check.stderr or "fuzzy" in check.stderr:
            missing[language] = check.stderr.strip()
    assert not missing, missing


def test_the_arabic_catalogue_is_used(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="ar")
    page = response.content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "Log in" not in page  # the button and the heading are in Arabic
