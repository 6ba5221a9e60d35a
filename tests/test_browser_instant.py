"""A reader moving from card to card: instant navigation keeps mermaid loaded, so its 3 MB script
is fetched and parsed once per visit, and every card's diagrams still draw."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from conftest import ENV, ROOT, _QuietHandler

pytestmark = pytest.mark.browser

DRAWN = """() => {
  const hosts = [...document.querySelectorAll("div.mermaid")];
  return hosts.length > 0 && hosts.every(h => h.shadowRoot && h.shadowRoot.querySelector("svg"));
}"""


@pytest.fixture(scope="module")
def site_on_its_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped cards built with site_url set to where they are served (as on a real host)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    project = tmp_path_factory.mktemp("instant")
    for name in ("cards", "quizzes"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "paths.yml", project / "paths.yml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: site_overrides", f"custom_dir: {ROOT / 'site_overrides'}")
    config = config.replace("site_url: http://127.0.0.1:8000/", f"site_url: {base}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=ENV, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    handler = functools.partial(_QuietHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


def test_mermaid_is_fetched_once_while_following_the_path(page, site_on_its_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_on_its_url + "e-commerce/e-commerce/")
    page.wait_for_function(DRAWN, timeout=20000)
    visited = [page.url]
    for _ in range(3):
        page.click("nav.kc-path--top a.kc-path__next")
        page.wait_for_function(f"() => location.href !== {visited[-1]!r}")
        page.wait_for_function(DRAWN, timeout=20000)
        visited.append(page.url)
    assert len(set(visited)) == 4
    scripts = [url for url in page.requests if url.endswith("mermaid.min.js")]
    documents = [url for url in page.requests if url.endswith("/")]
    assert scripts == [site_on_its_url + "assets/vendor/mermaid.min.js"]
    assert documents == visited  # each page fetched once, as data for instant navigation
    assert page.errors == []
