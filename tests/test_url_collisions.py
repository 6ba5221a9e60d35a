"""No two pages at one URL: a placeholder never silently replaces a page, nor a page a placeholder."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("files", "error", "page", "heading"),
    [
        (
            {"cards/concepts.md": "---\ntitle: Concepts\nsummary: S\n---\nSee [[index]].\n"},
            "cards/concepts.md:1:1: error: the placeholder page of 'index' would be published at concepts/, where "
            "this page is; rename this file, or write the card so the links lead to it",
            "concepts",
            '<h1 id="concepts">Concepts',
        ),
        (
            {
                "cards/a.md": "---\ntitle: A\nsummary: S\n---\nSee [[pricing]].\n",
                "cards/pricing/intro.md": "---\ntitle: Intro\nsummary: S\n---\nx\n",
                "cards/pricing/readme.md": "---\ntitle: Readme\nsummary: S\n---\nx\n",
            },
            None,
            "pricing",
            '<h1 id="readme">Readme',  # pricing/readme.md is the folder's note: [[pricing]] is that card
        ),
    ],
    ids=["placeholder-onto-card", "placeholder-beside-folder"],
)
def test_a_collision_is_an_error_naming_the_page_and_nothing_is_replaced(  # type: ignore[no-untyped-def]
    tiny_site, files, error, page, heading
) -> None:
    result = tiny_site(files)
    assert "Traceback" not in result.output
    assert result.lines("error:") == ([error] if error else []), result.output
    assert heading in result.page(page)
    sitemap = (result.site / "sitemap.xml").read_text()
    locations = [line for line in sitemap.splitlines() if "<loc>" in line]
    assert len(locations) == len(set(locations)), "a URL is listed twice in the sitemap"


def test_a_card_the_site_leaves_out_is_a_warning_and_a_placeholder(tiny_site) -> None:  # type: ignore[no-untyped-def]
    files = {
        "cards/a.md": "---\ntitle: A\nsummary: S\n---\nSee [[tpl]] and [[dr]].\n",
        "cards/templates/tpl.md": "---\ntitle: Template Card\nsummary: S\n---\nx\n",
        "cards/drafts/dr.md": "---\ntitle: Draft Card\nsummary: S\n---\nx\n",
    }
    from conftest import ROOT, TINY_MKDOCS_YML

    config = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides") + "exclude_docs: |\n  drafts/\n"
    result = tiny_site(files, config=config)
    assert result.returncode == 0 and "Traceback" not in result.output
    hint = (
        "warning: the site leaves this file out (exclude_docs, or MkDocs' default for a top-level templates/ "
        "folder), so it is not a card and links to it show a placeholder; move it, or change exclude_docs"
    )
    assert result.lines("warning:") == [f"cards/drafts/dr.md:1:1: {hint}", f"cards/templates/tpl.md:1:1: {hint}"]
    assert "This card doesn" in result.page("tpl") and "This card doesn" in result.page("dr")
    assert '<a class="kc-link kc-link--unwritten" href="../tpl/"' in result.page("a")
