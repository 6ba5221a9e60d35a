"""A reader moving from card to card: instant navigation keeps mermaid loaded, so its 3 MB script
is fetched and parsed once per visit, and every card's diagrams still draw."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from conftest import ALL_DIAGRAMS_DRAWN, ROOT, free_port, run_mkdocs_build, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_on_its_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped cards built with site_url set to where they are served (as on a real host)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    project = tmp_path_factory.mktemp("instant")
    for name in ("cards", "quizzes"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "paths.yml", project / "paths.yml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: site_overrides", f"custom_dir: {ROOT / 'site_overrides'}")
    config = config.replace("site_url: http://127.0.0.1:8000/", f"site_url: {base}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    build = run_mkdocs_build(project, "--strict")
    assert build.returncode == 0, build.output
    url, stop = serve(project / "site", port)
    yield url
    stop()


def test_mermaid_is_fetched_once_while_following_the_path(page, site_on_its_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_on_its_url + "e-commerce/e-commerce/")
    page.wait_for_function(ALL_DIAGRAMS_DRAWN, timeout=20000)
    visited = [page.url]
    for _ in range(3):
        page.click("nav.kc-path--top a.kc-path__next")
        page.wait_for_function(f"() => location.href !== {visited[-1]!r}")
        page.wait_for_function(ALL_DIAGRAMS_DRAWN, timeout=20000)
        visited.append(page.url)
    assert len(set(visited)) == 4
    scripts = [url for url in page.requests if url.endswith("mermaid.min.js")]
    documents = [url for url in page.requests if url.endswith("/")]
    assert scripts == [site_on_its_url + "assets/kcards/vendor/mermaid.min.js"]
    assert documents == visited  # each page fetched once, as data for instant navigation
    assert page.errors == []
