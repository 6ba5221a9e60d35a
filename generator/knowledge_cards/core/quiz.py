"""Quizzes: load and validate `quizzes/<slug>.yml` into typed records.

A quiz is the "Check your understanding" self-check of the card with the same
slug. Problems use the same record and channel as cards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .frontmatter import LocatedYaml, YamlError, load_yaml
from .keys import SUGGESTIONS_PER_FILE
from .load import read_text
from .model import is_slug
from .problems import Code, Problem, error, warning
from .validate import SLUG_HINT, did_you_mean, duplicate_key_warnings

QUESTION_TYPES = ("single", "multiple", "true_false", "order", "reflect")
QUIZ_KEYS = ("title", "pass_mark", "questions")
COMMON_KEYS = ("type", "prompt", "hint", "explain")
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "single": ("options",),
    "multiple": ("options",),
    "true_false": ("answer", "feedback"),
    "order": ("items",),
    "reflect": ("answer",),
}
OPTION_KEYS = ("text", "correct", "feedback")
DEFAULT_TITLE = "Check your understanding"
DEFAULT_PASS_MARK = 70


@dataclass(frozen=True)
class Option:
    """A choice of a single or multiple question (true/false questions get two)."""

    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """One question; which fields matter depends on `type`."""

    type: str
    prompt: str
    line: int
    hint: str = ""
    explain: str = ""
    options: tuple[Option, ...] = ()
    items: tuple[str, ...] = ()
    """For `order`: the items in the right order."""
    model_answer: str = ""
    """For `reflect`: the answer the learner compares theirs with."""


@dataclass(frozen=True)
class Quiz:
    """A card's self-check."""

    slug: str
    path: str
    title: str
    pass_mark: int
    questions: tuple[Question, ...]


def _text(value: Any) -> str | None:
    if isinstance(value, (bool, list, dict)) or value is None:
        return None
    return str(value).strip()


class _QuizChecker:
    def __init__(self, display: str, located: LocatedYaml) -> None:
        self.display = display
        self.located = located
        self.problems: list[Problem] = []
        self.suggested = 0

    def error(self, message: str, *path: Any, code: Code = Code.QUIZ) -> None:
        self.problems.append(error(self.display, self.located.line_of(*path), code, message))

    def warn(self, message: str, *path: Any, code: Code = Code.UNKNOWN_KEY) -> None:
        self.problems.append(warning(self.display, self.located.line_of(*path), code, message))

    def unknown(self, mapping: dict[Any, Any], allowed: tuple[str, ...], where: str, *path: Any) -> None:
        for key in mapping:
            if key not in allowed:
                self.suggested += 1
                hint = did_you_mean(str(key), allowed) if self.suggested <= SUGGESTIONS_PER_FILE else ""
                self.warn(f"unknown key '{key}' in {where}{hint}; it is ignored", *path, key)


def load_quiz(file: Path, display: str, card_slugs: set[str] | frozenset[str]) -> tuple[Quiz | None, list[Problem]]:
    """Read and check one quiz file; problems instead of exceptions."""
    slug = file.stem
    text, problems = read_text(file, display)
    if text is None:
        return None, problems
    if not is_slug(slug):
        return None, [
            error(display, 1, Code.INVALID_SLUG, f"quiz file name '{file.name}' must be <card slug>.yml ({SLUG_HINT})")
        ]
    if not text.strip():
        return None, [error(display, 1, Code.EMPTY, "the quiz file is empty; it needs 'questions:'")]
    try:
        located = load_yaml(text)
    except YamlError as exc:
        return None, [error(display, exc.line, Code.YAML, f"invalid YAML: {exc.message}")]
    check = _QuizChecker(display, located)
    data = located.data
    if not isinstance(data, dict):
        return None, [error(display, 1, Code.NOT_MAPPING, "a quiz must be a mapping with 'questions:' (a list)")]
    if slug not in card_slugs:
        check.error(
            f"quiz for '{slug}', but no card has that slug{did_you_mean(slug, sorted(card_slugs))}; "
            "name the file after its card",
            code=Code.QUIZ_ORPHAN,
        )
    check.unknown(data, QUIZ_KEYS, "the quiz")
    check.problems += duplicate_key_warnings(display, located)
    pass_mark = DEFAULT_PASS_MARK
    if "pass_mark" in data:
        value = data["pass_mark"]
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value):
            value = float(value)  # `72.5` is text to the card loader, which keeps numbers as written
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            check.error(
                f"pass_mark must be a percentage from 0 to 100, not '{value}'", "pass_mark", code=Code.BAD_VALUE
            )
        else:
            pass_mark = round(value)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        check.error("'questions:' must be a non-empty list of questions", "questions", code=Code.MISSING_KEY)
        raw_questions = []
    questions = []
    for index, raw in enumerate(raw_questions):
        question = _question(check, raw, index)
        if question is not None:
            questions.append(question)
    if any(p.severity.value == "error" for p in check.problems):
        return None, check.problems
    title = _text(data.get("title")) or DEFAULT_TITLE
    return Quiz(slug, file.name, title, pass_mark, tuple(questions)), check.problems


def _question(check: _QuizChecker, raw: Any, index: int) -> Question | None:
    where = ("questions", index)
    if not isinstance(raw, dict):
        check.error("each question is a mapping with 'type:' and 'prompt:'", *where)
        return None
    kind = _text(raw.get("type"))
    if kind not in QUESTION_TYPES:
        shown = "missing" if kind is None else f"'{kind}'"
        check.error(
            f"question type {shown} is not one of {', '.join(QUESTION_TYPES)}{did_you_mean(str(kind), QUESTION_TYPES) if kind else ''}",
            *where,
            "type",
            code=Code.BAD_VALUE,
        )
        return None
    check.unknown(raw, COMMON_KEYS + TYPE_KEYS[kind], f"a {kind} question", *where)
    prompt = _text(raw.get("prompt"))
    if not prompt:
        check.error("the question's prompt is empty; write 'prompt: ...'", *where, "prompt", code=Code.MISSING_KEY)
        return None
    line = check.located.line_of(*where)
    common = {
        "type": kind,
        "prompt": prompt,
        "line": line,
        "hint": _text(raw.get("hint")) or "",
        "explain": _text(raw.get("explain")) or "",
    }
    if kind in ("single", "multiple"):
        options = _options(check, raw.get("options"), where)
        if options is None:
            return None
        right = sum(option.correct for option in options)
        if right == 0:
            check.error("no option is marked 'correct: true'; a question needs a right answer", *where, "options")
            return None
        if kind == "single" and right > 1:
            check.error(
                f"a single question has exactly one right option, but {right} are marked correct; use type: multiple",
                *where,
                "options",
            )
            return None
        return Question(options=options, **common)  # type: ignore[arg-type]
    if kind == "true_false":
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            check.error("a true_false question needs 'answer: true' or 'answer: false'", *where, "answer")
            return None
        feedback = raw.get("feedback") or {}
        if not isinstance(feedback, dict):
            check.error("feedback of a true_false question is a mapping: {true: ..., false: ...}", *where, "feedback")
            return None
        by_side = {str(key).lower(): _text(value) or "" for key, value in feedback.items()}
        for key in by_side:
            if key not in ("true", "false"):
                check.warn(f"unknown feedback side '{key}'; use true and false", *where, "feedback")
        options = (
            Option("True", answer is True, by_side.get("true", "")),
            Option("False", answer is False, by_side.get("false", "")),
        )
        return Question(options=options, **common)  # type: ignore[arg-type]
    if kind == "order":
        items = raw.get("items")
        if not isinstance(items, list) or any(_text(item) in (None, "") for item in items):
            check.error("an order question needs 'items:', a list of texts in the right order", *where, "items")
            return None
        texts = tuple(str(_text(item)) for item in items)
        if len(texts) < 2:
            check.error(f"an order question needs at least two items, not {len(texts)}", *where, "items")
            return None
        if len(set(texts)) != len(texts):
            duplicate = next(text for text in texts if texts.count(text) > 1)
            check.error(f"item '{duplicate}' appears twice; each item must be distinct", *where, "items")
            return None
        return Question(items=texts, **common)  # type: ignore[arg-type]
    answer_text = _text(raw.get("answer"))
    if not answer_text:
        check.error("a reflect question needs 'answer:', the model answer learners compare with", *where, "answer")
        return None
    return Question(model_answer=answer_text, **common)  # type: ignore[arg-type]


def _options(check: _QuizChecker, raw: Any, where: tuple[Any, ...]) -> tuple[Option, ...] | None:
    if not isinstance(raw, list) or len(raw) < 2:
        check.error(
            "'options:' must list at least two options, each {text: ..., correct: true|false}", *where, "options"
        )
        return None
    options = []
    seen: set[str] = set()
    ok = True
    for index, item in enumerate(raw):
        at = (*where, "options", index)
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            check.error("each option is {text: ..., correct: true|false, feedback: ...}", *at)
            ok = False
            continue
        check.unknown(item, OPTION_KEYS, "an option", *at)
        text = _text(item.get("text"))
        if not text:
            check.error("an option has no text", *at)
            ok = False
            continue
        if text in seen:
            check.error(f"option '{text}' appears twice in this question", *at)
            ok = False
            continue
        seen.add(text)
        correct = item.get("correct", False)
        if not isinstance(correct, bool):
            check.error(f"correct must be true or false, not '{correct}'", *at, "correct", code=Code.BAD_VALUE)
            ok = False
            continue
        options.append(Option(text, correct, _text(item.get("feedback")) or ""))
    return tuple(options) if ok else None


def quiz_files(quizzes_dir: Path) -> list[Path]:
    """Every quiz file, in a stable order (`.yml` and `.yaml`)."""
    if not quizzes_dir.is_dir():
        return []
    return sorted(p for p in quizzes_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
