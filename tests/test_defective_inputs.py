"""Defective inputs through both front doors: `kcards check` and `mkdocs build --strict`.

Each case is a small project with one defect. Both commands must report the exact
`path:line:col: error: message` lines, exit non-zero, print no traceback, and leave every
file under cards/ and quizzes/ exactly as it was (none changed, added or removed).
"""

from __future__ import annotations

import contextlib
import io
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MKDOCS_YML, BuildResult, run_mkdocs_build, sources_snapshot, write_tree
from knowledge_cards.cli.main import main as kcards

GOOD = "---\ntitle: Good\nsummary: A good card.\n---\nBody.\n"
QUIZ_CARD = {"cards/pricing.md": "---\ntitle: Pricing\nsummary: S\n---\nBody.\n"}
SLUG_HINT = "(lower-case letters and digits joined by single hyphens, e.g. 'unit-economics')"

CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "invalid-yaml": (
        {"cards/a.md": "---\ntitle: [unclosed\nsummary: S\n---\n"},
        [
            "cards/a.md:2:1: error: invalid YAML in front matter: "
            "while parsing a flow sequence, did not find expected ',' or ']'"
        ],
    ),
    "non-mapping-front-matter": (
        {"cards/a.md": "---\n- just\n- a list\n---\n"},
        ["cards/a.md:2:1: error: front matter must be a mapping of keys to values, not a list"],
    ),
    "title-not-text": (
        {"cards/a.md": "---\ntitle: [a, b]\nsummary: S\n---\n"},
        ["cards/a.md:2:1: error: title must be non-empty plain text"],
    ),
    "unknown-status": (
        {"cards/a.md": "---\ntitle: A\nsummary: S\nstatus: finished\n---\n"},
        ["cards/a.md:4:1: error: status: 'finished' is not one of complete, draft, stub"],
    ),
    "unknown-question-type": (
        {**QUIZ_CARD, "quizzes/pricing.yml": "questions:\n  - type: essay\n    prompt: Why?\n"},
        [
            "quizzes/pricing.yml:2:1: error: question type 'essay' is not one of "
            "single, multiple, true_false, order, reflect"
        ],
    ),
    "duplicate-slug": (
        {"cards/a/pricing.md": GOOD, "cards/b/pricing.md": GOOD},
        [
            "cards/b/pricing.md:1:1: error: duplicate slug 'pricing': cards/a/pricing.md already uses it; "
            "slugs are unique across all folders"
        ],
    ),
    "parent-out-of-the-notes": (
        {"cards/a.md": "---\ntitle: A\nsummary: S\nparent: ../Unit Economics\n---\n"},
        [f"cards/a.md:4:1: error: parent: '../Unit Economics' is not a valid slug {SLUG_HINT}"],
    ),
    "parent-cycle": (
        {
            "cards/a.md": "---\ntitle: A\nsummary: S\nparent: b\n---\n",
            "cards/b.md": "---\ntitle: B\nsummary: S\nparent: a\n---\n",
        },
        ["cards/a.md:4:1: error: parent cycle: a -> b -> a; parents must not lead back to the card"],
    ),
    "prerequisite-cycle": (
        {
            "cards/a.md": "---\ntitle: A\nsummary: S\nprerequisites: [b]\n---\n",
            "cards/b.md": "---\ntitle: B\nsummary: S\nprerequisites: [c]\n---\n",
            "cards/c.md": "---\ntitle: C\nsummary: S\nprerequisites:\n  - a\n---\n",
        },
        ["cards/a.md:4:1: error: prerequisite cycle: a -> b -> c -> a; prerequisites must not lead back to the card"],
    ),
    "undecodable-bytes": (
        {"cards/a.md": b"---\ntitle: Caf\xe9\nsummary: S\n---\n"},
        ["cards/a.md:2:1: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8"],
    ),
    "front-matter-never-closed": (
        {"cards/a.md": "---\ntitle: A\n"},
        ["cards/a.md:1:1: error: front matter opened with '---' on line 1 is never closed: add a line '---' after it"],
    ),
    "quiz-without-right-answer": (
        {
            **QUIZ_CARD,
            "quizzes/pricing.yml": "questions:\n  - type: single\n    prompt: Which?\n    options: [One, Two]\n",
        },
        ["quizzes/pricing.yml:4:1: error: no option is marked 'correct: true'; a question needs a right answer"],
    ),
}


@dataclass
class Run:
    """What one command printed and returned."""

    code: int
    output: str


@dataclass
class Case:
    kcards: Run
    mkdocs: BuildResult
    before: dict[str, bytes]
    after: dict[str, bytes]


def _kcards_check(project: Path) -> Run:
    """`kcards check` in the project folder, in this process (its main returns the exit code)."""
    out = io.StringIO()
    with contextlib.chdir(project), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = kcards(["check"])
        except BaseException:  # a crash must show up as a traceback in the output, not stop the run
            traceback.print_exc(file=out)
            code = -1
    return Run(code, out.getvalue())


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Every case checked and built once; builds run two at a time (they are separate processes)."""
    projects = {}
    for name, (files, _) in CASES.items():
        project = tmp_path_factory.mktemp(name)
        write_tree(project, {"mkdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"), **files})
        write_tree(project, {"cards/good.md": GOOD})
        (project / "quizzes").mkdir(exist_ok=True)
        projects[name] = project
    before = {name: sources_snapshot(project) for name, project in projects.items()}
    checks = {name: _kcards_check(project) for name, project in projects.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        builds = dict(
            zip(
                projects,
                pool.map(lambda project: run_mkdocs_build(project, "--strict"), projects.values()),
                strict=True,
            )
        )
    return {name: Case(checks[name], builds[name], before[name], sources_snapshot(projects[name])) for name in projects}


def _diagnostics(output: str) -> list[str]:
    """Our `path:line:col: severity: message` lines, whatever the logger put before them."""
    return [
        line.split(" -  ", 1)[-1].strip()
        for line in output.splitlines()
        if ": error: " in line or ": warning: " in line
    ]


@pytest.mark.parametrize("name", list(CASES))
def test_kcards_check_reports_the_exact_lines(results: dict[str, Case], name: str) -> None:
    case = results[name]
    assert _diagnostics(case.kcards.output) == CASES[name][1]
    assert case.kcards.code == 1
    assert "Traceback" not in case.kcards.output


@pytest.mark.parametrize("name", list(CASES))
def test_strict_build_reports_the_exact_lines_and_stops(results: dict[str, Case], name: str) -> None:
    case = results[name]
    assert _diagnostics(case.mkdocs.output) == CASES[name][1]
    assert case.mkdocs.returncode != 0
    assert "Traceback" not in case.mkdocs.output
    assert "Aborted with" in case.mkdocs.output and "in strict mode!" in case.mkdocs.output


@pytest.mark.parametrize("name", list(CASES))
def test_nothing_in_cards_or_quizzes_changes(results: dict[str, Case], name: str) -> None:
    case = results[name]
    assert case.after == case.before  # same files, byte for byte: none changed, added or removed
