"""The MkDocs adapter: wires MkDocs events to the pure pipeline, nothing more.

Only this module and config.py import mkdocs, so the core can later feed
another site engine (MkDocs 2.0 drops plugins).
"""

from __future__ import annotations

import html
import json
import logging
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import dirname_to_title, nest_paths
from mkdocs.utils.templates import TemplateContext

from ..core.knowledge_base import KnowledgeBase, ParseCache, collector_paused, display_path, load_knowledge_base
from ..core.load import cards_subfolder
from ..core.model import Card
from ..core.problems import Severity
from ..render.headings import Heading, HeadingStyle
from ..render.pages import TAIL_SLOT, PageHeadings, PageRenderer, PageSections
from ..render.templates import PACKAGE_TEMPLATES, make_environment
from . import internals
from .assets import SCRIPTS, STYLESHEETS, URL_PREFIX, Asset, AssetError, find_assets
from .background import BackgroundSections, can_fork
from .config import CardsConfig
from .serve_cache import GeneratedPageFile, ServeCache, search_index

log = logging.getLogger("mkdocs.plugins.knowledge_cards")

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

# Extensions the generated Markdown relies on; added when mkdocs.yml leaves them out.
# Material's tags plugin under its names: Material's own, and MaterialX's (Material's maintained fork).
TAGS_PLUGINS = ("material/tags", "tags", "materialx/tags")

# Front-matter keys only a card has: a page outside cards_dir with one of them was meant to be a card.
CARD_ONLY_KEYS = ("summary", "parent", "prerequisites", "explore", "related", "loop", "sources")

REQUIRED_EXTENSIONS = ("attr_list", "admonition", "footnotes", "tables", "md_in_html", "pymdownx.details")


class CardsPlugin(BasePlugin[CardsConfig]):
    """Compiles the cards folder (MkDocs' docs_dir) into a linked knowledge site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None
        self.renderer: PageRenderer | None = None
        self.cards_by_src: dict[str, Card] = {}
        self.slug_of_src: dict[str, str] = {}
        """Card and placeholder pages by source path: the pages with generated parts."""
        self.failed_src: dict[str, list[str]] = {}
        self.sections: dict[str, PageSections] = {}
        """Generated HTML of card and placeholder pages between search's indexing and the sections' filling."""
        self.background: BackgroundSections | None = None
        self._frozen = False
        self.quiz_errors: dict[str, list[str]] = {}
        self._tags_page = False
        self.serving = False
        self._start_session()

    def _start_session(self) -> None:
        """`mkdocs serve` keeps this plugin across rebuilds (it has on_startup), and with it these caches;
        MkDocs may hand the same plugin to a later session in this process, which starts from nothing."""
        self.parse_cache = ParseCache()
        self.serve_cache = ServeCache()
        self._env: jinja2.Environment | None = None
        self._site_pages_made: tuple[str, dict[str, str], dict[str, str]] | None = None
        self._graph_made: tuple[object, str, dict[str, Any]] | None = None
        self._files: Files | None = None
        self._placeholder_files: list[File] = []
        self._assets: list[Asset] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._start_session()
        self.serving = command == "serve"
        self.serve_cache.dirty = self.serving and dirty
        if self.serve_cache.dirty:  # we rebuild what a dirty build would get wrong, so the warning is moot
            internals.hide_dirty_warning()

    def on_shutdown(self) -> None:
        internals.show_dirty_warning()  # the end of a serve session

    # Run early so the superfences/mermaid config is in place before other plugins read it.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        _ensure_mermaid_fence(config)
        tags = next((config.plugins[name] for name in TAGS_PLUGINS if name in config.plugins), None)
        tags_config: Any = getattr(tags, "config", None)
        slugify = getattr(tags_config, "tags_slugify", None)
        if getattr(getattr(slugify, "func", None), "__module__", "") == "pymdownx.slugs":  # Material's default
            tags_config["tags_slugify"] = tag_slug  # which drops emoji and symbols, so tags collide
        cards_dir = Path(config.docs_dir) / self._prefix
        if self._prefix and not cards_dir.is_dir():
            raise PluginError(
                _config_error(
                    config,
                    "cards_dir",
                    f"cards_dir '{self.config.cards_dir}': no folder {display_path(cards_dir.resolve(), Path.cwd())}",
                )
            )
        try:
            self._assets = find_assets(self._override_dirs(config))
        except AssetError as exc:
            raise PluginError(str(exc)) from None
        for index, name in enumerate(SCRIPTS):
            if URL_PREFIX + name not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.insert(index, URL_PREFIX + name)
        for index, name in enumerate(STYLESHEETS):
            if URL_PREFIX + name not in config.extra_css:
                config.extra_css.insert(index, URL_PREFIX + name)
        return config

    # After other plugins have added files, so every card is seen; before the nav is built.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        if self.serving and self.serve_cache.start_build(config):
            self._env = None  # the templates may have changed
            self._site_pages_made = None
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        prefix = self._prefix
        with collector_paused():  # frozen before the pause ends, else the next collection walks it all
            self.kb = kb = load_knowledge_base(
                Path(config.docs_dir) / prefix,
                relative_to=root,
                quizzes_dir=root / self.config.quizzes_dir,
                paths_file=root / self.config.paths_file,
                cache=self.parse_cache if self.serving else None,
                workers=1 if self.serving else os.cpu_count() or 1,  # serve: few files change, the cache has the rest
                other_files=frozenset(
                    posixpath.relpath(f.src_uri, prefix) for f in files if prefix and not f.src_uri.startswith(prefix)
                ),
            )
            self._freeze_for_build()
        for problem in kb.problems:
            (log.error if problem.severity is Severity.ERROR else log.warning)(problem.format())
        self.failed_src = {}
        self.quiz_errors = {}
        quizzes_dir = (root / self.config.quizzes_dir).resolve()
        docs_dir = Path(config.docs_dir).resolve()
        for problem in kb.errors:
            full = (root / problem.path).resolve()
            if not full.is_relative_to(docs_dir) and not full.is_relative_to(quizzes_dir):
                continue  # e.g. paths.yml: reported in the log, belongs to no page
            if full.is_relative_to(quizzes_dir):
                self.quiz_errors.setdefault(full.stem, []).append(problem.format())
            else:
                self.failed_src.setdefault(_src_of(problem.path, root, Path(config.docs_dir)), []).append(
                    problem.format()
                )

        # MkDocs must not read a card that failed (it may not even be UTF-8): its page shows the errors.
        for src in self.failed_src:
            broken = files.get_file_from_path(src)
            if broken is not None:
                broken.content_string = ""
        # A site's overrides of our templates and assets live in its theme folder, but are not site content.
        docs_dir_path = Path(config.docs_dir).resolve()
        for file in [f for f in files if f.src_uri.startswith("kcards/")]:
            if not Path(file.abs_src_path or "").resolve().is_relative_to(docs_dir_path):
                files.remove(file)
        for asset in self._assets:
            if files.get_file_from_path(asset.dest) is None:
                files.append(File.generated(config, asset.dest, abs_src_path=str(asset.source)))
        src_path_of = {node.slug: prefix + node.path for node in kb.graph.nodes.values()}
        placeholder_files: dict[str, File] = {}
        for node in kb.graph.placeholders:
            if files.get_file_from_path(prefix + node.path) is None:
                placeholder_files[node.slug] = GeneratedPageFile.generated(
                    config, prefix + node.path, content="", inclusion=InclusionLevel.NOT_IN_NAV
                )
                files.append(placeholder_files[node.slug])
        self._placeholder_files = list(placeholder_files.values())
        url_of = {slug: files.get_file_from_path(path).url for slug, path in src_path_of.items()}  # type: ignore[union-attr]
        if self._env is None or not self.serving:
            self._env = make_environment(self._override_dirs(config))
            self._env.globals["cards_folder"] = display_path((Path(config.docs_dir) / prefix).resolve(), root) + "/"
            _check_overrides(self._env, self._override_dirs(config))
        env = self._env
        style = HeadingStyle.from_toc_config(config.mdx_configs.get("toc") or {})
        self.renderer = PageRenderer(
            env, kb.graph, src_path_of, url_of, kb.quizzes, kb.paths, home_path=prefix + "index.md", style=style
        )
        self.cards_by_src = {prefix + card.path: card for card in kb.cards}
        self.slug_of_src = {path: slug for slug, path in src_path_of.items()}
        self.sections = {}
        graph, graph_facts = self._graph_json(kb, url_of)
        for path, content in self._site_pages(config, graph, graph_facts).items():
            existing = files.get_file_from_path(path)
            if existing is None:
                files.append(File.generated(config, path, content=content))
            elif path in self.cards_by_src:
                log.warning(
                    f"{kb.display_paths[self.cards_by_src[path].slug]}:1:1: warning: this card takes the place of "
                    f"the generated {SITE_PAGES[path.removeprefix(prefix)]} page; move it into a folder to keep both"
                )
        files.append(File.generated(config, self.config.graph_json, content=graph + "\n"))
        if not config.nav:
            config.nav = self._nav(files)
        return files

    def _graph_json(self, kb: KnowledgeBase, url_of: dict[str, str]) -> tuple[str, dict[str, Any]]:
        """graph.json's text and facts. `mkdocs serve` makes them again only when a node or edge changed:
        after an edit to a card's body, making them again was a tenth of a 1,000-card rebuild."""
        nodes = tuple((n.slug, n.title, n.status, n.tags, url_of.get(n.slug)) for n in kb.graph.nodes.values())
        key = (nodes, kb.graph.edges)
        if self.serving and self._graph_made is not None and self._graph_made[0] == key:
            return self._graph_made[1], self._graph_made[2]
        facts = kb.graph.as_json(url_of)
        # Compact: json's C encoder only runs without indent (0.25 s saved at 1,000 cards).
        graph = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
        self._graph_made = (key, graph, facts)
        return graph, facts

    def _site_pages(self, config: MkDocsConfig, graph: str, graph_facts: dict[str, Any]) -> dict[str, str]:
        """The Markdown of the one-of-a-kind pages (home, My progress, Cards to write, Tags, Knowledge
        map), by path. They show the whole graph, so `mkdocs serve` makes them again only when it changed:
        not after an edit to a card's body."""
        assert self.kb is not None and self.renderer is not None
        renderer, kb, prefix = self.renderer, self.kb, self._prefix
        wanted = {
            "index.md": self.config.home,
            PROGRESS_PAGE: self.config.progress_page,
            TO_WRITE_PAGE: self.config.to_write_page,
            TAGS_PAGE: self._has_tags_plugin(config),
            MAP_PAGE: self.config.map_page,
        }
        key = repr(
            (
                wanted,
                config.site_name,
                self.config.graph_json,
                graph,
                [(node.slug, node.summary) for node in kb.graph.nodes.values()],
                [(path.id, path.title, path.description, path.cards) for path in kb.paths],
                [(slug, quiz.title, len(quiz.questions)) for slug, quiz in kb.quizzes.items()],
            )
        )
        if self.serving and self._site_pages_made is not None and self._site_pages_made[0] == key:
            renderer.page_parts = dict(self._site_pages_made[2])
            return self._site_pages_made[1]
        render: dict[str, Callable[[], str]] = {
            "index.md": lambda: renderer.home_markdown(prefix + "index.md", self._cards_title or config.site_name),
            PROGRESS_PAGE: lambda: renderer.progress_markdown(prefix + PROGRESS_PAGE),
            TO_WRITE_PAGE: lambda: renderer.to_write_markdown(prefix + TO_WRITE_PAGE),
            TAGS_PAGE: renderer.tags_markdown,
            MAP_PAGE: lambda: renderer.map_markdown(prefix + MAP_PAGE, self.config.graph_json, graph_facts),
        }
        pages = {prefix + path: render[path]() for path, on in wanted.items() if on}
        self._site_pages_made = (key, pages, dict(renderer.page_parts))
        return pages

    @property
    def _prefix(self) -> str:
        """The cards folder as a src_uri prefix: '' for all of docs_dir, else e.g. 'concepts/'."""
        folder = cards_subfolder(self.config.cards_dir)
        return folder + "/" if folder else ""

    @property
    def _cards_title(self) -> str:
        """With a cards_dir, the name of the cards' part of the site: its nav section and home page title."""
        if not self._prefix:
            return ""
        return self.config.cards_nav_title or dirname_to_title(self._prefix.rstrip("/").rsplit("/", 1)[-1])

    @staticmethod
    def _override_dirs(config: MkDocsConfig) -> list[Path]:
        """The theme folders' `kcards/` subfolders: a site's own templates and assets, first match wins."""
        return [Path(d) / "kcards" for d in config.theme.dirs]

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        # The page template of a page served again from the serve cache ("kcards/cached.html.j2").
        ours = jinja2.PrefixLoader({"kcards": jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))})
        env.loader = jinja2.ChoiceLoader([env.loader, ours] if env.loader is not None else [ours])
        if self.serving:  # MkDocs makes a new environment per rebuild: keep the theme's compiled templates
            env.bytecode_cache = self.serve_cache.templates
            self.serve_cache.note_structure(files)  # every page is read: which kept outputs still hold
        return None

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        for file in self._placeholder_files:  # MkDocs made their pages with the nav
            if type(file.page) is Page:
                internals.become(file.page, PlaceholderPage)
        if self.serving:
            self.serve_cache.note_files(files, nav)
            self._files = files
        if self.renderer is not None and not self.serving and self.config.background_pages:
            pages = [slug for src, slug in self.slug_of_src.items() if src not in self.failed_src]
            if len(pages) >= self.config.background_pages and can_fork():
                # The cards MkDocs reads in the second half of its page loop: the worker writes their Markdown.
                order = [self.cards_by_src.get(file.src_uri) for file in files.documentation_pages()]
                cards = [card for card in order if card is not None and card.path not in self.failed_src]
                self.background = BackgroundSections(self.renderer, pages, cards[len(cards) // 2 :])
        if self.serve_cache.dirty:  # MkDocs reads every page (the cache answers); on_env says which to write
            self.serve_cache.plan_dirty(files)
        return None

    def _has_tags_plugin(self, config: MkDocsConfig) -> bool:
        """Material's tags plugin groups cards by tag; we only add the page that lists them."""
        self._tags_page = any(name in config.plugins for name in TAGS_PLUGINS)
        return self._tags_page

    def _nav(self, files: Files) -> list[Any]:
        """Cards under their parents, titles escaped (Material prints nav titles as HTML). With a
        `cards_dir`, the site's own pages come first, as MkDocs would list them, then the cards' section."""
        assert self.kb is not None
        graph, prefix = self.kb.graph, self._prefix

        def entry(slug: str) -> dict[str, Any]:
            title = html.escape(graph.node(slug).title)
            children = [c for c in graph.children_of(slug) if c in graph.cards]
            if not children:
                return {title: prefix + graph.cards[slug].path}
            return {title: [{title: prefix + graph.cards[slug].path}, *(entry(c) for c in children)]}

        cards: list[Any] = [{"Overview" if prefix else "Home": prefix + "index.md"}] if self.config.home else []
        if self.config.progress_page:
            cards.append({"My progress": prefix + PROGRESS_PAGE})
        if self.config.map_page:
            cards.append({"Knowledge map": prefix + MAP_PAGE})
        if self._tags_page:
            cards.append({"Tags": prefix + TAGS_PAGE})
        if self.config.to_write_page:
            cards.append({"Cards to write": prefix + TO_WRITE_PAGE})
        cards += [entry(slug) for slug in graph.roots()]
        if not prefix:
            return cards
        own = [f.src_uri for f in files.documentation_pages() if not f.src_uri.startswith(prefix)]
        return [*nest_paths(own), {self._cards_title: cards}]

    # First: a page served again skips reading and Markdown altogether.
    @event_priority(100)
    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        src = page.file.src_uri
        slug = self.slug_of_src.get(src)
        if self.serving and self.renderer is not None and slug is not None and src not in self.failed_src:
            inputs = self.renderer.inputs_of(slug) + repr(self.quiz_errors.get(slug))
            self.serve_cache.consider(page, inputs, search_index(config))
        return None

    # Before the search plugin indexes the page: the title and summary above a card's body, a slot after
    # it for the generated sections, and their headings in the table of contents.
    @event_priority(50)
    def _on_page_context_header(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        src = page.file.src_uri
        slug = self.slug_of_src.get(src)
        renderer = self.renderer
        if slug is None or renderer is None or src in self.failed_src or src in self.serve_cache.reused:
            return None
        anchor_ids = set(page.present_anchor_ids or ())
        sections = self.background.get(slug, anchor_ids) if self.background is not None else None
        if sections is None:
            sections = renderer.sections(slug, set(anchor_ids))
        self.sections[src] = sections
        headings = sections.headings
        page.present_anchor_ids = anchor_ids | {heading.id for heading in headings.all}  # valid link anchors
        page.toc = _page_toc(page.toc, headings, renderer.style.base_level)
        if src not in self.cards_by_src:
            page.content = sections.header  # a placeholder's page is all generated
        else:
            content = page.content or ""
            page.content = sections.header + content + ("" if TAIL_SLOT in content else "\n" + TAIL_SLOT)
        return None

    # After the search plugin has indexed the page: keep, or put back, its search entries; then put in
    # the generated parts (so the index holds what the author wrote).
    @event_priority(-100)
    def _on_page_context_sections(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        index = search_index(config) if self.serving else None
        if index is not None:
            self.serve_cache.after_indexing(page, index)
        src = page.file.src_uri
        if self.config.enabled and self.renderer is not None and src not in self.failed_src and page.content:
            if src not in self.serve_cache.reused:  # into the content, not the whole page with its nav
                sections = self.sections.pop(src, None)
                page.content = self.renderer.fill_slots(page.content, self.slug_of_src.get(src), sections)
        return None

    on_page_context = CombinedEvent(_on_page_context_header, _on_page_context_sections)

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """A card was read and its front matter parsed when the cards were loaded: MkDocs need not do it
        again (0.4 s of a 1,000-card build). Its Markdown comes from the card, and its metadata, in
        on_page_markdown."""
        src = page.file.src_uri
        if self.config.enabled and src in self.cards_by_src and src not in self.failed_src:
            return ""
        return None

    # Before Material's tags plugin reads page.meta: it needs `tags` as a list.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.renderer is None:
            return None
        src = page.file.src_uri
        if src in self.serve_cache.reused:
            return None
        if src in self.failed_src:
            page.meta.pop("tags", None)
            return self._errors_markdown(f"Fix these problems in {src}", self.failed_src[src], heading=True)
        card = self.cards_by_src.get(src)
        if card is None:
            slug = self.slug_of_src.get(src)
            if slug is None:
                self._check_ordinary_page(page, config)
                return None
            page.meta["title"] = html.escape(self.renderer.graph.node(slug).title)
            return ""  # a placeholder's page is all generated (_on_page_context_header)
        page.meta = dict(card.meta)  # parsed when the cards were loaded (on_page_read_source)
        page.meta["title"] = html.escape(card.title)
        page.meta["tags"] = [html.escape(tag) for tag in card.tags]  # Material prints tag names as HTML
        # Material reads `status` as its own page-status badge; ours lives under another key.
        page.meta["card_status"] = page.meta.pop("status", card.status.value)
        description = page.meta.get("description") or card.summary  # Material's own key wins over the summary
        if description:
            page.meta["description"] = html.escape(str(description))  # Material prints it unescaped
        written = self.background.markdown(card.slug) if self.background is not None else None
        text = written if written is not None else self.renderer.card_markdown(card)
        if card.slug in self.quiz_errors:
            text += "\n\n" + self._errors_markdown("This card's quiz has errors", self.quiz_errors[card.slug])
        return text

    def _errors_markdown(self, title: str, lines: list[str], heading: bool = False) -> str:
        """An error box (under "This card has errors" on a card's own page), every line escaped."""
        assert self._env is not None
        return self._env.get_template("card_errors.md.j2").render(title=title, lines=lines, heading=heading)

    def _check_ordinary_page(self, page: Page, config: MkDocsConfig) -> None:
        """A page outside cards_dir is the site's own, published as written; one that carries card keys
        was meant to be a card, so say where it should go."""
        keys = [key for key in CARD_ONLY_KEYS if key in page.meta]
        if not keys or not self._prefix:
            return
        text = page.file.content_string if page.file.abs_src_path else ""
        line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith(f"{keys[0]}:")), 1)
        shown = display_path(Path(page.file.abs_src_path or page.file.src_uri), Path.cwd())
        log.warning(
            f"{shown}:{line}:1: warning: this page has card keys ({', '.join(keys)}) but is outside "
            f"cards_dir '{self._prefix.rstrip('/')}', so it is published as an ordinary page; move it into "
            f"{self._prefix} to make it a card, or remove those keys"
        )

    # Last, after other plugins' changes: the finished page is kept for the next serve rebuild.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.serving or not self.config.enabled or page.file.src_uri in self.failed_src:
            return None
        return self.serve_cache.output(page, output)

    def on_build_error(self, *, error: Exception) -> None:
        self._end_build()

    def _freeze_for_build(self) -> None:
        """Nothing: `gc.freeze` during `mkdocs build` was measured not to pay (benchmarks/RESULTS.md,
        "Do the fast paths pay?": -3.6 % to +0.6 % of a 1,000-card build's time), so it was removed."""

    def _end_build(self) -> None:
        """Stop the worker."""
        if self.background is not None:
            self.background.close()
            self.background = None

    # Before Material's search plugin writes the index.
    @event_priority(100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._end_build()
        cache = self.serve_cache
        if cache.dirty and self._files is not None and self.config.enabled and self.renderer is not None:
            cache.finish_dirty(self._files, search_index(config))
            internals.forget_previous_search_index(config)  # the index is whole: nothing to merge
        cache.builds += 1
        if self.serving and cache.keys and cache.builds > 1:  # the first build has nothing to reuse
            log.info(f"knowledge-cards: {len(cache.reused)} of {len(cache.keys)} card pages unchanged, reused")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = Path(config.config_file_path).parent
        quizzes = root / self.config.quizzes_dir
        if quizzes.is_dir():
            server.watch(str(quizzes))
        if (root / self.config.paths_file).is_file():
            server.watch(str(root / self.config.paths_file))
        return server


def _page_toc(body: TableOfContents, headings: PageHeadings, base_level: int = 0) -> TableOfContents:
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


class PlaceholderPage(Page):
    """A placeholder's page: all of it generated HTML, put in at page_context. Nothing to read, and no
    Markdown to convert (a converter with every extension cost 0.7 ms a page)."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = TableOfContents([])
        self.present_anchor_ids = set()


def _check_overrides(env: jinja2.Environment, override_dirs: list[Path]) -> None:
    """Compile every template a site overrides, so that a broken one is one error line, not a traceback
    from the middle of a page."""
    for folder in override_dirs:
        for path in sorted(folder.glob("*.j2")) if folder.is_dir() else []:
            try:
                env.get_template(path.name)
            except jinja2.TemplateSyntaxError as exc:
                shown = display_path(path.resolve(), Path.cwd())
                raise PluginError(
                    f"{shown}:{exc.lineno}: error: this template override does not compile: {exc.message}"
                ) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise PluginError(
                    f"{display_path(path.resolve(), Path.cwd())}:1: error: cannot read this template override: {exc}"
                ) from None


def _config_error(config: MkDocsConfig, key: str, message: str) -> str:
    """`path:line: error: message`, at the line of the config file that sets `key` (else its first line)."""
    path = Path(config.config_file_path or "mkdocs.yml")
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        rows = []
    line = next((n for n, row in enumerate(rows, 1) if row.strip().startswith(f"{key}:")), 1)
    return f"{display_path(path.resolve(), Path.cwd())}:{line}: error: {message}"


def tag_slug(text: str, separator: str = "-") -> str:
    """A tag's anchor: letters and digits as they are, spaces and dashes as the separator, every other
    character as its code point, so that '😬', '🇺🇦', 'c++' and 'C' each get their own."""
    return "".join(
        ch if ch.isalnum() else separator if ch in " -_" else f".{ord(ch):x}." for ch in html.unescape(text).strip()
    )


def _src_of(display: str, root: Path, docs_dir: Path) -> str:
    """A diagnostic's display path back to a src_uri under docs_dir."""
    full = (root / display).resolve()
    try:
        return full.relative_to(docs_dir.resolve()).as_posix()
    except ValueError:
        return display


def _ensure_mermaid_fence(config: MkDocsConfig) -> None:
    """Make ```mermaid fences become <pre class="mermaid"> for Material's loader."""
    try:
        from pymdownx.superfences import fence_code_format
    except ImportError as exc:  # pragma: no cover - pymdown-extensions is a dependency
        raise PluginError("knowledge-cards needs pymdown-extensions") from exc
    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    settings = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = settings.setdefault("custom_fences", [])
    if not any(f.get("name") == "mermaid" for f in fences):
        fences.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})


__all__ = ["CardsPlugin"]
