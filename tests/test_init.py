"""`kcards init`: a new knowledge base that checks and builds at once, and never overwrites."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, run_mkdocs_build
from knowledge_cards import __version__


def kcards(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge_cards.cli.main", *args], cwd=cwd, capture_output=True, text=True, env=ENV
    )


def test_init_makes_a_knowledge_base_that_checks_and_builds_strictly(tmp_path: Path) -> None:
    result = kcards("init", "team-site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "created team-site/mkdocs.yml",
        "created team-site/docs/concept-cards.md",
        "created team-site/docs/learning-paths.md",
        "created team-site/quizzes/concept-cards.yml",
        "created team-site/paths.yml",
        "created team-site/README.md",
        "created team-site/.gitignore",
        "next:",
        "  cd team-site",
        "  mkdocs serve      # or: properdocs serve; then open http://127.0.0.1:8000",
    ]
    site = tmp_path / "team-site"
    assert 'site_name: "Team Site"' in (site / "mkdocs.yml").read_text()
    check = kcards("check", "--strict", cwd=site)
    assert (check.returncode, check.stdout, check.stderr.strip()) == (
        0,
        "",
        "2 cards, 2 placeholders, 1 quizzes, 0 errors, 0 warnings",
    )
    build = run_mkdocs_build(site, "--strict")
    assert build.returncode == 0, build.output
    card = build.page("concept-cards")
    # Every section of the reference card, and each callout.
    for text in (
        "At a glance",
        "In plain terms",
        "Think of it like...",
        "Key reasons",
        "Rule of thumb",
        "Next: write your own card",
        "Concepts to explore next",
        "Check your understanding",
        "Where this concept fits",
        "Related concepts",
        "Cards that link here",
        "Sources",
        "Step 1 of 2",
    ):
        assert text in card, text
    assert "Start here" in build.page("")
    assert "This card doesn" in build.page("knowledge-graph")  # a placeholder for future learning


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "kb" / "docs").mkdir(parents=True)
    (tmp_path / "kb" / "README.md").write_text("ours\n")
    result = kcards("init", "kb", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "kcards: error: kb/README.md already exists; nothing written (init never overwrites)"
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "kb").rglob("*")) == [
        "kb/README.md",
        "kb/docs",
    ]
    assert (tmp_path / "kb" / "README.md").read_text() == "ours\n"


def test_init_names_the_site_and_quotes_it(tmp_path: Path) -> None:
    result = kcards("init", "x", "--name", 'Ops: "A" & <B>', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    build = run_mkdocs_build(tmp_path / "x", "--strict")
    assert build.returncode == 0, build.output
    home = build.page("")
    assert '<title>Ops: "A" & <B></title>' in home  # the name as written (Material prints site_name as is)
    assert '<h1 id="ops-a-b">Ops&#58; &#34;A&#34; &#38; &#60;B&#62;' in home  # our home page escapes it


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_init_into_a_read_only_folder_writes_nothing(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        result = kcards("init", "kb", cwd=tmp_path)
    finally:
        tmp_path.chmod(0o700)
    assert result.returncode == 2 and "nothing written" in result.stderr and "Traceback" not in result.stderr


def test_init_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "kb").write_text("a file\n")
    result = kcards("init", "kb", cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "kcards: error: kb exists and is not a folder; nothing written",
    )


def test_version() -> None:
    result = kcards("--version", cwd=Path.cwd())
    assert (result.returncode, result.stdout.strip()) == (0, f"kcards {__version__}")


def test_the_site_names_the_cards_folder_as_the_team_sees_it(tmp_path: Path) -> None:
    """However the engine is pointed at the config (`-f`, relative or absolute), pages name the cards folder
    relative to the project, never the build machine's absolute path."""
    assert kcards("init", "kb", cwd=tmp_path).returncode == 0
    for config in ("mkdocs.yml", str(tmp_path / "kb" / "mkdocs.yml")):
        build = run_mkdocs_build(tmp_path / "kb", "--strict", "-f", config)
        assert build.returncode == 0, build.output
        page = build.page("knowledge-graph")
        assert "in any folder under <code>docs/</code>" in page and str(tmp_path) not in page
        assert "<code>docs/&lt;folder&gt;/&lt;slug&gt;.md</code>" in build.page("to-write")
