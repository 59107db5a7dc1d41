"""People of the contracts' sample organization with accounts, for the kit's tests. Each test
module that uses them defines `org`, which loads the sample organization and opens a cycle."""

import pytest

from accounts.models import Role
from accounts.tests.personas import make_user


@pytest.fixture
def eve(org):
    """The Ethics Office."""
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


@pytest.fixture
def fiona(org):
    """A focal point of E00 (she also reports to nala)."""
    return make_user("fiona@example.org", "S000010", (Role.FOCAL_POINT, "E00"))


@pytest.fixture
def nala(org):
    """A manager in E00."""
    return make_user("nala@example.org", "S000003")


@pytest.fixture
def tatiana(org):
    """Someone in E01, outside nala's team."""
    return make_user("tatiana@example.org", "S000058")
