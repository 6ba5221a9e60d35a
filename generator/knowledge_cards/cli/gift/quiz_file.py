"""The quiz file an import writes: its YAML, and the checks that it is new, in place and loads."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ...core.keys import did_you_mean
from ...core.load import read_text
from ...core.model import is_slug
from ...core.problems import Code, Problem, Severity, error
from ...core.quiz import load_quiz, quiz_files
from ...core.validate import SLUG_HINT
from ..new_files import create
from .convert import GiftQuestion, read_gift
from .text import UNPRINTABLE


class _Dumper(yaml.SafeDumper):
    """Safe YAML with indented lists and line breaks kept as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Characters PyYAML writes raw (so wrongly) unless double-quoted: other line breaks, unprintables.
_NOT_LITERAL = re.compile("[\r\x85\u2028\u2029]|" + UNPRINTABLE.pattern)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if _NOT_LITERAL.search(data):  # PyYAML writes NEL and friends raw unless double-quoted
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    if "\n" in data and data == data.strip():  # `|-`: a kept final break would end the document with `...`
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_str(data)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


def _comment(text: str) -> str:
    return " ".join(UNPRINTABLE.sub("", text).split())


def to_quiz_yaml(
    questions: Sequence[Mapping[str, Any] | GiftQuestion], title: str | None = None, source: str = ""
) -> str:
    """A quiz file's YAML text; GiftQuestions get a comment with their GIFT line and title."""
    origin = _comment(source) or "a Moodle GIFT file"
    parts = [f"# Imported from {origin} by kcards import-gift.\n"]
    if title:
        parts.append(_dump({"title": title}))
    if not questions:
        parts.append("questions: []\n")
        return "".join(parts)
    parts.append("questions:\n")
    for number, question in enumerate(questions):
        if number:
            parts.append("\n")
        if isinstance(question, GiftQuestion):
            named = f": {_comment(question.title)}" if _comment(question.title) else ""
            parts.append(f"  # GIFT line {question.line}{named}\n")
            data: Mapping[str, Any] = question.data
        else:
            data = question
        dumped = _dump([dict(data)])
        # Indented under `questions:`; only "\n" ends a line (the dumper escapes every other break).
        parts.append("".join(f"  {line}\n" if line else "\n" for line in dumped.rstrip("\n").split("\n")))
    return "".join(parts)


def import_gift(
    gift_file: Path,
    card_slug: str,
    quizzes_dir: Path,
    card_slugs: set[str] | frozenset[str],
    *,
    gift_display: str | None = None,
    quiz_display: str | None = None,
) -> tuple[Path | None, list[Problem]]:
    """`kcards import-gift`: write `quizzes_dir/<card_slug>.yml` from a GIFT file, never overwriting.

    Returns the written file (None when nothing was written) and the problems: warnings
    only when the file was written; at least one error when it was not.
    """
    gift_shown = gift_display or str(gift_file)
    quiz_shown = quiz_display or f"{quizzes_dir.name}/{card_slug}.yml"
    if not is_slug(card_slug):
        return None, [error(quiz_shown, 1, Code.INVALID_SLUG, f"'{card_slug}' is not a valid card slug ({SLUG_HINT})")]
    if card_slug not in card_slugs:
        return None, [
            error(
                quiz_shown,
                1,
                Code.QUIZ_ORPHAN,
                f"no card has the slug '{card_slug}'{did_you_mean(card_slug, sorted(card_slugs))}; "
                "a quiz belongs to the card with its slug",
            )
        ]
    target = quizzes_dir / f"{card_slug}.yml"
    existing = [target] if target.exists() else [file for file in quiz_files(quizzes_dir) if file.stem == card_slug]
    if existing:
        shown = quiz_shown
        if existing[0] != target:
            shown = f"{quizzes_dir.name}/{existing[0].relative_to(quizzes_dir).as_posix()}"
        return None, [error(shown, 1, Code.GIFT, f"{shown} already exists; not overwritten")]
    text, problems = read_text(gift_file, gift_shown, what="the GIFT file")
    if text is None:
        return None, problems
    if not text.strip():
        return None, [error(gift_shown, 1, Code.EMPTY, "the GIFT file is empty; it holds no questions")]
    questions, problems = read_gift(text, gift_shown)
    if any(problem.severity is Severity.ERROR for problem in problems):
        return None, problems
    if not questions:
        hint = "; see the warnings" if problems else ""
        return None, [*problems, error(gift_shown, 1, Code.GIFT, f"no question could be imported from this file{hint}")]
    content = to_quiz_yaml(questions, source=gift_file.name)
    try:
        create(target, content)  # whole or not at all, never over an existing quiz
    except FileExistsError:
        return None, [error(quiz_shown, 1, Code.GIFT, f"{quiz_shown} already exists; not overwritten")]
    except OSError as exc:
        return None, [error(quiz_shown, 1, Code.GIFT, f"cannot write the quiz file: {exc.strerror or exc}")]
    # The written quiz must load cleanly; if it ever does not, take it back rather than leave a broken file.
    _, loaded = load_quiz(target, quiz_shown, card_slugs)
    if loaded:
        target.unlink(missing_ok=True)
        return None, [
            *loaded,
            error(
                quiz_shown, 1, Code.GIFT, "the imported quiz did not load and was removed; please report this as a bug"
            ),
        ]
    return target, problems
