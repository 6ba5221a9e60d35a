"""The package's layout keeps its promise: the stages import only downward, and only engine/ imports an engine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator" / "knowledge_cards"
ENGINES = ("mkdocs", "properdocs", "material", "materialx", "pymdownx")
# What each stage may import of the package's other stages.
ALLOWED = {
    "core": {"core"},
    "render": {"core", "render"},
    "engine": {"core", "render", "engine"},
    "cli": {"core", "render", "cli"},
}
VERDICT = "knowledge_cards.engine.verdict"
"""The one engine module the command line may use: what the engine's strict build would refuse."""


def imports(path: Path) -> list[tuple[str, int]]:
    """Every import in the package's module at `path`, with its line."""
    module = ".".join(("knowledge_cards", *path.relative_to(PACKAGE).with_suffix("").parts))
    return imports_in(path.read_text(encoding="utf-8"), module)


def imports_in(text: str, module: str) -> list[tuple[str, int]]:
    """Every import in `text`, the source of `module`, as an absolute dotted name (relative ones
    resolved), with its line."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
                found += [(name if node.module else f"{base}.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((node.module or "", node.lineno))
    return found


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_each_stage_imports_only_what_it_stands_on(stage: str) -> None:
    wrong = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for name, line in imports(path):
            top = name.split(".")[0]
            if top in ENGINES and stage != "engine" and not (stage == "render" and top == "pymdownx"):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: imports the engine module {name}")
            parts = name.split(".")
            if name == VERDICT and stage == "cli":  # `kcards check` gives the engine's verdict, through this module only
                continue
            if top == "knowledge_cards" and len(parts) > 1 and parts[1] in ALLOWED and parts[1] not in ALLOWED[stage]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {stage}/ imports {name}")
    assert wrong == []


def test_the_import_finder_sees_a_wrong_import() -> None:
    """The check above can fail: relative imports resolve to the stage they name."""
    text = "from ..engine import plugin\nfrom .pages import x\nfrom ..core.graph import y\nimport mkdocs.utils\n"
    assert [name for name, _ in imports_in(text, "knowledge_cards.render.probe")] == [
        "knowledge_cards.engine",
        "knowledge_cards.render.pages",
        "knowledge_cards.core.graph",
        "mkdocs.utils",
    ]
