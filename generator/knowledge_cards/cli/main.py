"""`kcards`: the instructors' command line (check now; more commands build on it)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..core.graph import placeholder_title
from ..core.knowledge_base import KnowledgeBase, collector_paused, display_path, load_knowledge_base
from ..core.model import is_slug
from ..core.problems import Severity, sort_key
from ..core.validate import SLUG_HINT
from .export import neighbourhood, to_dot, to_json, to_mermaid
from .new_files import create_all
from .project import Project, ProjectError, find_project


class UsageError(Exception):
    """A mistake in how kcards was called or configured: exit code 2."""


def _load(args: argparse.Namespace) -> tuple[Project, KnowledgeBase]:
    config_file = Path(args.config_file) if args.config_file else None
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"no config file at {config_file}")
    try:
        project = find_project(Path(args.project), config_file)
    except ProjectError as exc:
        raise UsageError(str(exc)) from None
    cards_dir = Path(args.cards) if getattr(args, "cards", None) else project.cards_dir
    if not cards_dir.is_dir():
        where = (
            f"named by {project.config_file.name}" if project.config_file else "(no mkdocs.yml or properdocs.yml here)"
        )
        raise UsageError(
            f"no cards folder at {_shown(cards_dir)} {where}; run kcards in the project folder, "
            "pass --project or --config-file, or start one with `kcards init DIR`"
        )
    with collector_paused():
        kb = load_knowledge_base(
            cards_dir,
            quizzes_dir=project.quizzes_dir,
            paths_file=project.paths_file,
            workers=os.cpu_count() or 1,
            bodies=False,
            other_files=project.other_files() if not getattr(args, "cards", None) else frozenset(),
            conventions=project.conventions,
        )
        gc.freeze()  # the knowledge base lives until the command ends: never walked again
    return project, kb


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a card (and optionally its quiz) with every section of the reference card; never overwrite."""
    slug = args.slug
    if not is_slug(slug):
        raise UsageError(f"'{slug}' is not a valid slug ({SLUG_HINT})")
    if args.parent and not is_slug(args.parent):
        raise UsageError(f"--parent '{args.parent}' is not a valid slug ({SLUG_HINT})")
    project, kb = _load(args)
    if slug in kb.graph.cards:
        raise UsageError(f"a card '{slug}' already exists: {kb.display_paths[slug]}; nothing written")
    existing = sorted(kb.cards_dir.rglob(f"{slug}.md"))
    if existing:
        raise UsageError(f"{existing[0]} already exists; nothing written")
    graph = kb.graph
    linking = list(graph.linking_to(slug)) if slug in graph.nodes else []
    if args.folder:
        folder = kb.cards_dir / args.folder
    elif args.parent and args.parent in graph.cards:
        folder = (kb.cards_dir / graph.cards[args.parent].path).parent
    elif linking:
        folder = (kb.cards_dir / graph.cards[linking[0]].path).parent
    else:
        folder = kb.cards_dir
    folder = folder.resolve()
    if not folder.is_relative_to(kb.cards_dir):
        raise UsageError(f"--folder must stay inside {kb.cards_dir}")
    card_file = folder / f"{slug}.md"
    quiz_file = project.quizzes_dir / f"{slug}.yml"
    if args.quiz and quiz_file.exists():
        raise UsageError(f"{quiz_file} already exists; nothing written")
    title = args.title or (graph.node(slug).title if slug in graph.nodes else placeholder_title(slug))
    import jinja2  # here, not at the top: `kcards check` starts faster without it

    from ..render.templates import md_text, template_dirs

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(
            [str(d) for d in template_dirs([project.templates_dir] if project.templates_dir else [])]
        ),
        keep_trailing_newline=True,
        trim_blocks=True,
    )
    # In the body and the summary the title is Markdown-inert text on one line (never HTML, never a `---`
    # that would end the front matter); in YAML it is a quoted string.
    context = {
        "slug": slug,
        "title": md_text(title),
        "title_line": " ".join(title.split()),
        "title_yaml": json.dumps(title, ensure_ascii=False),
        "parent": args.parent,
    }
    try:
        card_text = env.get_template("new_card.md.j2").render(context)
        quiz_text = env.get_template("new_quiz.yml.j2").render(context) if args.quiz else ""
    except jinja2.TemplateNotFound as exc:
        raise UsageError(f"scaffolding template {exc.name} not found in {project.templates_dir}") from None
    planned = [(card_file, card_text)] + ([(quiz_file, quiz_text)] if args.quiz else [])
    try:
        create_all(planned)  # whole files or none, never over an existing one
    except FileExistsError as exc:
        raise UsageError(f"{_shown(Path(exc.filename or card_file))} already exists; nothing written") from None
    except OSError as exc:
        where = _shown(Path(exc.filename)) if exc.filename else _shown(card_file)
        raise UsageError(f"cannot write {where}: {exc.strerror or exc}; nothing written") from None
    for path, _ in planned:
        print(f"created {_shown(path)}")
    if linking:
        names = ", ".join(f"{graph.node(s).title} ({kb.display_paths.get(s, s)})" for s in linking)
        print(f"'{slug}' was a placeholder; these cards already link to it: {names}")
    print("next: fill in the sections, then preview with `mkdocs serve` (or check with `kcards check`)")
    return 0


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def cmd_graph(args: argparse.Namespace) -> int:
    """Print the knowledge graph as JSON, DOT or mermaid, whole or around one card."""
    _, kb = _load(args)
    keep = None
    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    if args.root:
        if args.root not in kb.graph.nodes:
            raise UsageError(f"--root '{args.root}' is not a card or placeholder in this knowledge base")
        keep = neighbourhood(kb.graph, args.root, args.depth)
    render = {"json": to_json, "dot": to_dot, "mermaid": to_mermaid}[args.format]
    sys.stdout.write(render(kb.graph, keep))
    return 0


def cmd_import_gift(args: argparse.Namespace) -> int:
    """Convert a Moodle GIFT question bank into quizzes/<card>.yml; never overwrite."""
    project, kb = _load(args)
    gift_file = Path(args.file)
    if not gift_file.is_file():
        raise UsageError(f"no GIFT file at {args.file}")
    quiz_file = project.quizzes_dir / f"{args.card}.yml"
    from .gift import import_gift  # only this command needs the GIFT parser

    written, problems = import_gift(
        gift_file,
        args.card,
        project.quizzes_dir,
        {card.slug for card in kb.cards},
        gift_display=display_path(gift_file.resolve(), None),
        quiz_display=display_path(quiz_file.resolve(), None),
    )
    for problem in problems:  # in the importer's order: the closing error follows its warnings
        print(problem.format())
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if written is None:
        print(
            f"kcards: nothing written ({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)})",
            file=sys.stderr,
        )
        return 1
    print(
        f"kcards: wrote {display_path(written.resolve(), None)} ({warnings} warning{'s' * (warnings != 1)}); review it before publishing",
        file=sys.stderr,
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every card without building HTML; exit 1 on any error (or warning with --strict)."""
    project, kb = _load(args)
    problems = list(kb.problems)
    if not getattr(args, "cards", None):  # the whole site: what its strict build would refuse besides cards
        from ..engine.verdict import engine_problems

        problems = sorted({*problems, *engine_problems(kb, project.config_file)}, key=sort_key)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if args.format == "json":
        print(
            json.dumps(
                {
                    "problems": [p.as_dict() for p in problems],
                    "summary": {
                        "cards": len(kb.cards),
                        "placeholders": len(kb.graph.placeholders),
                        "quizzes": len(kb.quizzes),
                        "errors": errors,
                        "warnings": warnings,
                    },
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(problem.format())
        print(
            f"{len(kb.cards)} cards, {len(kb.graph.placeholders)} placeholders, {len(kb.quizzes)} quizzes, "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
            file=sys.stderr,
        )
    failing = [p for p in problems if p.severity is Severity.ERROR or args.strict]
    return 1 if failing else 0


def cmd_init(args: argparse.Namespace) -> int:
    """Start a new knowledge base in DIR that builds and serves at once; never overwrite."""
    from .init import (
        InitError,
        notes_folder,
        notes_keep_keys_of_their_own,
        notes_own_keys,
        plan,
        site_name_for,
        write_project,
    )

    target = Path(args.dir)
    try:
        if args.notes:
            notes = Path(args.notes)
            folder = notes_folder(target, notes)
            planned = plan(
                args.name or site_name_for(notes), folder, notes_keep_keys_of_their_own(notes), notes_own_keys(notes)
            )
        else:
            planned = plan(args.name or site_name_for(target))
        written = write_project(target, planned)
    except InitError as exc:
        raise UsageError(str(exc)) from None
    for path in written:
        print(f"created {_shown(path)}")
    where = _shown(target)
    print(
        f"next:\n  cd {shlex.quote(where)}\n  mkdocs serve      # or: properdocs serve; then open http://127.0.0.1:8000"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kcards", description="Knowledge Cards: tools for instructors.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--project", default=".", help="the project folder holding mkdocs.yml or properdocs.yml (default: .)"
    )
    parser.add_argument(
        "-f", "--config-file", help="the site's config file (default: properdocs.yml or mkdocs.yml in --project)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="start a new knowledge base in DIR (never overwrites)")
    init.add_argument("dir", help="the folder to create, e.g. team-site")
    init.add_argument("--name", help="the site's name (default: from the folder's name)")
    init.add_argument(
        "--from",
        dest="notes",
        metavar="NOTES",
        help="publish this folder of notes (an Obsidian vault, a Foam workspace) as the cards, where it is",
    )
    init.set_defaults(run=cmd_init)
    check = sub.add_parser("check", help="validate all cards without building the site")
    check.add_argument("--cards", help="the cards folder (default: the plugin's cards_dir in the site's docs_dir)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(run=cmd_check)
    new = sub.add_parser("new", help="scaffold a new card (and its quiz) from the template")
    new.add_argument("slug", help="the card's slug, e.g. unit-economics")
    new.add_argument("--title", help="the card's title (default: from the slug)")
    new.add_argument("--parent", help="the broader concept's slug; the card goes in its folder")
    new.add_argument("--folder", help="folder under the cards folder (default: the parent's or a linking card's)")
    new.add_argument("--quiz", action="store_true", help="also scaffold quizzes/<slug>.yml")
    new.set_defaults(run=cmd_new)
    graph = sub.add_parser("graph", help="export the knowledge graph for other tools")
    graph.add_argument("--format", choices=("json", "dot", "mermaid"), default="json")
    graph.add_argument("--root", help="only the cards around this slug")
    graph.add_argument("--depth", type=int, default=1, help="how many links away from --root (default: 1)")
    graph.set_defaults(run=cmd_graph)
    gift = sub.add_parser("import-gift", help="convert a Moodle GIFT question bank into a card's quiz")
    gift.add_argument("file", help="the .gift / .txt file exported from Moodle")
    gift.add_argument("--card", required=True, help="the slug of the card the quiz belongs to")
    gift.set_defaults(run=cmd_import_gift)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kcards` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    frozen_before = gc.get_freeze_count()
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"kcards: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if not frozen_before:  # what `_load` froze: a caller that goes on (tests, tools) gets its collector back
            gc.unfreeze()


if __name__ == "__main__":
    sys.exit(main())
