"""The MkDocs and Material internals that engine/internals.py relies on are still there and still work
the way it uses them. A failure here names the internal: fix internals.py (and its docstring) before
trusting a build with the upgraded MkDocs, ProperDocs or Material."""

from __future__ import annotations

import inspect
import logging
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import mkdocs.commands.build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from knowledge_cards.engine import internals  # noqa: E402
from knowledge_cards.engine.serve_cache import TAGS_LISTING  # noqa: E402


@pytest.fixture
def config(tmp_path: Path) -> Any:
    (tmp_path / "docs").mkdir()
    (tmp_path / "overrides").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Internals\ntheme:\n  name: material\n  custom_dir: overrides\nplugins:\n  - search\n  - tags\n",
        encoding="utf-8",
    )
    return load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))


def generated(config: Any, name: str, content: str, cls: type[File] = File) -> File:
    """As File.generated, outside a plugin's event (which it needs to name the file's maker)."""
    file = cls(name, src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    file.content_string = content
    return file


def rendered_page(config: Any, markdown: str, name: str = "page.md") -> Page:
    file = generated(config, name, markdown)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    return page


def test_page_title_from_render(config: Any) -> None:
    page = rendered_page(config, "# The heading\n\nText.\n")
    assert hasattr(page, "_title_from_render"), "MkDocs internal changed: Page._title_from_render is gone"
    assert page._title_from_render == "The heading", (
        "MkDocs internal changed: Page.render() no longer sets Page._title_from_render to the first heading"
    )
    internals.set_title_from_render(page, "Kept title")
    assert page.title == "Kept title", "MkDocs internal changed: Page.title no longer reads Page._title_from_render"
    page.meta["title"] = "Front matter"
    assert page.title == "Front matter", "MkDocs internal changed: Page.title no longer prefers meta['title']"


def test_page_class_swap(config: Any) -> None:
    config = config.plugins.on_config(config)  # the page's events run: search's and tags' need their config
    calls: list[str] = []

    class Quiet(Page):
        def read_source(self, config: Any) -> None:
            calls.append("read_source")
            self.markdown, self.meta = "", {}

        def render(self, config: Any, files: Files) -> None:
            calls.append("render")
            self.content = ""

    file = generated(config, "swapped.md", "# Never read\n")
    page = Page(None, file, config)
    internals.become(page, Quiet)
    assert type(file.page) is Quiet, "MkDocs internal changed: a Page's class can no longer be swapped"
    mkdocs_build._populate_page(file.page, config, Files([file]))
    assert calls == ["read_source", "render"], (
        "MkDocs internal changed: the build no longer calls page.read_source() and page.render() on the page object"
    )
    with pytest.raises(TypeError):
        internals.become(page, dict)  # type: ignore[arg-type]


def test_build_skips_unmodified_pages_with_file_is_modified() -> None:
    for function in (mkdocs_build._populate_page, mkdocs_build._build_page):
        assert "if dirty and not page.file.is_modified():" in inspect.getsource(function), (
            f"MkDocs internal changed: {function.__name__} no longer skips a page when File.is_modified() is false"
        )
    assert "page.meta.get('template', 'main.html')" in inspect.getsource(mkdocs_build._build_page), (
        "MkDocs internal changed: a page's template no longer comes from page.meta['template'] "
        "(the serve cache's kcards/cached.html.j2)"
    )


def test_file_is_modified_compares_output_and_source_times(config: Any, tmp_path: Path) -> None:
    source = tmp_path / "docs" / "card.md"
    source.write_text("# Card\n", encoding="utf-8")
    file = File("card.md", str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True)
    assert callable(getattr(File, "is_modified", None)), "MkDocs internal changed: File.is_modified() is gone"
    assert file.is_modified(), "MkDocs internal changed: File.is_modified() is false for a page never written"
    Path(file.abs_dest_path).parent.mkdir(parents=True)
    Path(file.abs_dest_path).write_text("<html></html>", encoding="utf-8")
    internals.skip_writing(file)
    assert not file.is_modified(), (
        "MkDocs internal changed: File.is_modified() is true for an output newer than its source"
    )
    internals.build_again(file)
    assert file.is_modified(), "MkDocs internal changed: File.is_modified() is false for an output dated 0"
    generated_file = generated(config, "placeholder.md", "", internals.GeneratedPageFile)
    assert generated_file.is_modified(), "MkDocs internal changed: a generated file is no longer always modified"
    Path(generated_file.abs_dest_path).parent.mkdir(parents=True)
    Path(generated_file.abs_dest_path).write_text("<html></html>", encoding="utf-8")
    internals.skip_writing(generated_file)
    assert not generated_file.is_modified()
    internals.build_again(generated_file)
    assert generated_file.is_modified()


def test_material_search_index_entries(config: Any) -> None:
    config = config.plugins.on_config(config)
    plugin = internals.search_plugin(config)
    assert plugin is not None, "Material internal changed: no search plugin under 'material/search' or 'search'"
    index = internals.search_index(config)
    assert index is not None, "Material internal changed: the search plugin's search_index.entries is not a list"
    page = rendered_page(config, "# Title\n\n## Part\n\nText.\n")
    before = len(internals.search_entries(index))
    index.add_entry_from_context(page)
    assert len(internals.search_entries(index)) == before + 2, (
        "Material internal changed: SearchIndex.add_entry_from_context() no longer appends a page's sections "
        "to search_index.entries"
    )
    page.meta["search"] = {"exclude": True}
    index.add_entry_from_context(page)
    assert len(internals.search_entries(index)) == before + 2, (
        "Material internal changed: meta search.exclude no longer keeps a page out of the index"
    )
    assert hasattr(plugin, "search_index_prev"), "Material internal changed: SearchPlugin.search_index_prev is gone"
    plugin.search_index_prev = index
    internals.forget_previous_search_index(config)
    assert plugin.search_index_prev is None
    internals.set_search_entries(index, [{"location": "a/", "title": "A", "text": ""}])
    assert '"docs":[{"location":"a/"' in index.generate_search_index(None), (
        "Material internal changed: generate_search_index() no longer writes search_index.entries as the docs"
    )
    source = inspect.getsource(type(plugin).on_page_context)
    assert "self.search_index.add_entry_from_context(page)" in source, (
        "Material internal changed: the search plugin no longer indexes a page at on_page_context"
    )


def test_the_dirty_warning_and_its_logger(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Dirty\ntheme: mkdocs\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with caplog.at_level(logging.WARNING):
        mkdocs_build.build(config, dirty=True)
    records = [r for r in caplog.records if r.getMessage().startswith(internals.DIRTY_WARNING)]
    assert records, f"MkDocs internal changed: a dirty build's warning no longer starts {internals.DIRTY_WARNING!r}"
    assert {r.name for r in records} <= set(internals.BUILD_LOGGERS), (
        f"MkDocs internal changed: the dirty warning now comes from {records[0].name}, not {internals.BUILD_LOGGERS}"
    )
    assert not internals._not_the_dirty_warning(records[0])
    internals.hide_dirty_warning()
    try:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            mkdocs_build.build(config, dirty=True)
        assert not [r for r in caplog.records if r.getMessage().startswith(internals.DIRTY_WARNING)]
    finally:
        internals.show_dirty_warning()
    assert all(internals._not_the_dirty_warning not in logging.getLogger(n).filters for n in internals.BUILD_LOGGERS)


def test_material_theme_dirs(config: Any, tmp_path: Path) -> None:
    dirs = list(config.theme.dirs)
    assert internals.custom_theme_dirs(config) == [str(tmp_path / "overrides")], (
        f"MkDocs/Material internal changed: Theme.dirs is no longer the custom_dir then Material's "
        f"{internals.MATERIAL_THEME_DIRS} folders: {dirs}"
    )
    assert Path(dirs[-1]).name == "templates" and Path(dirs[-1]).parent.name == "mkdocs", (
        "MkDocs internal changed: MkDocs' base templates are no longer the last of Theme.dirs"
    )


def test_material_tags_listing_directive(config: Any) -> None:
    tags = config.plugins.get("material/tags") or config.plugins.get("tags")
    directive = tags.config.listings_directive
    assert TAGS_LISTING == f"<!-- {directive}", (
        f"Material internal changed: the tags listing directive is now {directive!r} (serve_cache.TAGS_LISTING)"
    )


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_serve_watcher_rebuilds_and_watches_a_folder_made_again(tmp_path: Path, engine: str) -> None:
    """LiveReloadServer's observer, `_watched_paths`, `_rebuild_cond` and `_want_rebuild`, as watch_entries
    uses them: a folder removed and made again is watched again, and a rebuild is asked for."""
    import importlib
    import time

    livereload = importlib.import_module(f"{engine}.livereload")
    server = livereload.LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    server.watch(str(quizzes))
    internals.watch_entries(server, [quizzes, tmp_path / "paths.yml"])
    server.observer.start()
    try:
        quizzes.rmdir()
        time.sleep(1.5)  # the polling observer looks every second
        with server._rebuild_cond:
            server._want_rebuild = False
        quizzes.mkdir()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not server._want_rebuild:
            time.sleep(0.1)
        assert server._want_rebuild, "no rebuild asked for when the quizzes folder came back"
        assert server._watched_paths.get(str(quizzes)) == 1
        (quizzes / "new.yml").write_text("questions: []\n", encoding="utf-8")
        time.sleep(2.5)
        with server._rebuild_cond:
            server._want_rebuild = False
        # A file's own change (the folder's listing stays as it was) is seen by the new watch alone.
        (quizzes / "new.yml").write_text("questions: [] # edited\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not server._want_rebuild:
            time.sleep(0.1)
        assert server._want_rebuild, "a file in the folder made again is not seen"
    finally:
        server.observer.stop()
        server.server_close()
