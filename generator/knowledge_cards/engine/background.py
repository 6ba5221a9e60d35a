"""The generated sections of every page, rendered in a second process while MkDocs converts Markdown.

MkDocs builds on one core: it converts every page's Markdown, then renders every page's template. A
page's generated sections (explore table, diagrams, backlinks, quiz, path links) are needed only in
the second phase and depend on the graph alone, so a forked worker renders them all during the first
phase, on the machine's other core, and hands them over when the second phase starts. First, it writes
the Markdown of the cards in the second half of the first phase, which this process would write when
it gets there.

The worker also writes what goes above each body (title, summary), put in just before search indexes
the page. It guesses each page's heading ids (they depend on the body's own headings, which only
Markdown knows); a page whose real ids differ is rendered again here. Output is the same either way.
Used by `mkdocs build` only: `mkdocs serve` runs threads (forking them is unsafe) and rebuilds few pages.

The worker can fail without failing the build: an exception in it is sent over as its formatted
traceback, a worker that dies closes the pipe, and one that does not answer within RECEIVE_TIMEOUT
seconds is killed. Each time the parent logs one warning (`knowledge-cards: background rendering
failed: ...`) and renders everything here instead, which gives the same site.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Iterable
from multiprocessing.connection import Connection
from typing import Any

from ..core.model import Card
from ..render.pages import PageRenderer, PageSections

log = logging.getLogger("mkdocs.plugins.knowledge_cards")

RECEIVE_TIMEOUT = 120.0
"""Seconds the build waits for each of the worker's two answers before it kills the worker and renders
here (a 5,000-card worker answers in about 20 s, well before the build asks)."""

_OK, _FAILED = "ok", "failed"


def can_fork() -> bool:
    """Forking pays only with a second core for the worker, and is safe only from a process with one
    thread, on a system that forks."""
    return _cores() > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _cores() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class BackgroundSections:
    """Starts the worker; `get` waits for its results the first time they are needed."""

    def __init__(self, renderer: PageRenderer, slugs: Iterable[str], cards: Iterable[Card] = ()) -> None:
        """`slugs`: the pages to render the sections of; `cards`: the cards to write the Markdown of."""
        cards = list(cards)
        self._markdown_of = {card.slug for card in cards}
        self._markdown: dict[str, str] | None = None
        self._results: dict[str, PageSections] | None = None
        self._failed = False
        context = multiprocessing.get_context("fork")
        self._receive_end, send = context.Pipe(duplex=False)
        args = (renderer, list(slugs), cards, send)
        self._process = context.Process(target=_work, args=args, daemon=True)
        self._process.start()
        send.close()

    def markdown(self, slug: str) -> str | None:
        """The card's Markdown as the worker wrote it (None: write it here)."""
        if slug not in self._markdown_of:
            return None  # not one of the worker's: don't wait for it
        if self._markdown is None:
            self._markdown = self._receive()
        return self._markdown.pop(slug, None)

    def get(self, slug: str, anchor_ids: set[str]) -> PageSections | None:
        """The worker's rendering of the page, if its headings' ids fit the page's (else None: render it
        here)."""
        if self._results is None:
            if self._markdown is None:
                self._markdown = self._receive()
            self._results = self._receive()
            self.close()
            log.debug(f"knowledge-cards: generated sections of {len(self._results)} pages rendered in a second process")
        sections = self._results.pop(slug, None)  # each page asks once: its memory is freed as pages are written
        return sections if sections is not None and sections.fits(anchor_ids) else None

    def _receive(self) -> dict[str, Any]:
        """The worker's next answer; {} when it failed (logged once): everything is then rendered here."""
        if self._failed:
            return {}
        try:
            if not self._receive_end.poll(RECEIVE_TIMEOUT):
                return self._fail(f"no answer within {RECEIVE_TIMEOUT:g} s; the worker was stopped")
            status, payload = self._receive_end.recv()
        except (EOFError, OSError):
            self._process.join(timeout=1)
            return self._fail(f"the worker stopped (exit code {self._process.exitcode})")
        if status != _OK:
            log.debug(f"knowledge-cards: the background worker's error:\n{payload}")
            return self._fail(str(payload).strip().splitlines()[-1] if str(payload).strip() else "unknown error")
        return payload  # type: ignore[no-any-return]

    def _fail(self, reason: str) -> dict[str, Any]:
        self._failed = True
        log.warning(f"knowledge-cards: background rendering failed: {reason}; rendering in this process instead")
        self._stop(kill=True)
        return {}

    def close(self) -> None:
        """Stop waiting for the worker (results are in, or the build is over)."""
        self._stop(kill=False)

    def _stop(self, kill: bool) -> None:
        self._receive_end.close()
        if self._process.is_alive() and not kill:
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)


def _work(renderer: PageRenderer, slugs: list[str], cards: list[Card], send: Connection) -> None:
    """The worker: two answers, each `(status, payload)`; an exception is sent as its formatted traceback."""
    try:
        try:
            send.send((_OK, {card.slug: renderer.card_markdown(card) for card in cards}))
            # Ids as on a page whose body has no heading of the same text: most pages.
            send.send((_OK, {slug: renderer.sections(slug, set()) for slug in slugs}))
        except BaseException:  # noqa: BLE001 - whatever it is, the parent renders instead
            send.send((_FAILED, traceback.format_exc()))
    finally:
        send.close()
        os._exit(0)  # nothing of the parent's (atexit, buffered output) runs twice
