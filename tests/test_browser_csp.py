"""The site under a strict Content-Security-Policy: our scripts are files (`script-src 'self'`), and
only Material's own inline scripts need hashes, computed from the built pages.

A card with diagrams and a quiz, the knowledge map, My progress and the home page, reached by full
loads and by Material's instant navigation (which re-inserts inline scripts), must raise no
`securitypolicyviolation` and no console error while every feature still works; a negative check
proves the listener and the policy catch an inline script, a handler and a missing hash.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import material
import pytest

from conftest import ALL_DIAGRAMS_DRAWN, ROOT, free_port, run_mkdocs_build
from test_browser_quiz import answer_by_mouse

browser = pytest.mark.browser

VALUE_CHAIN = "e-commerce/e-commerce-value-chain/"
MATERIAL_PARTIALS = Path(material.__file__).parent / "templates" / "partials"
ASSETS = ROOT / "generator" / "knowledge_cards" / "assets"
# An executable inline script: Material writes them as a bare <script> (its __config is JSON, not run).
BARE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
ANY_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
# Reports each violation to Python (survives full loads) and opens Material's closed shadow roots.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", e => window.__kcViolation(
  [e.violatedDirective, e.blockedURI, (e.sourceFile || "").split("/").pop(), e.lineNumber, (e.sample || "").slice(0, 60)].join(" | ")));
"""


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def material_script_patterns() -> dict[str, re.Pattern[str]]:
    """Material's own inline scripts (its partials' bare <script>s), Jinja expressions as wildcards."""
    patterns = {}
    for path in sorted(MATERIAL_PARTIALS.rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for index, body in enumerate(BARE_SCRIPT.findall(text)):
            parts = re.split(r"\{\{.*?\}\}|\{%.*?%\}", body, flags=re.S)
            name = path.relative_to(MATERIAL_PARTIALS).with_suffix("").as_posix() + (f"#{index}" if index else "")
            patterns[name] = re.compile(".*?".join(re.escape(p) for p in parts), re.S)
    return patterns


def material_inline_scripts(site: Path) -> dict[str, str]:
    """Every inline script the built pages would run, by its hash -> the Material partial it comes
    from. Fails if one is not Material's: then it is ours, and must become a file."""
    patterns = material_script_patterns()
    found: dict[str, str] = {}
    for page in sorted(site.rglob("*.html")):
        for attributes, body in ANY_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if "src=" in attributes or 'type="application/json"' in attributes:
                continue
            assert not attributes.strip(), f"{page}: inline <script{attributes}> is not Material's bare form"
            owner = next((name for name, p in patterns.items() if p.fullmatch(body)), None)
            assert owner, f"{page}: an inline script that is not Material's: {body[:120]!r}"
            found[sha256(body)] = owner
    return found


def policy(hashes: list[str], sample: bool = False) -> str:
    """The strict policy; `sample` asks chromium to report the first characters of what it blocked."""
    return (
        f"default-src 'self'; script-src 'self'{' ' + chr(39) + 'report-sample' + chr(39) if sample else ''} {' '.join(hashes)}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:"
    )


@dataclass
class CspSite:
    """A built site, served with a Content-Security-Policy header on every response."""

    root: Path
    url: str
    hashes: dict[str, str]


def serve_with_policy(directory: Path, header: str, port: int = 0) -> tuple[str, Callable[[], None]]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", header)
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


@pytest.fixture(scope="module")
def csp_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CspSite]:
    """The shipped cards built with site_url set to where they are served (so instant navigation
    runs), served under the strict policy."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    project = tmp_path_factory.mktemp("csp")
    for name in ("cards", "quizzes"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "paths.yml", project / "paths.yml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: site_overrides", f"custom_dir: {ROOT / 'site_overrides'}")
    config = config.replace("site_url: http://127.0.0.1:8000/", f"site_url: {base}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    build = run_mkdocs_build(project, "--strict")
    assert build.returncode == 0, build.output
    hashes = material_inline_scripts(project / "site")
    url, stop = serve_with_policy(project / "site", policy(sorted(hashes)), port)
    yield CspSite(project / "site", url, hashes)
    stop()


@pytest.fixture
def watched(page):  # type: ignore[no-untyped-def]
    """The page, with CSP violations and console errors collected across loads."""
    page.violations = []
    page.console_errors = []
    page.context.expose_function("__kcViolation", lambda text: page.violations.append(text))
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return page


def assert_clean(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("() => new Promise(done => setTimeout(done, 100))")  # let late reports arrive
    assert page.violations == []
    assert page.console_errors == []
    assert page.errors == []


# -- what the pages hold -------------------------------------------------------------------------
def test_only_materials_inline_scripts_and_no_handlers_in_pages(csp_site: CspSite) -> None:
    """Every inline script is one of Material's (checked while hashing); none of ours, no on*=
    handler and no javascript: URL anywhere in the built site."""
    owners = set(csp_site.hashes.values())
    # The three the README names (content#1: the one that opens a tab named in the URL).
    assert owners == {"javascripts/base", "javascripts/palette", "javascripts/content#1"}, owners
    # base.html's script holds the page's relative base URL: one text per folder depth (and 404's "/").
    assert len(csp_site.hashes) == len(owners) - 1 + sum(o == "javascripts/base" for o in csp_site.hashes.values())
    for page in csp_site.root.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), page
        assert not re.search(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", html, re.I), page
        if 'http-equiv="refresh"' in html:  # an old address's redirect: no script at all
            assert "<script" not in html, page
            continue
        ours = re.findall(r'<script src="([^"]*kcards[^"]*)"', html)
        assert [s.split("assets/kcards/")[1] for s in ours] == ["vendor/mermaid.min.js", "kcards.js", "kcards-map.js"]


def test_our_scripts_need_no_eval() -> None:
    """kcards.js and kcards-map.js build no code from strings (would need 'unsafe-eval')."""
    for name in ("kcards.js", "kcards-map.js"):
        code = (ASSETS / name).read_text(encoding="utf-8")
        assert not re.search(r"\beval\s*\(|new\s+Function\b|\bFunction\s*\(", code), name
        assert not re.search(r"set(?:Timeout|Interval)\s*\(\s*['\"`]", code), name
        assert "javascript:" not in code, name
        assert not re.search(r"""setAttribute\(\s*["']on""", code), name


# -- the site at work under the policy ---------------------------------------------------------------
@browser
def test_card_diagrams_and_quiz_work_under_the_policy(watched, csp_site: CspSite) -> None:  # type: ignore[no-untyped-def]
    watched.goto(csp_site.url + VALUE_CHAIN)
    watched.wait_for_function(ALL_DIAGRAMS_DRAWN, timeout=15000)
    quiz = watched.locator(".kc-quiz")
    quiz.locator("details.quiz > summary").click()
    watched.wait_for_selector(".kc-quiz.kc-quiz--ready")
    first = quiz.locator(".kc-q").first
    answer_by_mouse(first, right=False)
    assert first.locator(".kc-q__result").inner_text().startswith("Not quite.")
    for q in quiz.locator(".kc-q").all()[1:]:
        answer_by_mouse(q)
    assert "Passed!" in quiz.locator(".kc-quiz__score").inner_text()
    assert_clean(watched)


@browser
def test_instant_navigation_map_progress_and_home_work_under_the_policy(watched, csp_site: CspSite) -> None:  # type: ignore[no-untyped-def]
    """Instant navigation re-inserts Material's inline scripts: their hashes must still match."""
    watched.goto(csp_site.url + VALUE_CHAIN)
    watched.wait_for_function(ALL_DIAGRAMS_DRAWN, timeout=15000)
    watched.locator(".md-nav__link", has_text="My progress").first.click()
    watched.wait_for_url("**/progress/")
    watched.wait_for_selector(".kc-progress--ready")
    assert watched.locator("[data-kc-progress-summary]").inner_text().startswith("Quizzes taken: 0 of ")
    assert watched.evaluate("() => performance.getEntriesByType('navigation').length") == 1  # no full load
    watched.locator(".md-nav__link", has_text="Knowledge map").first.click()
    watched.wait_for_function(
        "() => document.querySelector('[data-kc-map]')?.getAttribute('data-kc-map-state') === 'ready'", timeout=15000
    )
    assert int(watched.get_attribute("[data-kc-map]", "data-kc-map-nodes")) > 10
    watched.goto(csp_site.url)
    assert watched.locator("[data-kc-continue-link]").inner_text() == "E-Commerce Value Chain"
    assert watched.locator("[data-kc-progress-text]").first.inner_text().startswith("Visited 1 of ")
    assert_clean(watched)


@browser
def test_the_policy_reports_an_inline_script_a_handler_and_a_missing_hash(watched, csp_site: CspSite) -> None:  # type: ignore[no-untyped-def]
    """The negative check: the same site with the palette script's hash left out, and a page with an
    injected inline script and onclick handler, must report each and run none of them."""
    kept = sorted(h for h, owner in csp_site.hashes.items() if owner != "javascripts/palette")
    url, stop = serve_with_policy(csp_site.root, policy(kept, sample=True))
    injected = '<script>window.__ran = 1</script><button id="probe" onclick="window.__ran = 2">x</button></body>'

    def inject(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("</body>", injected))

    try:
        watched.route(url + "progress/", inject)
        watched.goto(url + "progress/")
        watched.click("#probe")
        watched.wait_for_function("() => document.querySelector('.kc-progress--ready')")
        watched.evaluate("() => new Promise(done => setTimeout(done, 100))")
        ran = watched.evaluate("() => window.__ran")
    finally:
        stop()
    directives = sorted(v.split(" | ")[0] for v in watched.violations)
    assert directives == ["script-src-attr", "script-src-elem", "script-src-elem"], watched.violations
    assert any("var palette" in v for v in watched.violations)
    assert ran is None
    assert len(watched.console_errors) == 3  # chromium says so in the console too
