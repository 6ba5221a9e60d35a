"""The typed, immutable records the pipeline passes from stage to stage."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A slug: lower-case words of letters and digits joined by single hyphens, e.g. `unit-economics`
# (letters of any script: a note named in Japanese keeps its name, names.slug_of).
SLUG_PATTERN = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")


def is_slug(text: object) -> bool:
    """True when `text` is a valid card slug."""
    return isinstance(text, str) and SLUG_PATTERN.match(text) is not None and text == text.lower()


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
    name: str = ""
    """The note's name as written, when the link named no file and no card (`[[Some Idea]]`): a title
    or an alias may still name it, once every card is read; else its slug is the name's."""


@dataclass(frozen=True)
class Conventions:
    """How a site's notes are read, from the plugin's options: the same for every card of a build."""

    link_resolution: str = "shortest"
    """How a link by name finds its note: shortest, relative or absolute (names.py)."""
    keys_namespace: str = ""
    """When set, the card keys are read from this mapping of the front matter (`kcards: {status: draft}`),
    and the notes' own top-level keys of the same names are theirs, not ours."""
    own_keys: tuple[str, ...] = ()
    """Front-matter keys the site's notes use for themselves: never warned about."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Conventions:
        """From the plugin's options as written (`kcards` reads the config file itself) or validated."""
        resolution = options.get("link_resolution") or "shortest"
        own = options.get("own_keys") or ()
        return cls(
            str(resolution),
            str(options.get("keys_namespace") or ""),
            tuple(str(key) for key in own) if isinstance(own, list | tuple) else (),
        )


DEFAULT_CONVENTIONS = Conventions()


@dataclass(frozen=True)
class Embed:
    """An embed written in a body (`![[diagram.png|300]]`, `![[Note#Section]]`) and where."""

    target: str
    anchor: str
    option: str
    """After `|`: a size (`300`, `300x200`) or the alternative text."""
    line: int
    column: int
    start: int
    end: int
    alone: bool
    """Its line's only text: a note embedded there is shown as a block."""

    @property
    def is_note(self) -> bool:
        """A note (no extension, or `.md`), not a file such as an image."""
        name = self.target.rsplit("/", 1)[-1]
        return "." not in name or name.lower().endswith(".md")


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
    aliases: tuple[str, ...] = ()
    """Other names links may use for the card (`aliases:` in front matter, as Obsidian keeps them)."""
    permalink: str = ""
    """A URL the card was published at before (`permalink:`), kept working by a redirect."""
    headings: tuple[str, ...] = ()
    """The body's heading texts and block ids (`^id`), for checking links to them."""
    title_span: tuple[int, int] | None = None
    """Where the body's first heading is, when it is the title (it is then not shown twice)."""
    embeds: tuple[Embed, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The whole front matter as loaded (dates and numbers-like text kept as written): the site engine's
    page metadata, so it need not parse the YAML again."""
