"""The engine adapter: MkDocs' (and ProperDocs') events wired to the pipeline, and nothing more.

Each event hands its work to one module: site_config.py (on_config), site_files.py (on_files: the
cards loaded, the files they need), navigation.py, page_events.py (a card's page), serve_cache.py and
background.py (the fast paths of `serve` and `build`). Only engine/ imports the engine, so the core can
later feed another one; every touch of an engine's internals is in internals.py.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..render.templates import PACKAGE_TEMPLATES
from . import internals
from .assets import Asset
from .background import BackgroundSections, can_fork
from .config import CardsConfig
from .navigation import cards_nav, site_nav, with_cards
from .page_events import CardPageEvents, PlaceholderPage
from .serve_cache import ServeCache, search_index
from .site_config import cards_title, configure
from .site_files import SiteBuild, SiteFiles

log = logging.getLogger("mkdocs.plugins.knowledge_cards")


class CardsPlugin(BasePlugin[CardsConfig]):
    """Compiles the cards folder (docs_dir, or its `cards_dir`) into a linked knowledge site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.build: SiteBuild | None = None
        self.pages: CardPageEvents | None = None
        self.background: BackgroundSections | None = None
        self._assets: list[Asset] = []
        self._start_session()

    def _start_session(self) -> None:
        """`mkdocs serve` keeps this plugin across rebuilds (it has on_startup), and with it these caches;
        MkDocs may hand the same plugin to a later session in this process, which starts from nothing."""
        self.site_files = SiteFiles(self.serving)
        self.serve_cache = ServeCache()
        self._files: Files | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self._start_session()
        self.serve_cache.dirty = self.serving and dirty
        if self.serve_cache.dirty:  # we rebuild what a dirty build would get wrong, so the warning is moot
            internals.hide_dirty_warning()

    def on_shutdown(self) -> None:
        internals.show_dirty_warning()  # the end of a serve session

    # Early, so the superfences/mermaid settings are in place before other plugins read them.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self._assets = configure(config, self.config)
        return config

    # After other plugins have added files, so every card is seen; before the nav is built.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        if self.serving and self.serve_cache.start_build(config):
            self.site_files.forget_templates()
        self.build = build = self.site_files.collect(files, config, self.config, self._assets)
        self.pages = CardPageEvents(build, self.serve_cache, None)
        if not config.nav:
            config.nav = site_nav(
                build.kb.graph, self.config, build.prefix, cards_title(self.config), files, build.tags_page
            )
        elif build.prefix:  # a hand-written nav: its entry naming the cards folder becomes the cards' section
            cards = cards_nav(build.kb.graph, self.config, build.prefix, build.tags_page)
            config.nav, _ = with_cards(config.nav, build.prefix, cards)
        return files

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        # The page template of a page served again from the serve cache ("kcards/cached.html.j2").
        ours = jinja2.PrefixLoader({"kcards": jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))})
        env.loader = jinja2.ChoiceLoader([env.loader, ours] if env.loader is not None else [ours])
        if self.serving:  # MkDocs makes a new environment per rebuild: keep the theme's compiled templates
            env.bytecode_cache = self.serve_cache.templates
            # Every page is read: which kept outputs still hold (not one a redirect wrote over since).
            self.serve_cache.note_structure(files, self.site_files.redirected)
        return None

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        build = self.build
        if build is None:
            return None
        for file in build.placeholder_files:  # MkDocs made their pages with the nav
            if type(file.page) is Page:
                internals.become(file.page, PlaceholderPage)
        if self.serving:
            self.serve_cache.note_files(files, nav)
            self._files = files
        elif self.config.background_pages:
            pages = [slug for src, slug in build.slug_of_src.items() if src not in build.failed_src]
            if len(pages) >= self.config.background_pages and can_fork():
                # The cards MkDocs reads in the second half of its page loop: the worker writes their Markdown.
                order = [build.cards_by_src.get(file.src_uri) for file in files.documentation_pages()]
                cards = [
                    card for card in order if card is not None and build.prefix + card.path not in build.failed_src
                ]
                self.background = BackgroundSections(build.renderer, pages, cards[len(cards) // 2 :])
                assert self.pages is not None
                self.pages.background = self.background
        if self.serve_cache.dirty:  # MkDocs reads every page (the cache answers); on_env says which to write
            self.serve_cache.plan_dirty(files)
        return None

    # First: a page served again skips reading and Markdown altogether.
    @event_priority(100)
    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        build, src = self.build, page.file.src_uri
        slug = build.slug_of_src.get(src) if build is not None else None
        if self.serving and build is not None and slug is not None and src not in build.failed_src:
            inputs = build.renderer.inputs_of(slug) + repr(build.quiz_errors.get(slug))
            self.serve_cache.consider(page, inputs, search_index(config))
        return None

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.pages.read_source(page) if self.pages is not None and self.config.enabled else None

    # Before Material's tags plugin reads page.meta: it needs `tags` as a list.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        return self.pages.markdown(page) if self.pages is not None and self.config.enabled else None

    # Before the search plugin indexes the page: the title and summary, a slot for the sections.
    @event_priority(50)
    def _on_page_context_header(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if self.pages is not None:
            self.pages.path_footer(page, nav)
            self.pages.header(page)
        return None

    # After the search plugin has indexed the page: keep, or put back, its search entries; then put in
    # the generated sections (so the index holds what the author wrote).
    @event_priority(-100)
    def _on_page_context_sections(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        index = search_index(config) if self.serving else None
        if index is not None:
            self.serve_cache.after_indexing(page, index)
        if self.pages is not None and self.config.enabled:
            self.pages.sections(page)
        return None

    on_page_context = CombinedEvent(_on_page_context_header, _on_page_context_sections)

    # Last, after other plugins' changes: the finished page is kept for the next serve rebuild.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.serving or self.build is None or page.file.src_uri in self.build.failed_src:
            return None
        return self.serve_cache.output(page, output)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_worker()

    def _stop_worker(self) -> None:
        if self.background is not None:
            self.background.close()
            self.background = None

    # Before Material's search plugin writes the index.
    @event_priority(100)
    def _post_build_first(self, *, config: MkDocsConfig) -> None:
        self._stop_worker()
        cache = self.serve_cache
        if cache.dirty and self._files is not None and self.build is not None:
            cache.finish_dirty(self._files, search_index(config))
            internals.forget_previous_search_index(config)  # the index is whole: nothing to merge
        cache.builds += 1
        if self.serving and cache.keys and cache.builds > 1:  # the first build has nothing to reuse
            log.info(f"knowledge-cards: {len(cache.reused)} of {len(cache.keys)} card pages unchanged, reused")

    # After every other plugin has written its files: the site is whole, and the verdict is the last line.
    @event_priority(-100)
    def _post_build_last(self, *, config: MkDocsConfig) -> None:
        """A build (not a preview) whose cards have errors fails, as `kcards check` does: its pages show
        the errors, so it must not pass for a site to publish."""
        if self.serving or config.strict or self.build is None:  # a strict build stops on them by itself
            return
        errors = len(self.build.kb.errors)
        if errors:
            raise internals.abort(
                f"Aborted with {errors} error{'s' * (errors != 1)} in the cards (listed above): the site is "
                "written, each card's errors shown on its page; fix them before publishing"
            )

    on_post_build = CombinedEvent(_post_build_first, _post_build_last)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = Path(config.config_file_path).parent
        quizzes, paths = root / self.config.quizzes_dir, root / self.config.paths_file
        # The site's own templates (MkDocs watches theme folders only with --watch-theme), the quizzes.
        for folder in [*map(Path, internals.custom_theme_dirs(config)), quizzes]:
            if folder.is_dir():
                server.watch(str(folder))
        internals.watch_entries(server, [quizzes, paths])  # made, replaced or removed while serving
        return server


__all__ = ["CardsPlugin"]
