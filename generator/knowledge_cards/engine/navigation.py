"""The site's navigation and a card page's table of contents, as the engine takes them.

Without a hand-written `nav:`, cards sit under their parents after the generated pages; with a
`cards_dir`, the site's own pages come first, as MkDocs would list them, then the cards' section.
Titles are escaped: Material prints nav and toc titles as HTML.
"""

from __future__ import annotations

import html
import posixpath
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import nest_paths

from ..core.graph import KnowledgeGraph
from ..core.names import slug_of
from ..render.headings import Heading
from ..render.pages import PageHeadings
from .config import CardsConfig

PROGRESS_PAGE = "progress.md"
TO_WRITE_PAGE = "to-write.md"
TAGS_PAGE = "tags.md"
MAP_PAGE = "map.md"
SITE_PAGES = {
    "index.md": "home page",
    PROGRESS_PAGE: "My progress",
    TO_WRITE_PAGE: "Cards to write",
    TAGS_PAGE: "Tags",
    MAP_PAGE: "Knowledge map",
}
"""The generated one-of-a-kind pages, by path inside the cards folder, and what they are called."""

MAX_NAV_DEPTH = 16
"""Sections nest at most this deep in the generated nav; cards deeper under their parents are listed
flat in the deepest section (MkDocs and Material nest by recursion: 250 levels crashed the build)."""


def site_nav(
    graph: KnowledgeGraph, options: CardsConfig, prefix: str, title: str, files: Files, tags_page: bool
) -> list[Any]:
    """The whole nav: the generated pages and the cards under their parents (after the site's own pages
    and under `title`, with a cards_dir `prefix`)."""
    cards = cards_nav(graph, options, prefix, tags_page)
    if not prefix:
        return cards
    own = [f.src_uri for f in files.documentation_pages() if not f.src_uri.startswith(prefix)]
    return [*nest_paths(own), {title: cards}]


def with_cards(nav: list[Any], prefix: str, cards: list[Any]) -> tuple[list[Any], bool]:
    """A hand-written nav with its entry naming the cards folder (`- Concepts: concepts/`) replaced by
    the cards' section; and whether it had one."""
    folder = prefix.rstrip("/")
    found = False

    def expand(item: Any) -> Any:
        nonlocal found
        if isinstance(item, str) and folder and item.strip("/") == folder:
            found = True
            return cards
        if isinstance(item, dict):
            return {key: expand(value) for key, value in item.items()}
        if isinstance(item, list):
            return [expand(value) for value in item]
        return item

    expanded = expand(nav)
    return expanded, found


def cards_nav(graph: KnowledgeGraph, options: CardsConfig, prefix: str, tags_page: bool) -> list[Any]:
    """The generated pages, then the cards under their parents."""

    def children(slug: str) -> list[str]:
        return [c for c in graph.children_of(slug) if c in graph.cards]

    def link(slug: str) -> dict[str, Any]:
        return {html.escape(graph.node(slug).title): prefix + graph.cards[slug].path}

    def entry(slug: str, depth: int = 1) -> dict[str, Any]:
        below = children(slug)
        if not below:
            return link(slug)
        if depth >= MAX_NAV_DEPTH:  # deeper cards are listed flat here: the engine nests by recursion
            flat, todo = [], list(reversed(below))
            while todo:
                flat.append(link(todo[-1]))
                todo[-1:] = reversed(children(todo[-1]))
            return {html.escape(graph.node(slug).title): [link(slug), *flat]}
        return {html.escape(graph.node(slug).title): [link(slug), *(entry(c, depth + 1) for c in below)]}

    cards: list[Any] = [{"Overview" if prefix else "Home": prefix + "index.md"}] if options.home else []
    if options.progress_page:
        cards.append({"My progress": prefix + PROGRESS_PAGE})
    if options.map_page:
        cards.append({"Knowledge map": prefix + MAP_PAGE})
    if tags_page:
        cards.append({"Tags": prefix + TAGS_PAGE})
    if options.to_write_page:
        cards.append({"Cards to write": prefix + TO_WRITE_PAGE})
    cards += _by_folder(graph, [slug for slug in graph.roots() if slug in graph.cards], entry)
    return cards


def _by_folder(graph: KnowledgeGraph, roots: list[str], entry: Any) -> list[Any]:
    """Cards without a parent, in their folders' sections (notes keep their vault's shape): a folder's
    note (`area/index.md`, or the card named as the folder) is the section, the others under it; a
    folder without one is a section named as the folder."""
    tree: dict[str, Any] = {"cards": [], "folders": {}}
    for slug in roots:
        folder = posixpath.dirname(graph.cards[slug].path)
        node = tree
        for part in folder.split("/") if folder else ():
            node = node["folders"].setdefault(part, {"cards": [], "folders": {}})
        node["cards"].append(slug)

    def items(node: dict[str, Any]) -> list[Any]:
        found = [entry(slug) for slug in node["cards"]]
        for name, below in sorted(node["folders"].items(), key=lambda item: item[0].casefold()):
            inner = items(below)
            note = next((slug for slug in below["cards"] if slug == slug_of(name)), None)
            if note is not None and len(inner) == 1:
                found.append(inner[0])  # the folder is its one card (with its own children)
                continue
            title = html.escape(graph.node(note).title) if note is not None else html.escape(name)
            found.append({title: inner})
        return found

    return items(tree)


def page_toc(body: TableOfContents, headings: PageHeadings, base_level: int = 0) -> TableOfContents:
    """The page's title over its body's headings and the generated ones, as Markdown's toc would nest them
    (levels as written on the page: shifted by the toc's `baselevel`)."""

    def link(heading: Heading) -> AnchorLink:
        return AnchorLink(html.escape(heading.title, quote=False), heading.id, min(heading.level + base_level, 6))

    title = link(headings.title)
    title.children = list(body)
    section: AnchorLink | None = None
    for heading in headings.all[1:]:
        entry = link(heading)
        if heading.level > 2 and section is not None:
            section.children.append(entry)
        else:
            title.children.append(entry)
            section = entry
    return TableOfContents([title])
