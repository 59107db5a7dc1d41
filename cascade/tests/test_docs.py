"""The documentation names real files: every repository path written in backticks (or linked)
in README.md and docs/*.md exists, and docs/architecture.md gives each layer of
cascade/layers.py a section of its own. A file that moves or goes breaks this test, not the
reader's trust in the docs."""

import re
from pathlib import Path

from cascade.layers import LAYERS, PROJECT, ROOT

# The folders at the top of the repository that a path written in a doc may start with. Others
# (`.venv/`, `var/`, `node_modules/`) are not the repository's own files; `/feedback/assess/`
# (an address) and `org.Cycle` (a model) are not paths at all.
TOP_FOLDERS = frozenset({*LAYERS, PROJECT, ".ci", "bench", "docs", "locale", "scripts", "static", "templates"})

CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")
PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)*/?")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def path_like(token: str) -> bool:
    """A token that names a file or folder of the repository: a known top folder, a slash, and
    nothing but the characters of a file name (no `<id>`, `*` or `{...}` placeholder)."""
    return "/" in token and token.split("/", 1)[0] in TOP_FOLDERS and PATH.fullmatch(token) is not None


def written_paths(text: str) -> list[str]:
    """The repository paths written in backticks in a Markdown text: inline code spans, and the
    words of fenced blocks (a command names the script it runs), each word checked alone."""
    fenced = FENCE.findall(text)
    spans = CODE_SPAN.findall(FENCE.sub("", text))
    words = [word.strip(".,;:()") for chunk in (*spans, *fenced) for word in chunk.split()]
    return [word for word in words if path_like(word)]


def linked_paths(text: str) -> list[str]:
    """The targets of a text's relative links (`[the threat model](anonymity.md)`), without
    their `#fragment`; addresses (`https:`, `mailto:`, `/admin/`) and anchors are left out."""
    targets = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith(("#", "/")):
            continue
        targets.append(target.split("#", 1)[0])
    return targets


def missing_paths(document: Path) -> list[str]:
    """What the document names that does not exist: paths from the repository's root, links
    from the document's folder."""
    text = document.read_text(encoding="utf-8")
    missing = [f"`{path}`" for path in written_paths(text) if not (ROOT / path).exists()]
    missing += [f"link {target}" for target in linked_paths(text) if not (document.parent / target).exists()]
    return missing


def layers_without_a_section(text: str, layers) -> list[str]:
    """The layers that no heading (`##` to `####`) of the text names in backticks."""
    headings = re.findall(r"^#{2,4} .*$", text, re.MULTILINE)
    return [layer for layer in layers if not any(f"`{layer}`" in heading for heading in headings)]


def test_every_path_written_in_the_docs_exists():
    missing = {document.name: found for document in documents() if (found := missing_paths(document))}
    assert missing == {}


def test_the_docs_are_read_and_their_paths_found():
    """The rule reads the documents (a reader that found nothing would pass the test above)."""
    assert (ROOT / "docs" / "architecture.md").is_file()
    architecture = written_paths((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    assert {"accounts/scope.py", "dialogues/scope.py", "org/signals.py", "core/uploads.py"} <= set(architecture)
    assert "accounts/middleware.py" in written_paths((ROOT / "README.md").read_text(encoding="utf-8"))


def test_a_made_up_path_is_found_missing(tmp_path):
    document = tmp_path / "made_up.md"
    document.write_text(
        "See `dialogues/views_nothing.py`, `oversight/views/` and [the model](anonymity.md).\n"
        "Not paths: `/feedback/assess/`, `org.Cycle`, `<app>/templates/<app>/`, `.venv/bin/python`.\n"
        "```sh\n.venv/bin/python scripts/nowhere.py --role x\n```\n",
        encoding="utf-8",
    )
    assert written_paths(document.read_text(encoding="utf-8")) == ["dialogues/views_nothing.py", "oversight/views/", "scripts/nowhere.py"]
    # oversight/views/ exists; anonymity.md is looked for beside the document, where it is not.
    assert missing_paths(document) == ["`dialogues/views_nothing.py`", "`scripts/nowhere.py`", "link anonymity.md"]


def test_the_architecture_gives_every_layer_a_section():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert layers_without_a_section(text, (*LAYERS, PROJECT)) == []
    # A layer added to cascade/layers.py without its section would be found.
    assert layers_without_a_section(text, ("kit", "ledger")) == ["ledger"]
