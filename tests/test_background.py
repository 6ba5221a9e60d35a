"""When a build forks its worker, and what it does to the garbage collector while it runs."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT, TINY_MKDOCS_YML, write_tree
from knowledge_cards.engine import background


def test_no_worker_without_a_second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """On one core a worker would only take turns with the build: the build renders everything itself."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert background._cores() == 1
    assert not background.can_fork()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3})
    assert background._cores() == 2


def test_a_build_freezes_what_lives_until_its_end_only_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mkdocs build` hides its long-lived objects (cards, graph, files, nav) from the collector once they
    are made, and shows them again when it ends: a process that builds and goes on (a test run, a tool
    that embeds MkDocs) keeps nothing frozen, so nothing it drops is kept forever."""
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"),
            "cards/chain.md": "---\ntitle: Chain\nsummary: A loop.\n---\nSee [[sourcing]].\n",
        },
    )
    freezes: list[int] = []
    freeze = gc.freeze

    def counting_freeze() -> None:
        freezes.append(gc.get_freeze_count())
        freeze()

    monkeypatch.setattr(gc, "freeze", counting_freeze)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    assert gc.get_freeze_count() == 0
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert (tmp_path / "site" / "chain" / "index.html").is_file()
    assert (tmp_path / "site" / "sourcing" / "index.html").is_file()  # the placeholder
    assert freezes[0] == 0 and len(freezes) == 2  # frozen after loading the cards and again with the nav
    assert gc.get_freeze_count() == 0  # and given back at its end
