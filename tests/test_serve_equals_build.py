"""Serve equals build: after every change a user can make under `mkdocs serve` (cards, folders, quizzes,
paths, the site's own templates, the config), the served site is the one a fresh `mkdocs build` makes of
the same sources in a new process; with and without `--dirty`."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import ENV, ROOT, free_port, write_tree
from serve_session import FILES, PRUNED, FreshBuilds, Session, card

MODES = pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])


@pytest.fixture(scope="module")
def fresh_builds(tmp_path_factory: pytest.TempPathFactory) -> FreshBuilds:
    return FreshBuilds(tmp_path_factory.mktemp("fresh"))


@pytest.fixture
def start(tmp_path: Path, fresh_builds: FreshBuilds) -> Iterator[Callable[..., Session]]:
    """A serve session of the tiny site in FILES, its overrides copied into the project (to be edited)."""
    here = Path.cwd()
    sessions: list[Session] = []

    def begin(dirty: bool, yml: str = PRUNED) -> Session:
        shutil.copytree(ROOT / "site_overrides", tmp_path / "overrides")
        yml = yml.replace(f"custom_dir: {ROOT / 'site_overrides'}", "custom_dir: overrides")
        write_tree(tmp_path, {"mkdocs.yml": yml, **FILES})
        sessions.append(Session(tmp_path, dirty, fresh_builds))
        return sessions[-1]

    yield begin
    for session in sessions:
        session.close()
    os.chdir(here)


def edit(project: Path, path: str, text: str | None) -> None:
    target = project / path
    if text is None:
        target.unlink()
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@MODES
def test_a_parent_cycle_made_and_fixed(start: Callable[..., Session], dirty: bool) -> None:
    serve = start(dirty)
    chain = serve.project / "cards/ops/chain.md"
    good = chain.read_text(encoding="utf-8")
    chain.write_text(good.replace("tags: [ops]", "tags: [ops]\nparent: stock"), encoding="utf-8")
    serve.rebuild()
    assert "This card has errors" in serve.page("ops/chain")
    chain.write_text(good, encoding="utf-8")
    serve.rebuild()
    for page in ("ops/chain", "ops/stock", "ops/orders"):
        assert "This card has errors" not in serve.page(page), page


@MODES
def test_a_duplicate_made_and_fixed(start: Callable[..., Session], dirty: bool) -> None:
    serve = start(dirty)
    edit(serve.project, "cards/other/stock.md", card("Stock Again", "A copy."))
    serve.rebuild()
    edit(serve.project, "cards/other/stock.md", None)
    serve.rebuild()
    assert "This card has errors" not in serve.page("ops/stock")


@MODES
def test_a_placeholder_whose_card_is_written_then_deleted(start: Callable[..., Session], dirty: bool) -> None:
    serve = start(dirty)
    edit(serve.project, "cards/other/pricing.md", card("Pricing", "How we set prices."))
    serve.rebuild()
    edit(serve.project, "cards/other/pricing.md", None)
    serve.rebuild()
    assert (serve.site / "pricing/index.html").is_file()


@MODES
def test_tags_after_body_edits(start: Callable[..., Session], dirty: bool) -> None:
    serve = start(dirty)
    stock = serve.project / "cards/ops/stock.md"
    stock.write_text(stock.read_text(encoding="utf-8").replace("Body.", "Edited body."), encoding="utf-8")
    serve.rebuild()
    serve.rebuild()
    chain = serve.project / "cards/ops/chain.md"
    chain.write_text(chain.read_text(encoding="utf-8").replace("See", "Now see"), encoding="utf-8")
    serve.rebuild()


@MODES
def test_an_override_template_edit(start: Callable[..., Session], dirty: bool) -> None:
    serve = start(dirty)
    search = serve.project / "overrides/partials/search.html"
    search.write_text(search.read_text(encoding="utf-8") + "\n<!-- edited override -->\n", encoding="utf-8")
    serve.rebuild()
    assert "edited override" in serve.page("ops/chain")


@MODES
def test_the_quizzes_folder_removed_and_recreated(start: Callable[..., Session], dirty: bool) -> None:
    serve = start(dirty)
    shutil.rmtree(serve.project / "quizzes")
    serve.rebuild()
    edit(serve.project, "quizzes/stock.yml", FILES["quizzes/stock.yml"].replace("Why", "Why, again,"))
    serve.rebuild()
    assert "Why, again," in serve.page("ops/stock")


@MODES
def test_config_edits(start: Callable[..., Session], dirty: bool) -> None:
    serve = start(dirty)
    yml = serve.project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("site_name: Tiny", "site_name: Renamed"), encoding="utf-8")
    serve.rebuild()
    assert "Renamed" in serve.page("ops/chain")


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, condition: Callable[[str], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition(_fetch(url)):
            return
        time.sleep(0.2)
    raise AssertionError(f"not seen within {seconds} s: {what}")


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_real_serve_watches_what_the_readme_says(tmp_path: Path, engine: str) -> None:
    """`make serve`'s command: the site's own templates, a quizzes folder removed and made again, a paths
    file written after the server started are all seen (MkDocs alone sees none of them)."""
    shutil.copytree(ROOT / "site_overrides", tmp_path / "overrides")
    yml = PRUNED.replace(f"custom_dir: {ROOT / 'site_overrides'}", "custom_dir: overrides")
    write_tree(tmp_path, {"mkdocs.yml": yml, **FILES})
    port = free_port()
    command = [sys.executable, "-m", engine, "serve", "--livereload", "--dirty", "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stock = f"http://127.0.0.1:{port}/ops/stock/"
    try:
        _wait_for(stock, lambda text: "Why keep stock?" in text, "the first build")
        search = tmp_path / "overrides/partials/search.html"
        search.write_text(search.read_text(encoding="utf-8") + "<!-- edited override -->\n", encoding="utf-8")
        _wait_for(stock, lambda text: "edited override" in text, "an edit of the site's own template")
        shutil.rmtree(tmp_path / "quizzes")
        _wait_for(stock, lambda text: "Stock" in text and "Why keep stock?" not in text, "the quizzes removed")
        shutil.copytree(ROOT / "tests/data/serve_quizzes", tmp_path / "quizzes-new")
        (tmp_path / "quizzes-new").rename(tmp_path / "quizzes")  # a folder put back whole, as git does
        _wait_for(stock, lambda text: "Why count stock?" in text, "the quizzes folder made again")
        edit(tmp_path, "quizzes/stock.yml", FILES["quizzes/stock.yml"].replace("Why", "And why"))
        _wait_for(stock, lambda text: "And why keep stock?" in text, "an edit in the new quizzes folder")
        edit(tmp_path, "paths.yml", "paths:\n  - {id: p, title: Stock path, cards: [chain, stock]}\n")
        _wait_for(stock, lambda text: "Step 2 of 2 in" in text and "Stock path" in text, "a paths file written while serving")
        assert server.poll() is None
    except BaseException:
        server.terminate()
        print(server.communicate(timeout=10)[1].decode(errors="replace")[-3000:])
        raise
    finally:
        server.terminate()
        server.wait(timeout=10)


# Every kind of change an instructor makes while serving, applied to the project in `project`.
def _body(project: Path, rng: random.Random) -> None:
    path = rng.choice(_cards(project))
    path.write_text(path.read_text(encoding="utf-8") + f"\nMore text {rng.randrange(1000)}.\n", encoding="utf-8")


def _title(project: Path, rng: random.Random) -> None:
    path = rng.choice(_cards(project))
    text = re.sub(r"^title: .*$", f"title: Renamed {rng.randrange(1000)}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def _add(project: Path, rng: random.Random) -> None:
    slugs = [path.stem for path in _cards(project)]
    slug = rng.choice(["pricing", "margin", "supply", "brand"]) + str(rng.randrange(3))
    folder = rng.choice(["ops", "other", "new"])
    parent = {"parent": rng.choice(slugs)} if slugs and rng.random() < 0.6 else {}
    edit(project, f"cards/{folder}/{slug}.md", card(slug.title(), "Added.", f"See [[{rng.choice(slugs + ['gap'])}]].", **parent))


def _delete(project: Path, rng: random.Random) -> None:
    cards = _cards(project)
    if len(cards) > 2:
        rng.choice(cards).unlink()


def _move(project: Path, rng: random.Random) -> None:
    path = rng.choice(_cards(project))
    target = project / "cards" / rng.choice(["ops", "other", "moved"]) / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)


def _break(project: Path, rng: random.Random) -> None:
    path = rng.choice(_cards(project))
    text = path.read_text(encoding="utf-8")
    broken = rng.choice(["title: [unclosed\n", f"parent: {path.stem}\n", "summary: \n", "related: 5\n"])
    path.write_text(text.replace("---\n", "---\n" + broken, 1), encoding="utf-8")


def _mend(project: Path, rng: random.Random) -> None:
    for path in _cards(project):
        text = path.read_text(encoding="utf-8")
        for broken in ("title: [unclosed\n", f"parent: {path.stem}\n", "summary: \n", "related: 5\n"):
            text = text.replace(broken, "")
        path.write_text(text, encoding="utf-8")


def _cycle(project: Path, rng: random.Random) -> None:
    cards = _cards(project)
    if len(cards) >= 2:
        a, b = rng.sample(cards, 2)
        for one, other in ((a, b), (b, a)):
            text = re.sub(r"^parent: .*\n", "", one.read_text(encoding="utf-8"), flags=re.M)
            one.write_text(text.replace("---\n", f"---\nparent: {other.stem}\n", 1), encoding="utf-8")


def _duplicate(project: Path, rng: random.Random) -> None:
    path = rng.choice(_cards(project))
    edit(project, f"cards/dup/{path.name}", path.read_text(encoding="utf-8"))


def _quiz(project: Path, rng: random.Random) -> None:
    slug = rng.choice(_cards(project)).stem
    choice = rng.choice(["new", "broken", "gone"])
    if choice == "gone":
        shutil.rmtree(project / "quizzes", ignore_errors=True)
    else:
        text = "questions: [{type: nonsense}]\n" if choice == "broken" else FILES["quizzes/stock.yml"]
        edit(project, f"quizzes/{slug}.yml", text)


def _paths(project: Path, rng: random.Random) -> None:
    slugs = [path.stem for path in _cards(project)]
    steps = rng.sample(slugs, min(len(slugs), 2)) + ["not-written"]
    edit(project, "paths.yml", f"paths:\n  - {{id: p, title: Path {rng.randrange(9)}, cards: [{', '.join(steps)}]}}\n")


def _template(project: Path, rng: random.Random) -> None:
    search = project / "overrides/partials/search.html"
    search.write_text(search.read_text(encoding="utf-8") + f"<!-- {rng.randrange(1000)} -->\n", encoding="utf-8")


def _config(project: Path, rng: random.Random) -> None:
    yml = project / "mkdocs.yml"
    text = re.sub(r"^site_name: .*$", f"site_name: Tiny {rng.randrange(9)}", yml.read_text(encoding="utf-8"), count=1, flags=re.M)
    yml.write_text(text, encoding="utf-8")


def _cards(project: Path) -> list[Path]:
    return sorted((project / "cards").rglob("*.md"))


EDITS = [_body, _title, _add, _delete, _move, _break, _mend, _cycle, _duplicate, _quiz, _paths, _template, _config]
STEPS = 6


@MODES
# Three sequences a mode, the same ones every run (derandomized); a failure is reported as found, unshrunk:
# each step is a rebuild and a fresh build.
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
# Found by this test: a child that became only a link (its parent moved to a duplicate's card) kept
# the old page of the card it had left.
@example(edits=[_body, _duplicate, _body, _cycle], seed=0)
@given(edits=st.lists(st.sampled_from(EDITS), min_size=STEPS, max_size=STEPS), seed=st.integers(0, 2**32))
def test_any_sequence_of_edits_serves_what_a_fresh_build_makes(
    fresh_builds: FreshBuilds, dirty: bool, edits: list[Callable[[Path, random.Random], None]], seed: int
) -> None:
    """Random edit sequences: after each edit, the served site is the fresh build's, file by file."""
    rng = random.Random(seed)
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(ROOT / "site_overrides", project / "overrides")
        yml = PRUNED.replace(f"custom_dir: {ROOT / 'site_overrides'}", "custom_dir: overrides")
        write_tree(project, {"mkdocs.yml": yml, **FILES})
        serve = Session(project, dirty, fresh_builds)
        try:
            for change in edits:
                change(project, rng)
                serve.rebuild()  # compared with a fresh build, file by file
        finally:
            serve.close()
            os.chdir(here)
