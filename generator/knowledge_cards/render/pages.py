"""Stage 4, render: card, placeholder and site pages, from the graph.

Python computes view data; Jinja templates shipped in the package (which a site can override, see
templates.py) turn it into text. The work is split by concern: card_page.py (a card's Markdown and the
HTML around it), sections.py (the generated sections after its body), path_nav.py (learning-path
steps), site_pages.py (home, My progress, Cards to write, Tags, Knowledge map) and inputs.py (what
`mkdocs serve` compares). `PageRenderer` puts them together for the MkDocs adapter, one per build.
"""

from __future__ import annotations

from collections.abc import Mapping

import jinja2

from ..core.graph import KnowledgeGraph
from ..core.learning_paths import LearningPath
from ..core.model import Card
from ..core.quiz import Quiz
from .card_page import CardPages, PageHeadings, PageSections
from .context import LinkView, NoteSettings, RenderContext
from .headings import HeadingStyle
from .inputs import PageInputs
from .path_nav import PathNavigation
from .sections import TailSection, TailSections
from .site_pages import SitePages
from .slots import TAIL_SLOT, fill_slots, slot

__all__ = [
    "TAIL_SLOT",
    "LinkView",
    "PageHeadings",
    "PageRenderer",
    "PageSections",
    "TailSection",
    "slot",
]


class PageRenderer:
    """Every generated page part of one build, from one graph: the units below, behind one object."""

    def __init__(
        self,
        env: jinja2.Environment,
        graph: KnowledgeGraph,
        src_path_of: Mapping[str, str],
        url_of: Mapping[str, str],
        quizzes: Mapping[str, Quiz] | None = None,
        paths: tuple[LearningPath, ...] = (),
        home_path: str = "index.md",
        style: HeadingStyle | None = None,
        notes: NoteSettings | None = None,
    ) -> None:
        self.style = style or HeadingStyle()
        self.graph = graph
        self.context = RenderContext.build(
            env, graph, src_path_of, url_of, quizzes or {}, tuple(paths), home_path, self.style, notes
        )
        path_nav = PathNavigation(self.context)
        self.tail = TailSections(self.context, path_nav)
        self.cards = CardPages(self.context, self.tail, path_nav)
        self.site = SitePages(self.context)
        self.inputs = PageInputs(self.context)
        self.home_markdown = self.site.home_markdown
        self.progress_markdown = self.site.progress_markdown
        self.to_write_markdown = self.site.to_write_markdown
        self.tags_markdown = self.site.tags_markdown
        self.map_markdown = self.site.map_markdown

    @property
    def page_parts(self) -> dict[str, str]:
        """The site pages' long lists, by slot name (the adapter keeps them from one serve build to the next)."""
        return self.site.page_parts

    @page_parts.setter
    def page_parts(self, parts: dict[str, str]) -> None:
        self.site.page_parts = parts

    def card_markdown(self, card: Card) -> str:
        """A card page's Markdown (card_page.py)."""
        return self.cards.markdown(card)

    def sections(self, slug: str, used_ids: set[str]) -> PageSections:
        """Everything generated on a card's or placeholder's page, its headings' ids unique among `used_ids`."""
        return self.cards.sections(slug, used_ids)

    def inputs_of(self, slug: str) -> str:
        """A digest of what a card's or placeholder's page is made from (inputs.py)."""
        return self.inputs.of(slug)

    def fill_slots(self, html: str, slug: str | None, sections: PageSections | None = None) -> str:
        """Put each generated part in at its slot (a page's `sections` at `tail` and `path_top`)."""

        def part(name: str) -> str | None:
            if name in self.site.page_parts:
                return self.site.page_parts[name]
            if name == "tail" and sections is not None:
                return sections.tail
            if name == "path_top" and sections is not None:
                return sections.path_top
            return self.tail.part(name, slug) if slug is not None else None

        return fill_slots(html, part)
