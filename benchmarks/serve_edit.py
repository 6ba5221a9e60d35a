"""The instructor's edit loop: from saving a card to seeing it in the browser, under `mkdocs serve`.

    python benchmarks/serve_edit.py [--cards 1000] [--edits 3] [--seed 1]

Generates a synthetic knowledge base, starts `mkdocs serve --livereload --dirty` as `make serve` does
(the served site in /dev/shm when there is one; --no-dirty leaves out --dirty), opens a card in
Debian's chromium, then edits that card's body several times and prints, for each edit, the
seconds until the open page shows the new text, and the rebuild time the server reported.
Needs what `make test` installs (Playwright's Python package and /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from generate import generate
from run import OURS, ROOT

sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402 - the tests' browser settings, in one place


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-dirty", action="store_true", help="serve without --dirty (every page written again)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        generate(project, args.cards, args.seed)
        (project / "mkdocs.yml").write_text(OURS.format(overrides=ROOT / "site_overrides"))
        card = next(iter(sorted((project / "cards").rglob("concept-00005.md"))))
        url_path = card.relative_to(project / "cards").with_suffix("").as_posix() + "/"
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        if os.access("/dev/shm", os.W_OK):
            env["TMPDIR"] = "/dev/shm"  # where `make serve` puts the served site (Makefile: SERVE_TMP)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "mkdocs"),
                "serve",
                "--livereload",
                *([] if args.no_dirty else ["--dirty"]),
                "-a",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        built: list[float] = []

        def read_log() -> None:
            assert server.stderr is not None
            for line in server.stderr:
                if match := re.search(r"Documentation built in ([\d.]+) seconds", line):
                    built.append(float(match.group(1)))

        threading.Thread(target=read_log, daemon=True).start()
        try:
            start = time.perf_counter()
            url = f"http://127.0.0.1:{port}/{url_path}"
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2)
                    break
                except OSError:
                    if server.poll() is not None or time.perf_counter() - start > 600:
                        raise SystemExit("mkdocs serve did not start") from None
                    time.sleep(0.2)
            print(f"{args.cards} cards: first build and serve ready in {time.perf_counter() - start:.1f} s")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                original = card.read_text(encoding="utf-8")
                for edit in range(1, args.edits + 1):
                    time.sleep(1.0)  # let the watcher settle between edits
                    marker = f"Edited paragraph number {edit}."
                    count = len(built)
                    saved = time.perf_counter()
                    card.write_text(original.replace("## What is it?", f"## What is it?\n\n{marker}", 1), "utf-8")
                    page.wait_for_function(
                        f"() => !!document.body && document.body.innerText.includes({marker!r})", timeout=120_000
                    )
                    shown = time.perf_counter() - saved
                    while len(built) == count and time.perf_counter() - saved < 10:
                        time.sleep(0.05)
                    rebuild = f"{built[-1]:.2f} s" if len(built) > count else "?"
                    print(f"edit {edit}: shown in the browser after {shown:.2f} s (server rebuild {rebuild})")
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl-C: mkdocs removes its temporary site folder
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
