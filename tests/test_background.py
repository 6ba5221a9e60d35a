"""When a build forks its worker, what it does to the garbage collector while it runs, and what a worker that
fails (raises, hangs, dies) does to the build: nothing but a warning."""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT, TINY_MKDOCS_YML, write_tree
from knowledge_cards.engine import background
from knowledge_cards.engine import plugin as plugin_module
from knowledge_cards.render.pages import PageRenderer


def test_no_worker_without_a_second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """On one core a worker would only take turns with the build: the build renders everything itself."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert background._cores() == 1
    assert not background.can_fork()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3})
    assert background._cores() == 2


def test_a_build_leaves_the_garbage_collector_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs build` froze its long-lived objects (gc.freeze) until session 6, whose benchmark showed it
    did not pay (benchmarks/RESULTS.md): a build now neither freezes nor leaves the collector paused."""
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"),
            "cards/chain.md": "---\ntitle: Chain\nsummary: A loop.\n---\nSee [[sourcing]].\n",
        },
    )
    freezes: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(gc.get_freeze_count()))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert (tmp_path / "site" / "chain" / "index.html").is_file()
    assert (tmp_path / "site" / "sourcing" / "index.html").is_file()  # the placeholder
    assert freezes == []
    assert gc.get_freeze_count() == 0 and gc.isenabled()


WORKER_FILES = {
    "cards/chain.md": "---\ntitle: Chain\nsummary: A loop.\n---\n## What is it?\n\nSee [[stock]] and [[sourcing]].\n",
    "cards/stock.md": "---\ntitle: Stock\nsummary: Kept.\nparent: chain\n---\n## What is it?\n\nStock.\n",
    "cards/orders.md": "---\ntitle: Orders\nsummary: Bought.\nparent: chain\n---\n## What is it?\n\nOrders.\n",
    "quizzes/stock.yml": "questions:\n  - type: reflect\n    prompt: Why keep stock?\n    answer: To sell.\n",
}


def built_site(project: Path, out: str, background_pages: int) -> dict[str, bytes]:
    """`mkdocs build` in this process (so the worker forks from it), every file of the site."""
    text = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides").replace(
        "  - knowledge-cards\n", f"  - knowledge-cards:\n      background_pages: {background_pages}\n"
    )
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / out))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    site = project / out
    return {
        p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"
    }


@pytest.fixture
def worker_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, WORKER_FILES)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(plugin_module, "can_fork", lambda: True)  # a worker even on one core, or under threads
    return tmp_path


def in_the_worker(parent: int, action: Callable[[], object], original: Callable[..., Any]) -> Callable[..., Any]:
    """`original`, except in the forked worker, which does `action` instead."""

    def method(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            action()
        return original(*args, **kwargs)

    return method


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "background rendering failed" in r.getMessage()]


def test_the_worker_renders_what_the_build_would(worker_project: Path, caplog: pytest.LogCaptureFixture) -> None:
    started: list[object] = []
    real = background.BackgroundSections.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        started.append(self)
        real(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(background.BackgroundSections, "__init__", init)
        with_worker = built_site(worker_project, "site-worker", background_pages=1)
    assert started, "the build started no worker"
    assert with_worker == built_site(worker_project, "site-alone", background_pages=0)
    assert warnings_of(caplog) == []


def raise_error() -> None:
    raise RuntimeError("the worker broke")


def hang() -> None:
    time.sleep(60)


def die() -> None:
    os._exit(3)


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (raise_error, "RuntimeError: the worker broke"),
        (hang, "no answer within 0.5 s; the worker was stopped"),
        (die, "the worker stopped (exit code 3)"),
    ],
    ids=["worker-raises", "worker-hangs", "worker-dies"],
)
def test_a_failing_worker_gives_the_same_site(
    worker_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    action: Callable[[], None],
    reason: str,
) -> None:
    """The build logs one warning saying why, renders everything itself, and writes the same site."""
    alone = built_site(worker_project, "site-alone", background_pages=0)
    monkeypatch.setattr(background, "RECEIVE_TIMEOUT", 0.5)
    monkeypatch.setattr(PageRenderer, "card_markdown", in_the_worker(os.getpid(), action, PageRenderer.card_markdown))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.knowledge_cards"):
        with_worker = built_site(worker_project, "site-worker", background_pages=1)
    assert time.monotonic() - started < 30
    assert warnings_of(caplog) == [
        f"knowledge-cards: background rendering failed: {reason}; rendering in this process instead"
    ]
    assert with_worker == alone
