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
from .model import Card, is_slug
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
        card, card_problems = validate_card(raw, existing.__contains__) if raw else (None, [])
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
) -> tuple[list[tuple[Card | None, list[Problem]]], list[tuple[Quiz | None, list[Problem]]]] | None:
    """`_read_card` and `_read_quiz` over all jobs, results in order; None where
    processes cannot be started. This process reads an equal share of the cards and of the quizzes
    while `workers - 1` forked processes read the rest: it would otherwise only wait for them, and every
    card it reads itself is one less to unpickle (unpickling 5,000 cards took 0.6-0.9 s)."""
    read_card = functools.partial(_read_card, existing=existing, bodies=bodies)
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
) -> KnowledgeBase:
    """Read every card, quiz and path, validate them and build the graph; never raises on bad input.

    Without `bodies` (the kcards commands: they check and scaffold, they don't render), cards come back
    with an empty body. With `workers` > 1 and no `cache` (`mkdocs serve` has one), cards and quizzes
    are read in that many processes. `other_files`: the site's files outside the cards folder, as paths
    relative to it (`../guide/setup.md`), so a card's ordinary relative link to one of them is valid.
    `left_out`: card paths the engine leaves out of the site (its `exclude_docs`): not cards, with a warning.
    """
    cards_dir = cards_dir.resolve()
    problems: list[Problem] = []
    cards: list[Card] = []
    first_seen: dict[str, str] = {}
    display_paths: dict[str, str] = {}
    shown_dir = display_path(cards_dir, relative_to)  # once: pathlib per file was 10 % of `kcards check`
    files, unsafe = scan_cards(cards_dir, shown_dir) if cards_dir.is_dir() else ([], [])
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
    files_key = hash(frozenset(existing))  # a card's links are checked against the files that exist
    broken: dict[str, str] = {}
    # A card's slug is its file name: every quiz can be checked against them before any card is read.
    card_slugs = frozenset(file.stem for file in files if is_slug(file.stem))
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
        read = _read_in_parallel(jobs, frozenset(existing), quiz_jobs, card_slugs, workers, bodies)
    if read is None:  # one process: small bases, `mkdocs serve` (its cache), or no processes to start
        read = (
            [_read_card(job, existing, cache, files_key, bodies) for job in jobs],
            [_read_quiz(job, card_slugs, cache) for job in quiz_jobs],
        )
    results, quiz_results = read
    for (file, path, shown), (card, card_problems) in zip(jobs, results, strict=True):
        if is_slug(file.stem) and file.stem not in broken:
            broken[file.stem] = path  # until it validates
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
        cards_dir, tuple(cards), graph, tuple(sorted(problems, key=sort_key)), display_paths, quizzes, tuple(paths)
    )
