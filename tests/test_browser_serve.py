"""`mkdocs serve`: an edit to a card reaches the page already open in chromium."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ENV, ROOT, TINY_MKDOCS_YML, free_port, write_tree

pytestmark = pytest.mark.browser

CARD = "---\ntitle: Live\nsummary: First version of the summary.\n---\n## What is it?\n\nBody.\n"


@pytest.mark.parametrize("flags", [["--livereload"], []], ids=["make-serve", "plain-mkdocs-serve"])
def test_edit_reaches_open_page(page, tmp_path: Path, flags: list[str]) -> None:  # type: ignore[no-untyped-def]
    files = {
        "mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"),
        "cards/live.md": CARD,
        "paths.yml": "paths: []\n",
    }
    write_tree(tmp_path, files)
    (tmp_path / "quizzes").mkdir()
    port = free_port()
    # `make serve` passes --livereload explicitly; plain `mkdocs serve` must reload too.
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *flags, "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/live/"
        for _ in range(200):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        page.goto(url)
        assert "First version" in page.locator(".kc-summary").inner_text()
        (tmp_path / "cards" / "live.md").write_text(CARD.replace("First version", "Edited version"), encoding="utf-8")
        page.wait_for_function(
            "() => document.querySelector('.kc-summary')?.textContent.includes('Edited version')", timeout=20000
        )
        # Quizzes and learning paths are watched too.
        write_tree(
            tmp_path,
            {"quizzes/live.yml": "questions:\n  - type: reflect\n    prompt: Why live?\n    answer: Because.\n"},
        )
        page.wait_for_function("() => document.body.textContent.includes('Why live?')", timeout=20000)
        write_tree(tmp_path, {"paths.yml": "paths:\n  - {id: p, title: Live path, cards: [live, next-one]}\n"})
        page.wait_for_function("() => document.body.textContent.includes('Step 1 of 2 in Live path')", timeout=20000)
        # A broken edit shows its error on the page instead of killing the server.
        (tmp_path / "cards" / "live.md").write_text(CARD.replace("title: Live", "title: [Live"), encoding="utf-8")
        page.wait_for_function("() => document.body.textContent.includes('This card has errors')", timeout=20000)
        assert "cards/live.md:2:1: error: invalid YAML in front matter" in page.locator("article").inner_text()
        assert server.poll() is None
    except Exception:
        server.terminate()
        print(server.communicate(timeout=10)[1][-3000:])
        raise
    finally:
        server.terminate()
        server.wait(timeout=10)
