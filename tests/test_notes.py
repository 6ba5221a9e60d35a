"""Bring your own notes: an Obsidian vault and a Foam workspace, written for these tests, published as
they are with `kcards init SITE --from NOTES` and a strict build.

Every note is a page, every link in a page lands (on a page that has its anchor), nothing of the
editors' syntax is left visible outside code (`[[`, `![[`, `> [!`, `%%`, raw `$...$`), and nothing
under the notes' folder is written. The bad inputs get one line each and the rest still publishes.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, run_mkdocs_build, sources_snapshot, write_tree
from knowledge_cards.cli.main import main as kcards

NOTES = ROOT / "tests" / "data" / "notes"
RAW = ("[[", "![[", "> [!", "[!tip]", "%%", "$a^2", "$$")


def init_from(tmp_path: Path, corpus: str) -> tuple[Path, Path]:
    """A copy of the corpus and a site made from it by `kcards init --from`, as a user runs it."""
    notes = tmp_path / corpus
    shutil.copytree(NOTES / corpus, notes)
    site = tmp_path / "site"
    with contextlib.redirect_stdout(io.StringIO()):
        assert kcards(["init", str(site), "--from", str(notes)]) == 0
    return notes, site


def check(site: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = kcards(["--project", str(site), "check", "--strict"])
    return code, [line for line in out.getvalue().splitlines() if re.match(r"^\S.*:\d+:\d+: ", line)]


class _Page(HTMLParser):
    """A built page's article: its links, its ids, and its text outside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.depth = 0  # inside <article>
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "article":
            self.depth += 1
        if self.depth and tag in ("code", "pre", "script", "style", "math"):
            self.code += 1
        if self.depth and tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if self.depth and tag == "img" and found.get("src"):
            self.links.append(str(found["src"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if self.depth and tag in ("code", "pre", "script", "style", "math"):
            self.code -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.code:
            self.text.append(data)


def read_page(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def assert_site_whole(out: Path) -> dict[str, _Page]:
    """Every relative link and image in every page's article lands on a file, and an anchor on an id of
    that page; no editor syntax shows outside code."""
    pages = {path: read_page(path) for path in out.rglob("index.html") if "assets" not in path.parts}
    for path, page in pages.items():
        text = unescape(" ".join(page.text))
        for raw in RAW:
            assert raw not in text, f"{raw!r} visible in {path.relative_to(out)}"
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{path.relative_to(out)}: {link} leads nowhere"
            anchor = unquote(parts.fragment)
            if anchor and target.suffix == ".html" and not anchor.startswith("tag:"):
                ids = pages[target].ids if target in pages else read_page(target).ids
                assert anchor in ids, f"{path.relative_to(out)}: {link}: no id '{anchor}' there"
    return {str(path.parent.relative_to(out)): page for path, page in pages.items()}


@pytest.mark.parametrize(
    ("corpus", "pages"),
    [
        (
            "obsidian_vault",
            {"home", "gross-margin", "functions", "area", "area/cafe-notes", "other", "empty-note", "future-topic"},
        ),
        ("foam_workspace", {".", "readme", "docs/getting-started", "daily-notes", "next-plan"}),
    ],
)
def test_notes_publish_as_they_are(tmp_path: Path, corpus: str, pages: set[str]) -> None:
    notes, site = init_from(tmp_path, corpus)
    before = sources_snapshot(notes)
    assert check(site) == (0, [])
    build = run_mkdocs_build(site, "--strict")
    assert build.returncode == 0, build.output
    built = assert_site_whole(site / "site")
    assert pages <= set(built), sorted(built)
    assert sources_snapshot(notes) == before  # nothing under the notes' folder is written
    assert not (notes / "site").exists()


def test_the_vault_reads_as_its_editor_shows_it(tmp_path: Path) -> None:
    _, site = init_from(tmp_path, "obsidian_vault")
    assert run_mkdocs_build(site, "--strict").returncode == 0
    home = (site / "site/home/index.html").read_text(encoding="utf-8")
    article = home[home.index("<article") : home.index("</article>")]
    # The note's own `# Home` is its title, once.
    assert article.count("<h1") == 1
    # Links by name, by path with text, by alias, to a heading's text, to a block, on this page; the
    # link text keeps its inline code; a note not written yet is a placeholder.
    assert '<a class="kc-link" href="../gross-margin/">Gross Margin</a>' in article
    assert 'href="../area/cafe-notes/">the café notes</a>' in article
    assert 'href="../gross-margin/">Margins</a>' in article
    assert 'href="../gross-margin/#how-it-is-computed">Gross Margin &gt; How It Is Computed</a>' in article
    assert 'href="../gross-margin/#^rule"' in article
    assert 'href="#reading-order">Reading Order</a>' in article
    assert 'href="../functions/#hastag"><code>hasTag</code></a>' in article
    assert 'kc-link--unwritten" href="../future-topic/"' in article
    assert 'href="../gross-margin/">margin</a></td>' in article  # `\|` in a table
    # Lists after a paragraph line, nested by two spaces.
    assert re.search(r"<ul>\s*<li>first<ul>\s*<li>nested by two spaces<ul>\s*<li>and deeper", article)
    # Callouts: folded, with its title's code and link, a fence inside; nested; an unknown type.
    assert '<details class="tip">' in article and "<summary>A folded tip with <code>code</code>" in article
    assert "not a link" in article and not (site / "site/not-a-link").exists()
    warning = article[article.index('<div class="admonition warning">') :]
    assert re.match(  # the note is a callout inside the warning, not a quote showing "[!note]"
        r'<div class="admonition warning">\s*<p class="admonition-title">Careful</p>\s*<p>Nested:</p>\s*'
        r'<div class="admonition note">\s*<p class="admonition-title">Note</p>\s*<p>A note in a warning.</p>',
        warning,
    ), warning[:400]
    assert "[!note]" not in unescape(re.sub(r"<[^>]+>", "", article))
    assert '<p class="admonition-title">A type of our own</p>' in article
    # Comments gone (and their links made no placeholder), highlights, math as MathML, money kept.
    assert "editor comment" not in article and not (site / "site/hidden-link").exists()
    assert "<mark>highlighted</mark>" in article
    assert article.count("<math ") == 2 and '<div class="kc-math"><math' in article
    assert "$5 and $10" in article
    # Embeds: the image with its width, the section of a note in a quote that links to it.
    assert '<img src="../attachments/diagram.png" alt="diagram.png" width="120"' in article
    assert 'href="../gross-margin/#how-it-is-computed">Gross Margin</a></p>' in article
    assert "Revenue less the cost of goods" in article
    # Code stays code; inline tags are tags (a line-start `#tag` is no heading) and tag the card.
    assert "[[indented]] ![[indented.png]] %%kept%% $x$" in unescape(article)
    assert '<span class="kc-tag">#getting-started</span>' in article
    tags = (site / "site/tags/index.html").read_text(encoding="utf-8")
    assert "getting-started" in tags and "economics" in tags


def test_notes_that_keep_status_for_themselves(tmp_path: Path) -> None:
    """A vault whose notes use `status:` for their own workflow: init reads the card keys from `kcards:`."""
    notes = tmp_path / "vault"
    write_tree(
        notes,
        {
            "Plan.md": "---\nstatus: in progress\nrelated: '[[Goal]]'\nkcards:\n  status: draft\n---\n# Plan\n",
            "Goal.md": "# Goal\n",
        },
    )
    with contextlib.redirect_stdout(io.StringIO()):
        assert kcards(["init", str(tmp_path / "site"), "--from", str(notes)]) == 0
    assert "keys_namespace: kcards" in (tmp_path / "site/mkdocs.yml").read_text(encoding="utf-8")
    assert check(tmp_path / "site") == (0, [])
    build = run_mkdocs_build(tmp_path / "site", "--strict")
    assert build.returncode == 0, build.output
    assert "Draft" in (tmp_path / "site/site/plan/index.html").read_text(encoding="utf-8")


def test_bad_notes_get_a_line_each_and_the_rest_publishes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "vault"
    write_tree(
        notes,
        {
            "Cycle A.md": "First.\n\n![[Cycle B]]\n",
            "Cycle B.md": "Second.\n\n![[Cycle A]]\n",
            "Embeds.md": "![[missing.png]]\n\nA heading that is not there: [[Cycle A#Nowhere]].\n",
            "Same Name.md": "At the root.\n",
            "Area/Same Name.md": "In a folder.\n",
            "Latin.md": b"caf\xe9\n",
            "Fine.md": "# Fine\n\nStill published.\n",
        },
    )
    with contextlib.redirect_stdout(io.StringIO()):
        assert kcards(["init", str(tmp_path / "site"), "--from", str(notes)]) == 0
    monkeypatch.chdir(tmp_path / "site")
    before = sources_snapshot(notes)
    code, lines = check(tmp_path / "site")
    assert code == 1
    lines = [line.replace(f"{notes}/", "vault/") for line in lines]  # the notes are outside the site's folder
    assert lines == [
        "vault/Area/Same Name.md:1:1: warning: this name gives the slug 'same-name', which vault/Same Name.md "
        "has: this note's slug is 'area-same-name' (links by its path find it; rename it to choose)",
        "vault/Cycle A.md:3:1: warning: embed ![[Cycle B]]: it embeds this note again (a cycle); the second "
        "time it shows as a link",
        "vault/Cycle B.md:3:1: warning: embed ![[Cycle A]]: it embeds this note again (a cycle); the second "
        "time it shows as a link",
        "vault/Embeds.md:1:1: warning: embed ![[missing.png]]: no file of that name among the notes; it shows "
        "as its name",
        "vault/Embeds.md:3:30: warning: link to 'cycle-a#Nowhere': 'Cycle A' has no heading 'Nowhere'",
        "vault/Latin.md:1:1: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8",
    ]
    build = run_mkdocs_build(tmp_path / "site")
    assert build.output.strip().splitlines()[-1].startswith("Aborted with 1 error in the cards")
    assert "Still published." in (tmp_path / "site/site/fine/index.html").read_text(encoding="utf-8")
    cycle = (tmp_path / "site/site/cycle-a/index.html").read_text(encoding="utf-8")
    assert cycle.count("Second.") == 1 and cycle.count("First.") == 1  # B once, then A only as a link
    assert (tmp_path / "site/site/area/area-same-name/index.html").is_file()
    assert sources_snapshot(notes) == before


def test_what_the_obsidian_help_vault_taught(tmp_path: Path) -> None:
    """Constructs found in Obsidian's own help vault (173 notes) that once failed or showed raw."""
    notes = tmp_path / "vault"
    write_tree(
        notes,
        {
            "Guide.md": "---\ndescription:\nmobile: false\n---\n"
            "A Markdown link to a note not written yet: [Custom name](Example.md).\n\n"
            "A subheading: [[Sidebar#Hidden sidebars#On mobile]]; no heading at all: [[Sidebar#]].\n\n"
            "An image linked by name from another folder: ![shot](shot.png#interface)\n\n"
            "| Picture |\n|---|\n| ![[shot.png\\|100]] |\n\n"
            "Math after code: `$$` then\n\n$$\nx^2\n$$\n",
            "Sidebar.md": "## Hidden sidebars\n\n### On mobile\n\nSwipe.\n",
            "Attachments/shot.png": "not really a png",
        },
    )
    with contextlib.redirect_stdout(io.StringIO()):
        assert kcards(["init", str(tmp_path / "site"), "--from", str(notes)]) == 0
    config = (tmp_path / "site/mkdocs.yml").read_text(encoding="utf-8")
    assert 'own_keys: ["mobile"]' in config  # the vault's own key, found by init
    assert check(tmp_path / "site") == (0, [])
    build = run_mkdocs_build(tmp_path / "site", "--strict")
    assert build.returncode == 0, build.output
    page = (tmp_path / "site/site/guide/index.html").read_text(encoding="utf-8")
    assert 'kc-link--unwritten" href="../example/"' in page
    assert 'href="../sidebar/#on-mobile"' in page and 'href="../sidebar/">Sidebar</a>' in page
    assert '<img alt="shot" src="../Attachments/shot.png#interface"' in page
    assert '<img src="../Attachments/shot.png" alt="shot.png" width="100"' in page
    assert page.count("<math ") == 1
    assert_site_whole(tmp_path / "site/site")


def test_old_addresses_keep_working(tiny_site) -> None:  # type: ignore[no-untyped-def]
    """A placeholder's address once its card is written in a folder, a `permalink`, and `aliases` lead to
    the card by a page that redirects without a script; a redirect never takes a page's place."""
    placeholder = tiny_site({"cards/a.md": "---\ntitle: A\nsummary: S\n---\nSee [[unit-economics]].\n"}, "--strict")
    assert placeholder.returncode == 0 and "Write this card" in placeholder.page("unit-economics")
    written = tiny_site(
        {
            "cards/e-commerce/unit-economics.md": "---\ntitle: Unit Economics\nsummary: S\npermalink: /old/ue/\n"
            "aliases: [Contribution, A]\n---\nBody.\n"
        },
        "--strict",
    )
    assert written.returncode == 0, written.output
    for old, href in (
        ("unit-economics", "../e-commerce/unit-economics/"),
        ("old/ue", "../../e-commerce/unit-economics/"),
        ("contribution", "../e-commerce/unit-economics/"),
    ):
        page = written.page(old)
        assert f'<meta http-equiv="refresh" content="0; url={href}">' in page, old
        assert "<script" not in page
    assert "Body" not in written.page("a") and "<h1" in written.page("a")  # the alias 'A' left card a alone


def test_notes_without_structure_still_show_where_they_fit(tiny_site) -> None:  # type: ignore[no-untyped-def]
    """A note with no parent and no children shows the notes it links with; a crowd of siblings or
    children is cut at 12 with "+N more"."""
    files = {
        "cards/hub.md": "---\ntitle: Hub\nsummary: S\n---\nSee [[spoke-1]] and [[Nowhere Yet]].\n",
        "cards/spoke-1.md": "---\ntitle: Spoke One\nsummary: S\n---\nBack to [[hub]].\n",
        "cards/fan.md": "---\ntitle: Fan\nsummary: S\n---\nLinks to [[hub]].\n",
        "cards/big.md": "---\ntitle: Big\nsummary: S\n---\nMany children.\n",
    }
    for number in range(20):
        files[f"cards/kid-{number:02}.md"] = f"---\ntitle: Kid {number:02}\nsummary: S\nparent: big\n---\nx\n"
    result = tiny_site(files, "--strict")
    assert result.returncode == 0, result.output
    hub = unescape(result.page("hub"))
    position = hub[hub.index('id="where-this-concept-fits"') :]
    position = position[: position.index("</details>")]
    for title in ("Spoke One", "Nowhere Yet", "Fan"):
        assert f'["{title}"]' in position.replace("#32;", " "), title
    assert position.count("-.->") == 3  # linked, not parent and child
    kid = unescape(result.page("kid-00"))
    kid_position = kid[kid.index('id="where-this-concept-fits"') :]
    assert "+8 more" in kid_position.replace("#43;", "+").replace("#32;", " ")
    big = unescape(result.page("big"))
    assert "+8 more" in big[big.index('id="where-this-concept-fits"') :].replace("#43;", "+").replace("#32;", " ")
