"""Files a repository or an editor leaves in the docs folder: links out of it, loops, FIFOs, trash.

Nothing outside the docs folder is published, nothing hangs, and each case is one error line
(`kcards check` and the build agree on the cards)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, TINY_MKDOCS_YML, run_mkdocs_build, write_tree

SECRET = "top secret outside the project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.md": f"---\ntitle: Secret\nsummary: {SECRET}\n---\n{SECRET}\n", "secret.txt": SECRET})
    (outside / "folder").mkdir()
    (outside / "folder" / "inner.md").write_text(f"---\ntitle: Inner\nsummary: S\n---\n{SECRET}\n")
    site = tmp_path / "site-project"
    write_tree(
        site,
        {
            "mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"),
            "cards/real.md": "---\ntitle: Real\nsummary: The real card.\n---\nBody\n",
            "cards/.trash/real.md": "---\ntitle: Stale copy\nsummary: An editor's trash.\n---\nOld\n",
        },
    )
    cards = site / "cards"
    (cards / "leak.md").symlink_to(outside / "secret.md")
    (cards / "leak.txt").symlink_to(outside / "secret.txt")
    (cards / "linked").symlink_to(outside / "folder")
    (cards / "loop").symlink_to(cards)
    (cards / "dangling.md").symlink_to(outside / "nothing.md")
    (cards / "inside.md").symlink_to(cards / "real.md")  # inside the folder: a card of its own name
    os.mkfifo(cards / "pipe.md")
    os.mkfifo(cards / "pipe.txt")
    return site


def test_the_build_publishes_nothing_from_outside_and_reports_each_case(project: Path) -> None:
    result = run_mkdocs_build(project)  # not strict: every case is reported, the rest is built
    assert "Traceback" not in result.output
    errors = sorted(line for line in result.lines("error:"))
    assert errors == [
        "cards/dangling.md:1:1: error: a symbolic link to nothing (dangling, or a loop); it is not read or published",
        f"cards/leak.md:1:1: error: a symbolic link out of the cards folder, to {project.parent / 'outside' / 'secret.md'}; it is not read or published",
        f"cards/leak.txt:1:1: error: a symbolic link out of docs_dir, to {project.parent / 'outside' / 'secret.txt'}; it is not published",
        "cards/linked:1:1: error: a symbolic link to a folder; its files are not published",
        "cards/loop:1:1: error: a symbolic link to a folder; its files are not published",
        "cards/pipe.md:1:1: error: a special file (a FIFO, socket or device), not a regular file; it is not read or published",
        "cards/pipe.txt:1:1: error: a special file (a FIFO, socket or device), not a regular file; it is not published",
    ], result.output
    published = [p for p in result.site.rglob("*") if p.is_file()]
    assert not [p for p in published if SECRET in p.read_text(encoding="utf-8", errors="replace")]
    assert not (result.site / "loop").exists() and not (result.site / "linked").exists()
    assert "The real card." in result.page("real")  # the trash copy neither wins nor collides
    assert "Stale copy" not in (result.site / "search" / "search_index.json").read_text()
    assert "The real card." in result.page("inside")  # a link inside the folder is a card of its own


def test_kcards_check_reports_the_same_cards(project: Path) -> None:
    check = subprocess.run(
        [sys.executable, "-m", "knowledge_cards.cli.main", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert sorted(check.stdout.splitlines()) == [
        "cards/dangling.md:1:1: error: a symbolic link to nothing (dangling, or a loop); it is not read or published",
        f"cards/leak.md:1:1: error: a symbolic link out of the cards folder, to {project.parent / 'outside' / 'secret.md'}; it is not read or published",
        "cards/pipe.md:1:1: error: a special file (a FIFO, socket or device), not a regular file; it is not read or published",
    ]
    assert check.stderr.strip().startswith("2 cards, 0 placeholders")  # real and inside; no trash, no leak
