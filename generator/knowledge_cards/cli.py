"""`kcards`: the instructors' command line (check now; more commands build on it)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .knowledge_base import load_knowledge_base
from .problems import Severity
from .project import find_project


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every card without building HTML; exit 1 on any error (or warning with --strict)."""
    project = find_project(Path(args.project))
    cards_dir = Path(args.cards) if args.cards else project.cards_dir
    if not cards_dir.is_dir():
        print(
            f"kcards: error: no cards folder at {cards_dir} (run kcards in the project folder, or pass --project)",
            file=sys.stderr,
        )
        return 2
    kb = load_knowledge_base(cards_dir, quizzes_dir=project.quizzes_dir, paths_file=project.paths_file)
    errors = len(kb.errors)
    warnings = len(kb.warnings)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "problems": [p.as_dict() for p in kb.problems],
                    "summary": {
                        "cards": len(kb.cards),
                        "placeholders": len(kb.graph.placeholders),
                        "errors": errors,
                        "warnings": warnings,
                    },
                },
                indent=2,
            )
        )
    else:
        for problem in kb.problems:
            print(problem.format())
        print(
            f"{len(kb.cards)} cards, {len(kb.graph.placeholders)} placeholders, "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
            file=sys.stderr,
        )
    failing = [p for p in kb.problems if p.severity is Severity.ERROR or args.strict]
    return 1 if failing else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kcards", description="Knowledge Cards: tools for instructors.")
    parser.add_argument("--project", default=".", help="the project folder holding mkdocs.yml (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate all cards without building the site")
    check.add_argument("--cards", help="the cards folder (default: docs_dir of mkdocs.yml, else cards/)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(run=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kcards` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
