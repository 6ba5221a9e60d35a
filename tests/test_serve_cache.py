"""`mkdocs serve` rebuilds: pages whose inputs are unchanged come from the previous build, and every
rebuilt site is the one `mkdocs build` makes from scratch in a fresh process (never the serve
session's plugin, whose cache could hide a wrong page), for every nav configuration: Material's
`navigation.prune` on and off, and a hand-written `nav:`; with and without `--dirty`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import write_tree
from serve_session import FILES, NAVS, PRUNED, FreshBuilds, Session, card, search_titles


@pytest.fixture(scope="module")
def fresh_builds(tmp_path_factory: pytest.TempPathFactory) -> FreshBuilds:
    return FreshBuilds(tmp_path_factory.mktemp("fresh"))


@pytest.fixture
def project(tmp_path: Path) -> Callable[[str], Path]:
    def make(nav: str) -> Path:
        write_tree(tmp_path, {"mkdocs.yml": NAVS[nav], **FILES})
        return tmp_path

    return make


@pytest.fixture
def session(project: Callable[[str], Path], fresh_builds: FreshBuilds) -> Iterator[Callable[..., Session]]:
    here = Path.cwd()
    sessions: list[Session] = []

    def start(nav: str = "prune", dirty: bool = False) -> Session:
        sessions.append(Session(project(nav), dirty, fresh_builds))
        return sessions[-1]

    yield start
    for serve in sessions:
        serve.close()
    os.chdir(here)


CARD_PAGES = {"ops/chain.md", "ops/stock.md", "ops/orders.md", "other/brand.md", "other/lonely.md", "pricing.md"}


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
@pytest.mark.parametrize("nav", list(NAVS))
def test_every_rebuild_matches_a_fresh_build(session: Callable[..., Session], nav: str, dirty: bool) -> None:
    """Each step's rebuild is compared, file by file, with a fresh process's build (in rebuild)."""
    serve = session(nav, dirty)
    project = serve.project
    assert serve.reused == set()  # the first build makes everything

    serve.rebuild()  # nothing changed: every card and placeholder page is served again, output and all
    assert serve.outputs_reused == serve.reused == CARD_PAGES

    # A body edit changes no title: every other page's output is reused.
    (project / "cards/other/lonely.md").write_text(card("Lonely", "Links to nobody.", "Edited."), encoding="utf-8")
    serve.rebuild()
    assert "Edited." in serve.page("other/lonely")
    assert serve.outputs_reused == CARD_PAGES - {"other/lonely.md"}

    # Renaming a card: its title is in the nav of pages far from it, and in its neighbours' previous/next.
    (project / "cards/ops/stock.md").write_text(
        card("Stock Keeping", "What is kept.", parent="chain", tags="[ops, goods]"), encoding="utf-8"
    )
    serve.rebuild()
    assert not serve.reused & {"ops/stock.md", "ops/chain.md", "ops/orders.md"}  # they show the card
    assert "other/lonely.md" in serve.reused  # not converted again
    # In its nav, unless the hand-written nav names that card itself ("Keeping stock"), or the pruned nav
    # of a page in another folder's section leaves the card's folder closed (the output is the fresh
    # build's either way: rebuild() compares every file).
    assert ("other/lonely.md" in serve.outputs_reused) == (nav in ("hand-written-nav", "prune"))
    for page in ("other/lonely", "other/brand", "ops/chain", "ops/orders", "pricing", "tags", ""):
        assert ">Stock<" not in serve.page(page).replace("\n", "").replace(" ", ""), page
    assert "Stock Keeping" in search_titles(serve.site)

    # Adding a card and deleting one.
    (project / "cards/ops/pricing.md").write_text(card("Pricing", "What we ask.", parent="chain"), encoding="utf-8")
    (project / "cards/other/lonely.md").unlink()
    serve.rebuild()
    assert "Pricing" in serve.page("ops/chain") and not (serve.site / "other/lonely/index.html").exists()

    serve.rebuild()  # and nothing changed again
    assert serve.outputs_reused == serve.reused


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
def test_a_title_rename_reaches_every_page_without_prune(session: Callable[..., Session], dirty: bool) -> None:
    """Without navigation.prune every page prints the whole nav: every page shows the new title."""
    serve = session("no-prune", dirty)
    (serve.project / "cards/other/brand.md").write_text(
        card("Brand Identity", "Who we are.", related="[{pricing: how brand sets price}]"), encoding="utf-8"
    )
    serve.rebuild()
    for src in CARD_PAGES:
        url = src.removesuffix(".md")
        text = serve.page(url)
        assert "Brand Identity" in text, url
    assert serve.outputs_reused == set()


def test_quiz_and_status_edits_reach_their_pages(session: Callable[..., Session]) -> None:
    serve = session()
    project = serve.project
    (project / "quizzes/stock.yml").write_text(
        "questions:\n  - type: reflect\n    prompt: Why keep spare stock?\n    answer: To sell.\n", encoding="utf-8"
    )
    serve.rebuild()
    assert "ops/stock.md" not in serve.reused
    assert "Why keep spare stock?" in serve.page("ops/stock")
    (project / "quizzes/stock.yml").write_text("questions: [{type: nonsense}]\n", encoding="utf-8")
    serve.rebuild()  # a broken quiz: its errors on the card's page
    assert "ops/stock.md" not in serve.reused
    # Writing the placeholder's card: every page linking to it now links to a written card.
    write_tree(project, {"cards/other/pricing.md": card("Pricing", "How we set prices.")})
    serve.rebuild()
    assert "other/brand.md" not in serve.reused and "ops/chain.md" not in serve.reused
    assert 'href="../pricing/"' in serve.page("other/brand")


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
def test_a_broken_card_is_never_served_from_the_cache(session: Callable[..., Session], dirty: bool) -> None:
    serve = session("prune", dirty)
    path = serve.project / "cards/other/lonely.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Lonely", "title: [unclosed"), encoding="utf-8")
    serve.rebuild()
    assert "other/lonely.md" not in serve.reused
    assert "This card has errors" in serve.page("other/lonely")
    path.write_text(good, encoding="utf-8")
    serve.rebuild()
    assert "This card has errors" not in serve.page("other/lonely")


def test_a_dirty_session_writes_only_what_changed(session: Callable[..., Session]) -> None:
    """`--dirty`: a page whose output is reused is not written again; a body edit writes its own page."""
    serve = session("prune", dirty=True)
    placeholder, chain = serve.site / "pricing" / "index.html", serve.site / "ops" / "chain" / "index.html"
    os.utime(placeholder, (1, 1))
    os.utime(chain, (2, 2))
    (serve.project / "cards/other/lonely.md").write_text(card("Lonely", "Links to nobody.", "New."), encoding="utf-8")
    serve.rebuild()
    assert placeholder.stat().st_mtime == 1  # a generated page, and not written again
    assert chain.stat().st_mtime > 2  # up to date, and marked so (its file is older than its output)
    assert "New." in serve.page("other/lonely")


def test_the_dirty_warning_is_hidden_only_during_a_dirty_session(session: Callable[..., Session]) -> None:
    import logging

    from knowledge_cards.engine import internals

    def filtered() -> list[bool]:
        return [internals._not_the_dirty_warning in logging.getLogger(name).filters for name in internals.BUILD_LOGGERS]

    serve = session("prune", dirty=True)
    assert filtered() == [True, True]  # MkDocs' logger and ProperDocs'
    serve.close()
    assert filtered() == [False, False]


DEEP = {
    "cards/a.md": card("Alpha", "Level one."),
    "cards/b.md": card("Beta", "Level two.", parent="a"),
    "cards/c.md": card("Gamma", "Level three.", parent="b"),
    "cards/d.md": card("Delta", "Level four.", parent="c"),
    "cards/d2.md": card("Delta Two", "Level four too.", parent="c"),
    "cards/e.md": card("Epsilon", "Another branch."),
    "cards/f.md": card("Phi", "Under it.", parent="e"),
    "cards/g.md": card("Gimel", "Deeper there.", parent="f"),
    # A path of its own: the derived one (every card) would show Delta's neighbours on many pages.
    "paths.yml": "paths:\n  - id: start\n    title: Start\n    description: D.\n    cards: [a, e]\n",
}
DEEP_PRUNED = PRUNED.replace(
    "features: [navigation.instant, navigation.prune]",
    "features: [navigation.instant, navigation.sections, navigation.prune]",
)


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
def test_pruned_pages_far_from_a_renamed_card_keep_their_output(
    tmp_path: Path, fresh_builds: FreshBuilds, dirty: bool
) -> None:
    """With navigation.prune (and sections), a page prints the nav's first two levels and its own branch:
    renaming a card deep in one branch renders again only the pages that show it, and every page is
    still the one a fresh build makes."""
    write_tree(tmp_path, {"mkdocs.yml": DEEP_PRUNED, **DEEP})
    here = Path.cwd()
    serve = Session(tmp_path, dirty, fresh_builds)
    try:
        serve.rebuild()
        # Delta is at level four: shown in its own branch (c, d, d2) and as c's neighbours' next/previous.
        (tmp_path / "cards/d.md").write_text(card("Delta Renamed", "Level four.", parent="c"), encoding="utf-8")
        serve.rebuild()  # compared with a fresh build, file by file
        assert {"e.md", "f.md", "g.md"} <= serve.outputs_reused  # the other branch is untouched
        assert not {"c.md", "d.md", "d2.md"} & serve.outputs_reused
        # Gamma, level three, is the title of a section that Beta's page prints (pruned to a link).
        (tmp_path / "cards/c.md").write_text(card("Gamma Renamed", "Level three.", parent="b"), encoding="utf-8")
        serve.rebuild()
        assert "Gamma Renamed" in serve.page("b")
        # Beta, level two, is printed on every page (the first level's sections are expanded).
        (tmp_path / "cards/b.md").write_text(card("Beta Renamed", "Level two.", parent="a"), encoding="utf-8")
        serve.rebuild()
        assert not {"e.md", "f.md", "g.md"} & serve.outputs_reused
        assert "Beta Renamed" in serve.page("g")
    finally:
        serve.close()
        os.chdir(here)
