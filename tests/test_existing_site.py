"""Cards inside an existing Material site: ordinary pages as written, Material's keys, overrides, bad input."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

from conftest import run_mkdocs_build, write_tree

SITE_YML = """\
site_name: Our Docs
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.sections]
plugins:
  - search
  - tags
  - knowledge-cards:
      cards_dir: concepts
markdown_extensions: [admonition, attr_list, toc]
"""

FILES = {
    "mkdocs.yml": SITE_YML,
    "docs/index.md": "# Welcome\n\nOur own home page, [to the concepts](concepts/index.md).\n",
    "docs/guide/setup.md": "---\nhide: [toc]\nicon: material/wrench\n---\n# Setting up\n\nPlain page, no card.\n",
    "docs/concepts/value-chain.md": (
        "---\ntitle: Value Chain\nsummary: The loop.\nhide: [toc]\nicon: material/link\n"
        "description: Our <b>own</b> description\nsubtitle: Ops\n---\n## What\n\nSee [[unit-economics]] and [setup](../guide/setup.md).\n"
    ),
    "docs/concepts/retail.md": "---\ntitle: Retail\nsummary: Selling things.\nexplore: [value-chain]\n---\nBody\n",
}


def build(tmp_path: Path, files: dict[str, str | bytes], *extra: str):  # type: ignore[no-untyped-def]
    write_tree(tmp_path, files)
    return run_mkdocs_build(tmp_path, "--strict", *extra)


def test_ordinary_pages_are_published_as_written_beside_the_cards(tmp_path: Path) -> None:
    result = build(tmp_path, FILES)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output and "ERROR" not in result.output  # Material's keys are accepted
    home = result.page("")
    assert "Our own home page" in home and "kc-card" not in home  # the site's own index.md, untouched
    setup = result.page("guide/setup")
    assert "Plain page, no card." in setup and "Concepts to explore" not in setup and "This card" not in setup
    # The cards and the generated pages live under cards_dir.
    card = result.page("concepts/value-chain")
    assert "Where this concept fits" in card
    assert '<a class="kc-link kc-link--unwritten" href="../unit-economics/"' in card
    assert "Knowledge map" in result.page("concepts/map") and "This card doesn" in result.page(
        "concepts/unit-economics"
    )
    assert '<a href="../../guide/setup/">setup</a>' in card  # an ordinary link to the site's own page
    assert "Value Chain" in result.page("concepts")  # the cards' home lists them
    assert "<h1" in result.page("concepts") and ">Concepts</h1>" in result.page("concepts")
    # Material's keys work on a card: the toc is hidden, the description is the card's own, escaped.
    assert re.search(r'data-md-type="toc"\s+hidden', card)
    assert '<meta name="description" content="Our &lt;b&gt;own&lt;/b&gt; description">' in card
    # One nav: the site's pages as MkDocs lists them, then the cards' section titled from the folder.
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<\s][^<]*?)\s*<', setup)
    assert nav.index("Welcome") < nav.index("Concepts") < nav.index("Retail"), nav
    assert "Setting up" in nav and nav.count("Overview") == 1
    check = subprocess.run(
        [sys.executable, "-m", "knowledge_cards.cli.main", "check", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert (check.returncode, check.stderr.strip()) == (0, "2 cards, 1 placeholders, 0 quizzes, 0 errors, 0 warnings")


def test_a_page_outside_cards_dir_with_card_keys_is_one_warning(tmp_path: Path) -> None:
    stray = "---\ntitle: Stray\nicon: x\nparent: retail\nsummary: S\n---\nText\n"
    result = build(tmp_path, {**FILES, "docs/stray.md": stray})
    assert result.returncode == 1
    assert result.lines("warning:") == [
        "docs/stray.md:5:1: warning: this page has card keys (summary, parent) but is outside cards_dir "
        "'concepts', so it is published as an ordinary page; move it into concepts/ to make it a card, or remove "
        "those keys"
    ]


def test_a_missing_cards_dir_is_one_error_line(tmp_path: Path) -> None:
    files = {**FILES, "mkdocs.yml": SITE_YML.replace("cards_dir: concepts", "cards_dir: nowhere")}
    result = build(tmp_path, files)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert result.lines("error:") == ["mkdocs.yml:11: error: cards_dir 'nowhere': no folder docs/nowhere"]
    assert not (tmp_path / "site").exists()


def test_a_site_overrides_one_template_and_one_asset(tmp_path: Path) -> None:
    files = {
        **FILES,
        "mkdocs.yml": SITE_YML.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"),
        "overrides/kcards/backlinks.html.j2": '<p class="our-backlinks">{{ backlinks|length }} cards link here</p>\n',
        "overrides/kcards/cards.css": ".our-css { color: red }\n",
    }
    result = build(tmp_path, files)
    assert result.returncode == 0, result.output
    assert '<p class="our-backlinks">1 cards link here</p>' in result.page("concepts/value-chain")
    assert (tmp_path / "site/assets/kcards/cards.css").read_text() == ".our-css { color: red }\n"
    assert (tmp_path / "site/assets/kcards/kcards.js").stat().st_size > 1000  # the others from the package
    assert not (tmp_path / "site/kcards").exists()  # overrides are not site content


def test_a_broken_override_is_one_error_line(tmp_path: Path) -> None:
    files = {
        **FILES,
        "mkdocs.yml": SITE_YML.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"),
        "overrides/kcards/kcards.js": b"",
    }
    result = build(tmp_path, files)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    lines = result.lines("error:")
    assert len(lines) == 1 and lines[0].endswith(
        "overrides/kcards/kcards.js:1: error: this override of the knowledge-cards asset 'kcards.js' is empty or not a file"
    ), result.output


def test_a_broken_template_override_is_one_error_line(tmp_path: Path) -> None:
    files = {
        **FILES,
        "mkdocs.yml": SITE_YML.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"),
        "overrides/kcards/backlinks.html.j2": "{% for x in %}\n",
    }
    result = build(tmp_path, files)
    assert result.returncode == 1
    assert "Traceback" not in result.output, result.output
    assert any("overrides/kcards/backlinks.html.j2:1: error:" in line for line in result.lines("error:")), result.output


def test_folder_names_are_escaped_on_the_error_page(tmp_path: Path) -> None:
    folder = "<img src=x onerror=alert(1)>"
    files = {
        "mkdocs.yml": SITE_YML.replace("      cards_dir: concepts\n", ""),
        f"docs/{folder}/broken.md": "---\ntitle: [unclosed\n---\nBody\n",
        "docs/fine.md": "---\ntitle: Fine\nsummary: S\n---\nBody\n",
    }
    write_tree(tmp_path, files)
    result = run_mkdocs_build(tmp_path)  # not strict: the error page is what a reader would see
    pages = [p for p in (tmp_path / "site").rglob("index.html") if "broken" in p.as_posix()]
    assert len(pages) == 1, result.output
    html = pages[0].read_text(encoding="utf-8")
    assert "This card has errors" in html
    assert "<img" not in html.split("<article", 1)[1]  # the folder name is text, never markup
    assert f"Fix these problems in {folder}/broken.md" in unescape(html)  # shown as the text it is


def test_an_asset_missing_from_the_package_is_one_error_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from knowledge_cards.engine import assets

    monkeypatch.setattr(assets, "PACKAGE_ASSETS", tmp_path)
    try:
        assets.find_assets([])
    except assets.AssetError as exc:
        message = str(exc)
    else:
        raise AssertionError("a missing asset was not reported")
    assert message == (
        f"{tmp_path}/vendor/mermaid.min.js:1: error: knowledge-cards' asset 'vendor/mermaid.min.js' is missing from "
        "the installed package; reinstall it (from a source checkout: `make site` fetches the pinned scripts)"
    )


def test_a_custom_dir_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    files = {**FILES, "mkdocs.yml": SITE_YML.replace("  font: false\n", "  font: false\n  custom_dir: nowhere\n")}
    before = {p.as_posix() for p in tmp_path.rglob("*")}
    result = build(tmp_path, files)
    assert result.returncode != 0 and "Traceback" not in result.output
    assert "The path set in custom_dir" in result.output and "does not exist" in result.output, result.output
    assert not (tmp_path / "site").exists()
    assert {p.as_posix() for p in tmp_path.rglob("*")} - before == {(tmp_path / name).as_posix() for name in files} | {
        (tmp_path / d).as_posix() for d in ("docs", "docs/guide", "docs/concepts")
    }


def test_a_hand_written_nav_names_the_cards_folder_and_gets_the_cards(tmp_path: Path) -> None:
    nav = "nav:\n  - Start: index.md\n  - Guide: guide/setup.md\n  - Our concepts: concepts/\n"
    result = build(tmp_path, {**FILES, "mkdocs.yml": SITE_YML + nav})
    assert result.returncode == 0, result.output
    assert 'not included in the "nav"' not in result.output and "not found" not in result.output
    page = result.page("guide/setup")
    nav_titles = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*<', page)  # header, then the nav
    start = nav_titles.index("Start")
    assert nav_titles[start : start + 4] == ["Start", "Guide", "Our concepts", "Overview"], nav_titles
    assert "Retail" in nav_titles and "Value Chain" in nav_titles and "Cards to write" in nav_titles
