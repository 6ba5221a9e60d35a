"""on_files: the knowledge base loaded, and the site's files made to match it.

The cards are loaded (load -> validate -> resolve), each problem is logged once and tied to the page it
belongs to, and the files the site needs are added: the package's assets, a page for every
placeholder, the one-of-a-kind pages (home, My progress, Cards to write, Tags, Knowledge map) and
graph.json. What one build knows is a `SiteBuild`; `SiteFiles` keeps, across `mkdocs serve` rebuilds,
what only changes when the graph does.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from ..core.knowledge_base import KnowledgeBase, ParseCache, collector_paused, display_path, load_knowledge_base
from ..core.links import relative_url
from ..core.load import unsafe_reason
from ..core.model import Card, Conventions
from ..core.names import page_stem, slug_of
from ..core.problems import Code, Problem, Severity, error, warning
from ..render.context import NoteSettings
from ..render.headings import HeadingStyle
from ..render.pages import PageRenderer
from ..render.templates import make_environment
from .assets import Asset
from .config import CardsConfig
from .internals import GeneratedPageFile, move_page
from .navigation import MAP_PAGE, PROGRESS_PAGE, SITE_PAGES, TAGS_PAGE, TO_WRITE_PAGE
from .site_config import TAGS_PLUGINS, cards_prefix, cards_title, check_overrides, override_dirs

log = logging.getLogger("mkdocs.plugins.knowledge_cards")


def report(problem: Problem) -> None:
    """One diagnostic in the engine's log: an error or a warning (which stops a strict build)."""
    (log.error if problem.severity is Severity.ERROR else log.warning)(problem.format())


@dataclass
class SiteBuild:
    """What one build knows: the knowledge base, its renderer, and which page is which."""

    kb: KnowledgeBase
    renderer: PageRenderer
    prefix: str
    cards_by_src: dict[str, Card]
    slug_of_src: dict[str, str]
    """Card and placeholder pages by source path: the pages with generated parts."""
    failed_src: dict[str, list[str]]
    """Cards with errors, by source path: their page shows the problems."""
    quiz_errors: dict[str, list[str]]
    placeholder_files: list[File]
    env: jinja2.Environment
    tags_page: bool
    sections: dict[str, Any] = field(default_factory=dict)
    """Generated HTML of pages between search's indexing and the sections' filling."""


class SiteFiles:
    """Makes each build's SiteBuild; keeps the parse cache, templates, graph.json and site pages of a
    serve session while what they are made from is unchanged."""

    def __init__(self, serving: bool) -> None:
        self._redirects: set[str] = set()
        """The redirect pages of the last build of this serve session (site paths)."""
        self.redirected: frozenset[str] = frozenset()
        """Where this build or the last one wrote a redirect: a page's kept output there is not on disk."""
        self.serving = serving
        self.parse_cache = ParseCache()
        self.env: jinja2.Environment | None = None
        self._site_pages_made: tuple[str, dict[str, str], dict[str, str]] | None = None
        self._graph_made: tuple[object, str, dict[str, Any]] | None = None

    def forget_templates(self) -> None:
        """The theme's templates or settings changed: render the site pages again with new templates."""
        self.env = None
        self._site_pages_made = None

    def collect(self, files: Files, config: MkDocsConfig, options: CardsConfig, assets: list[Asset]) -> SiteBuild:
        """Load the cards and add every file the site needs to `files`."""
        root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        prefix = cards_prefix(options)
        _drop_unsafe_files(files, config, prefix)
        with collector_paused():
            kb = load_knowledge_base(
                Path(config.docs_dir) / prefix,
                relative_to=root,
                quizzes_dir=root / options.quizzes_dir,
                paths_file=root / options.paths_file,
                cache=self.parse_cache if self.serving else None,
                workers=1 if self.serving else os.cpu_count() or 1,  # serve: few files change, the cache has the rest
                other_files=frozenset(
                    posixpath.relpath(f.src_uri, prefix) for f in files if prefix and not f.src_uri.startswith(prefix)
                ),
                left_out=frozenset(
                    f.src_uri.removeprefix(prefix)
                    for f in files
                    if f.src_uri.startswith(prefix) and f.src_uri.endswith(".md") and not f.inclusion.is_included()
                ),
                conventions=Conventions.from_options(options),
                attachments=frozenset(
                    f.src_uri.removeprefix(prefix)
                    for f in files
                    if f.src_uri.startswith(prefix) and not f.src_uri.endswith(".md")
                ),
            )
        for problem in kb.problems:
            report(problem)
        failed_src, quiz_errors = _errors_by_page(kb, root, Path(config.docs_dir), root / options.quizzes_dir)
        for src in failed_src:  # MkDocs must not read a card that failed (it may not even be UTF-8)
            broken = files.get_file_from_path(src)
            if broken is not None:
                broken.content_string = ""
        _add_assets(files, config, assets)
        _place_cards(files, kb, prefix)
        src_path_of = {node.slug: prefix + node.path for node in kb.graph.nodes.values()}
        placeholder_files = []
        collided: dict[str, File] = {}
        at_dest = {file.dest_uri: file for file in files.documentation_pages()}
        for node in kb.graph.placeholders:
            if files.get_file_from_path(prefix + node.path) is None:
                file = GeneratedPageFile.generated(
                    config, prefix + node.path, content="", inclusion=InclusionLevel.NOT_IN_NAV
                )
                there = at_dest.get(file.dest_uri)
                if there is not None:  # two pages at one URL: one would silently replace the other
                    collided[node.slug] = there
                    shown = display_path(Path(there.abs_src_path or there.src_uri), Path.cwd())
                    report(
                        error(
                            shown,
                            1,
                            Code.DUPLICATE_SLUG,
                            f"the placeholder page of '{node.slug}' would be published at {file.url or '/'}, where "
                            "this page is; rename this file, or write the card so the links lead to it",
                        )
                    )
                    continue
                files.append(file)
                placeholder_files.append(file)
        url_of = {
            slug: collided[slug].url if slug in collided else files.get_file_from_path(path).url  # type: ignore[union-attr]
            for slug, path in src_path_of.items()
        }
        if self.env is None or not self.serving:
            self.env = make_environment(override_dirs(config))
            self.env.globals["cards_folder"] = display_path((Path(config.docs_dir) / prefix).resolve(), root) + "/"
            check_overrides(self.env, override_dirs(config))
        redirects = _add_redirects(files, config, kb, prefix, url_of, self.env)
        if self.serving:  # a `--dirty` rebuild cleans nothing: an address no longer redirected must go
            for gone in self._redirects - redirects:
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(config.site_dir, gone))
            self.redirected = frozenset(self._redirects | redirects)
            self._redirects = redirects
        style = HeadingStyle.from_toc_config(config.mdx_configs.get("toc") or {})
        notes = NoteSettings(kb.attachments, prefix, kb.names, kb.conventions.link_resolution, options.editor_markdown)
        renderer = PageRenderer(
            self.env,
            kb.graph,
            src_path_of,
            url_of,
            kb.quizzes,
            kb.paths,
            home_path=prefix + "index.md",
            style=style,
            notes=notes,
        )
        build = SiteBuild(
            kb,
            renderer,
            prefix,
            {prefix + card.path: card for card in kb.cards},
            {path: slug for slug, path in src_path_of.items() if slug not in collided},
            failed_src,
            quiz_errors,
            placeholder_files,
            self.env,
            any(name in config.plugins for name in TAGS_PLUGINS),
        )
        graph, graph_facts = self._graph_json(kb, url_of)
        for path, content in self._site_pages(build, config, options, graph, graph_facts).items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
            elif path in build.cards_by_src and path != prefix + "index.md":  # the notes' own home page: theirs
                report(
                    warning(
                        kb.display_paths[build.cards_by_src[path].slug],
                        1,
                        Code.DUPLICATE_SLUG,
                        f"this card takes the place of the generated {SITE_PAGES[path.removeprefix(prefix)]} page; "
                        "move it into a folder to keep both",
                    )
                )
        files.append(File.generated(config, options.graph_json, content=graph + "\n"))
        return build

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

    def _site_pages(
        self, build: SiteBuild, config: MkDocsConfig, options: CardsConfig, graph: str, facts: dict[str, Any]
    ) -> dict[str, str]:
        """The Markdown of the one-of-a-kind pages, by path. They show the whole graph, so `mkdocs serve`
        makes them again only when it changed: not after an edit to a card's body."""
        renderer, kb, prefix = build.renderer, build.kb, build.prefix
        wanted = {
            "index.md": options.home,
            PROGRESS_PAGE: options.progress_page,
            TO_WRITE_PAGE: options.to_write_page,
            TAGS_PAGE: build.tags_page,
            MAP_PAGE: options.map_page,
        }
        key = repr(
            (
                wanted,
                config.site_name,
                prefix,
                options.graph_json,
                graph,
                [(node.slug, node.summary) for node in kb.graph.nodes.values()],
                [(path.id, path.title, path.description, path.cards) for path in kb.paths],
                [(slug, quiz.title, len(quiz.questions)) for slug, quiz in kb.quizzes.items()],
            )
        )
        if self.serving and self._site_pages_made is not None and self._site_pages_made[0] == key:
            renderer.page_parts = dict(self._site_pages_made[2])
            return self._site_pages_made[1]
        home_title = cards_title(options) or config.site_name
        render: dict[str, Callable[[], str]] = {
            "index.md": lambda: renderer.home_markdown(prefix + "index.md", home_title),
            PROGRESS_PAGE: lambda: renderer.progress_markdown(prefix + PROGRESS_PAGE),
            TO_WRITE_PAGE: lambda: renderer.to_write_markdown(prefix + TO_WRITE_PAGE),
            TAGS_PAGE: renderer.tags_markdown,
            MAP_PAGE: lambda: renderer.map_markdown(prefix + MAP_PAGE, options.graph_json, facts),
        }
        pages = {prefix + path: render[path]() for path, on in wanted.items() if on}
        self._site_pages_made = (key, pages, dict(renderer.page_parts))
        return pages


def _add_redirects(
    files: Files, config: MkDocsConfig, kb: KnowledgeBase, prefix: str, url_of: dict[str, str], env: jinja2.Environment
) -> set[str]:
    """Old addresses keep working: a card's `permalink`, its `aliases` (as slugs) and its slug at the top
    (the address its placeholder had, or it had before it moved into a folder) lead to it, by a page that
    redirects without a script. An address a page or file has is never taken."""
    taken = {file.dest_uri for file in files}
    made: set[str] = set()
    template = env.get_template("redirect.html.j2")
    language = str(config.theme.get("language") or "en")
    for card in kb.cards:
        if card.path == "index.md":
            continue  # the home page: it is at the root already
        wanted = [card.slug, card.permalink.strip("/"), *(slug_of(alias) for alias in card.aliases)]
        for old in dict.fromkeys(path for path in wanted if path and ".." not in path.split("/")):
            url = f"{prefix}{old}/" if config.use_directory_urls else f"{prefix}{old}.html"
            dest = url + "index.html" if url.endswith("/") else url
            if dest in taken or url == url_of[card.slug]:
                continue
            taken.add(dest)
            made.add(dest)
            href = relative_url(url, url_of[card.slug])
            files.append(
                File.generated(config, dest, content=template.render(href=href, title=card.title, language=language))
            )
    return made


def _place_cards(files: Files, kb: KnowledgeBase, prefix: str) -> None:
    """A card whose file is not named by its slug (`My Area/Unit Economics.md`, a folder's `index.md`)
    is published at its slug's URL (`my-area/unit-economics/`), never over another page."""
    taken = {file.dest_uri: file for file in files.documentation_pages()}
    for card in kb.cards:
        stem = page_stem(card.path, card.slug)
        if stem == card.path[: -len(".md")]:
            continue
        file = files.get_file_from_path(prefix + card.path)
        if file is None:
            continue
        index = stem.endswith("/index") or stem == "index"
        dest = prefix + (stem + ".html" if index or not file.use_directory_urls else stem + "/index.html")
        if dest == file.dest_uri:
            continue
        there = taken.get(dest)
        if there is not None:
            report(
                error(
                    kb.display_paths[card.slug],
                    1,
                    Code.DUPLICATE_SLUG,
                    f"this card would be published at {dest}, where {there.src_uri} is; it stays at {file.url}",
                )
            )
            continue
        taken.pop(file.dest_uri, None)
        move_page(file, dest)
        taken[dest] = file


def _errors_by_page(
    kb: KnowledgeBase, root: Path, docs_dir: Path, quizzes_dir: Path
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each error on the page it belongs to: a card's (by source path) or its quiz's (by slug). Others
    (paths.yml) belong to no page: they are in the log only."""
    failed: dict[str, list[str]] = {}
    quizzes: dict[str, list[str]] = {}
    docs, quizzes_dir = docs_dir.resolve(), quizzes_dir.resolve()
    for problem in kb.errors:
        full = (root / problem.path).resolve()
        if full.is_relative_to(quizzes_dir):
            quizzes.setdefault(full.stem, []).append(problem.format())
        elif full.is_relative_to(docs):
            failed.setdefault(full.relative_to(docs).as_posix(), []).append(problem.format())
    return failed, quizzes


def _drop_unsafe_files(files: Files, config: MkDocsConfig, prefix: str) -> None:
    """MkDocs publishes whatever its walk of docs_dir finds, following symbolic links: a link to
    `/etc/shadow` would be copied into the site, a FIFO would hang the copy. Such files are taken out,
    each with one error line; the cards' own (Markdown under the cards folder) are reported by the loader."""
    docs_dir = os.path.realpath(config.docs_dir)
    shown_docs = display_path(Path(docs_dir), Path.cwd())
    is_link: dict[str, bool] = {}
    reported: set[str] = set()

    def linked_folder(src_uri: str) -> str | None:
        """The first folder of `src_uri` that is a symbolic link, if any (folders are not followed)."""
        parts = src_uri.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder not in is_link:
                is_link[folder] = os.path.islink(os.path.join(config.docs_dir, folder))
            if is_link[folder]:
                return folder
        return None

    docs_as_given = os.path.abspath(config.docs_dir)
    for file in list(files):
        if file.generated_by or not file.abs_src_path or os.path.abspath(file.src_dir or "") != docs_as_given:
            continue  # generated, or the theme's own files
        folder = linked_folder(file.src_uri)
        if folder is not None:
            files.remove(file)
            if folder not in reported:
                reported.add(folder)
                report(
                    error(
                        f"{shown_docs}/{folder}",
                        1,
                        Code.UNSAFE_FILE,
                        "a symbolic link to a folder; its files are not published",
                    )
                )
            continue
        why = unsafe_reason(file.abs_src_path, docs_dir, "docs_dir")
        if why is None:
            continue
        files.remove(file)
        if not (file.src_uri.startswith(prefix) and file.src_uri.endswith(".md")):
            report(error(f"{shown_docs}/{file.src_uri}", 1, Code.UNSAFE_FILE, f"{why}; it is not published"))


def _add_assets(files: Files, config: MkDocsConfig, assets: list[Asset]) -> None:
    """The package's scripts and stylesheets; a site's overrides, found in its theme folder, are not
    site content themselves."""
    docs_dir = Path(config.docs_dir).resolve()
    for file in [f for f in files if f.src_uri.startswith("kcards/")]:
        if not Path(file.abs_src_path or "").resolve().is_relative_to(docs_dir):
            files.remove(file)
    for asset in assets:
        if files.get_file_from_path(asset.dest) is None:
            files.append(File.generated(config, asset.dest, abs_src_path=str(asset.source)))
