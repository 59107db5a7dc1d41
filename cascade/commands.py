"""What the import commands share: reading the file, the exit codes of CONTRACTS §0."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from .tabular import Problem, Table, TableError, read_table


class RejectedInput(CommandError):
    """Exit 1: the input broke a rule; every problem has been printed."""

    def __init__(self):
        super().__init__("input rejected, nothing written", returncode=1)


def read_table_argument(path: str) -> Table:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file", returncode=2)
    try:
        return read_table(file.read_bytes())
    except TableError as exc:
        print_problems([exc.problem], [])
        raise RejectedInput() from exc


def print_problems(errors: list[Problem], warnings: list[Problem]) -> None:
    for problem in errors:
        print(problem, file=sys.stderr)
    for problem in warnings:
        print(f"warning: {problem}", file=sys.stderr)
