"""Every place where the adapter relies on MkDocs' or Material's internals, and nowhere else.

MkDocs 1.6 (and ProperDocs 1.6, its maintained fork, which logs as `properdocs.*`) and Material for
MkDocs 9 offer no public API for what the speed work needs, so it leans on these, each checked by
tests/test_engine_internals.py (which fails, naming the internal, when an upgrade changes one):

1. A page's class swapped (`page.__class__ = ...`) for a `Page` subclass overriding `read_source` and
   `render`: MkDocs makes every page itself (with the nav, or in its page loop), and a placeholder's
   page (no Markdown) and a page served again from the serve cache must skip reading and converting.
   Why: a converter with every extension costs 0.7 ms a page; a serve rebuild converts only what changed.
2. `Page._title_from_render`: the title MkDocs takes from a page's first heading when it converts
   it; a page served again from the cache was not converted, so its kept title is put back there
   (`Page.title` reads it after the front matter's `title`).
3. Material's search plugin: `plugin.search_index` (a `SearchIndex`) and its plain list `entries`,
   which `on_page_context` appends a page's entries to; and `plugin.search_index_prev`, the index of
   the previous `--dirty` build that it merges one changed page into. The serve cache keeps each
   page's entries and puts them back, in site order, instead of having search parse the page again.
4. `File.is_modified()`: MkDocs' `--dirty` build reads and writes only the pages for which it is
   true, which compares the output's and the source's modification times (a generated file, with
   content, is always modified). The serve cache overrides it for the placeholders' generated files,
   and sets an output's modification time: to 0 so that MkDocs reads and writes the page again, or to
   after its source's so that it skips writing a page whose kept output is already there.
5. The warning MkDocs' build logs on every `--dirty` build ("A 'dirty' build is being performed...",
   logger `mkdocs.commands.build`, or `properdocs.commands.build`): filtered while a `--dirty` serve
   session runs (the serve cache rebuilds whatever such a build would get wrong), removed at shutdown.
6. `Theme.dirs`: a theme's folders, the custom_dir(s) first, then Material's own two (material's
   templates and MkDocs' base templates): only the custom ones can change during a serve session.
7. The serve command's `LiveReloadServer`: its watchdog `observer`, and `_rebuild_cond` with
   `_want_rebuild`, which its own watches set. Its `watch()` ignores folder events, and a watch of a
   folder that is removed stops for good (the polling emitter stops): a quizzes folder removed and
   made again, or created after `serve` started, would never be seen. A watch of the folder it sits in
   asks for the rebuild and watches the new folder.
8. `mkdocs.structure.pages._RelativePathTreeprocessor`: the engine's link resolver, whose
   `path_to_url(url)` logs a link's problem at the level `validation:` sets and records the anchors it
   asks of each page in `links_to_anchors`. `kcards check` calls it on the links it finds (verdict.py),
   so its verdict on links is the engine's own.
10. `File.dest_uri`, `url` and `abs_dest_path`: cached properties of a file, the last two made from the
   first. MkDocs 1.6 lets a plugin set `dest_uri`; the other two are dropped with it so that they are
   made again from the new one (a card whose file is named `Unit Economics.md` is published at
   `unit-economics/`).
9. `Abort`, the engine's exception for a build that fails with one message and no traceback:
   MkDocs' `mkdocs.exceptions.Abort`, ProperDocs' own class of the same name (each engine's command
   catches only its own).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

DIRTY_WARNING = "A 'dirty' build is being performed"
"""How the warning of every `--dirty` build starts (mkdocs/commands/build.py)."""

BUILD_LOGGERS = ("mkdocs.commands.build", "properdocs.commands.build")
"""The logger of the build command, in MkDocs and in ProperDocs."""

MATERIAL_THEME_DIRS = 2
"""How many of `Theme.dirs` come with Material (its templates, then MkDocs' base templates)."""


# 1. A page's class.


def become(page: Page, cls: type[Page]) -> None:
    """Make `page`, which MkDocs made, a `cls` (a subclass of Page that adds no state of its own but
    what the caller sets): it then reads and renders as `cls` says."""
    if not isinstance(page, Page) or not issubclass(cls, Page):
        raise TypeError(f"cannot make {type(page).__name__} a {cls.__name__}")
    page.__class__ = cls


# 2. The title taken from the page's first heading.


def set_title_from_render(page: Page, title: str | None) -> None:
    """The title MkDocs would have taken from the page's first heading when converting it."""
    page._title_from_render = title


# 3. Material's search index.


def search_plugin(config: MkDocsConfig) -> Any | None:
    return config.plugins.get("material/search") or config.plugins.get("search")


def search_index(config: MkDocsConfig) -> Any | None:
    """Material's search index, when its entries can be kept between serve builds (a plain list)."""
    index = getattr(search_plugin(config), "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None


def search_entries(index: Any) -> list[dict[str, Any]]:
    """The index's entries, in the order they were added (the list itself: appending adds entries)."""
    entries: list[dict[str, Any]] = index.entries
    return entries


def set_search_entries(index: Any, entries: list[dict[str, Any]]) -> None:
    """Replace the whole index: the entries of every page, in site order."""
    index.entries = entries


def forget_previous_search_index(config: MkDocsConfig) -> None:
    """The index is whole: Material's `--dirty` merge with the previous build's must not happen."""
    plugin = search_plugin(config)
    if plugin is not None and hasattr(plugin, "search_index_prev"):
        plugin.search_index_prev = None


# 4. What a `--dirty` build reads and writes again.


class GeneratedPageFile(File):
    """A page the plugin generates (a placeholder's). MkDocs' dirty build takes a generated file for changed
    on every build and builds it again; it is unchanged when the serve cache says so."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged and super().is_modified()


def build_again(file: File) -> None:
    """Make a `--dirty` build read and write this page: its output older than any source."""
    if isinstance(file, GeneratedPageFile):
        file.unchanged = False  # generated: modified, by MkDocs' measure
    elif os.path.exists(file.abs_dest_path):
        os.utime(file.abs_dest_path, (0, 0))


def skip_writing(file: File) -> None:
    """Make a `--dirty` build, which has read this page, not write it again: its output is up to date."""
    if not os.path.exists(file.abs_dest_path):
        return  # written by no build yet, or removed: MkDocs writes it
    if isinstance(file, GeneratedPageFile):
        file.unchanged = True
    elif file.abs_src_path:
        stamp = max(time.time(), os.path.getmtime(file.abs_src_path) + 1)
        os.utime(file.abs_dest_path, (stamp, stamp))


# 5. The warning of every `--dirty` build.


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every `--dirty` build that links may be wrong; with this plugin they are not."""
    return not record.getMessage().startswith(DIRTY_WARNING)


def hide_dirty_warning() -> None:
    for name in BUILD_LOGGERS:
        logging.getLogger(name).addFilter(_not_the_dirty_warning)  # once: a filter is added only once


def show_dirty_warning() -> None:
    for name in BUILD_LOGGERS:
        logging.getLogger(name).removeFilter(_not_the_dirty_warning)


# 6. The theme's folders.


def custom_theme_dirs(config: MkDocsConfig) -> list[str]:
    """The site's own theme folders (custom_dir), without Material's."""
    dirs: list[str] = list(config.theme.dirs)
    return dirs[:-MATERIAL_THEME_DIRS]


# 7. The serve command's watcher.


def watch_entries(server: Any, paths: Iterable[Path]) -> None:
    """Under `serve`, rebuild whenever one of `paths` (files or folders) appears, changes, moves or goes,
    and watch (again) a folder among them that appears."""
    import watchdog.events  # what MkDocs' and ProperDocs' servers are built on

    wanted = {str(path.absolute()) for path in paths}

    def on_any_event(event: Any) -> None:
        hits = {event.src_path, getattr(event, "dest_path", "")} & wanted
        if not hits:
            return
        for path in hits:
            if event.event_type in ("created", "moved") and os.path.isdir(path):
                if path in server._watched_paths:  # its old watch stopped when the folder went
                    server.unwatch(path)
                server.watch(path)
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    for folder in sorted({os.path.dirname(path) for path in wanted}):
        if os.path.isdir(folder):
            handler = watchdog.events.FileSystemEventHandler()
            handler.on_any_event = on_any_event  # type: ignore[method-assign]
            server.observer.schedule(handler, folder, recursive=False)


# 8. The engine's link resolver.


def link_resolver(file: File, files: Any, config: Any) -> Any:
    """The engine's resolver of one page's links: `path_to_url(url)` logs what the build would, and
    `links_to_anchors` maps each linked file to the anchors asked of it."""
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    return _RelativePathTreeprocessor(file, files, config)


# 9. A build that fails with one line.


def abort(message: str) -> Exception:
    """The running engine's `Abort`: its command prints the message as the last line and exits 1."""
    import sys

    if "properdocs" in sys.modules:
        try:
            from properdocs.exceptions import Abort as ProperDocsAbort

            return ProperDocsAbort(message)
        except ImportError:  # pragma: no cover - a ProperDocs without the class
            pass
    from mkdocs.exceptions import Abort

    return Abort(message)


# 10. Where a page is published.


def move_page(file: File, dest_uri: str) -> None:
    """Publish `file` at `dest_uri` (its URL follows)."""
    file.dest_uri = dest_uri
    for derived in ("url", "abs_dest_path"):
        file.__dict__.pop(derived, None)
