"""Slots: where a generated part goes in a page, put in once Markdown and search indexing have run.

A slot is an HTML comment: Markdown passes it through as a raw block, and search's HTML parser skips it
(an empty <div> per slot cost search indexing 0.14 s at 1,000 cards). It is a marker between our own
stages, written and found here only, so it stays next to the pattern that finds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markupsafe

SLOT_START = "<!--kc-slot:"
# A slot: its start, the part's name (lower-case letters, `_` and `-`), then `-->`.
_SLOT = re.compile(re.escape(SLOT_START) + r"([a-z_-]+)-->")
TAIL_SLOT = SLOT_START + "tail-->"


def slot(name: str) -> markupsafe.Markup:
    """Where the generated part `name` goes in a page."""
    return markupsafe.Markup(f"{SLOT_START}{name}-->")


def fill_slots(html: str, part_of: Callable[[str], str | None]) -> str:
    """Every slot replaced by its part, in one pass (pages are large and many); a slot without one stays."""
    if SLOT_START not in html:
        return html

    def part(match: re.Match[str]) -> str:
        filled = part_of(match.group(1))
        return match.group(0) if filled is None else filled

    return _SLOT.sub(part, html)
