"""How soon a reader sees a card's diagrams, in Debian's chromium, from a site served locally.

    python benchmarks/diagrams.py [--cards 1000] [--steps 5]

Builds a synthetic knowledge base (site_url set to where it is served, as on a real host),
opens a card in a fresh browser (cold: mermaid's script not cached yet) and prints the
seconds until every diagram on the page is drawn; then follows "Next" along the learning
path and prints the same for each card reached by instant navigation, and how many times
mermaid.min.js was fetched; then a card opened in a new tab of the same browser (its cache warm:
a reader coming back). Last, the floors under the cold figure, each in a fresh browser: how soon a
page holding nothing but mermaid's script is ready, and how soon the first card's own page is, with
mermaid's script taken out (Material and the card alone). Needs what `make test` installs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from run import OURS, ROOT

sys.path.insert(0, str(ROOT / "tests"))
from conftest import ALL_DIAGRAMS_DRAWN, CHROMIUM, CHROMIUM_ARGS, OPEN_SHADOW_ROOTS, free_port, serve  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        project = Path(tmp)
        generate(project, args.cards)
        config = OURS.format(overrides=ROOT / "site_overrides").replace("http://127.0.0.1:8000/", base)
        (project / "mkdocs.yml").write_text(config)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, env=env, check=True)
        _, stop = serve(project / "site", port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            context.add_init_script(OPEN_SHADOW_ROOTS)
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            start = time.perf_counter()
            page.goto(base + "area-000/concept-00000/")
            page.wait_for_function(ALL_DIAGRAMS_DRAWN, timeout=60_000, polling=10)
            count = page.evaluate("() => document.querySelectorAll('div.mermaid').length")
            print(
                f"{args.cards} cards: first card, cold, {count} diagrams drawn in {time.perf_counter() - start:.2f} s"
            )
            for step in range(1, args.steps + 1):
                before = page.url
                start = time.perf_counter()
                page.click("nav.kc-path--top a.kc-path__next")
                page.wait_for_function(f"() => location.href !== {before!r}")
                page.wait_for_function(ALL_DIAGRAMS_DRAWN, timeout=60_000, polling=10)
                print(f"next card {step} (instant navigation): diagrams drawn in {time.perf_counter() - start:.2f} s")
            fetched = sum(url.endswith("mermaid.min.js") for url in requests)
            print(f"mermaid.min.js fetched {fetched} time(s) for {args.steps + 1} cards")
            tab = context.new_page()
            start = time.perf_counter()
            tab.goto(base + "area-001/concept-00001/")
            tab.wait_for_function(ALL_DIAGRAMS_DRAWN, timeout=60_000, polling=10)
            print(f"another card in a new tab (cache warm): diagrams drawn in {time.perf_counter() - start:.2f} s")
            browser.close()
            # The floors under the cold figure, each in a fresh browser.
            site = project / "site"
            (site / "mermaid-alone.html").write_text(
                '<!doctype html><p>x</p><script src="assets/kcards/vendor/mermaid.min.js"></script>'
            )
            (site / "nothing.html").write_text("<!doctype html><p>x</p>")
            card = (site / "area-000" / "concept-00000" / "index.html").read_text()
            script = '<script src="../../assets/kcards/vendor/mermaid.min.js"></script>'
            assert script in card, "the card page no longer loads mermaid's script as this expects"
            # A stand-in that draws nothing, so that Material's loader does not fetch mermaid from its CDN.
            stand_in = '<script>window.mermaid = {initialize() {}, render: async () => ({svg: ""})};</script>'
            (site / "area-000" / "concept-00000" / "without-mermaid.html").write_text(card.replace(script, stand_in))
            floors = {
                "a page with nothing": "nothing.html",
                "a page with nothing but mermaid's script": "mermaid-alone.html",
                "the first card's page without mermaid's script": "area-000/concept-00000/without-mermaid.html",
            }
            for name, path in floors.items():
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                blank = browser.new_page()
                blank.goto(base + path, wait_until="load")
                ready = blank.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
                print(f"a fresh browser, {name}: loaded in {ready / 1000:.2f} s")
                browser.close()
        stop()


if __name__ == "__main__":
    main()
