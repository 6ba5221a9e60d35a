"""`mkdocs serve` rebuilds: pages whose inputs are unchanged come from the previous build, and every
rebuilt site is the one `mkdocs build` makes from scratch in a fresh process (never the serve
session's plugin, whose cache could hide a wrong page), for every nav configuration: Material's
`navigation.prune` on and off, and a hand-written `nav:`; with and without `--dirty`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ENV, ROOT, TINY_MKDOCS_YML, write_tree
from knowledge_cards.engine import internals

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402


def card(title: str, summary: str, body: str = "Body.", **fields: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\nsummary: {summary}\n{extra}---\n## What is it?\n\n{body}\n"


FILES = {
    "cards/ops/chain.md": card("Value Chain", "The loop.", "See [[stock]] and [[pricing]].", tags="[ops]"),
    "cards/ops/stock.md": card("Stock", "What is kept.", parent="chain", tags="[ops, goods]"),
    "cards/ops/orders.md": card("Orders", "What is bought.", parent="chain"),
    "cards/other/brand.md": card("Brand", "Who we are.", related="[{pricing: how brand sets price}]"),
    "cards/other/lonely.md": card("Lonely", "Links to nobody.", "A [plain link](../ops/orders.md)."),
    "quizzes/stock.yml": "questions:\n  - type: reflect\n    prompt: Why keep stock?\n    answer: To sell.\n",
}

PRUNED = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides")
NOT_PRUNED = PRUNED.replace("features: [navigation.instant, navigation.prune]", "features: [navigation.instant]")
assert NOT_PRUNED != PRUNED
# Titles from the cards for most entries, from the nav for one; a card left out of the nav (orders).
HAND_WRITTEN_NAV = (
    NOT_PRUNED
    + """\
nav:
  - Home: index.md
  - Operations:
      - ops/chain.md
      - Keeping stock: ops/stock.md
  - Elsewhere:
      - other/brand.md
      - other/lonely.md
  - Tags: tags.md
"""
)
NAVS = {"prune": PRUNED, "no-prune": NOT_PRUNED, "hand-written-nav": HAND_WRITTEN_NAV}

UNCOMPARED = ("sitemap.xml.gz",)
"""Gzip stamps its file with the time; sitemap.xml itself is compared."""


class Session:
    """One `mkdocs serve` session, in-process, as mkdocs/commands/serve.py runs it: the plugin instances
    live across rebuilds, each rebuild loads the config again. With `dirty`, as `mkdocs serve --dirty`
    (what `make serve` runs): the site folder is not cleaned between builds."""

    def __init__(self, project: Path, dirty: bool, fresh: FreshBuilds) -> None:
        self.project = project
        self.dirty = dirty
        self.fresh = fresh
        self.site = project / "site-serve"
        os.chdir(project)
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=dirty)
        # MkDocs hands a plugin with on_startup to the next session in the same process: Material's search
        # would merge the last `--dirty` session's index into this one's (a new process has none).
        internals.forget_previous_search_index(config)
        self.plugins = config.plugins
        self.rebuild(config)

    def _config(self):  # type: ignore[no-untyped-def]
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def rebuild(self, config=None) -> None:  # type: ignore[no-untyped-def]
        """Rebuild; then the site must be the one a fresh process builds from the same sources."""
        fresh = self.fresh.start(self.project)  # alongside the rebuild: the machine has two cores
        config = config or self._config()  # as serve.py's builder: MkDocs keeps plugins that have on_startup
        self.plugins = config.plugins
        build(config, serve_url="http://127.0.0.1:8000/", dirty=self.dirty)
        self.plugin = config.plugins["knowledge-cards"]
        expected = fresh()
        actual = site_files(self.site)
        assert sorted(actual) == sorted(expected), "the rebuilt site has other files than a fresh build"
        wrong = [name for name in expected if actual[name] != expected[name]]
        assert not wrong, f"these files differ from a fresh build's: {wrong}"

    @property
    def reused(self) -> set[str]:
        """Pages whose content came from the previous build."""
        return set(self.plugin.serve_cache.reused)  # type: ignore[attr-defined]

    @property
    def outputs_reused(self) -> set[str]:
        """Pages whose whole output came from the previous build."""
        return set(self.plugin.serve_cache.outputs_reused)  # type: ignore[attr-defined]

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")

    def close(self) -> None:
        self.plugins.on_shutdown()


class FreshBuilds:
    """`python -m mkdocs build` of the project's current sources in a new process, into another folder;
    one per distinct state of the sources (a serve and a `--dirty` serve session share them)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[str, dict[str, bytes]] = {}

    def start(self, project: Path) -> Callable[[], dict[str, bytes]]:
        state = sources_digest(project)
        if state in self.built:
            return lambda: self.built[state]
        out = self.root / state[:16]
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
        proc = subprocess.Popen(command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

        def finish() -> dict[str, bytes]:
            output, _ = proc.communicate(timeout=300)
            assert proc.returncode == 0, output.decode(errors="replace")
            self.built[state] = site_files(out)
            return self.built[state]

        return finish


def sources_digest(project: Path) -> str:
    names = ["mkdocs.yml", "paths.yml"] + [
        p.relative_to(project).as_posix()
        for folder in ("cards", "quizzes")
        if (project / folder).is_dir()
        for p in sorted((project / folder).rglob("*"))
        if p.is_file()
    ]
    digest = hashlib.sha256()
    for name in names:
        path = project / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    return digest.hexdigest()


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by path (search/search_index.json and graph.json too)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.name not in UNCOMPARED
    }


def search_titles(site: Path) -> set[str]:
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return {doc["title"] for doc in docs}


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
    # In its nav, unless the hand-written nav names that card itself ("Keeping stock").
    assert ("other/lonely.md" in serve.outputs_reused) == (nav == "hand-written-nav")
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
