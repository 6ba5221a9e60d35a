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
            "This card doesn",
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
