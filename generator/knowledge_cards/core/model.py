"""The typed, immutable records the pipeline passes from stage to stage."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A slug: lower-case words of a-z and 0-9 joined by single hyphens, e.g. `unit-economics`.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text: object) -> bool:
    """True when `text` is a valid card slug."""
    return isinstance(text, str) and SLUG_PATTERN.match(text) is not None


class Status(enum.Enum):
    """How far a card is written. PLACEHOLDER is never written: it marks a missing card."""

    COMPLETE = "complete"
    DRAFT = "draft"
    STUB = "stub"
    PLACEHOLDER = "placeholder"

    @property
    def is_unwritten(self) -> bool:
        """Stubs and placeholders are shown alike: future learning, not content."""
        return self in (Status.STUB, Status.PLACEHOLDER)

    @property
    def label(self) -> str:
        """What a reader sees in a status column: a missing card reads as a stub."""
        return Status.STUB.value if self is Status.PLACEHOLDER else self.value


@dataclass(frozen=True)
class LinkEntry:
    """A front-matter link with an optional description (explore, related)."""

    slug: str
    description: str = ""
    line: int = 1


@dataclass(frozen=True)
class LoopStage:
    """One stage of a loop diagram, optionally naming the card that explains it."""

    label: str
    slug: str | None = None
    line: int = 1


@dataclass(frozen=True)
class LoopFeedback:
    """A dashed, labelled arrow from a later stage back to an earlier one."""

    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Loop:
    """The "At a glance" loop diagram of a card."""

    stages: tuple[LoopStage, ...]
    feedback: tuple[LoopFeedback, ...] = ()
    highlight: tuple[str, ...] = ()
    direction: str = "LR"
    title: str = ""
    key: str = ""


@dataclass(frozen=True)
class Source:
    """A reference in "Sources / Further reading"."""

    title: str
    by: str = ""
    year: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class BodyLink:
    """A link to a card found in the Markdown body, and where it was written."""

    slug: str
    line: int
    column: int
    start: int = 0
    """Where the link's text begins in the body (offset), for rewriting it without parsing again."""
    end: int = 0
    text: str | None = None
    """The text shown, when the link gives one (`[[slug|text]]`, `[text](slug.md)`)."""
    anchor: str = ""


@dataclass(frozen=True)
class Card:
    """A validated card: everything later stages need, nothing they must re-parse."""

    slug: str
    path: str
    """Path relative to the cards folder, with forward slashes (e.g. `area/slug.md`)."""
    title: str
    summary: str = ""
    status: Status = Status.COMPLETE
    parent: LinkEntry | None = None
    prerequisites: tuple[LinkEntry, ...] = ()
    explore: tuple[LinkEntry, ...] = ()
    related: tuple[LinkEntry, ...] = ()
    tags: tuple[str, ...] = ()
    loop: Loop | None = None
    sources: tuple[Source, ...] = ()
    body: str = ""
    body_line: int = 1
    body_links: tuple[BodyLink, ...] = field(default=())
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The whole front matter as loaded (dates and numbers-like text kept as written): the site engine's
    page metadata, so it need not parse the YAML again."""
