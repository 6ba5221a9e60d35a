"""Learning paths: validation of paths.yml and the order derived from the graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_tree
from knowledge_cards.core.graph import KnowledgeGraph
from knowledge_cards.core.knowledge_base import load_knowledge_base
from knowledge_cards.core.learning_paths import derived_path, steps_of
from knowledge_cards.core.model import Card, LinkEntry

CARDS = {
    "cards/a.md": "---\ntitle: Alpha\nsummary: S\n---\n",
    "cards/b.md": "---\ntitle: Beta\nsummary: S\nparent: a\nprerequisites: [c]\n---\n",
    "cards/c.md": "---\ntitle: Gamma\nsummary: S\nparent: a\n---\n",
}


def problems(tmp_path: Path, paths_yml: str) -> list[str]:
    write_tree(tmp_path, {**CARDS, "paths.yml": paths_yml})
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, paths_file=tmp_path / "paths.yml")
    return [p.format() for p in kb.problems]


def test_curated_path_loads_and_steps_know_their_neighbours(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {**CARDS, "paths.yml": "paths:\n  - id: start\n    title: Start\n    description: D\n    cards: [a, c, b]\n"},
    )
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, paths_file=tmp_path / "paths.yml")
    assert kb.problems == ()
    (path,) = kb.paths
    assert (path.id, path.title, path.description, path.cards, path.derived) == (
        "start",
        "Start",
        "D",
        ("a", "c", "b"),
        False,
    )
    (step,) = steps_of(list(kb.paths), "c")
    assert (step.number, step.previous, step.next) == (2, "a", "b")
    assert steps_of(list(kb.paths), "a")[0].previous is None and steps_of(list(kb.paths), "b")[0].next is None


@pytest.mark.parametrize(
    ("paths_yml", "expected"),
    [
        (
            "paths:\n  - id: p\n    title: P\n    cards: [a, b, c]\n",
            ["paths.yml:4:1: warning: path 'p': 'b' comes before its prerequisite 'c'"],
        ),
        (
            "paths:\n  - id: p\n    title: P\n    cards:\n      - a\n      - future-card\n",
            ["paths.yml:6:1: warning: path 'p': no card 'future-card' yet; the step shows its placeholder"],
        ),
        (
            "paths:\n  - id: p\n    title: P\n    cards:\n      - a\n      - c\n      - a\n",
            ["paths.yml:7:1: error: path 'p': 'a' appears twice; each card is one step"],
        ),
        (
            "paths:\n  - id: p\n    title: P\n    cards: [a, Not A Slug]\n",
            [
                "paths.yml:4:1: error: path 'p': 'Not A Slug' is not a valid slug "
                "(lower-case letters and digits joined by single hyphens, e.g. 'unit-economics')"
            ],
        ),
        (
            "paths:\n  - id: p\n    title: P\n    cards: [a]\n  - id: p\n    title: Q\n    cards: [c]\n",
            ["paths.yml:5:1: error: path id 'p' is used by two paths"],
        ),
        ("paths:\n  - id: p\n    cards: [a]\n", ["paths.yml:2:1: error: a path needs a 'title:'"]),
        (
            "paths:\n  - id: p\n    title: P\n    cards: [a]\n    descripton: x\n",
            ["paths.yml:5:1: warning: unknown key 'descripton' in a path (did you mean 'description'?); it is ignored"],
        ),
        ("- a\n", ["paths.yml:1:1: error: paths.yml must be a mapping with 'paths:', a list of paths"]),
        (
            "paths: [\n",
            ["paths.yml:2:1: error: invalid YAML: while parsing a flow node, did not find expected node content"],
        ),
    ],
)
def test_path_problems_are_exact(tmp_path: Path, paths_yml: str, expected: list[str]) -> None:
    assert problems(tmp_path, paths_yml) == expected


def test_without_paths_a_path_is_derived(tmp_path: Path) -> None:
    write_tree(tmp_path, CARDS)
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, paths_file=tmp_path / "paths.yml")
    (path,) = kb.paths
    assert path.derived and path.cards == ("a", "c", "b")


def card(slug: str, title: str, parent: str | None = None, prerequisites: tuple[str, ...] = ()) -> Card:
    return Card(
        slug=slug,
        path=f"{slug}.md",
        title=title,
        parent=LinkEntry(parent) if parent else None,
        prerequisites=tuple(LinkEntry(p) for p in prerequisites),
    )


def test_derived_order_puts_parents_and_prerequisites_first_and_is_stable() -> None:
    cards = [
        card("root", "Root"),
        card("zeta", "Zeta", "root"),
        card("alpha", "Alpha", "root", prerequisites=("zeta",)),
        card("mid", "Mid", "alpha"),
        card("other", "Another root"),
    ]
    order = derived_path(KnowledgeGraph(cards)).cards
    assert order == ("other", "root", "zeta", "alpha", "mid")
    assert derived_path(KnowledgeGraph(list(reversed(cards)))).cards == order


def test_shipped_onboarding_path_is_valid() -> None:
    root = Path(__file__).resolve().parent.parent
    kb = load_knowledge_base(
        root / "cards", relative_to=root, quizzes_dir=root / "quizzes", paths_file=root / "paths.yml"
    )
    assert kb.problems == ()
    onboarding = next(p for p in kb.paths if p.id == "onboarding")
    assert set(onboarding.cards) == {c.slug for c in kb.cards}


def test_a_step_without_a_card_gets_a_placeholder(tmp_path: Path) -> None:
    write_tree(tmp_path, {**CARDS, "paths.yml": "paths:\n  - {id: p, title: P, cards: [a, later-card]}\n"})
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, paths_file=tmp_path / "paths.yml")
    assert kb.graph.node("later-card").is_placeholder
    assert [n.slug for n in kb.graph.placeholders] == ["later-card"]
