"""`kcards check` as an instructor runs it: output lines, summary, exit codes, JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ENV, ROOT, write_tree


def kcards(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge_cards.cli", *args],
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
    assert result.stderr.strip() == "7 cards, 12 placeholders, 0 errors, 0 warnings"


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
    assert result.stderr.strip() == "1 cards, 0 placeholders, 2 errors, 1 warning"
    data = json.loads(kcards("check", "--format", "json", cwd=tmp_path).stdout)
    assert data["summary"] == {"cards": 1, "placeholders": 0, "errors": 2, "warnings": 1}
    assert data["problems"][1] == {
        "path": "notes/a.md",
        "line": 4,
        "column": 1,
        "severity": "error",
        "code": "bad-value",
        "message": "status: 'nope' is not one of complete, draft, stub",
    }


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    write_tree(tmp_path, {"cards/b.md": "---\ntitle: B\nsummary: S\ntagz: [x]\n---\n"})
    assert kcards("check", cwd=tmp_path).returncode == 0
    assert kcards("check", "--strict", cwd=tmp_path).returncode == 1


def test_missing_cards_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = kcards("check", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "kcards: error: no cards folder at cards (run kcards in the project folder, or pass --project)"
    )
    assert "Traceback" not in result.stderr
