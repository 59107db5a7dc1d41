"""What the import commands share: reading the file, the exit codes (0 done, 1 input rejected and nothing written, 2 wrong usage)."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from .tabular import Problem, Purpose, Table, TableError, limits_for, read_table


class RejectedInput(CommandError):
    """Exit 1: the input broke a rule; every problem has been printed."""

    def __init__(self):
        super().__init__("input rejected, nothing written", returncode=1)


def read_table_argument(path: str, purpose: Purpose) -> Table:
    """The file's table within the limits of its purpose; a file too large is refused by its
    size, before it is read."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file", returncode=2)
    limits = limits_for(purpose)
    try:
        if file.stat().st_size > limits.bytes:
            raise TableError(Problem(1, "file", limits.too_large()))
        return read_table(file.read_bytes(), limits=limits)
    except TableError as exc:
        print_problems([exc.problem], [])
        raise RejectedInput() from exc


def print_problems(errors: list[Problem], warnings: list[Problem]) -> None:
    for problem in errors:
        print(problem, file=sys.stderr)
    for problem in warnings:
        print(f"warning: {problem}", file=sys.stderr)
