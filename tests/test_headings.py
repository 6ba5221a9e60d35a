"""Generated headings (a card's title, the sections after its body) are written as HTML, not Markdown:
they must come out exactly as the site's `toc` extension writes headings, with ids unique on the page,
in the table of contents, and valid as link anchors."""

from __future__ import annotations

import json
import re
from html import unescape

import markdown
import pytest
from markdown.extensions.toc import TocExtension, slugify_unicode

from conftest import ROOT, TINY_MKDOCS_YML
from knowledge_cards.render.headings import HeadingStyle
from knowledge_cards.render.templates import make_environment

TOC_SETTINGS = [
    {},
    {"permalink": True},
    {"permalink": "#", "permalink_leading": True, "permalink_title": ""},
    {"permalink": "§", "permalink_class": "anchor", "separator": "_", "baselevel": 2},
    {"permalink": True, "slugify": slugify_unicode},
]
TITLES = ["Cards that link here", 'Check your understanding: A & B\'s "quiz"', "Étude — 2nd take?", "Sources"]


@pytest.mark.parametrize(
    "settings", TOC_SETTINGS, ids=lambda s: ",".join(f"{k}={v!r}" for k, v in s.items()) or "default"
)
def test_a_generated_heading_is_what_markdowns_toc_writes(settings: dict[str, object]) -> None:
    style = HeadingStyle.from_toc_config(settings)
    macro = make_environment([ROOT / "site_overrides" / "kcards"]).get_template("heading.html.j2").module.heading
    for level, title in [(1, TITLES[0]), *((2, t) for t in TITLES[1:]), (3, TITLES[0])]:
        heading = style.heading(level, title, {"sources"})  # the body has a "Sources" heading of its own
        ours = str(macro(heading, style))
        body = "## Sources\n\n" + "#" * level + " " + title.replace("&", "&amp;")
        theirs = markdown.markdown(body, extensions=[TocExtension(**settings)]).split("\n", 1)[1]
        assert unescape(ours) == unescape(theirs), (ours, theirs)


TWO_CARDS = {
    "cards/ops/chain.md": """\
        ---
        title: Value Chain
        summary: The loop of work.
        explore:
          - commerce: Where it sits.
        sources:
          - title: A book
        ---
        ## Sources

        The body's own section named like a generated one.
        """,
    "cards/commerce.md": """\
        ---
        title: Commerce
        summary: Selling online.
        ---
        See [where the chain fits](ops/chain.md#where-this-concept-fits) and
        [its generated sources](ops/chain.md#sources_1).
        """,
}


def test_generated_headings_have_unique_ids_in_the_toc_and_are_valid_anchors(tiny_site) -> None:  # type: ignore[no-untyped-def]
    config = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides") + "validation:\n  anchors: warn\n"
    result = tiny_site(TWO_CARDS, "--strict", config=config)
    assert result.returncode == 0, result.output
    html = result.page("ops/chain")
    ids = re.findall(r'<h[1-6] id="([^"]+)"', html)
    assert ids == [
        "value-chain",
        "sources",
        "concepts-to-explore-next",
        "where-this-concept-fits",
        "sources_1",
        "further-reading",
    ]
    # The sidebar's table of contents lists the generated sections, "Further reading" under "Sources".
    toc = html[html.index('class="md-nav md-nav--secondary"') :]
    toc_links = re.findall(r'href="#([^"]+)"', toc[: toc.index("</nav>")])
    assert toc_links[:5] == [
        "sources",
        "concepts-to-explore-next",
        "where-this-concept-fits",
        "sources_1",
        "further-reading",
    ]
    nested = toc[toc.index('href="#sources_1"') :]
    assert nested.index('href="#further-reading"') < nested.index("</ul>")  # inside the list under sources_1
    # Search indexes the title and summary (written as HTML, before the body), not the empty generated sections.
    docs = json.loads((result.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    chain = [(doc["location"], doc["title"], doc["text"]) for doc in docs if doc["location"].startswith("ops/chain/")]
    assert chain == [
        ("ops/chain/", "Value Chain", "<p>The loop of work.</p>"),
        ("ops/chain/#sources", "Sources", "<p>The body's own section named like a generated one.</p>"),
    ]


def test_a_site_without_permalinks_gets_none_on_generated_headings(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site(TWO_CARDS, "--strict")
    html = result.page("ops/chain")
    assert '<h2 id="where-this-concept-fits">Where this concept fits</h2>' in html
    assert '<h1 id="value-chain">Value Chain</h1>' in html
    assert "headerlink" not in html[html.index("<article") : html.index("</article>")]


def test_a_placeholder_page_is_written_without_markdown_and_titled(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site(
        {"cards/ops/chain.md": "---\ntitle: Value Chain\nsummary: Loop.\n---\nSee [[unit-economics]].\n"}
    )
    html = result.page("unit-economics")
    assert "<title>Unit Economics - Tiny</title>" in html
    assert re.findall(r'<h[1-6] id="([^"]+)"', html) == ["unit-economics", "cards-that-link-here", "write-this-card"]
    assert '<a class="kc-link" href="../ops/chain/">Value Chain</a>' in html
    assert "<code>unit-economics.md</code>" in html


def test_heading_style_reads_the_sites_toc_settings() -> None:
    style = HeadingStyle.from_toc_config({"permalink": "<§>", "baselevel": "3", "permalink_leading": "true"})
    assert (style.permalink, style.base_level, style.permalink_leading) == ("&lt;§&gt;", 2, True)
    assert HeadingStyle.from_toc_config({}).permalink == ""


def test_the_table_of_contents_nests_generated_headings_at_their_level_on_the_page() -> None:
    """`baselevel: 2` writes the title as <h2>: its table-of-contents entry says level 2, like Markdown's own."""
    from mkdocs.structure.toc import AnchorLink, TableOfContents

    from knowledge_cards.engine.navigation import page_toc as _page_toc
    from knowledge_cards.render.headings import Heading
    from knowledge_cards.render.pages import PageHeadings

    body = AnchorLink("What is it?", "what-is-it", 3)
    headings = PageHeadings(
        Heading(1, "Chain", "chain"),
        (Heading(2, "Sources", "sources"), Heading(3, "Further reading", "further-reading")),
    )
    toc = _page_toc(TableOfContents([body]), headings, base_level=1)
    [title] = list(toc)
    assert (title.title, title.id, title.level) == ("Chain", "chain", 2)
    assert [(c.id, c.level) for c in title.children] == [("what-is-it", 3), ("sources", 3)]
    assert [(c.id, c.level) for c in title.children[1].children] == [("further-reading", 4)]
