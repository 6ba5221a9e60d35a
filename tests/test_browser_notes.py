"""What a reader sees of an Obsidian vault published as it is, in chromium, on a phone and a desktop:
math drawn (MathML, no script), the image shown, a folded callout that opens by keyboard, inline tags,
and none of the editor's syntax left in the text."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Iterator

import pytest

from conftest import ROOT, run_mkdocs_build, serve
from knowledge_cards.cli.main import main as kcards

pytestmark = pytest.mark.browser

RAW = ("[[", "![[", "> [!", "%%", "$a^2", "$$", "==highlighted==")
# The article's text outside code (what a reader reads as prose).
PROSE = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll("code, pre, math").forEach(node => node.remove());
  return article.innerText;
}"""


@pytest.fixture(scope="module")
def vault_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("vault")
    shutil.copytree(ROOT / "tests/data/notes/obsidian_vault", root / "vault")
    with contextlib.redirect_stdout(io.StringIO()):
        assert kcards(["init", str(root / "site"), "--from", str(root / "vault")]) == 0
    build = run_mkdocs_build(root / "site", "--strict")
    assert build.returncode == 0, build.output
    url, stop = serve(root / "site/site")
    yield url
    stop()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_vault_note_reads_as_in_its_editor(page, vault_url: str, width: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(vault_url + "home/")
    prose = page.evaluate(PROSE)
    for raw in RAW:
        assert raw not in prose, raw
    # Math is drawn by the browser: the formulas have a size, and no script or request was needed.
    sizes = page.evaluate("[...document.querySelectorAll('article math')].map(m => m.getBoundingClientRect().width)")
    assert len(sizes) == 2 and all(size > 20 for size in sizes), sizes
    block = page.locator(".kc-math").bounding_box()
    assert block is not None and block["width"] <= width  # a wide formula scrolls in its box, never the page
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The embedded image is loaded at its size.
    image = page.locator("article img[src*='diagram.png']")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.evaluate("img => img.getBoundingClientRect().width") == 120
    # A folded callout is closed, and opens from the keyboard.
    tip = page.locator("article details.tip")
    assert tip.evaluate("d => d.open") is False
    tip.locator("summary").focus()
    page.keyboard.press("Enter")
    assert tip.evaluate("d => d.open") is True
    assert "Inside the callout" in tip.inner_text()
    # The highlight is a highlight and the tags are tags; the embedded section is in the page.
    assert page.locator("article mark").inner_text() == "highlighted"
    assert page.locator("article .kc-tag").all_inner_texts() == ["#getting-started", "#economics"]
    assert "Revenue less the cost of goods" in page.locator("article .admonition.quote").inner_text()
    external = [url for url in page.requests if not url.startswith("http://127.0.0.1:")]
    assert external == [] and page.errors == []


def test_every_link_of_the_vault_home_lands(page, vault_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(vault_url + "home/")
    hrefs = page.evaluate(
        "[...document.querySelectorAll('article a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin))"
    )
    assert len(hrefs) >= 12
    for href in sorted(set(hrefs)):
        response = page.request.get(href.split("#")[0])
        assert response.status == 200, href
        anchor = href.partition("#")[2]
        if anchor and not anchor.startswith("tag:"):
            page.goto(href)
            assert page.evaluate("id => document.getElementById(decodeURIComponent(id)) !== null", anchor), href
