"""Line counts per app and the imports between apps (issue 12's figures).

    .venv/bin/python bench/layers.py            # lines per app, then the imports between apps
    .venv/bin/python bench/layers.py --edges    # also every import that crosses apps, with its place

Lines are counted as they stand in the files (blank lines and comments included), split into
code (Python outside tests and migrations), templates (.html and .txt under templates/), tests
and migrations. The layers and the parsing of imports are cascade/layers.py's, the ones the
test of the rule uses; an import from a lower app to a higher one is marked "upward".
"""

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cascade.layers import LAYERS, PROJECT, imports_between_apps, rank  # noqa: E402

COLUMNS = ("code", "templates", "tests", "migrations")


def kind(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    if "tests" in parts or path.name == "testing.py":
        return "tests" if path.suffix == ".py" else None
    if "migrations" in parts:
        return "migrations" if path.suffix == ".py" else None
    if "templates" in parts and path.suffix in {".html", ".txt"}:
        return "templates"
    return "code" if path.suffix == ".py" else None


def count_lines() -> dict[str, collections.Counter]:
    table = {}
    for app in (*LAYERS, PROJECT):
        counter = collections.Counter()
        for path in (ROOT / app).rglob("*") if (ROOT / app).is_dir() else []:
            if path.is_file() and (what := kind(path)):
                counter[what] += len(path.read_text(encoding="utf-8").splitlines())
        table[app] = counter
    return table


def main() -> None:
    table = count_lines()
    print(f"{'app':<11}" + "".join(f"{c:>11}" for c in COLUMNS))
    totals = collections.Counter()
    for app, counter in table.items():
        totals.update(counter)
        print(f"{app:<11}" + "".join(f"{counter[c]:>11,}" for c in COLUMNS))
    print(f"{'total':<11}" + "".join(f"{totals[c]:>11,}" for c in COLUMNS))
    print()
    edges = collections.defaultdict(list)
    for found in imports_between_apps():
        edges[found.source, found.target].append(found)
    upward = 0
    for (source, target), places in sorted(edges.items(), key=lambda item: (rank(item[0][0]), rank(item[0][1]))):
        up = places[0].upward
        upward += len(places) if up else 0
        print(f"{source} -> {target}: {len(places)}{'  upward' if up else ''}")
        if "--edges" in sys.argv:
            for found in places:
                print(f"    {found.place} {found.module}")
    print(f"\nimports pointing upward: {upward}")


if __name__ == "__main__":
    main()
