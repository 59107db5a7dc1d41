"""Line counts per app and the imports between apps (issue 12's figures).

    .venv/bin/python bench/layers.py            # table of lines per app, then imports between apps
    .venv/bin/python bench/layers.py --edges    # also every import that crosses apps, with its place

Lines are counted as they stand in the files (blank lines and comments included), split into
code (Python outside tests and migrations), templates (.html, .txt under templates/), tests
and migrations. The layer order is the one of docs/architecture.md; an import from a lower
app to a higher one is marked "upward".
"""

import ast
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "org", "accounts", "dialogues", "kit", "feedback", "oversight", "demo"]
PROJECT = "cascade"  # settings, URLs, WSGI: above every app


def apps() -> list[str]:
    present = [name for name in [*LAYERS, PROJECT] if (ROOT / name).is_dir()]
    return present


def kind(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    if "tests" in parts or path.name in {"testing.py", "conftest.py"}:
        return "tests" if path.suffix == ".py" else None
    if "migrations" in parts:
        return "migrations" if path.suffix == ".py" else None
    if "templates" in parts and path.suffix in {".html", ".txt"}:
        return "templates"
    if path.suffix == ".py":
        return "code"
    return None


def count_lines() -> dict[str, collections.Counter]:
    table = {}
    for app in apps():
        counter = collections.Counter()
        for path in (ROOT / app).rglob("*"):
            if path.is_file() and (what := kind(path)):
                counter[what] += len(path.read_text(encoding="utf-8").splitlines())
        table[app] = counter
    return table


def crossings() -> dict[tuple[str, str], list[str]]:
    names = set(apps())
    edges = collections.defaultdict(list)
    for app in apps():
        for path in (ROOT / app).rglob("*.py"):
            if kind(path) != "code":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                modules = []
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules = [node.module]
                for module in modules:
                    top = module.split(".")[0]
                    if top in names and top != app:
                        edges[app, top].append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    return edges


def rank(app: str) -> int:
    return LAYERS.index(app) if app in LAYERS else len(LAYERS)


def main() -> None:
    table = count_lines()
    columns = ["code", "templates", "tests", "migrations"]
    print(f"{'app':<11}" + "".join(f"{c:>11}" for c in columns))
    for app, counter in table.items():
        print(f"{app:<11}" + "".join(f"{counter[c]:>11,}" for c in columns))
    totals = collections.Counter()
    for counter in table.values():
        totals.update(counter)
    print(f"{'total':<11}" + "".join(f"{totals[c]:>11,}" for c in columns))
    print()
    edges = crossings()
    upward = 0
    for (source, target), places in sorted(edges.items(), key=lambda item: (rank(item[0][0]), rank(item[0][1]))):
        up = rank(target) > rank(source)
        upward += len(places) if up else 0
        print(f"{source} -> {target}: {len(places)}{'  upward' if up else ''}")
        if "--edges" in sys.argv:
            for place in places:
                print(f"    {place}")
    print(f"\nimports pointing upward: {upward}")


if __name__ == "__main__":
    main()
