"""`mkdocs serve`: pages whose inputs are unchanged come back from the previous build.

Part of the MkDocs adapter (it works on MkDocs pages and Material's search index). MkDocs keeps a
plugin that has `on_startup` across serve rebuilds, so the plugin holds one `ServeCache` for the
whole session; a rebuild after an edit then reads, converts and renders only the pages the edit
touches, and writes the others' kept output again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

# The template of a page served again: its kept output replaces what this renders.
CACHED_TEMPLATE = "kcards/cached.html.j2"


@dataclass(frozen=True)
class CachedPage:
    """A card's or placeholder's page as the previous build wrote it, and what it was made from."""

    key: str
    output: str
    meta: dict[str, Any]
    content: str
    toc: TableOfContents
    title: str | None
    anchors: frozenset[str]

    def restore(self, page: Page) -> None:
        """Give `page` what other pages and the theme read of it: its contents, title and anchors."""
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = set(self.anchors)


class ReusedPage(Page):
    """A page whose inputs are unchanged since the previous build: instead of reading its file and
    converting Markdown again, it takes back what that build made. Search gets the page's kept
    entries back, and the kept output replaces the tiny template at post_page."""

    cached: CachedPage
    search_entries: list[dict[str, Any]] | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = {**self.cached.meta, "template": CACHED_TEMPLATE}
        if self.search_entries is not None:
            self.meta["search"] = {"exclude": True}  # the cache adds the kept entries instead

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # With its search entries kept, nothing reads the content: its output is kept too (and parsing
        # the content for search again was 0.3 s of a 1,000-card rebuild).
        self.content = "" if self.search_entries is not None else self.cached.content
        self.cached.restore(self)


class GeneratedPageFile(File):
    """A page the plugin generates (a placeholder's). MkDocs' dirty build takes a generated file for changed
    on every build and builds it again (250 pages of a 1,000-card base); it is unchanged when its page's
    key is (ServeCache.plan_dirty says so)."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged and super().is_modified()


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
        self._nav_key = ""
        self.keys: dict[str, str] = {}
        """This build's key of every page that may be kept, by source path."""
        self.reused: set[str] = set()
        """Pages served again in this build."""
        self._entries_seen = 0
        self.builds = 0
        self.templates = CompiledTemplates()
        self.dirty = False
        """`mkdocs serve --dirty`: MkDocs itself skips the pages whose file is older than their output."""
        self._fresh: dict[str, list[dict[str, Any]]] = {}
        """This build's search entries, by page."""
        self._order: list[str] = []
        self._dests: dict[str, str] = {}
        """Every page's output file in the previous build."""

    def start_build(self, config: MkDocsConfig) -> bool:
        """Begin a build; forget every page when the settings or theme templates changed (returns True)."""
        stamps = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
        for folder in config.theme.dirs[:-2]:  # the custom_dir(s); Material's own files don't change
            stamps += [f"{p}:{p.stat().st_mtime_ns}".encode() for p in sorted(Path(folder).rglob("*")) if p.is_file()]
        site_key = hashlib.sha256(b"\0".join(stamps)).hexdigest()
        changed = site_key != self._site_key
        if changed:
            self.pages.clear()
            self._search_entries.clear()
        self._site_key = site_key
        self.keys = {}
        self.reused = set()
        self._entries_seen = 0
        self._fresh = {}
        return changed

    def note_nav(self, nav: Navigation) -> None:
        """Pruned, Material shows the top two levels and the open branch: a page's nav is made of these."""
        shown = [(item.title, getattr(item, "url", None)) for item in nav.items]
        shown += [
            (c.title, getattr(c, "url", None)) for item in nav.items for c in getattr(item, "children", None) or ()
        ]
        self._nav_key = hashlib.sha256(repr(shown).encode()).hexdigest()  # once: in every page's key

    def key_of(self, page: Page, inputs: str) -> str:
        """What `page` is made from: its file, its nav and `inputs` (the digest of the cards it shows)."""
        branch = [
            (c.title, getattr(c, "url", None)) for a in page.ancestors for c in getattr(a, "children", None) or ()
        ]
        near = [(p.title, p.url) if p else None for p in (page.previous_page, page.next_page)]
        facts = (self._nav_key, branch, near, page.file.content_string, inputs)
        return hashlib.sha256(repr(facts).encode()).hexdigest()

    def consider(self, page: Page, inputs: str, search_index: Any | None) -> None:
        """Key `page`; if the previous build made it from the same, turn it into a ReusedPage."""
        src = page.file.src_uri
        key = self.keys[src] = self.keys.get(src) or self.key_of(page, inputs)
        cached = self.pages.get(src)
        if cached is None or cached.key != key:
            return
        self.reused.add(src)
        page.__class__ = ReusedPage
        page.cached = cached  # type: ignore[attr-defined]
        # Search takes back this page's entries from the previous build instead of parsing it again.
        page.search_entries = self._search_entries.get(src) if search_index is not None else None  # type: ignore[attr-defined]

    def plan_dirty(self, files: Files, inputs_of: Callable[[str], str | None]) -> list[Page]:
        """Before a `--dirty` rebuild reads any page: MkDocs will skip a page whose file is older than its
        output, so make it rebuild a card page whose key changed (a neighbour's title, the nav...) and
        every page that is not a card's; give each page it will still skip what the previous build made
        of it. Returns those pages."""
        skipped: list[Page] = []
        self._order = []
        for file in files.documentation_pages():
            src = file.src_uri
            self._order.append(src)
            page, inputs = file.page, inputs_of(src)
            cached = self.pages.get(src)
            if page is not None and inputs is not None:
                self.keys[src] = self.key_of(page, inputs)
            if page is None or cached is None or cached.key != self.keys.get(src) or src not in self._search_entries:
                if os.path.exists(file.abs_dest_path):
                    os.utime(file.abs_dest_path, (0, 0))  # older than any source: MkDocs builds it again
                continue
            if isinstance(file, GeneratedPageFile):
                file.unchanged = True
            if file.is_modified():
                continue  # saved again unchanged: MkDocs reads it, and on_pre_page finds it in the cache
            self.reused.add(src)
            page.meta = dict(cached.meta)
            cached.restore(page)
            skipped.append(page)
        return skipped

    def finish_dirty(self, files: Files, search_index: Any | None) -> None:
        """After a `--dirty` rebuild: the search index of every page (Material's own merge keeps the entries
        of one changed page only), and no output left of a page that is gone."""
        if search_index is not None:
            search_index.entries = [
                entry
                for src in self._order
                for entry in self._fresh.get(src, self._search_entries.get(src, []) if src in self.reused else [])
            ]
        dests = {file.src_uri: file.abs_dest_path for file in files.documentation_pages()}
        for src, dest in self._dests.items():
            if src not in dests and os.path.isfile(dest):
                os.remove(dest)
        self._dests = dests

    def after_indexing(self, page: Page, search_index: Any) -> None:
        """Right after the search plugin indexed `page`: keep its entries, or put back the kept ones."""
        src = page.file.src_uri
        entries = getattr(page, "search_entries", None) if src in self.reused else None
        if entries is not None:
            search_index.entries.extend(dict(entry) for entry in entries)
        elif src in self.keys:
            self._search_entries[src] = [dict(entry) for entry in search_index.entries[self._entries_seen :]]
        self._fresh[src] = search_index.entries[self._entries_seen :]
        self._entries_seen = len(search_index.entries)

    def output(self, page: Page, output: str) -> str:
        """The page's output: kept, for a reused page; else `output`, which is kept for the next build."""
        src = page.file.src_uri
        if src in self.reused:
            return self.pages[src].output
        if src in self.keys:
            self.pages[src] = CachedPage(
                key=self.keys[src],
                output=output,
                meta=dict(page.meta),
                content=page.content or "",
                toc=page.toc,
                title=page.title,
                anchors=frozenset(page.present_anchor_ids or ()),
            )
        return output


def search_index(config: MkDocsConfig) -> Any | None:
    """Material's search index, when its entries can be kept between serve builds (a plain list)."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None
