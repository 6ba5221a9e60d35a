"""The hostile corpus (tests/data/hostile/), built strictly and opened page by page in chromium.

Titles, summaries, tags, loop labels, path titles and quiz texts hold quotes, brackets, pipes, HTML
and script payloads, template and mermaid syntax, emoji and right-to-left text; links go up the
folder tree, to the card itself, round in circles and to cards nobody has written. On every page:
no script runs, no error is logged, every diagram draws, every link lands on a file of the site.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import OPEN_SHADOW_ROOTS, ROOT, TINY_MKDOCS_YML, run_mkdocs_build, serve, sources_snapshot, write_tree
from knowledge_cards.core.knowledge_base import load_knowledge_base
from knowledge_cards.core.learning_paths import load_paths

pytestmark = pytest.mark.browser

CORPUS = ROOT / "tests" / "data" / "hostile"
SITE_NAME = "Hostile corpus"

# Records every way a payload could show it ran: dialogs, window.open, printing.
GUARD = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__calls.push(name + "(" + args.map(String).join(", ") + ")"); };
}
"""

# True once `n` diagrams are drawn as SVG (Material moves each into a shadow root).
DRAWN = "n => [...document.querySelectorAll('div.mermaid')].filter(h => h.shadowRoot && h.shadowRoot.querySelector('svg')).length >= n"

# Answer every quiz question wrongly (the feedback of the chosen option and the right answers are then
# copied into the result), mark each reflection "Not yet", and open every hint.
ANSWER_WRONG = """
() => {
  for (const q of document.querySelectorAll(".kc-q")) {
    if (q.dataset.kcType === "reflect") {
      q.querySelector("textarea").value = "My answer";
      q.querySelector(".kc-q__check").click();
      q.querySelector(".kc-reflect__no").click();
      continue;
    }
    const wrong = [...q.querySelectorAll(".kc-opt")].find(option => option.dataset.kcCorrect !== "true");
    if (wrong) wrong.querySelector("input").click();
    q.querySelector(".kc-q__check").click();
  }
  document.querySelectorAll(".kc-q__hint").forEach(hint => { hint.open = true; });
  return [...document.querySelectorAll(".kc-q__result")].map(result => result.textContent);
}
"""

# What each page shows: every drawn diagram's text, every link (document and diagrams), the title parts.
PAGE_STATE = """
() => {
  const hosts = [...document.querySelectorAll("div.mermaid")];
  const svgs = hosts.map(h => h.shadowRoot && h.shadowRoot.querySelector("svg"));
  const diagramLinks = svgs.flatMap(svg => svg ? [...svg.querySelectorAll("a")].map(
    a => a.getAttribute("xlink:href") || a.getAttribute("href")) : []);
  const text = el => { if (!el) return null; const c = el.cloneNode(true);
    c.querySelectorAll(".headerlink").forEach(x => x.remove()); return c.textContent.trim(); };
  return {
    pwned: typeof window.__pwned === "undefined" ? null : String(window.__pwned),
    calls: window.__calls,
    pending: document.querySelectorAll("pre.mermaid").length,
    diagrams: svgs.map(svg => svg ? svg.textContent : null),
    links: [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href")),
    diagramLinks,
    h1: text(document.querySelector("article h1")),
    title: document.title,
    description: (document.querySelector('meta[name="description"]') || {}).content || null,
    summary: text(document.querySelector(".kc-summary")),
    nav: [...document.querySelectorAll(".md-nav--primary .md-nav__link")].map(a => a.textContent.trim()),
    steps: [...document.querySelectorAll(".kc-path--top .kc-path__step a")].map(a => a.textContent),
    tags: [...document.querySelectorAll(".md-tags .md-tag")].map(a => a.textContent.trim()),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}
"""


# The corpus as the project's own loader reads it: what every page must show.
CORPUS_KB = load_knowledge_base(CORPUS / "cards", relative_to=CORPUS)
CORPUS_PATHS, _ = load_paths(CORPUS / "paths.yml", "paths.yml", CORPUS_KB.graph)
CARDS = {card.slug: card for card in CORPUS_KB.cards}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus copied to a temporary folder and built with `mkdocs build --strict`."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(CORPUS, project, ignore=shutil.ignore_patterns("site"))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"custom_dir: .*", f"custom_dir: {ROOT / 'site_overrides'}", text), encoding="utf-8")
    before = sources_snapshot(project)
    build = run_mkdocs_build(project, "--strict")
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output
    assert sources_snapshot(project) == before, "the build changed cards/ or quizzes/"
    return project / "site"


def _pages(site: Path) -> list[str]:
    """Every generated page as a URL path: each index.html (assets excluded) and the 404 page. An old
    address's redirect page is left out: it is no page, only a way to one (checked in test_redirects)."""
    pages = [
        p.parent.relative_to(site).as_posix() + "/" if p.parent != site else ""
        for p in sorted(site.rglob("index.html"))
        if not p.relative_to(site).as_posix().startswith("assets/") and not _redirect(p)
    ]
    return [*pages, "404.html"]


def _redirect(page: Path) -> bool:
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")[:600]


def test_redirects_lead_to_pages(hostile_site: Path) -> None:
    """Every redirect page of the hostile corpus leads to a page of the site, and holds no script."""
    redirects = [p for p in hostile_site.rglob("index.html") if _redirect(p)]
    assert redirects
    for page in redirects:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text
        target = re.search(r'content="0; url=([^"]+)"', text)
        assert target is not None, page
        assert (page.parent / unquote(target.group(1)) / "index.html").resolve().is_file(), page


def _target(site: Path, page: str, href: str) -> tuple[Path | None, str]:
    """The file an internal href lands on (None if it leaves the site) and its fragment."""
    parts = urlsplit(href)
    if not parts.path:
        return (site / page / "index.html" if not page.endswith(".html") else site / page), parts.fragment
    base = "" if page.endswith(".html") or parts.path.startswith("/") else page
    resolved = (site / base / unquote(parts.path).lstrip("/")).resolve()
    if not resolved.is_relative_to(site.resolve()):
        return None, parts.fragment
    return (resolved / "index.html" if resolved.is_dir() else resolved), parts.fragment


def _link_problems(site: Path, base: str, page: str, hrefs: list[str], ids: dict[Path, set[str]]) -> list[str]:
    """Every way the hrefs of one page fail: unsafe schemes, no file to land on, no element for a fragment.

    Material's instant navigation makes some hrefs absolute: those under `base` are the site's own.
    """
    problems = []
    for href in hrefs:
        if href.startswith(base):
            href = "/" + href.removeprefix(base)
        scheme = urlsplit(href).scheme.lower()
        if scheme in ("javascript", "data", "vbscript"):
            problems.append(f"{page}: unsafe href {href!r}")
            continue
        if scheme or href.startswith("//"):
            continue  # external (sources): never fetched
        file, fragment = _target(site, page, href)
        if file is None or not file.is_file():
            problems.append(f"{page}: {href!r} lands on no file")
            continue
        if fragment and file.suffix == ".html":
            if file not in ids:
                ids[file] = set(re.findall(r'\bid="([^"]+)"', file.read_text(encoding="utf-8")))
            if unquote(fragment) not in ids[file]:
                problems.append(f"{page}: {href!r} has no element #{fragment}")
    return problems


@pytest.fixture(scope="module")
def walked(hostile_site: Path, browser: Any) -> Iterator[dict[str, Any]]:
    """Open every page once, in one tab; record what each one showed and every problem seen."""
    url, stop = serve(hostile_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OPEN_SHADOW_ROOTS)
    context.add_init_script(GUARD)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    tab.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    tab.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    states: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    try:
        for page in _pages(hostile_site):
            errors.clear()
            tab.goto(url + page)
            expected = (
                (hostile_site / (page if page.endswith(".html") else page + "index.html"))
                .read_text(encoding="utf-8")
                .count('class="mermaid"')
            )
            if expected:
                try:
                    tab.wait_for_function(DRAWN, arg=expected, timeout=15000)
                except PlaywrightTimeout:
                    problems.append(f"{page}: its {expected} diagrams were not all drawn within 15 s")
            if tab.locator(".kc-quiz").count():
                tab.locator(".kc-quiz details.quiz > summary").click()
                tab.wait_for_selector(".kc-quiz.kc-quiz--ready")
                results = tab.evaluate(ANSWER_WRONG)
                if not results or not all(r.startswith(("Not quite.", "Marked as not yet.")) for r in results):
                    problems.append(f"{page}: the quiz did not answer: {results}")
            if page == "":
                tab.locator("input.md-search__input").click()
                tab.locator("input.md-search__input").press_sequentially("script", delay=10)
                tab.locator(".md-search-result__item").first.wait_for(timeout=10000)
            state = tab.evaluate(PAGE_STATE)
            states[page] = state
            problems += [f"{page}: {error}" for error in errors]
            if state["pwned"] is not None or state["calls"]:
                problems.append(f"{page}: a payload ran: __pwned={state['pwned']!r}, calls={state['calls']}")
            if state["pending"] or len(state["diagrams"]) != expected or None in state["diagrams"]:
                problems.append(f"{page}: {expected} diagrams, drawn: {state['diagrams']}, undrawn: {state['pending']}")
            if state["overflow"] > 0:
                problems.append(f"{page}: scrolls sideways by {state['overflow']} px")
            problems += [
                f"{page}: diagram syntax error" for text in state["diagrams"] if text and "Syntax error" in text
            ]
            problems += _link_problems(hostile_site, url, page, state["links"] + state["diagramLinks"], ids)
        yield {"states": states, "problems": problems}
    finally:
        context.close()
        stop()


def test_every_page_opens_clean(walked: dict[str, Any], hostile_site: Path) -> None:
    states = walked["states"]
    links = sum(len(s["links"]) + len(s["diagramLinks"]) for s in states.values())
    diagrams = sum(len(s["diagrams"]) for s in states.values())
    print(f"\nhostile corpus: {len(CARDS)} cards, {len(states)} pages opened, {diagrams} diagrams, {links} links")
    assert walked["problems"] == [], "\n".join(walked["problems"])
    assert len(states) == len(_pages(hostile_site)) == 31
    assert diagrams == len(CARDS) + sum(card.loop is not None for card in CARDS.values())
    assert links > 1000


@pytest.mark.parametrize("slug", sorted(CARDS))
def test_hostile_title_shows_exactly_as_written(walked: dict[str, Any], hostile_site: Path, slug: str) -> None:
    graph = json.loads((hostile_site / "graph.json").read_text(encoding="utf-8"))
    card = CARDS[slug]
    state = walked["states"][unquote(next(node["url"] for node in graph["nodes"] if node["slug"] == slug))]
    assert state["h1"] == card.title
    assert state["title"] == f"{card.title} - {SITE_NAME}"
    assert card.title in state["nav"]
    assert any(card.title in text for text in state["diagrams"]), "its box in 'Where this concept fits'"
    assert state["summary"] == card.summary
    assert state["description"] == card.summary
    assert state["steps"] == [path.title for path in CORPUS_PATHS if slug in path.cards]
    assert sorted(state["tags"]) == sorted(card.tags)


# Defects the corpus once found, each kept in a small site of its own: Material printed tag names as
# HTML and dropped emoji from their anchors, and a body link to a card in a folder named with '#' or
# '?' kept that character raw, so the link ended early (with '?' even a strict build passed).
HOSTILE_TAGS = ["<img src=x onerror=window.__pwned=1>", "😬", "🇺🇦", "c", "c++"]
ODD_FOLDERS = {"in-hash": "cards/issue #7", "in-query": "cards/why?"}
TAG_LISTING = """
() => [...document.querySelectorAll("article h2[id^='tag:']")].map(h => ({
  id: h.id, text: h.querySelector(".md-tag").textContent.trim()}))
"""


@pytest.fixture(scope="module")
def defect_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One card with hostile tags and links to cards in oddly named folders, built strictly and served."""
    project = tmp_path_factory.mktemp("defects")
    tags = ", ".join(json.dumps(tag, ensure_ascii=False) for tag in HOSTILE_TAGS)
    card = "---\ntitle: {title}\nsummary: S\n{extra}---\n{body}\n"
    write_tree(
        project,
        {
            "mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"),
            "cards/tagged.md": card.format(title="Tagged", extra=f"tags: [{tags}]\n", body="[[in-hash]] [[in-query]]"),
            **{
                f"{folder}/{slug}.md": card.format(title=slug, extra="", body="")
                for slug, folder in ODD_FOLDERS.items()
            },
        },
    )
    result = run_mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.output
    url, stop = serve(result.site)
    yield url, result.site
    stop()


def test_tag_names_show_as_text(page, defect_site: tuple[str, Path]) -> None:  # type: ignore[no-untyped-def]
    url, _ = defect_site
    page.goto(url + "tagged/")
    chips = page.locator(".md-tags .md-tag").all_inner_texts()
    pwned = page.evaluate("() => window.__pwned")
    page.goto(url + "tags/")
    listed = sorted(entry["text"] for entry in page.evaluate(TAG_LISTING))
    contents = page.locator(".md-sidebar--secondary .md-nav__link").all_inner_texts()
    assert (pwned, page.evaluate("() => window.__pwned")) == (None, None)
    assert sorted(chip.strip() for chip in chips) == sorted(HOSTILE_TAGS)
    assert listed == sorted(HOSTILE_TAGS)
    assert HOSTILE_TAGS[0] in [entry.strip() for entry in contents]


def test_each_tag_link_lands_on_its_own_tag(page, defect_site: tuple[str, Path]) -> None:  # type: ignore[no-untyped-def]
    url, _ = defect_site
    page.goto(url + "tags/")
    listing = page.evaluate(TAG_LISTING)
    assert len({entry["id"] for entry in listing}) == len(HOSTILE_TAGS)
    heading_of = {entry["id"]: entry["text"] for entry in listing}
    page.goto(url + "tagged/")
    chips = page.locator(".md-tags a.md-tag").evaluate_all(
        "chips => chips.map(a => [a.textContent.trim(), a.getAttribute('href').split('#')[1]])"
    )
    assert len(chips) == len(HOSTILE_TAGS)
    assert [heading_of.get(unquote(anchor)) for _, anchor in chips] == [text for text, _ in chips]


def test_body_links_reach_cards_in_any_folder(page, defect_site: tuple[str, Path]) -> None:  # type: ignore[no-untyped-def]
    url, site = defect_site
    page.goto(url + "tagged/")
    hrefs = page.locator("article a.kc-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == len(ODD_FOLDERS)
    assert _link_problems(site, url, "tagged/", hrefs, {}) == []


def test_a_sites_own_tag_slugify_is_kept(tmp_path: Path) -> None:
    config = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides").replace(
        "  - tags\n", "  - tags:\n      tags_slugify: !!python/name:markdown.extensions.toc.slugify\n"
    )
    write_tree(tmp_path, {"mkdocs.yml": config, "cards/a.md": "---\ntitle: A\nsummary: S\ntags: [c++]\n---\nB\n"})
    result = run_mkdocs_build(tmp_path, "--strict")
    assert result.returncode == 0, result.output
    assert 'href="../tags/#tag:c"' in result.page("a")
