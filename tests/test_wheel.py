"""The package as a new team gets it: the built wheel in a fresh virtual environment, nothing of this
repository on the path, `kcards init`, strict builds by MkDocs and by ProperDocs, and a card in chromium."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, serve

pytestmark = pytest.mark.browser

GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel (and ProperDocs) installed; returns its bin folder and a clean env."""
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        work / "dist",
        ROOT,
        cwd=work,
        env=env,
    )
    wheel = next((work / "dist").glob("knowledge_cards-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "knowledge_cards/templates/quiz.html.j2",
        "knowledge_cards/templates/init/mkdocs.yml.j2",
        "knowledge_cards/assets/kcards.js",
        "knowledge_cards/assets/cards.css",
        "knowledge_cards/assets/vendor/mermaid.min.js",
        "knowledge_cards/assets/vendor/cytoscape.min.js",
        "knowledge_cards/py.typed",
    ):
        assert needed in names, f"{needed} is not in {wheel.name}"
    run(sys.executable, "-m", "venv", work / "venv", cwd=work, env=env)
    bin_dir = work / "venv" / "bin"
    proc = subprocess.run(
        [bin_dir / "pip", "install", "-q", "--disable-pip-version-check", wheel, "properdocs>=1.6,<2"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "", proc.stdout  # a normal install prints nothing
    where = run(bin_dir / "python", "-c", "import knowledge_cards; print(knowledge_cards.__file__)", cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(work / "venv"), where.stdout  # not this repository
    return bin_dir, env


def test_a_new_team_starts_a_site_that_both_engines_build_and_a_reader_uses(installed, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bin_dir, env = installed
    run(bin_dir / "kcards", "init", "team-site", cwd=tmp_path, env=env)
    site = tmp_path / "team-site"
    env = {**env, "SOURCE_DATE_EPOCH": "1700000000"}
    mkdocs = run(bin_dir / "mkdocs", "build", "--strict", "-d", "by-mkdocs", cwd=site, env=env)
    properdocs = run(bin_dir / "properdocs", "build", "--strict", "-d", "by-properdocs", cwd=site, env=env)
    for output in (mkdocs.stdout + mkdocs.stderr, properdocs.stdout + properdocs.stderr):
        assert "WARNING" not in output and "Traceback" not in output, output
    ours, theirs = site / "by-mkdocs", site / "by-properdocs"
    files = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file())
    differ = [
        name
        for name in files
        if GENERATOR_TAG.sub(b"", (ours / name).read_bytes()) != GENERATOR_TAG.sub(b"", (theirs / name).read_bytes())
    ]
    assert differ == [], f"MkDocs and ProperDocs built these differently: {differ}"

    url, stop = serve(ours)
    try:
        page.goto(url + "concept-cards/")
        page.wait_for_function(
            "() => [...document.querySelectorAll('div.mermaid')].filter(h => h.shadowRoot && h.shadowRoot.querySelector('svg')).length >= 2",
            timeout=20000,
        )
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('div.mermaid')].map(h => h.shadowRoot.querySelector('svg').textContent)"
        )
        assert any("Write" in text and "what readers missed" in text for text in drawn), drawn
        assert any("Concept Cards" in text and "Learning Paths" in text for text in drawn), drawn
        quiz = page.locator(".kc-quiz")
        quiz.locator("details.quiz > summary").click()
        page.wait_for_selector(".kc-quiz.kc-quiz--ready")
        first = quiz.locator(".kc-q[data-kc-type=single]").first
        first.locator(".kc-opt", has_text="placeholder page").locator("input").check()
        first.locator(".kc-q__check").click()
        assert first.locator(".kc-q__result").inner_text().startswith("Correct.")
        assert page.evaluate("getComputedStyle(document.querySelector('.kc-quiz')).display") != "none"
        page.goto(url + "map/")
        page.wait_for_selector("[data-kc-map] canvas", timeout=20000)  # the map draws from the wheel's cytoscape
        page.goto(url + "search/search_index.json")
        assert "Concept Cards" in page.content()
    finally:
        stop()
    assert page.errors == []
    leaving = [u for u in page.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert leaving == [], leaving
