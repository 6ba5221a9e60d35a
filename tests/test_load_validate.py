"""Loading and validating cards: exact diagnostics for every kind of bad input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import write_tree
from knowledge_cards.core.frontmatter import load_yaml, split_front_matter
from knowledge_cards.core.knowledge_base import load_knowledge_base
from knowledge_cards.core.model import Status


def check(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    """The formatted problems for a cards folder built from `files`."""
    write_tree(tmp_path / "cards", files)
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
    return [p.format() for p in kb.problems]


GOOD = """\
---
title: Good
summary: A good card.
---
Body.
"""


def test_split_front_matter_reports_body_line() -> None:
    split = split_front_matter("---\ntitle: A\n---\nBody\n")
    assert split.yaml_text == "title: A\n"
    assert split.body == "Body\n"
    assert split.body_line == 4


def test_yaml_lines_are_file_lines() -> None:
    located = load_yaml("title: A\nexplore:\n  - x: y\n  - z\n", first_line=2)
    assert located.line_of("title") == 2
    assert located.line_of("explore", 1) == 5
    assert located.data["explore"] == [{"x": "y"}, "z"]


def test_full_card_loads(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "cards",
        {
            "area/chain.md": """\
            ---
            title: Value Chain
            summary: The loop.
            status: draft
            parent: commerce
            prerequisites: [commerce]
            explore:
              - unit-economics: Whether sales pay
              - commerce
            related:
              - journey: traces the customer
            tags: [ops]
            loop:
              direction: TD
              stages:
                - Sourcing: sourcing
                - Service
              feedback:
                - {from: Service, to: Sourcing, label: feedback}
              highlight: [Service]
            sources:
              - title: Porter
                by: HBS
                year: 1985
                url: https://example.org/porter
                note: The original
            ---
            See [[journey|the journey]] and [text](sourcing.md).
            """,
        },
    )
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
    assert kb.problems == ()
    (card,) = kb.cards
    assert card.slug == "chain" and card.path == "area/chain.md"
    assert card.status is Status.DRAFT
    assert card.parent and card.parent.slug == "commerce"
    assert [(e.slug, e.description) for e in card.explore] == [
        ("unit-economics", "Whether sales pay"),
        ("commerce", ""),
    ]
    assert card.loop and [s.slug for s in card.loop.stages] == ["sourcing", None]
    assert card.loop.direction == "TD" and card.loop.highlight == ("Service",)
    assert card.sources[0].year == "1985"
    assert [(link.slug, link.line) for link in card.body_links] == [("journey", 28), ("sourcing", 28)]
    assert {n.slug for n in kb.graph.placeholders} == {"commerce", "unit-economics", "journey", "sourcing"}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"a.md": "---\ntitle: [unclosed\n---\n"},
            [
                "cards/a.md:2:1: error: invalid YAML in front matter: while parsing a flow sequence, did not find expected ',' or ']'"
            ],
        ),
        (
            {"a.md": "---\n- just\n- a list\n---\n"},
            ["cards/a.md:2:1: error: front matter must be a mapping of keys to values, not a list"],
        ),
        ({"a.md": "---\nsummary: S\n---\n"}, []),  # the title comes from the file name
        (
            {"a.md": "---\ntitle: A\nsummary: S\nstatus: done\n---\n"},
            ["cards/a.md:4:1: error: status: 'done' is not one of complete, draft, stub"],
        ),
        (
            {"a.md": "---\ntitle: A\nstatus: in progress\n---\n"},  # a note's own status (no summary)
            [
                "cards/a.md:3:1: error: status: 'in progress' is not one of complete, draft, stub (if it is your "
                "notes' own 'status', set the plugin's keys_namespace: see AUTHORING)"
            ],
        ),
        (
            {"a.md": "---\ntitle: A\nsummary: S\nstatus: compete\n---\n"},
            ["cards/a.md:4:1: error: status: 'compete' is not one of complete, draft, stub (did you mean 'complete'?)"],
        ),
        (
            {"a.md": "---\ntitle: A\nsumary: S\n---\n"},
            ["cards/a.md:3:1: warning: unknown key 'sumary' in front matter (did you mean 'summary'?); it is ignored"],
        ),
        (
            {"a.md": GOOD, "sub/a.md": GOOD},
            [
                "cards/sub/a.md:1:1: error: duplicate slug 'a': cards/a.md already uses it; slugs are unique across all folders"
            ],
        ),
        (
            {"Bad Name.md": GOOD},
            [],  # its slug is bad-name
        ),
        (
            {"a.md": "---\ntitle: A\nsummary: S\nparent: ../x\n---\n"},
            [
                "cards/a.md:4:1: error: parent: '../x' is not a valid slug "
                "(lower-case letters and digits joined by single hyphens, e.g. 'unit-economics')"
            ],
        ),
        (
            {"a.md": "---\ntitle: A\nsummary: S\n---\nSee [[Unit Economics]] and [x](../x.md).\n"},
            # [[Unit Economics]] names a note not written yet: its placeholder; (../x.md) leaves the cards
            # folder: an ordinary link, which the engine checks (tests/test_one_verdict.py)
            [],
        ),
        (
            {
                "a.md": "---\ntitle: A\nsummary: S\nparent: b\n---\n",
                "b.md": "---\ntitle: B\nsummary: S\nparent: a\n---\n",
            },
            ["cards/a.md:4:1: error: parent cycle: a -> b -> a; parents must not lead back to the card"],
        ),
        (
            {
                "a.md": "---\ntitle: A\nsummary: S\nprerequisites: [b]\n---\n",
                "b.md": "---\ntitle: B\nsummary: S\nprerequisites: [c]\n---\n",
                "c.md": "---\ntitle: C\nsummary: S\nprerequisites:\n  - a\n---\n",
            },
            [
                "cards/a.md:4:1: error: prerequisite cycle: a -> b -> c -> a; prerequisites must not lead back to the card"
            ],
        ),
        (
            {
                "a.md": "---\ntitle: A\nsummary: S\nloop:\n  stages: [One, Two]\n  feedback:\n"
                "    - {from: Two, to: Tow, label: back}\n---\n"
            },
            ["cards/a.md:7:1: error: loop.feedback to: 'Tow' is not a stage of this loop (did you mean 'Two'?)"],
        ),
        (
            {"a.md": b"---\ntitle: caf\xe9\nsummary: S\n---\n"},
            ["cards/a.md:2:1: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8"],
        ),
        ({"a.md": ""}, []),  # an empty note is a stub
        (
            {"a.md": "---\ntitle: A\nsummary: S\n"},
            [
                "cards/a.md:1:1: error: front matter opened with '---' on line 1 is never closed: add a line '---' after it"
            ],
        ),
        (
            {"a.md": "---\ntitle: A\nsummary: S\ntitle: B\n---\n"},
            ["cards/a.md:4:1: warning: key 'title' is written twice; only this later value is used"],
        ),
        (
            {"a.md": "---\ntitle: A\nsummary: S\nloop:\n  stages:\n    - One:\n    - Two\n---\n"},
            ["cards/a.md:6:1: error: loop stage 'One:' names no card; write 'One: some-slug' or just 'One'"],
        ),
        ({"a.md": "---\ntitle: A\nsummary: S\n---\n[readme](https://example.org/README.md)\n"}, []),
        (
            {"a.md": "Just text\n"},
            [],  # a note without front matter
        ),
        (
            {"a.md": "---\ntitle: A\nsummary: S\nsources:\n  - title: X\n    url: javascript:alert(1)\n---\n"},
            ["cards/a.md:6:1: error: sources: url 'javascript:alert(1)' must start with http:// or https://"],
        ),
    ],
)
def test_bad_input_gives_exact_lines(tmp_path: Path, files: dict[str, str | bytes], expected: list[str]) -> None:
    assert check(tmp_path, files) == expected


def test_all_problems_reported_in_one_run(tmp_path: Path) -> None:
    problems = check(
        tmp_path,
        {
            "a.md": "---\ntitle: A\nsummary: S\nstatus: nope\nparent: ../x\n---\n",
            "b.md": "---\n[broken\n---\n",
            "c.md": GOOD,
        },
    )
    assert [p.split(": error")[0] for p in problems] == ["cards/a.md:4:1", "cards/a.md:5:1", "cards/b.md:2:1"]
    # (`parent: Not A Slug` names a note by its name: not a problem; `status: nope` and `parent: ../x` are)


def test_stub_needs_no_summary(tmp_path: Path) -> None:
    assert check(tmp_path, {"a.md": "---\ntitle: A\nstatus: stub\n---\n"}) == []


def test_cards_are_never_modified(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"a.md": "---\ntitle: [x\n---\n", "b.md": b"\xff\xfe", "c.md": GOOD}
    write_tree(tmp_path / "cards", files)
    before = {p: p.read_bytes() for p in (tmp_path / "cards").rglob("*")}
    load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
    assert {p: p.read_bytes() for p in (tmp_path / "cards").rglob("*")} == before


def test_links_to_a_broken_card_are_not_placeholders(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "cards",
        {"area/broken.md": "---\ntitle: [x\n---\n", "a.md": "---\ntitle: A\nsummary: S\nexplore: [broken]\n---\n"},
    )
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
    assert kb.graph.placeholders == []
    assert kb.graph.node("broken").path == "area/broken.md"


@pytest.mark.parametrize("written", ["3.10", "12:30", "010", "0x1A", "1e3", "1_000", ".5", "+1.0"])
def test_number_like_text_stays_as_written(written: str) -> None:
    """Titles, labels and quiz items are prose: YAML's sexagesimal, octal, hex and float forms stay text."""
    assert load_yaml(f"title: {written}\n").data == {"title": written}


def test_plain_integers_are_still_numbers() -> None:
    assert load_yaml("pass_mark: 70\nyear: 2025\nneg: -3\nzero: 0\nflag: yes\n").data == {
        "pass_mark": 70,
        "year": 2025,
        "neg": -3,
        "zero": 0,
        "flag": True,
    }


def test_reading_in_parallel_gives_what_reading_in_order_gives(tmp_path: Path) -> None:
    """`kcards check` (cards without their bodies) and `mkdocs build` read big bases in several processes
    (this one and workers): the same cards, quizzes and problems, in the same order."""
    from knowledge_cards.core.knowledge_base import PARALLEL_FROM

    count = PARALLEL_FROM + 20
    files: dict[str, str | bytes] = {}
    for i in range(count):
        parent = f"parent: c{(i - 1) // 3}\n" if i else ""
        parent += "icon: material/book\n" if i == 1 else ""  # a page key: the one kind of key handed on
        files[f"cards/f{i % 7}/c{i}.md"] = (
            f"---\ntitle: Card {i}\nsummary: Card number {i}.\n{parent}---\n"
            f"See [[c{(i * 7) % count}]] and [[gone-{i % 5}]].\n"
        )
        if i % 4 == 0:
            files[f"quizzes/c{i}.yml"] = "questions:\n  - type: reflect\n    prompt: Why?\n    answer: Because.\n"
    files["cards/f1/bad-yaml.md"] = "---\ntitle: [open\n---\n"
    files["cards/f2/c5.md"] = "---\ntitle: Duplicate\nsummary: Claims c5 too.\n---\n"
    files["cards/f3/bad-status.md"] = "---\nsummary: x\nstatus: nope\n---\n"
    files["quizzes/c8.yml"] = "questions:\n  - type: single\n    prompt: x\n    options: [{text: a}]\n"
    files["cards/f4/latin1.md"] = b"---\ntitle: caf\xe9\n---\n"
    write_tree(tmp_path, files)
    kwargs = {"quizzes_dir": tmp_path / "quizzes", "relative_to": tmp_path}
    in_order = load_knowledge_base(tmp_path / "cards", **kwargs, workers=1)  # type: ignore[arg-type]
    in_parallel = load_knowledge_base(tmp_path / "cards", **kwargs, workers=2, bodies=False)  # type: ignore[arg-type]
    assert len(in_order.cards) == count  # c5 is claimed twice: the second file is an error
    assert len(in_order.quizzes) == len(range(0, count, 4)) - 1  # c8's quiz has an error
    assert len(in_order.graph.placeholders) == 5
    assert len(in_order.errors) >= 5
    assert sum("See " in card.body for card in in_order.cards) == count - 1  # f2/c5.md, the first c5, has none
    assert in_parallel.cards == tuple(dataclasses.replace(card, body="") for card in in_order.cards)
    assert in_parallel.quizzes == in_order.quizzes
    assert in_parallel.problems == in_order.problems
    assert in_parallel.graph.placeholders == in_order.graph.placeholders
    with_bodies = load_knowledge_base(tmp_path / "cards", **kwargs, workers=2)  # type: ignore[arg-type]
    assert with_bodies.cards == in_order.cards and with_bodies.problems == in_order.problems
    assert [card.meta for card in with_bodies.cards] == [card.meta for card in in_order.cards]
    c1 = next(card for card in with_bodies.cards if card.slug == "c1")
    assert c1.meta == {"icon": "material/book"} and "[[c7]]" in c1.body


def test_without_processes_cards_are_read_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where processes cannot start (no /dev/shm for their semaphores), `kcards check` still works."""
    from knowledge_cards.core import knowledge_base
    from knowledge_cards.core.knowledge_base import PARALLEL_FROM

    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("[Errno 38] Function not implemented")

    monkeypatch.setattr(knowledge_base, "ProcessPoolExecutor", no_processes)
    write_tree(tmp_path, {f"cards/c{i}.md": f"---\ntitle: C{i}\nsummary: S.\n---\n" for i in range(PARALLEL_FROM)})
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, workers=2, bodies=False)
    assert len(kb.cards) == PARALLEL_FROM and kb.problems == ()


@pytest.mark.parametrize("enabled", [True, False])
def test_cards_are_read_with_the_collector_paused_and_it_is_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    """Reading thousands of cards makes objects that live on and almost no cycles: the cyclic collector
    is paused while they are read (full collections were 0.5 s of a 5,000-card check), then set back."""
    import gc

    import knowledge_cards.core.knowledge_base as knowledge_base

    write_tree(
        tmp_path,
        {
            "cards/a.md": "---\ntitle: A\nsummary: One.\n---\nSee [[b]].\n",
            "cards/b.md": "---\ntitle: B\nsummary: Two.\n---\n",
        },
    )
    seen: list[bool] = []
    read_card = knowledge_base._read_card
    monkeypatch.setattr(
        knowledge_base, "_read_card", lambda *a, **k: (seen.append(gc.isenabled()), read_card(*a, **k))[1]
    )
    (gc.enable if enabled else gc.disable)()
    try:
        kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
        assert gc.isenabled() == enabled
    finally:
        gc.enable()
    assert [card.slug for card in kb.cards] == ["a", "b"], [p.format() for p in kb.problems]
    assert seen == [False, False]
