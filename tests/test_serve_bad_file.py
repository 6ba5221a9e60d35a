"""A bad file saved under `serve` affects only its own card's page, and fixing it brings the site back.

Each hostile file replaces one card of the tiny site in a serve session (in-process, as `mkdocs serve`
runs it; every rebuild is compared with a fresh build in another process by serve_session.py). The
card's page shows its error with a line; every other card is still served as written; saving the good
text again gives back the very site served before.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, write_tree
from serve_session import FILES, PRUNED, FreshBuilds, Session, site_files

STOCK = "cards/ops/stock.md"
HEAD = "---\ntitle: Stock\nsummary: What is kept.\nparent: chain\n"

# name -> (the bad text of cards/ops/stock.md, what its error line says)
BAD: dict[str, tuple[str | bytes, str]] = {
    "alias-bomb": (
        HEAD + "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n",
        "cards/ops/stock.md:",
    ),
    "invalid-yaml": (HEAD + "tags: [unclosed\n---\nBody.\n", "invalid YAML in front matter"),
    "deep-lists": (HEAD + "---\n" + "".join("  " * depth + "- x\n" for depth in range(600)), "levels"),
    "undecodable": (b"---\ntitle: Stock \xe9\n---\n", "not UTF-8"),
    "huge-number": (HEAD + "year: " + "9" * 5000 + "\n---\n", "4,000 digits"),
    "loop-highlight-number": (HEAD + "loop:\n  stages: [A, B]\n  highlight: 5\n---\n", "highlight"),
    "no-closing-fence": (HEAD + "Body without the closing line.\n", "never closed"),
}


@pytest.fixture(scope="module")
def fresh_builds(tmp_path_factory: pytest.TempPathFactory) -> FreshBuilds:
    return FreshBuilds(tmp_path_factory.mktemp("fresh"))


@pytest.fixture
def session(tmp_path: Path, fresh_builds: FreshBuilds) -> Iterator[Session]:
    here = Path.cwd()
    shutil.copytree(ROOT / "site_overrides", tmp_path / "overrides")
    yml = PRUNED.replace(f"custom_dir: {ROOT / 'site_overrides'}", "custom_dir: overrides")
    write_tree(tmp_path, {"mkdocs.yml": yml, **FILES})
    serve = Session(tmp_path, True, fresh_builds)
    yield serve
    serve.close()
    os.chdir(here)


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_affects_only_its_own_page(case: str, session: Session) -> None:
    bad, said = BAD[case]
    stock = session.project / STOCK
    good = stock.read_text(encoding="utf-8")
    before = site_files(session.site)
    if isinstance(bad, bytes):
        stock.write_bytes(bad)
    else:
        stock.write_text(bad, encoding="utf-8")
    session.rebuild()  # also: the served site is the one a fresh build makes of these sources
    page = session.page("ops/stock")
    assert "This card has errors" in page
    shown = html.unescape(re.sub(r"<[^>]+>", "", page[page.find("<article") : page.find("</article>")]))
    assert said in shown, shown
    for other, text in (("ops/chain", "Value Chain"), ("ops/orders", "Orders"), ("other/brand", "Who we are.")):
        other_page = session.page(other)
        assert "This card has errors" not in other_page, other
        assert text in other_page, other
    stock.write_text(good, encoding="utf-8")
    session.rebuild()
    after = site_files(session.site)
    changed = sorted(name for name in before if after.get(name) != before[name])
    # The sitemap's and search index's bytes may be rebuilt in another order; the pages are the same.
    assert [name for name in changed if name.endswith(".html")] == []
    assert sorted(after) == sorted(before)
