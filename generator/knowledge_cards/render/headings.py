"""Headings a page gets without Markdown: a card's title and the sections after its body.

Python-Markdown's work per page grows with every heading it makes (about 400 calls each,
a quarter of a 1,000-card build's extra Markdown), so the headings we generate are written
as HTML, the way the site's `toc` extension writes its own: same ids, same permalinks.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, MutableSet
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import TocExtension, slugify, unique
from markdown.util import parseBoolValue


@dataclass(frozen=True)
class Heading:
    """A generated heading: level as written (before `baselevel`), text, and its id on the page."""

    level: int
    title: str
    id: str


@dataclass(frozen=True)
class HeadingStyle:
    """How the site's `toc` extension writes a heading, so ours come out the same (heading.html.j2
    writes them)."""

    slugify: Callable[[str, str], str] = slugify
    separator: str = "-"
    permalink: str = ""
    """The permalink's text as HTML ("" for none)."""
    permalink_class: str = "headerlink"
    permalink_title: str = "Permanent link"
    permalink_leading: bool = False
    base_level: int = 0
    """`baselevel` - 1: what a heading's level is shifted by."""

    @classmethod
    def from_toc_config(cls, settings: Mapping[str, Any]) -> HeadingStyle:
        """The style of the `toc` settings in mkdocs.yml (`markdown_extensions: - toc: ...`)."""
        config = TocExtension(**settings).getConfigs()
        permalink = parseBoolValue(config["permalink"], False)
        if permalink is None:  # not a yes or no: the link's text
            permalink = config["permalink"]
        text = "&para;" if permalink is True else html.escape(str(permalink), quote=False) if permalink else ""
        return cls(
            slugify=config["slugify"],
            separator=config["separator"],
            permalink=text,
            permalink_class=config["permalink_class"],
            permalink_title=config["permalink_title"],
            permalink_leading=bool(parseBoolValue(config["permalink_leading"], False)),
            base_level=int(config["baselevel"]) - 1,
        )

    def heading(self, level: int, title: str, used_ids: MutableSet[str]) -> Heading:
        """A heading with an id unique on the page (`used_ids` gains it), as `toc` would give it."""
        return Heading(level, title, unique(self.slugify(title, self.separator), used_ids))
