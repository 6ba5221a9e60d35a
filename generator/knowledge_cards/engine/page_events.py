"""The page events of a card's or placeholder's page: its Markdown, its generated parts, its errors.

A card page's Markdown is the author's body alone. The generated parts are HTML put in around it after
Markdown has run: the title and summary just before search indexes the page (so search finds them),
the sections after the body once it has (so the index holds what authors wrote, never a quiz's
answers). A page outside the cards folder is the site's own, and passes through untouched.
"""

from __future__ import annotations

import html
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from ..core.knowledge_base import display_path
from ..core.problems import Code, warning
from ..render.pages import TAIL_SLOT
from .background import BackgroundSections
from .navigation import page_toc
from .serve_cache import ServeCache
from .site_files import SiteBuild, report

CARD_ONLY_KEYS = ("summary", "parent", "prerequisites", "explore", "related", "loop", "sources")
"""Front-matter keys only a card has: a page outside cards_dir with one of them was meant to be a card."""


class PlaceholderPage(Page):
    """A placeholder's page: all of it generated HTML, put in at page_context. Nothing to read, and no
    Markdown to convert (a converter with every extension cost 0.7 ms a page)."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = TableOfContents([])
        self.present_anchor_ids = set()


PLACEHOLDER_SEARCH_BOOST = 0.2
"""A placeholder's weight in Material's search (a written card's is 1): a search for "pricing" shows the
written cards about it before the page of the one not written yet."""


class CardPageEvents:
    """What the plugin's page events do to the pages of one build."""

    def __init__(self, build: SiteBuild, serve_cache: ServeCache, background: BackgroundSections | None) -> None:
        self.build = build
        self.serve_cache = serve_cache
        self.background = background
        self._pages: dict[str, Page] | None = None
        """Every page by its source path, for the footer's links (made once per build)."""

    def read_source(self, page: Page) -> str | None:
        """A valid card was read and parsed when the cards were loaded: MkDocs need not read it again
        (0.4 s of a 1,000-card build)."""
        src = page.file.src_uri
        return "" if src in self.build.cards_by_src and src not in self.build.failed_src else None

    def markdown(self, page: Page) -> str | None:
        """The page's Markdown and metadata: a card's body, a placeholder's nothing, an error page."""
        build, src = self.build, page.file.src_uri
        if src in self.serve_cache.reused:
            return None
        if src in build.failed_src:
            page.meta.pop("tags", None)
            return self._errors(f"Fix these problems in {src}", build.failed_src[src], heading=True)
        card = build.cards_by_src.get(src)
        if card is None:
            slug = build.slug_of_src.get(src)
            if slug is None:
                self._check_ordinary_page(page)
                return None
            page.meta["title"] = html.escape(build.renderer.graph.node(slug).title)
            page.meta["search"] = {"boost": PLACEHOLDER_SEARCH_BOOST}  # written cards come first in search
            return ""  # a placeholder's page is all generated (header)
        page.meta = dict(card.meta)  # parsed when the cards were loaded (read_source)
        page.meta["title"] = html.escape(card.title)
        page.meta["tags"] = [html.escape(tag) for tag in card.tags]  # Material prints tag names as HTML
        # Material reads `status` as its own page-status badge; ours lives under another key.
        page.meta["card_status"] = page.meta.pop("status", card.status.value)
        description = page.meta.get("description") or card.summary  # Material's own key wins over the summary
        if description:
            page.meta["description"] = html.escape(str(description))  # Material prints it unescaped
        if "subtitle" in page.meta:
            page.meta["subtitle"] = html.escape(str(page.meta["subtitle"]))  # Material prints it in the nav
        written = self.background.markdown(card.slug) if self.background is not None else None
        text = written if written is not None else build.renderer.card_markdown(card)
        if card.slug in build.quiz_errors:
            text += "\n\n" + self._errors("This card's quiz has errors", build.quiz_errors[card.slug])
        return text

    def path_footer(self, page: Page, nav: Navigation) -> None:
        """Material's footer ("Previous"/"Next") follows the card's learning path (its first one, as the
        path box above it shows first), so the two never disagree; off a path it keeps the nav's order."""
        slug = self.build.slug_of_src.get(page.file.src_uri)
        steps = self.build.renderer.context.steps.get(slug, []) if slug is not None else []
        if not steps:
            return
        if self._pages is None:
            self._pages = {p.file.src_uri: p for p in nav.pages}
            self._pages.update({f.src_uri: f.page for f in self.build.placeholder_files if f.page is not None})
        src_of = self.build.renderer.context.src_path_of
        step = steps[0]
        page.previous_page = self._pages.get(src_of[step.previous]) if step.previous else None
        page.next_page = self._pages.get(src_of[step.next]) if step.next else None

    def header(self, page: Page) -> None:
        """Before search indexes the page: the title and summary above a card's body, a slot after it
        for the generated sections, and their headings in the table of contents."""
        build, src = self.build, page.file.src_uri
        slug = build.slug_of_src.get(src)
        if slug is None or src in build.failed_src or src in self.serve_cache.reused:
            return
        anchor_ids = set(page.present_anchor_ids or ())
        sections = self.background.get(slug, anchor_ids) if self.background is not None else None
        if sections is None:
            sections = build.renderer.sections(slug, set(anchor_ids))
        build.sections[src] = sections
        headings = sections.headings
        page.present_anchor_ids = anchor_ids | {heading.id for heading in headings.all}  # valid link anchors
        page.toc = page_toc(page.toc, headings, build.renderer.style.base_level)
        if src not in build.cards_by_src:
            page.content = sections.header  # a placeholder's page is all generated
        else:
            content = page.content or ""
            page.content = sections.header + content + ("" if TAIL_SLOT in content else "\n" + TAIL_SLOT)

    def sections(self, page: Page) -> None:
        """After search has indexed the page: the generated parts, into the content (not the whole page)."""
        build, src = self.build, page.file.src_uri
        if src in build.failed_src or not page.content or src in self.serve_cache.reused:
            return
        page.content = build.renderer.fill_slots(
            page.content, build.slug_of_src.get(src), build.sections.pop(src, None)
        )

    def _errors(self, title: str, lines: list[str], heading: bool = False) -> str:
        """An error box (under "This card has errors" on a card's own page), every line escaped."""
        return self.build.env.get_template("card_errors.md.j2").render(title=title, lines=lines, heading=heading)

    def _check_ordinary_page(self, page: Page) -> None:
        """A page outside cards_dir is the site's own, published as written; one that carries card keys
        was meant to be a card, so say where it should go."""
        prefix = self.build.prefix
        keys = [key for key in CARD_ONLY_KEYS if key in page.meta]
        if not keys or not prefix:
            return
        text = page.file.content_string if page.file.abs_src_path else ""
        line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith(f"{keys[0]}:")), 1)
        shown = display_path(Path(page.file.abs_src_path or page.file.src_uri), Path.cwd())
        report(
            warning(
                shown,
                line,
                Code.UNKNOWN_KEY,
                f"this page has card keys ({', '.join(keys)}) but is outside cards_dir '{prefix.rstrip('/')}', so it "
                f"is published as an ordinary page; move it into {prefix} to make it a card, or remove those keys",
            )
        )
