"""The kit's tests use the people of the sessions' tests (the contracts' sample organization)."""

from dialogues.tests.conftest import eve, fiona, nala, tatiana  # noqa: F401
