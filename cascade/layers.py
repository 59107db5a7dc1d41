"""The layers of Cascade, bottom to top, and the imports between them (docs/architecture.md).

An app may import the apps below it, never one above. `cascade` itself (settings, URLs, WSGI)
stands above every app: it wires them together. `cascade/tests/test_layers.py` holds the rule;
`bench/layers.py` prints the figures (lines per app, imports between apps).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = (
    "core",  # reading uploaded tables, writing exports, the audit trail, staged uploads
    "org",  # entities, units, people, duty stations, the yearly cycle; the organization file
    "accounts",  # users, roles, the scope layer (who the user is, what of the organization they see)
    "kit",  # the dialogue kit of a cycle: agenda, scenarios, questions, translations
    "dialogues",  # sessions, invitations, attendance, sign-in; who may see which session and name
    "feedback",  # leaders' reports, questions to the Ethics Office, anonymous assessments
    "oversight",  # the cascade's states, roll-ups, dashboards, certification, reminders, home
    "demo",  # the demo organization and the synthetic one for benchmarks
)
PROJECT = "cascade"


@dataclass(frozen=True)
class Import:
    source: str  # the importing app
    target: str  # the imported app
    module: str  # as written
    place: str  # path:line

    @property
    def upward(self) -> bool:
        return rank(self.target) > rank(self.source)


def rank(app: str) -> int:
    return LAYERS.index(app) if app in LAYERS else len(LAYERS)


def product_files(app: str, root: Path = ROOT) -> list[Path]:
    """The app's Python files that ship: not its tests, not its migrations."""
    files = []
    for path in sorted((root / app).rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        files.append(path)
    return files


def imports_between_apps(root: Path = ROOT) -> list[Import]:
    """Every import, at any depth of a module (inside functions too), from one app to another."""
    apps = {*LAYERS, PROJECT}
    found = []
    for app in (*LAYERS, PROJECT):
        for path in product_files(app, root):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    target = module.split(".")[0]
                    if target in apps and target != app:
                        found.append(Import(app, target, module, f"{path.relative_to(root)}:{node.lineno}"))
    return found
