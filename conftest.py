"""Test set-up shared by every app: a fast password hasher and the contracts' sample files."""

from pathlib import Path

import pytest

SHARED_FORMATS = Path(__file__).resolve().parent.parent / "shared" / "formats"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def formats_dir() -> Path:
    if not SHARED_FORMATS.is_dir():
        pytest.fail(f"the contracts' sample files are expected at {SHARED_FORMATS}")
    return SHARED_FORMATS
