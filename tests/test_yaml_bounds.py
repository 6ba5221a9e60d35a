"""YAML that would take unbounded work or crash the reader: one clear error line instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_tree
from knowledge_cards.core.frontmatter import MAX_DEPTH, YamlError, load_yaml
from knowledge_cards.core.knowledge_base import load_knowledge_base

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BOMB, 1, "more than 100,000 values (aliases expanded)"),
        ("loop: " + "[" * 500 + "]" * 500 + "\n", 1, f"nested more than {MAX_DEPTH} levels deep"),
        ("year: " + "9" * 5000 + "\n", 1, "a number of more than 4,000 digits"),
        ("when: !!timestamp not-a-date\n", 1, "cannot read this timestamp value"),
        ("note: x\nblob: !!binary aGVsbG8=\n", 2, "binary data (!!binary) is not text"),
    ],
    ids=["alias-bomb", "nested-999", "huge-integer", "bad-timestamp", "binary"],
)
def test_unbounded_yaml_is_one_error(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml(text, first_line=1)
    assert caught.value.line >= line and caught.value.message.startswith(message), caught.value.message


def test_tagged_values_read_as_yaml_says_or_are_refused() -> None:
    assert load_yaml("year: !!int 0x10\n").data == {"year": 16}
    assert load_yaml("year: 2025\ntitle: 3.10\n").data == {"year": 2025, "title": "3.10"}
    # A date is text as written, never a Python datetime's repr.
    assert load_yaml("when: !!timestamp 2024-05-01T10:00:00Z\n").data == {"when": "2024-05-01T10:00:00Z"}


def test_each_bad_card_is_its_own_error_and_the_rest_build(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "cards/bomb.md": f"---\ntitle: Bomb\nsummary: x\n{BOMB}---\nx\n",
            "cards/hl.md": "---\ntitle: H\nsummary: x\nloop:\n  stages: [A, B]\n  highlight: 5\n---\nx\n",
            "cards/bin.md": "---\ntitle: Bin\nsummary: !!binary aGVsbG8=\n---\nx\n",
            "cards/fine.md": "---\ntitle: Fine\nsummary: Fine.\n---\nx\n",
        },
    )
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
    assert [card.slug for card in kb.cards] == ["fine"]
    assert [p.format() for p in kb.problems] == [
        "cards/bin.md:3:1: error: invalid YAML in front matter: binary data (!!binary) is not text a card, quiz or path can show",
        "cards/bomb.md:4:1: error: invalid YAML in front matter: more than 100,000 values (aliases expanded)",
        "cards/hl.md:6:1: error: loop.highlight: '5' is not a stage of this loop",
    ]


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(min_value=0, max_value=400), width=st.integers(min_value=1, max_value=12))
def test_any_nesting_and_aliasing_ends_in_data_or_one_error(depth: int, width: int) -> None:
    """Property: lists nested `depth` deep, and aliases repeated `width` times per level, are either read
    (within the bounds) or refused with a YamlError; nothing else happens."""
    nested = "v: " + "[" * depth + "]" * depth + "\n"
    levels = ["a: &a [x]\n"]
    for i in range(1, min(depth, 8) + 1):
        previous = "a" if i == 1 else f"l{i - 1}"
        levels.append(f"l{i}: &l{i} [{', '.join([f'*{previous}'] * width)}]\n")
    aliases = "".join(levels)
    for text in (nested, aliases):
        try:
            load_yaml(text)
        except YamlError as exc:
            assert exc.message.startswith(("nested more than", "more than 100,000 values")), exc.message


def test_a_parent_chain_of_300_and_600_nested_lists_build_without_a_traceback(tmp_path: Path) -> None:
    from conftest import ROOT, TINY_MKDOCS_YML, run_mkdocs_build

    files: dict[str, str | bytes] = {"mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides")}
    for i in range(300):
        parent = f"parent: c{i - 1}\n" if i else ""
        files[f"cards/c{i}.md"] = f"---\ntitle: C{i}\nsummary: S\n{parent}---\nx\n"
    files["cards/lists.md"] = "---\ntitle: Lists\nsummary: S\n---\n" + "".join("  " * i + "- x\n" for i in range(600))
    write_tree(tmp_path, files)
    result = run_mkdocs_build(tmp_path)
    assert "Traceback" not in result.output, result.output[-3000:]
    assert result.lines("error:") == [
        "cards/lists.md:86:1: error: a line indented 162 columns (41 levels); Markdown's reader nests by recursion "
        "and cannot read this (at most 40 levels)"
    ]
    deepest = result.page("c299")
    assert "C299" in deepest and 'data-md-level="16"' in deepest  # the nav nests 16 deep, then lists flat
    assert 'data-md-level="17"' not in deepest


def test_line_endings_and_unreadable_files(tmp_path: Path) -> None:
    """CR-only and CR LF files give the lines an editor shows; a file that cannot be read is one error."""
    write_tree(
        tmp_path,
        {
            "cards/mac.md": b"---\rtitle: Mac\rsummary: S\rtagz: [x]\r---\rBody\r",
            "cards/dos.md": b"---\r\ntitle: Dos\r\nsummary: S\r\ntagz: [x]\r\n---\r\nBody\r\n",
        },
    )
    (tmp_path / "cards" / "gone.md").symlink_to(tmp_path / "cards" / "gone-target.md")
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
    lines = [p.format() for p in kb.problems]
    assert (
        "cards/mac.md:4:1: warning: unknown key 'tagz' in front matter (did you mean 'tags'?); it is ignored" in lines
    )
    assert (
        "cards/dos.md:4:1: warning: unknown key 'tagz' in front matter (did you mean 'tags'?); it is ignored" in lines
    )
    assert any(line.startswith("cards/gone.md:1:1: error:") for line in lines)


def test_a_card_that_cannot_be_read_is_one_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from knowledge_cards.core import load

    write_tree(tmp_path, {"cards/a.md": "---\ntitle: A\nsummary: S\n---\nx\n"})

    def removed(self: Path) -> bytes:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(load.Path, "read_bytes", removed)  # as if deleted between listing and reading
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path)
    assert [p.format() for p in kb.problems] == [
        "cards/a.md:1:1: error: cannot read this file: No such file or directory"
    ]
