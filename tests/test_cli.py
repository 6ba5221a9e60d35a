"""`kcards check` as an instructor runs it: output lines, summary, exit codes, JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ENV, ROOT, write_tree


def kcards(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge_cards.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )


def test_check_of_shipped_cards_is_clean() -> None:
    result = kcards("check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "7 cards, 12 placeholders, 7 quizzes, 0 errors, 0 warnings"


def test_check_reports_every_problem_and_fails(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\ndocs_dir: notes\nplugins:\n  - knowledge-cards:\n      quizzes_dir: checks\n",
            "notes/a.md": "---\ntitle: A\nsummary: S\nstatus: nope\n---\n",
            "notes/b.md": "---\ntitle: B\nsummary: S\ntagz: [x]\n---\n",
            "checks/b.yml": "questions:\n  - {type: order, prompt: P, items: [one]}\n",
        },
    )
    result = kcards("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "checks/b.yml:2:1: error: an order question needs at least two items, not 1",
        "notes/a.md:4:1: error: status: 'nope' is not one of complete, draft, stub",
        "notes/b.md:4:1: warning: unknown key 'tagz' in front matter (did you mean 'tags'?); it is ignored",
    ]
    assert result.stderr.strip() == "1 cards, 0 placeholders, 0 quizzes, 2 errors, 1 warning"
    data = json.loads(kcards("check", "--format", "json", cwd=tmp_path).stdout)
    assert data["summary"] == {"cards": 1, "placeholders": 0, "quizzes": 0, "errors": 2, "warnings": 1}
    assert data["problems"][1] == {
        "path": "notes/a.md",
        "line": 4,
        "column": 1,
        "severity": "error",
        "code": "bad-value",
        "message": "status: 'nope' is not one of complete, draft, stub",
    }


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/b.md": "---\ntitle: B\nsummary: S\ntagz: [x]\n---\n"})  # the engines' docs_dir
    assert kcards("check", cwd=tmp_path).returncode == 0
    assert kcards("check", "--strict", cwd=tmp_path).returncode == 1


def test_missing_cards_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = kcards("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "kcards: error: no cards folder at docs (no mkdocs.yml or properdocs.yml here); run kcards in the "
        "project folder, pass --project or --config-file, or start one with `kcards init DIR`"
    )
    assert "Traceback" not in result.stderr
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - knowledge-cards:\n      cards_dir: concepts\n")
    (tmp_path / "docs").mkdir()
    result = kcards("check", cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "kcards: error: no cards folder at docs/concepts named by mkdocs.yml; run kcards in the project folder, "
        "pass --project or --config-file, or start one with `kcards init DIR`",
    )


def copy_project(tmp_path: Path) -> Path:
    """The shipped project in a temporary folder (site_overrides linked, not copied)."""
    import shutil

    for name in ("cards", "quizzes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "paths.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "site_overrides").symlink_to(ROOT / "site_overrides")
    return tmp_path


def test_new_scaffolds_a_card_and_quiz_that_check_and_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = kcards("new", "unit-economics", "--quiz", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "created cards/e-commerce/unit-economics.md",
        "created quizzes/unit-economics.yml",
        "'unit-economics' was a placeholder; these cards already link to it: "
        "Business Models (cards/e-commerce/business-models.md), E-Commerce (cards/e-commerce/e-commerce.md), "
        "E-Commerce Value Chain (cards/e-commerce/e-commerce-value-chain.md)",
    ]
    card = (project / "cards/e-commerce/unit-economics.md").read_text()
    for section in (
        "## What is it?",
        "!!! plain",
        "<!-- at-a-glance -->",
        "## How does it work?",
        "!!! analogy",
        "## Why do we use it?",
        "!!! reasons",
        "## When do we use it?",
        "!!! rule",
        "## How can I think about it?",
    ):
        assert section in card
    assert 'title: "Unit Economics"' in card
    check = kcards("check", "--strict", cwd=project)
    assert check.returncode == 0, check.stdout
    assert check.stderr.strip() == "8 cards, 11 placeholders, 8 quizzes, 0 errors, 0 warnings"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, env=ENV
    )
    assert build.returncode == 0, build.stderr
    assert "Unit Economics" in (project / "site/e-commerce/unit-economics/index.html").read_text()


def test_new_never_overwrites_and_rejects_bad_slugs(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = (project / "cards/e-commerce/compliance.md").read_bytes()
    result = kcards("new", "compliance", cwd=project)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "kcards: error: a card 'compliance' already exists: cards/e-commerce/compliance.md; nothing written"
    )
    assert (project / "cards/e-commerce/compliance.md").read_bytes() == before
    (project / "quizzes/fresh-idea.yml").write_text("kept\n")
    result = kcards("new", "fresh-idea", "--quiz", cwd=project)
    assert result.returncode == 2 and "already exists; nothing written" in result.stderr
    assert not list((project / "cards").rglob("fresh-idea.md"))
    assert (project / "quizzes/fresh-idea.yml").read_text() == "kept\n"
    (project / "quizzes/fresh-idea.yml").unlink()
    bad = kcards("new", "Bad Slug", cwd=project)
    assert bad.returncode == 2 and bad.stderr.startswith("kcards: error: 'Bad Slug' is not a valid slug")
    parent = kcards(
        "new", "returns-handling", "--parent", "e-commerce-value-chain", "--title", 'Returns: "handling"', cwd=project
    )
    assert parent.stdout.splitlines()[0] == "created cards/e-commerce/returns-handling.md"
    assert kcards("check", "--strict", cwd=project).returncode == 0


def test_graph_exports(tmp_path: Path) -> None:
    data = json.loads(kcards("graph", "--format", "json", cwd=ROOT).stdout)
    assert {
        "slug": "unit-economics",
        "title": "Unit Economics",
        "status": "placeholder",
        "url": "unit-economics/",
        "tags": [],
    } in data["nodes"]
    dot = kcards("graph", "--format", "dot", "--root", "compliance", "--depth", "1", cwd=ROOT).stdout
    assert dot.startswith("digraph knowledge {") and '"compliance" -> "e-commerce" [label="parent"];' in dot
    assert '"e-commerce-value-chain"' in dot and '"customer-journey-mapping"' not in dot
    mermaid = kcards("graph", "--format", "mermaid", "--root", "unit-economics", cwd=ROOT).stdout
    assert mermaid.startswith("graph LR") and '["Unit Economics"]' in mermaid
    missing = kcards("graph", "--root", "nope", cwd=ROOT)
    assert missing.returncode == 2 and "--root 'nope' is not a card" in missing.stderr


def test_import_gift_writes_a_quiz_once_and_it_checks_and_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    shutil.copy(ROOT / "tests/data/gift/sample.gift", project / "bank.gift")
    result = kcards("import-gift", "bank.gift", "--card", "compliance", cwd=project)
    assert result.returncode == 1  # compliance already has a quiz
    assert (
        result.stdout.splitlines()[-1]
        == "quizzes/compliance.yml:1:1: error: quizzes/compliance.yml already exists; not overwritten"
    )
    (project / "quizzes/compliance.yml").unlink()
    result = kcards("import-gift", "bank.gift", "--card", "compliance", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "bank.gift:47:1: warning: matching question ('->') not imported: quizzes have no matching type" in lines
    assert all(": warning: " in line for line in lines)
    assert (
        result.stderr.strip()
        == f"kcards: wrote quizzes/compliance.yml ({len(lines)} warnings); review it before publishing"
    )
    assert kcards("check", "--strict", cwd=project).returncode == 0
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, env=ENV
    )
    assert build.returncode == 0, build.stderr
    unknown = kcards("import-gift", "bank.gift", "--card", "no-such-card", cwd=project)
    assert unknown.returncode == 1 and "no card has the slug 'no-such-card'" in unknown.stdout
    missing = kcards("import-gift", "nope.gift", "--card", "compliance", cwd=project)
    assert missing.returncode == 2 and missing.stderr.strip() == "kcards: error: no GIFT file at nope.gift"
