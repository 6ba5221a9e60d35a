"""Code is code: nothing inside code spans, code blocks or HTML comments is ever rewritten (issue 19).

Each case is a card body that shows syntax inside code (a link, the at-a-glance marker, a `## `
heading, a footnote definition, a callout opener) next to real ones outside it. Checked twice: in
the core (find_links, code_regions) and in one tiny real build holding every case as a card, whose
HTML must show the code exactly as written, make no placeholder page for a slug only mentioned in
code, put no card link inside code, and still make the real links, footnotes and sections. A last
property compares code_regions with Python-Markdown itself on random bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TINY_MKDOCS_YML, BuildResult, run_mkdocs_build, write_tree
from knowledge_cards.core.code_regions import code_regions
from knowledge_cards.core.links import find_links

# The shipped site's Markdown extensions (mkdocs.yml), so the build reads bodies as a real site does.
CONFIG = TINY_MKDOCS_YML.replace(
    "markdown_extensions:\n",
    "markdown_extensions:\n  - abbr\n  - def_list\n  - pymdownx.highlight\n  - pymdownx.inlinehilite\n",
)
LOOP = "loop:\n  stages: [Plan, Build]\n"


@dataclass(frozen=True)
class Case:
    """A card body; what its code must show verbatim; the slugs it names only in code; the real links
    it has (slug, line, column in the body); and what else the page must or must not show."""

    body: str
    shown: tuple[str, ...] = ()
    code_only: tuple[str, ...] = ()
    links: tuple[tuple[str, int, int], ...] = ()
    meta: str = ""
    page_has: tuple[str, ...] = ()
    page_lacks: tuple[str, ...] = ()
    footnotes: bool = False
    extra: dict[str, str] = field(default_factory=dict)


CASES: dict[str, Case] = {
    "fenced": Case(
        "```\n[[code-fenced]] and [x](code-fenced-inline.md)\n```\n\nSee [[real]].",
        shown=("[[code-fenced]] and [x](code-fenced-inline.md)",),
        code_only=("code-fenced", "code-fenced-inline"),
        links=(("real", 5, 5),),
    ),
    "tilde-fence": Case(
        "~~~text\n[[code-tilde]]\n~~~", shown=("[[code-tilde]]",), code_only=("code-tilde",)
    ),
    "mermaid-fence": Case(
        "```mermaid\ngraph LR\n  A[[code-mermaid]] --> B\n```",
        shown=("A[[code-mermaid]] --> B",),
        code_only=("code-mermaid",),
    ),
    "fence-in-blockquote": Case(
        "> Quoted:\n>\n> ```\n> [[code-quote-fence]]\n> ```\n>\n> and [[real]].",
        shown=("[[code-quote-fence]]",),
        code_only=("code-quote-fence",),
        links=(("real", 7, 7),),
    ),
    "fence-in-list-item": Case(
        "- item\n\n    ```\n    [[code-list-fence]]\n    ```\n\n- [[real]]",
        shown=("[[code-list-fence]]",),
        code_only=("code-list-fence",),
        links=(("real", 7, 3),),
    ),
    "indented-code": Case(
        "Para.\n\n    [[code-indented]]\n    [x](code-indented-inline.md)\n\n[[real]]",
        shown=("[[code-indented]]\n[x](code-indented-inline.md)",),
        code_only=("code-indented", "code-indented-inline"),
        links=(("real", 6, 1),),
    ),
    "indented-code-by-tab": Case("Para.\n\n\t[[code-tab]]", shown=("[[code-tab]]",), code_only=("code-tab",)),
    "indented-code-after-heading": Case(
        "## Heading\n    [[code-after-heading]]", shown=("[[code-after-heading]]",), code_only=("code-after-heading",)
    ),
    "indented-code-in-blockquote": Case(
        "> Quote.\n>\n>     [[code-quote-indented]]",
        shown=("[[code-quote-indented]]",),
        code_only=("code-quote-indented",),
    ),
    "indented-code-in-list-item": Case(
        "- item\n\n        [[code-list-indented]]\n\n    and [[real]]",
        shown=("[[code-list-indented]]",),
        code_only=("code-list-indented",),
        links=(("real", 5, 9),),
    ),
    "indented-code-in-admonition": Case(
        "!!! note\n    Inside [[real]].\n\n        [[code-admonition]]",
        shown=("[[code-admonition]]",),
        code_only=("code-admonition",),
        links=(("real", 2, 12),),
    ),
    "indented-code-in-footnote": Case(
        "Text[^1].\n\n[^1]: A note on [[real]].\n\n        [[code-footnote]]",
        shown=("[[code-footnote]]",),
        code_only=("code-footnote",),
        links=(("real", 3, 17),),
        footnotes=True,
    ),
    "code-span": Case("Write `[[code-in-span]]`.", shown=("[[code-in-span]]",), code_only=("code-in-span",)),
    "code-span-with-double-backticks": Case(
        "Write ``[[code-double]] with `one` tick`` or [[real]].",
        shown=("[[code-double]] with `one` tick",),
        code_only=("code-double",),
        links=(("real", 1, 46),),
    ),
    "code-span-over-two-lines": Case(
        "A `span that\ngoes on [[code-span-lines]]` here.",
        shown=("span that\ngoes on [[code-span-lines]]",),
        code_only=("code-span-lines",),
    ),
    "html-comment": Case(
        "<!-- [[code-comment]] -->\n\nText <!-- [[code-inline-comment]] --> and [[real]].",
        code_only=("code-comment", "code-inline-comment"),
        links=(("real", 3, 43),),
        page_has=("<!-- [[code-comment]] -->",),
    ),
    "escaped-link": Case(
        "\\[[code-escaped]] is how a link is written; \\\\[[real]] is one after a backslash.",
        code_only=("code-escaped",),
        links=(("real", 1, 47),),
        page_has=("[[code-escaped]] is how",),
    ),
    "callout-opener-in-code": Case(
        "```\n!!! plain\n```\n\n    !!! rule\n\n!!! plain\n    Real.",
        shown=("!!! plain\n", "!!! rule"),
        page_lacks=('!!! plain "In plain terms"', '!!! rule "Rule of thumb"'),
        page_has=("In plain terms",),
    ),
    "at-a-glance-marker-in-code": Case(
        "## One\n\n```\n<!-- at-a-glance -->\n```\n\n## Two\n\nText.",
        shown=("<!-- at-a-glance -->",),
        meta=LOOP,
        page_has=("At a glance",),
    ),
    "heading-in-code": Case(
        "## One\n\n```\n## Not a section\n```\n\n    ## Nor this\n\n## Two\n\nText.",
        shown=("## Not a section", "## Nor this"),
        meta=LOOP,
        page_has=("At a glance",),
    ),
    "footnote-definition-in-code": Case(
        "Text.\n\n```\n[^1]: not a footnote\n```\n\n    [^2]: nor this",
        shown=("[^1]: not a footnote", "[^2]: nor this"),
        page_lacks=("Footnotes Go Here", ">Footnotes<"),
    ),
    "real-footnote-beside-code": Case(
        "Text[^1].\n\n```\n[^2]: in code\n```\n\n[^1]: A real note.",
        shown=("[^2]: in code",),
        footnotes=True,
        page_lacks=("Footnotes Go Here",),
    ),
    "link-right-after-a-code-block": Case(
        "```\n[[code-before]]\n```\n[[real]] right after, and `x` [[real|again]]",
        shown=("[[code-before]]",),
        code_only=("code-before",),
        links=(("real", 4, 1), ("real", 4, 31)),
    ),
    "unclosed-fence-is-text": Case("```\n[[real]] in a fence never closed", links=(("real", 2, 1),)),
}
# Where "At a glance" must go: before the second real `##` heading, never at a marker or heading in code.
GLANCE_BEFORE = {"at-a-glance-marker-in-code": "Two", "heading-in-code": "Two"}


def card_file(slug: str, case: Case) -> str:
    return f"---\ntitle: {slug}\nsummary: A case.\n{case.meta}---\n{case.body}\n"


@pytest.mark.parametrize("name", CASES)
def test_find_links_skips_code_and_keeps_positions(name: str) -> None:
    case = CASES[name]
    links = find_links(case.body)
    assert [(link.target, link.line, link.column) for link in links] == list(case.links)
    lines = case.body.split("\n")
    for link in links:  # each position names where the link is written
        assert lines[link.line - 1][link.column - 1 :].startswith(case.body[link.start : link.end])
    blanked = code_regions(case.body).blanked(case.body)
    assert len(blanked) == len(case.body) and blanked.count("\n") == case.body.count("\n")
    for slug in case.code_only:
        assert f"[[{slug}]]" not in blanked.replace("\\[[", "")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One build with every case as a card (slug = case name), and the card they link to."""
    project = tmp_path_factory.mktemp("code-is-code")
    files = {f"cards/{name}.md": card_file(name, case) for name, case in CASES.items()}
    files["cards/real.md"] = "---\ntitle: Real\nsummary: The card real links reach.\n---\nBody.\n"
    files["mkdocs.yml"] = CONFIG.format(overrides=ROOT / "site_overrides")
    write_tree(project, files)
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    return build


class _Code(HTMLParser):
    """The text of every <pre> and <code> on a page, and the card links found inside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.texts: list[str] = []
        self.links_in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("pre", "code"):
            if not self.depth:
                self.texts.append("")
            self.depth += 1
        elif tag == "a" and self.depth and "kc-link" in (dict(attrs).get("class") or ""):
            self.links_in_code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("pre", "code") and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data


def article(page: str) -> str:
    """The page's content (not the nav, search or footer)."""
    return page[page.index('<article class="md-content__inner') : page.index("</article>")]


@pytest.mark.parametrize("name", CASES)
def test_build_shows_code_as_written(built: BuildResult, name: str) -> None:
    case = CASES[name]
    content = article(built.page(name))
    code = _Code()
    code.feed(content)
    for snippet in case.shown:
        assert any(snippet in text for text in code.texts), (snippet, code.texts)
    assert code.links_in_code == 0  # no card link put inside code
    assert "kc-link" not in "".join(code.texts)  # nor its markup shown as code
    for slug in case.code_only:  # a slug only mentioned in code is no page and no link
        assert not (built.site / slug).exists()
        assert f'href="../{slug}/"' not in content
    real_links = re.findall(r'<a class="kc-link" href="\.\./real/"', content)
    assert len(real_links) == len(case.links)
    for text in case.page_has:
        assert text in content
    for text in case.page_lacks:
        assert text not in content
    assert ('id="footnotes"' in content) == case.footnotes
    assert "Footnotes Go Here" not in content


@pytest.mark.parametrize("name", GLANCE_BEFORE)
def test_at_a_glance_goes_before_the_second_real_section(built: BuildResult, name: str) -> None:
    content = article(built.page(name))
    assert content.count('id="at-a-glance"') == 1
    assert content.index('id="at-a-glance"') < content.index(f'id="{GLANCE_BEFORE[name].lower()}"')
    assert content.index("</pre>") < content.index('id="at-a-glance"')  # not inside, nor before, the code


def test_no_placeholder_for_a_slug_only_in_code(built: BuildResult) -> None:
    mentioned = {slug for case in CASES.values() for slug in case.code_only}
    assert not any((built.site / slug / "index.html").exists() for slug in mentioned)
    assert not any(slug in line for line in built.output.splitlines() for slug in mentioned), built.output


def test_positions_after_code_name_the_link(tiny_site) -> None:  # type: ignore[no-untyped-def]
    # A bad link after an indented code block, in a list and a quote: the error names its own line.
    body = "Para.\n\n    [[Not A Link]]\n\n> ```\n> [[Nor This]]\n> ```\n\nThen [[../bad]] here.\n"
    build = tiny_site(
        {"cards/positions.md": f"---\ntitle: Positions\nsummary: s\n---\n{body}"},
        config=CONFIG.format(overrides=ROOT / "site_overrides"),
    )
    errors = [line for line in build.lines("cards/positions.md") if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("cards/positions.md:13:6: error:"), build.output


# Random bodies from the pieces that decide what is code, checked against Python-Markdown itself.
_PIECES = [
    "para {t}", "- item {t}", "1. item {t}", "## head {t}", "!!! note", "??? tip", "> quote {t}", ">",
    "```", "~~~", "````", "[^1]: note {t}", ":   def {t}", "Term {t}", "---", "<!-- {t}", "-->", "<!-- c -->",
    "a `b` {t}", "`` x ` {t}", "| a | b |", "|---|---|", "[r]: http://x", "\\[[x]] {t}", "",
]
_PREFIXES = ["", "", "", "    ", "        ", "  ", "> ", ">     ", "\t", "- "]
_EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences",
]


class _Tokens(HTMLParser):
    """Where each `[[tN]]` token of a converted body is: in code, or in text (comments are read apart)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in ("pre", "code")

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in ("pre", "code") and self.depth > 0

    def handle_data(self, data: str) -> None:
        for token in re.findall(r"\[\[(t\d+)\]\]", data):
            self.found[token] = "code" if self.depth else "text"


def _python_markdown_view(body: str) -> dict[str, str]:
    converted = markdown.Markdown(extensions=_EXTENSIONS).convert(body)
    hidden = {token: "comment" for comment in re.findall(r"<!--.*?-->", converted, re.S) for token in re.findall(r"\[\[(t\d+)\]\]", comment)}
    tokens = _Tokens()
    tokens.feed(re.sub(r"<!--.*?-->", "", converted, flags=re.S))
    return {**tokens.found, **hidden}


def _our_view(body: str) -> dict[str, str]:
    regions = code_regions(body)
    view = {}
    for match in re.finditer(r"\[\[(t\d+)\]\]", body):
        inside = [kind for kind, spans in (("code", regions.code), ("comment", regions.comments)) if any(s <= match.start() < e for s, e in spans)]
        view[match.group(1)] = inside[0] if inside else "text"
    return view


@st.composite
def _bodies(draw: st.DrawFn) -> str:
    lines = []
    for number, piece in enumerate(draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10))):
        prefix = draw(st.sampled_from(_PREFIXES))
        lines.append(prefix + piece.replace("{t}", f"[[t{number}]]"))
    return "\n".join(line if draw(st.booleans()) else line + "\n" for line in lines)


# Derandomized: the same 400 bodies every run, so CI is stable; `--hypothesis-seed=N` explores others.
@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_bodies())
# Found by this test: a separator row's own border pipes are what the tables extension takes off.
@example(body=">     | a | b |\n|---|---|\n`` x ` [[t2]]\n`` x ` [[t3]]\n")
def test_code_regions_agree_with_python_markdown_on_blocks_of_blank_lines(body: str) -> None:
    """On bodies whose pieces stand between blank lines (as cards are written), every token is code,
    comment or text exactly where Python-Markdown puts it."""
    theirs = _python_markdown_view(body)
    ours = _our_view(body)
    # A token Python-Markdown drops (a footnote defined twice keeps only its last text) is not compared.
    assert set(theirs) <= set(ours), body
    assert {token: ours[token] for token in theirs} == theirs, body
