"""Every `CASCADE_*` name the code reads is in the README's Configuration table, and the table
names nothing the code does not read.

The names are found by parsing the Python files (tests left out, `conftest.py` kept: it reads
CASCADE_TEST_NOW), not by importing them:
- an environment variable: `env(...)`, `env_bool(...)`, `env_limit(...)` (cascade/settings.py),
  `os.getenv(...)`, `os.environ.get(...)`, `os.environ[...]` read, `"..." in os.environ`;
- a setting with no environment variable: `getattr(settings, "CASCADE_...", default)`.
The table marks the second kind *setting only*, and the names read only by `conftest.py`
*tests only*.
"""

import ast
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"CASCADE_[A-Z0-9_]+")
SKIPPED = {"tests", "node_modules", "var", "__pycache__"}  # and every folder whose name starts with "."
ENV_FUNCTIONS = {"env", "env_bool", "env_limit", "getenv"}
ENVIRON_METHODS = ("environ.get", "environ.pop", "environ.setdefault")


def product_files() -> list[Path]:
    """The repository's Python files, without the tests (folders `tests`, files `test_*.py`)."""
    found = []
    for folder, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED and not d.startswith("."))
        found += [Path(folder) / f for f in sorted(filenames) if f.endswith(".py") and not f.startswith("test_")]
    return found


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(node.value):
        return node.value
    return None


def _is_environ(node: ast.AST) -> bool:
    return _dotted(node).split(".")[-1] == "environ"


def reads(source: str) -> tuple[set[str], set[str]]:
    """(environment variables read, settings read with a default through getattr) of a source."""
    environment, settings = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            function = _dotted(node.func)
            if function.split(".")[-1] in ENV_FUNCTIONS or function.endswith(ENVIRON_METHODS):
                environment.add(_name(node.args[0]))
            elif function == "getattr" and len(node.args) == 3 and _dotted(node.args[0]).endswith("settings"):
                settings.add(_name(node.args[1]))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_environ(node.value):
            environment.add(_name(node.slice))
        elif isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops) and any(_is_environ(c) for c in node.comparators):
            environment.add(_name(node.left))
    return environment - {None}, settings - {None}


def configuration_table(readme: str) -> dict[str, str]:
    """{variable: the rest of its row} of the table under "## Configuration"."""
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = (re.match(r"\| `([A-Z][A-Z0-9_]*)` \|(.*)\|\s*$", line) for line in section.splitlines())
    return {row[1]: row[2] for row in rows if row}


def undocumented(names: set[str], table: dict[str, str]) -> str:
    """The failure message for the names the table lacks, or "" when it lists them all."""
    missing = sorted(names - set(table))
    return f"README.md's Configuration table lacks {', '.join(missing)}: add a row (default, meaning) for each" if missing else ""


def names_read() -> tuple[set[str], set[str], set[str]]:
    """(environment variables the product reads, those only conftest.py reads, settings with no
    environment variable)."""
    product, harness, settings = set(), set(), set()
    for path in product_files():
        environment, with_default = reads(path.read_text(encoding="utf-8"))
        (harness if path.name == "conftest.py" else product).update(environment)
        settings |= with_default
    return product, harness - product, settings - product - harness


def test_every_cascade_name_the_code_reads_is_in_the_readme_table():
    product, harness, settings = names_read()
    # The parser finds what is known to be read, each kind: the check is not vacuous.
    assert {"CASCADE_HTTPS", "CASCADE_LOGIN_ACCOUNT_LIMIT", "CASCADE_ORG_FILE_MAX_ROWS"} <= product
    assert "CASCADE_TEST_NOW" in harness and "CASCADE_MIN_RESPONSES" in settings
    table = configuration_table((ROOT / "README.md").read_text(encoding="utf-8"))
    assert not undocumented(product | harness | settings, table), undocumented(product | harness | settings, table)


def test_the_table_says_which_names_are_not_environment_variables():
    product, harness, settings = names_read()
    table = configuration_table((ROOT / "README.md").read_text(encoding="utf-8"))
    assert not [name for name in product if "*setting only*" in table[name] or "*tests only*" in table[name]]
    assert not [name for name in settings if "*setting only*" not in table[name]]
    assert not [name for name in harness if "*tests only*" not in table[name]]


def test_the_table_lists_no_cascade_name_the_code_does_not_read():
    product, harness, settings = names_read()
    table = configuration_table((ROOT / "README.md").read_text(encoding="utf-8"))
    stale = sorted(name for name in table if name.startswith("CASCADE_") and name not in product | harness | settings)
    assert not stale, f"README.md's Configuration table lists {', '.join(stale)}, which no code reads"


def test_the_check_sees_every_way_of_reading_and_names_what_is_missing():
    source = '''
"""Mentions CASCADE_IN_A_DOCSTRING, which reads nothing."""
import os
from django.conf import settings
A = env("CASCADE_A", "1")
B = env_bool("CASCADE_B", True)
C = env_limit("CASCADE_C", "5/15")
D = os.environ.get("CASCADE_D", "")
E = os.environ["CASCADE_E"]
F = os.getenv("CASCADE_F")
G = "CASCADE_G" in os.environ
H = getattr(settings, "CASCADE_H", 3)
os.environ["CASCADE_WRITTEN"] = "1"
I = settings.CASCADE_DEFINED_IN_SETTINGS
'''
    environment, with_default = reads(source)
    assert environment == {"CASCADE_A", "CASCADE_B", "CASCADE_C", "CASCADE_D", "CASCADE_E", "CASCADE_F", "CASCADE_G"}
    assert with_default == {"CASCADE_H"}
    table = configuration_table("# X\n\n## Configuration\n\n| variable | default | meaning |\n|---|---|---|\n| `CASCADE_A` | `1` | a |\n\n## Next\n| `CASCADE_B` | | |\n")
    assert table == {"CASCADE_A": " `1` | a "}
    message = undocumented(environment, table)
    assert message.startswith("README.md's Configuration table lacks CASCADE_B, CASCADE_C, CASCADE_D, CASCADE_E, CASCADE_F, CASCADE_G:")
    assert undocumented({"CASCADE_A"}, table) == ""
