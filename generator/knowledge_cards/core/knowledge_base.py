"""The pipeline up to the graph: load -> validate -> resolve, for the build and `kcards check` alike."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import multiprocessing
import os
import posixpath
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .graph import KnowledgeGraph
from .learning_paths import LearningPath, derived_path, load_paths
from .load import parse_card, read_text, scan_cards
from .model import DEFAULT_CONVENTIONS, Card, Conventions
from .names import Attachments, Names, is_anchor_id, slug_of
from .problems import Code, Problem, Severity, error, sort_key, warning
from .quiz import Quiz, load_quiz, quiz_files
from .validate import validate_card


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything known about the cards after validation: cards, graph and problems."""

    cards_dir: Path
    cards: tuple[Card, ...]
    graph: KnowledgeGraph
    problems: tuple[Problem, ...]
    display_paths: dict[str, str]
    """Slug -> path as shown in diagnostics."""
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    """Card slug -> its validated quiz."""
    paths: tuple[LearningPath, ...] = ()
    """The curated learning paths, or the one derived from the graph when there are none."""
    attachments: Attachments = field(default_factory=Attachments)
    """The other files beside the cards, for embeds."""
    names: Names = field(default_factory=lambda: Names.of(()))
    """Every card file's slug and how a name finds one."""
    conventions: Conventions = DEFAULT_CONVENTIONS

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


class ParseCache:
    """Cards read, parsed and validated in an earlier build of one `mkdocs serve` session.

    An entry is reused when the file's text and the set of card files are unchanged, so an
    edit re-parses one card, not a thousand.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, int, Card | None, list[Problem]]] = {}
        self.quizzes: dict[Path, tuple[bytes, int, Quiz | None, list[Problem]]] = {}
        """Quizzes by file, kept while the file's bytes and the set of card slugs are unchanged."""

    def get(self, path: str, text: str, files_key: int) -> tuple[Card | None, list[Problem]] | None:
        entry = self._entries.get(path)
        if entry is None or entry[0] != text or entry[1] != files_key:
            return None
        return entry[2], entry[3]

    def put(self, path: str, text: str, files_key: int, card: Card | None, problems: list[Problem]) -> None:
        self._entries[path] = (text, files_key, card, problems)


# Below this many files, starting processes costs more than it saves.
PARALLEL_FROM = 400


def _read_card(
    job: tuple[Path, str, str],
    existing: set[str] | frozenset[str],
    cache: ParseCache | None = None,
    files_key: int = 0,
    bodies: bool = True,
    names: Names | None = None,
    conventions: Conventions = DEFAULT_CONVENTIONS,
) -> tuple[Card | None, list[Problem]]:
    """One card file read, parsed and validated: a pure function of the file, so it can run anywhere.
    Without `bodies` the card comes back with an empty body: cheaper to send between processes."""
    file, path, shown = job
    text, problems = read_text(file, shown)
    if text is None:
        return None, problems
    cached = cache.get(path, text, files_key) if cache is not None else None
    if cached is None:
        raw, parse_problems = parse_card(text, path, shown)
        card, card_problems = validate_card(raw, existing.__contains__, names, conventions) if raw else (None, [])
        cached = card, parse_problems + card_problems
        if cache is not None:
            cache.put(path, text, files_key, *cached)
    card = cached[0]
    if card is not None and not bodies:
        card = dataclasses.replace(card, body="", meta={})
    return card, problems + cached[1]


def _read_quiz(
    job: tuple[Path, str], card_slugs: frozenset[str], cache: ParseCache | None = None
) -> tuple[Quiz | None, list[Problem]]:
    """One quiz file read and checked (kept in `cache` while its bytes and the cards are unchanged)."""
    file, shown = job
    if cache is None:
        return load_quiz(file, shown, card_slugs)
    data, slugs_key = file.read_bytes(), hash(card_slugs)
    entry = cache.quizzes.get(file)
    if entry is None or entry[0] != data or entry[1] != slugs_key:
        entry = (data, slugs_key, *load_quiz(file, shown, card_slugs))
        cache.quizzes[file] = entry
    return entry[2], entry[3]


def _read_in_parallel(
    card_jobs: list[tuple[Path, str, str]],
    existing: frozenset[str],
    quiz_jobs: list[tuple[Path, str]],
    card_slugs: frozenset[str],
    workers: int,
    bodies: bool,
    names: Names,
    conventions: Conventions,
) -> tuple[list[tuple[Card | None, list[Problem]]], list[tuple[Quiz | None, list[Problem]]]] | None:
    """`_read_card` and `_read_quiz` over all jobs, results in order; None where
    processes cannot be started. This process reads an equal share of the cards and of the quizzes
    while `workers - 1` forked processes read the rest: it would otherwise only wait for them, and every
    card it reads itself is one less to unpickle (unpickling 5,000 cards took 0.6-0.9 s)."""
    read_card = functools.partial(_read_card, existing=existing, bodies=bodies, names=names, conventions=conventions)
    read_quiz = functools.partial(_read_quiz, card_slugs=card_slugs)
    my_cards, my_quizzes = len(card_jobs) // workers, len(quiz_jobs) // workers
    their_cards, their_quizzes = card_jobs[my_cards:], quiz_jobs[my_quizzes:]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
            cards = pool.map(read_card, their_cards, chunksize=max(1, len(their_cards) // (workers * 4)))
            quizzes = pool.map(read_quiz, their_quizzes, chunksize=max(1, len(their_quizzes) // (workers * 4)))
            first_cards = [read_card(job) for job in card_jobs[:my_cards]]
            first_quizzes = [read_quiz(job) for job in quiz_jobs[:my_quizzes]]
            return first_cards + list(cards), first_quizzes + list(quizzes)
    except (ValueError, OSError, BrokenProcessPool):  # no fork, no semaphores (/dev/shm), a killed worker
        return None


def display_path(file: Path, relative_to: Path | None) -> str:
    """How a file is named in diagnostics: relative to the working folder when inside it."""
    base = relative_to or Path.cwd()
    try:
        return Path(os.path.relpath(file, base)).as_posix() if file.is_relative_to(base) else file.as_posix()
    except ValueError:
        return file.as_posix()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while cards are read: reading makes tens of thousands of objects
    that live on and hardly any cycles, and every full collection walked all of them again (0.5 s of a
    5,000-card `kcards check`). Forked readers start with the collector paused too. A caller that keeps
    the cards until it ends freezes them before the pause ends: otherwise the first collection after it
    walks them all once more."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@collector_paused()
def load_knowledge_base(
    cards_dir: Path,
    relative_to: Path | None = None,
    quizzes_dir: Path | None = None,
    paths_file: Path | None = None,
    cache: ParseCache | None = None,
    workers: int = 1,
    bodies: bool = True,
    other_files: frozenset[str] = frozenset(),
    left_out: frozenset[str] = frozenset(),
    conventions: Conventions = DEFAULT_CONVENTIONS,
    attachments: frozenset[str] | None = None,
) -> KnowledgeBase:
    """Read every card, quiz and path, validate them and build the graph; never raises on bad input.

    Without `bodies` (the kcards commands: they check and scaffold, they don't render), cards come back
    with an empty body. With `workers` > 1 and no `cache` (`mkdocs serve` has one), cards and quizzes
    are read in that many processes. `other_files`: the site's files outside the cards folder, as paths
    relative to it (`../guide/setup.md`), so a card's ordinary relative link to one of them is valid.
    `left_out`: card paths the engine leaves out of the site (its `exclude_docs`): not cards, with a warning.
    `attachments`: the other files in the cards folder, relative to it (the engine's files; found on disk
    when None), that a note may embed (`![[diagram.png]]`).
    """
    cards_dir = cards_dir.resolve()
    problems: list[Problem] = []
    cards: list[Card] = []
    first_seen: dict[str, str] = {}
    display_paths: dict[str, str] = {}
    shown_dir = display_path(cards_dir, relative_to)  # once: pathlib per file was 10 % of `kcards check`
    found_attachments: list[str] | None = [] if attachments is None else None
    files, unsafe = scan_cards(cards_dir, shown_dir, found_attachments) if cards_dir.is_dir() else ([], [])
    files_beside = Attachments.of(attachments if attachments is not None else found_attachments or [])
    problems += unsafe
    if left_out:
        kept = []
        for file in files:
            path = file.relative_to(cards_dir).as_posix()
            if path in left_out:
                problems.append(
                    warning(
                        posixpath.join(shown_dir, path),
                        1,
                        Code.UNSAFE_FILE,
                        "the site leaves this file out (exclude_docs, or MkDocs' default for a top-level templates/ "
                        "folder), so it is not a card and links to it show a placeholder; move it, or change exclude_docs",
                    )
                )
            else:
                kept.append(file)
        files = kept
    root = cards_dir.as_posix().rstrip("/") + "/"
    card_paths = [file.as_posix().removeprefix(root) for file in files]  # card_files are all under cards_dir
    jobs = [(file, path, posixpath.join(shown_dir, path)) for file, path in zip(files, card_paths, strict=True)]
    existing = set(card_paths) | other_files
    # A card's links are checked against the files that exist (and read as the conventions say).
    files_key = hash((frozenset(existing), conventions))
    broken: dict[str, str] = {}
    # A card's slug comes from its file's name: every quiz can be checked against them before any card is read.
    names = Names.of(card_paths)
    problems += _clashes(names, shown_dir)
    card_slugs = frozenset(names.slug_of_path.values())
    quiz_seen: dict[str, str] = {}
    quiz_jobs: list[tuple[Path, str]] = []
    for file in quiz_files(quizzes_dir) if quizzes_dir else []:
        shown = display_path(file, relative_to)
        if file.stem in quiz_seen:
            problems.append(
                error(
                    shown,
                    1,
                    Code.DUPLICATE_SLUG,
                    f"a second quiz for '{file.stem}': {quiz_seen[file.stem]} is its quiz already",
                )
            )
            continue
        quiz_seen[file.stem] = shown
        quiz_jobs.append((file, shown))
    read = None
    if workers > 1 and cache is None and len(jobs) + len(quiz_jobs) >= PARALLEL_FROM:
        read = _read_in_parallel(jobs, frozenset(existing), quiz_jobs, card_slugs, workers, bodies, names, conventions)
    if read is None:  # one process: small bases, `mkdocs serve` (its cache), or no processes to start
        read = (
            [_read_card(job, existing, cache, files_key, bodies, names, conventions) for job in jobs],
            [_read_quiz(job, card_slugs, cache) for job in quiz_jobs],
        )
    results, quiz_results = read
    for (_file, path, shown), (card, card_problems) in zip(jobs, results, strict=True):
        file_slug = names.slug_of_path[path]
        if file_slug not in broken:
            broken[file_slug] = path  # until it validates
        problems += card_problems
        if card is None:
            continue
        if card.slug in first_seen:
            problems.append(
                error(
                    shown,
                    1,
                    Code.DUPLICATE_SLUG,
                    f"duplicate slug '{card.slug}': {first_seen[card.slug]} already uses it; slugs are unique across all folders",
                )
            )
            continue
        first_seen[card.slug] = shown
        broken.pop(card.slug, None)
        display_paths[card.slug] = shown
        cards.append(card)
    broken_cards = {slug: path for slug, path in broken.items() if slug not in first_seen}
    cards = _named_by_titles(cards)
    problems += _missing_anchors(cards, display_paths)
    problems += _missing_embeds(cards, display_paths, files_beside, names, conventions)
    graph = KnowledgeGraph(cards, broken_cards)
    problems += graph.cycles(display_paths)
    quizzes: dict[str, Quiz] = {}
    for quiz, quiz_problems in quiz_results:
        problems += quiz_problems
        if quiz is not None and quiz.slug in graph.cards:
            quizzes[quiz.slug] = quiz
    paths: list[LearningPath] = []
    if paths_file is not None:
        paths, path_problems = load_paths(paths_file, display_path(paths_file, relative_to), graph)
        problems += path_problems
        steps = {slug for path in paths for slug in path.cards}
        if not steps <= graph.nodes.keys():  # steps with no card yet get placeholder pages
            graph = KnowledgeGraph(cards, broken_cards, wanted=sorted(steps))
    if not paths and graph.cards:
        paths = [derived_path(graph)]
    return KnowledgeBase(
        cards_dir,
        tuple(cards),
        graph,
        tuple(sorted(problems, key=sort_key)),
        display_paths,
        quizzes,
        tuple(paths),
        files_beside,
        names,
        conventions,
    )


def _clashes(names: Names, shown_dir: str) -> list[Problem]:
    """A warning for each file whose name gives a slug another file has, naming both and the slug given."""
    return [
        warning(
            posixpath.join(shown_dir, clash.path),
            1,
            Code.DUPLICATE_SLUG,
            f"this name gives the slug '{clash.wanted}', which {posixpath.join(shown_dir, clash.other)} has: "
            f"this note's slug is '{clash.given}' (links by its path find it; rename it to choose)",
        )
        for clash in names.clashes
    ]


def _named_by_titles(cards: list[Card]) -> list[Card]:
    """Links by a name no file has (`[[Some Idea]]`) find the card with that title or alias, if one has
    it; the rest keep the name's slug (a placeholder). Done once every card is read: a title is
    known only then."""
    if not any(link.name for card in cards for link in card.body_links):
        return cards
    slugs = {card.slug for card in cards}
    claimed: dict[str, str] = {}
    for card in cards:
        for name in (card.title, *card.aliases):
            claimed.setdefault(name.lower(), card.slug)
            claimed.setdefault(slug_of(name), card.slug)
    named = []
    for card in cards:
        if any(link.name for link in card.body_links):
            links = tuple(
                dataclasses.replace(link, slug=claimed.get(link.name.lower()) or claimed.get(link.slug) or link.slug)
                if link.name and link.slug not in slugs
                else link
                for link in card.body_links
            )
            card = dataclasses.replace(card, body_links=links)
        named.append(card)
    return named


def _missing_anchors(cards: list[Card], display_paths: dict[str, str]) -> list[Problem]:
    """A warning for a link to a heading or block (`[[Note#Heading]]`, `[[Note#^id]]`) its card does not
    have. A card not written yet has no headings to check: its link leads to the placeholder."""
    by_slug = {card.slug: card for card in cards}
    problems = []
    for card in cards:
        for link in card.body_links:
            target = by_slug.get(link.slug)
            if not link.anchor or target is None:
                continue
            anchor = link.anchor[1:]
            if is_anchor_id(anchor):  # an id as the site writes it (`#at-a-glance`): the engine checks those
                continue
            known = {slug_of(text) for text in target.headings} | set(target.headings)
            if anchor in known or slug_of(anchor) in known:
                continue
            what = "block" if anchor.startswith("^") else "heading"
            problems.append(
                warning(
                    display_paths.get(card.slug, card.path),
                    link.line,
                    Code.INVALID_SLUG,
                    f"link to '{link.slug}{link.anchor}': '{target.title}' has no {what} '{anchor}'",
                    column=link.column,
                )
            )
    return problems


MAX_EMBED_DEPTH = 3
"""How deep notes embedded in notes are shown; deeper, an embed is a link."""


def _missing_embeds(
    cards: list[Card], display_paths: dict[str, str], files: Attachments, names: Names, conventions: Conventions
) -> list[Problem]:
    """A warning for an embed of a file that is not there, of a note not written yet, or of a note that
    embeds (through others) the note embedding it: that one is shown as a link."""
    by_slug = {card.slug: card for card in cards}
    problems = []

    def note_of(card: Card, target: str) -> str | None:
        return names.slug_for(target, card.path, conventions.link_resolution)

    for card in cards:
        shown = display_paths.get(card.slug, card.path)
        for embed in card.embeds:
            if not embed.is_note:
                if files.find(embed.target, card.path) is None:
                    message = f"embed ![[{embed.target}]]: no file of that name among the notes; it shows as its name"
                    problems.append(warning(shown, embed.line, Code.INVALID_SLUG, message, column=embed.column))
                continue
            slug = note_of(card, embed.target)
            if slug is None or slug not in by_slug:
                message = f"embed ![[{embed.target}]]: no note of that name yet; it shows as a link to its placeholder"
                problems.append(warning(shown, embed.line, Code.INVALID_SLUG, message, column=embed.column))
                continue
            if embed.anchor:
                continue  # a section: whether it holds the embed that leads back is the page's to see
            seen, todo = {slug}, [slug]  # does the embedded note lead back here through its own embeds?
            while todo:
                other = by_slug.get(todo.pop())
                for inner in other.embeds if other is not None else ():
                    whole = inner.is_note and not inner.anchor
                    inner_slug = note_of(other, inner.target) if whole else None  # type: ignore[arg-type]
                    if inner_slug == card.slug:
                        message = (
                            f"embed ![[{embed.target}]]: it embeds this note again (a cycle); "
                            "the second time it shows as a link"
                        )
                        problems.append(warning(shown, embed.line, Code.CYCLE, message, column=embed.column))
                        todo = []
                        break
                    if inner_slug is not None and inner_slug not in seen:
                        seen.add(inner_slug)
                        todo.append(inner_slug)
    return problems
