"""Shared fixtures: tiny sites built in temporary folders, a local server, Debian's chromium."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# The reference card's eight stages, in order.
VALUE_CHAIN_STAGES = ["Sourcing", "Catalogue", "Marketing", "Storefront", "Order", "Fulfilment", "Delivery", "Service"]

TINY_MKDOCS_YML = """\
site_name: Tiny
docs_dir: cards
site_dir: site
theme:
  name: material
  custom_dir: {overrides}
  font: false
  features: [navigation.instant, navigation.prune]
plugins:
  - search
  - tags
  - knowledge-cards
markdown_extensions:
  - admonition
  - attr_list
  - footnotes
  - md_in_html
  - tables
  - toc
  - pymdownx.details
  - pymdownx.superfences
"""


@dataclass
class BuildResult:
    """What a build printed and where it wrote the site."""

    returncode: int
    output: str
    project: Path

    @property
    def site(self) -> Path:
        return self.project / "site"

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")

    def lines(self, marker: str) -> list[str]:
        """Our diagnostic lines (`path:line:col: severity: message`) found in the output."""
        return [line.split(" -  ", 1)[-1].strip() for line in self.output.splitlines() if marker in line]


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Write `files` (relative path -> text or bytes) under `root`; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def sources_snapshot(project: Path) -> dict[str, bytes]:
    """Every file under cards/ and quizzes/, by path relative to the project: to prove a run wrote none."""
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for folder in ("cards", "quizzes")
        for p in sorted((project / folder).rglob("*"))
        if p.is_file()
    }


def run_mkdocs_build(project: Path, *extra: str) -> BuildResult:
    """`mkdocs build` in `project`, as a user would run it."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *extra],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order a terminal shows it
        text=True,
        env=ENV,
        timeout=300,
    )
    return BuildResult(proc.returncode, proc.stdout, project)


@pytest.fixture
def tiny_site(tmp_path: Path) -> Callable[..., BuildResult]:
    """Build a site from the given cards (and quizzes) in a temporary folder."""

    def build(files: dict[str, str | bytes], *extra: str, config: str | None = None) -> BuildResult:
        yml = config or TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides")
        write_tree(tmp_path, {"mkdocs.yml": yml, **files})
        (tmp_path / "cards").mkdir(exist_ok=True)
        return run_mkdocs_build(tmp_path, *extra)

    return build


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own cards built strictly into a temporary folder."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    build = run_mkdocs_build(ROOT, "--strict", "-d", str(out))
    assert build.returncode == 0, build.output
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now (for a site that must know its own address)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(directory: Path, port: int = 0) -> tuple[str, Callable[[], None]]:
    """Serve `directory` on 127.0.0.1 (at `port`, else a free one); returns (base URL, stop)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


@pytest.fixture(scope="session")
def shipped_url(shipped_site: Path) -> Iterator[str]:
    """Base URL of the shipped site served locally."""
    url, stop = serve(shipped_site)
    yield url
    stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make test` does)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# True once every mermaid diagram on the page is drawn (needs OPEN_SHADOW_ROOTS).
ALL_DIAGRAMS_DRAWN = """() => {
  const hosts = [...document.querySelectorAll("div.mermaid")];
  return hosts.length > 0 && hosts.every(h => h.shadowRoot && h.shadowRoot.querySelector("svg"));
}"""

# Opens Material's closed shadow roots so tests can read the drawn diagram text.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
"""


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page that records every request and opens shadow roots."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.add_init_script(OPEN_SHADOW_ROOTS)
    tab = context.new_page()
    tab.requests = []  # type: ignore[attr-defined]
    tab.on("request", lambda request: tab.requests.append(request.url))  # type: ignore[attr-defined]
    tab.errors = []  # type: ignore[attr-defined]
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield tab
    context.close()
