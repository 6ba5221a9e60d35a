"""`mkdocs serve`: pages whose inputs are unchanged come back from the previous build.

Part of the MkDocs adapter (it works on MkDocs pages and Material's search index, through
internals.py). MkDocs keeps a plugin that has `on_startup` across serve rebuilds, so the plugin holds
one `ServeCache` for the whole session. A card's or placeholder's page is kept at two levels:

- its content (HTML body, table of contents, title, anchors, metadata, search entries), under the
  page's own key: its file, URL and the digest of the cards it shows (and the site's files, when its
  Markdown has links). With the key unchanged, the page is neither read nor converted again;
- its whole output, under that key and the site's structure: the nav as Material prints it into the
  page (titles, URLs, nesting, the metadata it shows there), its previous and next pages, and the
  site's files. Without `navigation.prune` that is the whole nav, the same for every page; with it,
  the first two levels (the same for every page) and the page's own branch (every open section's
  children, deeper sections pruned to a link), a little more than Material prints, never less. A
  page's output is reused only when none of it changed, else its template is rendered again around
  its kept content.

The structure is hashed when every page's final title is known (on_env). A body edit changes no title:
every other page's output is reused. A title edit renders again the templates of the pages that print
that title (without prune: every page), and converts again only the pages showing that card.

`mkdocs serve --dirty` runs the same way, except that MkDocs skips writing a page whose output is
reused: it reads every page (the cache answers at once), and on_env marks the outputs up to date.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from . import internals
from .internals import GeneratedPageFile, search_index

# The template of a page served again: its kept output replaces what this renders.
CACHED_TEMPLATE = "kcards/cached.html.j2"

NAV_META = ("icon", "subtitle", "status")
"""What Material's nav shows of a page's metadata, besides its title."""

TAGS_LISTING = "<!-- material/tags"
"""Material's tags listing, where the tags printed on every page link to."""


def _digest(facts: object) -> str:
    return hashlib.sha256(repr(facts).encode()).hexdigest()


@dataclass(frozen=True)
class CachedPage:
    """A card's or placeholder's page as the previous build wrote it, and what it was made from."""

    key: str
    """The page's own inputs."""
    output_key: str
    """Its inputs and the site's structure: what its whole output is made from."""
    output: str
    meta: dict[str, Any]
    content: str
    toc: TableOfContents
    title: str | None
    anchors: frozenset[str]

    def restore(self, page: Page) -> None:
        """Give `page` what other pages and the theme read of it: its contents, title and anchors."""
        page.toc = self.toc
        internals.set_title_from_render(page, self.title)
        page.present_anchor_ids = set(self.anchors)


class ReusedPage(Page):
    """A page whose inputs are unchanged since the previous build: instead of reading its file and
    converting Markdown again, it takes back what that build made. Search gets the page's kept
    entries back; the kept output replaces the tiny template at post_page, unless the site's
    structure changed (ServeCache.note_structure), and then the theme's template is rendered again."""

    cached: CachedPage
    search_entries: list[dict[str, Any]] | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = {**self.cached.meta, "template": CACHED_TEMPLATE}
        if self.search_entries is not None:
            self.meta["search"] = {"exclude": True}  # the cache adds the kept entries instead

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # With its search entries kept, nothing reads the content unless the template is rendered again
        # (parsing the content for search again was 0.3 s of a 1,000-card rebuild).
        self.content = "" if self.search_entries is not None else self.cached.content
        self.cached.restore(self)

    def render_again(self) -> None:
        """The site's structure changed: the theme's template is rendered around the kept content."""
        self.meta = dict(self.cached.meta)
        if self.search_entries is not None:
            self.meta["search"] = {"exclude": True}
        self.content = self.cached.content


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per serve session, not once per rebuild (0.3-0.6 s of a
    1,000-card rebuild went to compiling Material's templates again). Jinja checks each template's
    source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class ServeCache:
    """Finished pages and their search entries, kept from one serve build to the next."""

    def __init__(self) -> None:
        self.pages: dict[str, CachedPage] = {}
        self._search_entries: dict[str, list[dict[str, Any]]] = {}
        self._site_key = ""
        self._files_key = ""
        self._structure_key = ""
        self._listings: set[str] = set()
        self._nav: Navigation | None = None
        self._pruned = False
        """`navigation.prune`: Material prints only the top levels and the page's own branch of the nav."""
        self._branch_keys: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        """This build's key of every page that may be kept, by source path."""
        self.reused: set[str] = set()
        """Pages whose content comes from the previous build in this build (not read, not converted)."""
        self.outputs_reused: set[str] = set()
        """Of those, the pages whose whole output comes from the previous build."""
        self._entries_seen = 0
        self.builds = 0
        self.templates = CompiledTemplates()
        self.dirty = False
        """`mkdocs serve --dirty`: MkDocs itself skips writing the pages whose output is up to date."""
        self._fresh: dict[str, list[dict[str, Any]]] = {}
        """This build's search entries, by page."""
        self._order: list[str] = []
        self._dests: dict[str, str] = {}
        """Every page's output file in the previous build."""

    def start_build(self, config: MkDocsConfig) -> bool:
        """Begin a build; forget every page when the settings or theme templates changed (returns True)."""
        stamps = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
        for folder in internals.custom_theme_dirs(config):  # Material's own files don't change
            stamps += [f"{p}:{p.stat().st_mtime_ns}".encode() for p in sorted(Path(folder).rglob("*")) if p.is_file()]
        site_key = hashlib.sha256(b"\0".join(stamps)).hexdigest()
        changed = site_key != self._site_key
        if changed:
            self.pages.clear()
            self._search_entries.clear()
        self._site_key = site_key
        self._pruned = "navigation.prune" in (config.theme.get("features") or [])
        self._branch_keys = {}
        self._files_key = self._structure_key = ""
        self._listings = set()
        self.keys = {}
        self.reused = set()
        self.outputs_reused = set()
        self._entries_seen = 0
        self._fresh = {}
        return changed

    def note_files(self, files: Files, nav: Navigation) -> None:
        """The site's files and nav (on_nav): a page's relative links become URLs when their target exists."""
        self._nav = nav
        self._files_key = _digest([(file.src_uri, file.url) for file in files])
        self._order = [file.src_uri for file in files.documentation_pages()]

    def key_of(self, page: Page, inputs: str) -> str:
        """What `page`'s content is made from: its file, its URL and `inputs` (the digest of the cards it
        shows); and the site's files, when its Markdown may link to them."""
        text = page.file.content_string
        if TAGS_LISTING in text:
            self._listings.add(page.file.src_uri)
        links = self._files_key if "](" in text or "]:" in text else ""
        return _digest((page.file.src_uri, page.url, text, inputs, links))

    def consider(self, page: Page, inputs: str, search_index: Any | None) -> None:
        """Key `page` (on_pre_page); if the previous build made it from the same, make it a ReusedPage."""
        src = page.file.src_uri
        key = self.keys[src] = self.key_of(page, inputs)
        cached = self.pages.get(src)
        if cached is None or cached.key != key:
            return
        self.reused.add(src)
        internals.become(page, ReusedPage)
        page.cached = cached  # type: ignore[attr-defined]
        # Search takes back this page's entries from the previous build instead of parsing it again.
        kept = self._search_entries.get(src) if search_index is not None else None
        page.search_entries = kept  # type: ignore[attr-defined]

    def note_structure(self, files: Files, overwritten: frozenset[str] = frozenset()) -> None:
        """After every page was read (on_env): the site's structure, in every page's output; then which
        kept outputs still hold, and, with `--dirty`, which pages MkDocs need not write again."""
        listings = [
            file.src_uri
            for file in files.documentation_pages()
            if file.src_uri in self._listings or (file.src_uri not in self.keys and TAGS_LISTING in _text(file))
        ]
        nav = self._nav.items if self._nav is not None else []
        shown = _top_nav_facts(nav) if self._pruned else _nav_facts(nav)
        self._structure_key = _digest((shown, self._files_key, listings))
        for file in files.documentation_pages():
            src, page = file.src_uri, file.page
            if self._pruned and page is not None:
                self._branch_keys[src] = _digest(_branch_facts(page))
            if self.dirty and src not in self.keys:  # a broken card's page: its output is not the kept one
                self.pages.pop(src, None)
            if src not in self.reused or not isinstance(page, ReusedPage):
                continue
            if page.cached.output_key == self._output_key(src):
                self.outputs_reused.add(src)
                if self.dirty and file.dest_uri not in overwritten:  # `overwritten`: other files were there
                    internals.skip_writing(file)
            else:
                page.render_again()

    def _output_key(self, src: str) -> str:
        return _digest((self.keys[src], self._structure_key, self._branch_keys.get(src, "")))

    def plan_dirty(self, files: Files) -> None:
        """Before a `--dirty` rebuild reads any page (on_nav): MkDocs reads and writes only the pages whose
        file is newer than their output, so have it read every page (the cache answers for those
        unchanged); note_structure then tells it which ones need not be written."""
        for file in files.documentation_pages():
            internals.build_again(file)

    def finish_dirty(self, files: Files, search_index: Any | None) -> None:
        """After a `--dirty` rebuild: the search index of every page (MkDocs skipped the pages it did not
        write, and Material's own merge keeps the entries of one changed page only), and no output left
        of a page that is gone."""
        if search_index is not None:
            internals.set_search_entries(
                search_index,
                [
                    entry
                    for src in self._order
                    for entry in self._fresh.get(src, self._search_entries.get(src, []) if src in self.reused else [])
                ],
            )
        dests = {file.src_uri: file.abs_dest_path for file in files.documentation_pages()}
        written = {file.abs_dest_path for file in files}  # another file (a redirect) may be there now
        for src, dest in self._dests.items():
            if src not in dests and dest not in written and os.path.isfile(dest):
                os.remove(dest)
        self._dests = dests

    def after_indexing(self, page: Page, search_index: Any) -> None:
        """Right after the search plugin indexed `page`: keep its entries, or put back the kept ones."""
        src = page.file.src_uri
        entries = internals.search_entries(search_index)
        kept = getattr(page, "search_entries", None) if src in self.reused else None
        if kept is not None:
            entries.extend(dict(entry) for entry in kept)
        elif src in self.keys:
            self._search_entries[src] = [dict(entry) for entry in entries[self._entries_seen :]]
        self._fresh[src] = entries[self._entries_seen :]
        self._entries_seen = len(entries)

    def output(self, page: Page, output: str) -> str:
        """The page's output: kept, when it still holds; else `output`, which is kept for the next build."""
        src = page.file.src_uri
        if src in self.outputs_reused:
            return self.pages[src].output
        if src in self.keys:
            reused = self.pages[src] if src in self.reused else None
            self.pages[src] = CachedPage(
                key=self.keys[src],
                output_key=self._output_key(src),
                output=output,
                meta=reused.meta if reused is not None else dict(page.meta),
                content=reused.content if reused is not None else page.content or "",
                toc=page.toc,
                title=page.title if reused is None else reused.title,
                anchors=frozenset(page.present_anchor_ids or ()),
            )
        return output


def _nav_facts(items: list[Any]) -> list[tuple[Any, ...]]:
    """What Material prints of the nav: each item's kind, title and URL, the metadata it shows of a page,
    and the nesting."""
    facts: list[tuple[Any, ...]] = []
    for item in items:
        if isinstance(item, Section):
            facts.append(("section", item.title, _nav_facts(item.children)))
        elif isinstance(item, Page):
            meta = item.meta or {}
            facts.append(("page", item.title, item.url, item.is_index, [meta.get(key) for key in NAV_META]))
        else:
            facts.append(("link", item.title, getattr(item, "url", None)))
    return facts


def _pruned_facts(item: Any) -> tuple[Any, ...]:
    """A nav item as Material prints it pruned: a page as itself; a section as its title and a link to
    its first page (and that page's title and metadata, to be safe)."""
    if not isinstance(item, Section):
        return _nav_facts([item])[0]
    first: Any = item
    while isinstance(first, Section) and first.children:
        first = first.children[0]
    return ("pruned", item.title, _nav_facts([first]) if not isinstance(first, Section) else None)


def _top_nav_facts(items: list[Any]) -> list[tuple[Any, ...]]:
    """With `navigation.prune`, what every page prints of the nav whatever its place: the first level,
    and the second (sections expanded at the first level with `navigation.sections`, and tabs), deeper
    sections pruned. More than Material prints is safe (a page is only rendered again more often)."""
    return [
        ("section", item.title, [_pruned_facts(child) for child in item.children])
        if isinstance(item, Section)
        else _pruned_facts(item)
        for item in items
    ]


def _branch_facts(page: Page) -> tuple[Any, ...]:
    """With `navigation.prune`, what a page prints of its own branch: every open section's children
    (nested sections pruned), and the previous and next pages of the footer."""
    open_sections = [
        ("open", section.title, [_pruned_facts(c) for c in getattr(section, "children", None) or ()])
        for section in page.ancestors
    ]
    near = [(p.title, p.url) if p is not None else None for p in (page.previous_page, page.next_page)]
    return (open_sections, near)


def _text(file: File) -> str:
    try:
        return file.content_string
    except (OSError, UnicodeDecodeError, AssertionError):
        return ""


__all__ = ["CACHED_TEMPLATE", "GeneratedPageFile", "ReusedPage", "ServeCache", "search_index"]
