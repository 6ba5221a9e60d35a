"""`mkdocs serve` rebuilds: pages whose inputs are unchanged come from the previous build, and the
site they make is the one a clean build makes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MKDOCS_YML, write_tree

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402


def card(title: str, summary: str, body: str = "Body.", **fields: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\nsummary: {summary}\n{extra}---\n## What is it?\n\n{body}\n"


FILES = {
    "cards/ops/chain.md": card("Value Chain", "The loop.", "See [[stock]] and [[pricing]].", tags="[ops]"),
    "cards/ops/stock.md": card("Stock", "What is kept.", parent="chain"),
    "cards/ops/orders.md": card("Orders", "What is bought.", parent="chain"),
    "cards/other/brand.md": card("Brand", "Who we are.", related="[{pricing: how brand sets price}]"),
    "cards/other/lonely.md": card("Lonely", "Links to nobody."),
    "quizzes/stock.yml": "questions:\n  - type: reflect\n    prompt: Why keep stock?\n    answer: To sell.\n",
}


class Session:
    """One `mkdocs serve` session, in-process: the plugin instance lives across rebuilds. With `dirty`,
    as `mkdocs serve --dirty` (what `make serve` runs): the site folder is not cleaned between builds and
    MkDocs skips the pages whose file is older than their output."""

    def __init__(self, project: Path, dirty: bool) -> None:
        self.project = project
        self.dirty = dirty
        self.site = project / "site-serve"
        self.plugin: object = None
        os.chdir(project)
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=dirty)
        self.rebuild(config)

    def _config(self):  # type: ignore[no-untyped-def]
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def rebuild(self, config=None) -> None:  # type: ignore[no-untyped-def]
        config = config or self._config()
        build(config, serve_url="http://127.0.0.1:8000/", dirty=self.dirty)
        self.plugin = config.plugins["knowledge-cards"]

    @property
    def reused(self) -> set[str]:
        return set(self.plugin.serve_cache.reused)  # type: ignore[attr-defined]

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")

    def assert_same_as_clean_build(self) -> None:
        """Every page, `graph.json` and the search index as `mkdocs build` makes them from scratch."""
        clean = clean_build(self.project)
        assert pages_of(self.site) == pages_of(clean)
        assert search_docs(self.site) == search_docs(clean)


@pytest.fixture(params=[False, True], ids=["serve", "serve-dirty"])
def session(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[], Session]]:
    write_tree(tmp_path, {"mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"), **FILES})
    here = Path.cwd()
    yield lambda: Session(tmp_path, dirty=request.param)
    os.chdir(here)


def clean_build(project: Path) -> Path:
    """The same sources built from scratch, as `mkdocs build` would."""
    out = project / "site-clean"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(out))
    build(config)
    return out


def pages_of(site: Path) -> dict[str, str]:
    skip = ("assets/", "search/", "sitemap")
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".json") and not p.relative_to(site).as_posix().startswith(skip)
    }


def search_docs(site: Path) -> list[dict[str, object]]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]  # type: ignore[no-any-return]


def test_unchanged_site_reuses_every_card_and_placeholder_page(session) -> None:  # type: ignore[no-untyped-def]
    serve = session()
    assert serve.reused == set()  # the first build makes everything
    serve.rebuild()
    assert serve.reused == {
        "ops/chain.md",
        "ops/stock.md",
        "ops/orders.md",
        "other/brand.md",
        "other/lonely.md",
        "pricing.md",  # a placeholder
    }


def test_body_edit_rebuilds_only_that_page_and_matches_a_clean_build(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    serve = session()
    site_pages = serve.plugin._site_pages_made  # type: ignore[attr-defined]
    path = tmp_path / "cards/other/lonely.md"
    path.write_text(card("Lonely", "Links to nobody.", "A new paragraph, edited."), encoding="utf-8")
    placeholder = serve.site / "pricing" / "index.html"
    os.utime(placeholder, (1, 1))
    serve.rebuild()
    assert serve.plugin._site_pages_made is site_pages  # type: ignore[attr-defined] # home, map...: not made again
    assert "lonely.md" not in {p.rsplit("/", 1)[-1] for p in serve.reused}
    assert "ops/chain.md" in serve.reused
    assert "A new paragraph, edited." in serve.page("other/lonely")
    # A placeholder page (generated) is written again only without --dirty (the folder is cleaned then).
    assert (placeholder.stat().st_mtime == 1) == serve.dirty
    serve.assert_same_as_clean_build()


def test_title_edit_rebuilds_the_pages_that_show_the_title(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    serve = session()
    path = tmp_path / "cards/ops/stock.md"
    path.write_text(card("Stock Keeping", "What is kept.", parent="chain"), encoding="utf-8")
    site_pages = serve.plugin._site_pages_made  # type: ignore[attr-defined]
    serve.rebuild()
    assert serve.plugin._site_pages_made is not site_pages  # type: ignore[attr-defined] # home, map...: made again
    # Its parent (diagram, nav), its sibling (diagram, nav) and the card linking to it show it.
    assert not serve.reused & {"ops/stock.md", "ops/chain.md", "ops/orders.md"}
    assert "Stock Keeping" in serve.page("ops/orders")
    assert "Stock Keeping" in serve.page("ops/chain")
    serve.assert_same_as_clean_build()


def test_quiz_and_status_edits_reach_their_pages(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    serve = session()
    (tmp_path / "quizzes/stock.yml").write_text(
        "questions:\n  - type: reflect\n    prompt: Why keep spare stock?\n    answer: To sell.\n", encoding="utf-8"
    )
    serve.rebuild()
    assert "ops/stock.md" not in serve.reused
    assert "Why keep spare stock?" in serve.page("ops/stock")
    # Writing the placeholder's card: every page linking to it now links to a written card.
    write_tree(tmp_path, {"cards/other/pricing.md": card("Pricing", "How we set prices.")})
    serve.rebuild()
    assert "other/brand.md" not in serve.reused and "ops/chain.md" not in serve.reused
    assert 'href="../pricing/"' in serve.page("other/brand")
    serve.assert_same_as_clean_build()


def test_a_broken_card_is_never_served_from_the_cache(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    serve = session()
    path = tmp_path / "cards/other/lonely.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Lonely", "title: [unclosed"), encoding="utf-8")
    serve.rebuild()
    assert "other/lonely.md" not in serve.reused
    assert "This card has errors" in serve.page("other/lonely")
    path.write_text(good, encoding="utf-8")
    serve.rebuild()
    assert "This card has errors" not in serve.page("other/lonely")


def test_added_and_deleted_cards_match_a_clean_build(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    serve = session()
    (tmp_path / "cards/ops/pricing.md").write_text(card("Pricing", "What we ask.", parent="chain"), encoding="utf-8")
    (tmp_path / "cards/other/lonely.md").unlink()
    serve.rebuild()
    assert "Pricing" in serve.page("ops/chain") and not (serve.site / "other/lonely/index.html").exists()
    serve.assert_same_as_clean_build()
