"""GIFT syntax: questions split at blank lines, escapes decoded, and each question's parts found.

Reading follows Moodle's own importer (question/format/gift/format.php): lines starting with `//` are
comments, `::Title::` opens a question, the first `{...}` holds the answers, `####` starts the
general feedback, `#` an answer's feedback, `%50%` an answer's weight, and a backslash escapes
`~ = # { } :` (`\\n` is a line break). Where a piece is wrong, an error names its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.problems import Code, Problem, error, warning
from .text import UNPRINTABLE, Notes, clean_text, short

_ESCAPABLE = ":#={}~"
_SYNTAX = frozenset("~=#{}:")
# An answer's weight at its start: `%`, a number (negative, decimal), `%`.
_WEIGHT = re.compile(r"%(-?[0-9]+(?:\.[0-9]*)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
"""The answers Moodle reads as true/false, in upper case."""


@dataclass
class Chars:
    """A question's text with escapes decoded, knowing which characters are GIFT syntax and where each was."""

    text: str
    special: list[bool]
    """False for escaped characters and plain text: only True ones delimit titles, answers and feedback."""
    where: list[tuple[int, int]]
    """1-based (line, column) in the GIFT file of each character."""

    def find(self, pattern: str, lo: int, hi: int) -> int:
        index = self.text.find(pattern, lo, hi)
        while index != -1 and not all(self.special[index : index + len(pattern)]):
            index = self.text.find(pattern, index + 1, hi)
        return index

    def rfind(self, pattern: str, lo: int, hi: int) -> int:
        index = self.text.rfind(pattern, lo, hi)
        while index != -1 and not all(self.special[index : index + len(pattern)]):
            index = self.text.rfind(pattern, lo, index + len(pattern) - 1)
        return index

    def strip(self, lo: int, hi: int) -> tuple[int, int]:
        while lo < hi and self.text[lo].isspace():
            lo += 1
        while hi > lo and self.text[hi - 1].isspace():
            hi -= 1
        return lo, hi

    def line(self, index: int) -> int:
        return self.where[min(index, len(self.where) - 1)][0] if self.where else 1

    def column(self, index: int) -> int:
        return self.where[min(index, len(self.where) - 1)][1] if self.where else 1


def decode(lines: list[tuple[int, str]]) -> Chars:
    """Join a question's lines (each stripped, as Moodle does) and decode GIFT escapes."""
    chars: list[str] = []
    special: list[bool] = []
    where: list[tuple[int, int]] = []
    for index, (number, line) in enumerate(lines):
        content = line.strip()
        lead = len(line) - len(line.lstrip())
        if index:
            chars.append("\n")
            special.append(False)
            where.append((number, 1))
        i = 0
        while i < len(content):
            char = content[i]
            position = (number, lead + i + 1)
            if char == "\\" and i + 1 < len(content) and (content[i + 1] in _ESCAPABLE or content[i + 1] in "\\n"):
                following = content[i + 1]
                chars.append("\n" if following == "n" else following)
                special.append(False)
                where.append(position)
                i += 2
                continue
            chars.append(char)
            special.append(char in _SYNTAX)
            where.append(position)
            i += 1
    return Chars("".join(chars), special, where)


def blocks(text: str) -> list[list[tuple[int, str]]]:
    """Questions: runs of lines between blank lines, without `//` comment lines."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(current)
                current = []
        elif not stripped.startswith("//"):
            current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


class Report:
    """The problems found in one GIFT file, each on its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def warn(self, line: int, message: str, column: int = 1) -> None:
        self.problems.append(warning(self.path, line, Code.GIFT, message, column))

    def fail(self, line: int, message: str, column: int = 1) -> None:
        self.problems.append(error(self.path, line, Code.GIFT, message, column))


@dataclass(frozen=True)
class QuestionParts:
    """Where a question's pieces are in its decoded text: the question, the answers between the braces
    and the general feedback after `####` (each `(lo, hi)`), and the question type as Moodle decides it."""

    kind: str
    text: tuple[int, int]
    answers: tuple[int, int]
    general: tuple[int, int] | None
    text_after: bool
    """Text after the answer block: a missing-word question."""


class QuestionBlock:
    """One question block being read: its text, title and format, and the notes and problems it gives."""

    def __init__(self, report: Report, chars: Chars) -> None:
        self.report = report
        self.chars = chars
        self.lo, self.hi = chars.strip(0, len(chars.text))
        self.line = chars.line(self.lo)
        self.title = ""
        self.notes = Notes()
        self.format = "moodle"
        """The text format in force: `[html]`, `[plain]`... at the question's start changes it for the rest."""

    def skip(self, message: str, line: int = 0) -> None:
        """A warning on the question (or on `line`): what is not imported, and why."""
        self.report.warn(line or self.line, message)

    def fail_at(self, index: int, message: str) -> None:
        self.report.fail(self.chars.line(index), message, self.chars.column(index))

    def clean(self, lo: int, hi: int) -> str:
        """The text at `lo:hi` as inline Markdown."""
        return clean_text(self.chars.text[lo:hi], self.format, self.notes)[0]

    def parts(self) -> QuestionParts | None:
        """The title, answer block and general feedback, checked as Moodle would (None after an error)."""
        chars, lo, hi = self.chars, self.lo, self.hi
        if chars.text.startswith("::", lo) and all(chars.special[lo : lo + 2]):
            end = chars.find("::", lo + 2, hi)
            if end == -1:
                self.fail_at(
                    lo, "'::' opens a question title that is never closed with '::'; write \\: for a literal colon"
                )
                return None
            self.title = " ".join(UNPRINTABLE.sub("", chars.text[lo + 2 : end]).split())
            lo, hi = chars.strip(end + 2, hi)
        opening = chars.find("{", lo, hi)
        closing = chars.find("}", lo, hi)
        if opening == -1 and closing == -1:
            self.skip("text without an answer block '{...}' is a description, not a question; not imported")
            return None
        if closing != -1 and (opening == -1 or closing < opening):
            self.fail_at(closing, "'}' closes no answer block; write \\} for a literal brace")
            return None
        if closing == -1:
            self.fail_at(
                opening,
                "'{' opens an answer block that is never closed with '}' (a question ends at a blank line); "
                "write \\{ for a literal brace",
            )
            return None
        nested = chars.find("{", opening + 1, closing)
        if nested != -1:
            self.fail_at(nested, "'{' inside an answer block; write \\{ for a literal brace")
            return None
        second = chars.find("{", closing + 1, hi)
        if second != -1:
            self.fail_at(
                second,
                "a second answer block in one question; separate questions with a blank line, "
                "or write \\{ for a literal brace",
            )
            return None
        stray = chars.find("}", closing + 1, hi)
        if stray != -1:
            self.fail_at(stray, "'}' closes no answer block; write \\} for a literal brace")
            return None
        answer_lo, answer_hi = chars.strip(opening + 1, closing)
        general_at = chars.rfind("####", answer_lo, answer_hi)
        general = None
        if general_at != -1:
            general = (general_at + 4, answer_hi)
            answer_lo, answer_hi = chars.strip(answer_lo, general_at)
        text_after = chars.strip(closing + 1, hi)[0] < hi
        return QuestionParts(
            self.kind(answer_lo, answer_hi), (lo, opening), (answer_lo, answer_hi), general, text_after
        )

    def kind(self, lo: int, hi: int) -> str:
        """The question type, decided as Moodle decides it."""
        chars = self.chars
        if lo >= hi:
            return "essay"
        if chars.text[lo] == "#" and chars.special[lo]:
            return "numerical"
        if chars.find("~", lo, hi) != -1:
            return "multichoice"
        if chars.find("=", lo, hi) != -1 and chars.text.find("->", lo, hi) != -1:
            return "match"
        sharp = chars.find("#", lo, hi)
        token = chars.text[lo : sharp if sharp != -1 else hi].strip()
        return "truefalse" if token.upper() in TRUE_FALSE else "shortanswer"

    def answers(self, lo: int, hi: int, markers: str, default_weight: float) -> list[Answer] | None:
        """Split `lo:hi` at the answer markers into answers with weight and feedback."""
        chars = self.chars
        starts = [i for i in range(lo, hi) if chars.special[i] and chars.text[i] in markers]
        pieces: list[tuple[int, int, str]] = []
        head_lo, head_hi = chars.strip(lo, starts[0] if starts else hi)
        if head_lo < head_hi:
            pieces.append((head_lo, head_hi, ""))
            if "~" in markers:
                self.skip(
                    f"text '{short(chars.text[head_lo:head_hi])}' before the first '~' or '=' "
                    "is read as a wrong answer (as Moodle does)",
                    chars.line(head_lo),
                )
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else hi
            pieces.append((start + 1, end, chars.text[start]))
        answers = []
        for piece_lo, piece_hi, marker in pieces:
            line = chars.line(piece_lo - 1 if marker else piece_lo)
            sharp = chars.find("#", piece_lo, piece_hi)
            body_lo, body_hi = chars.strip(piece_lo, sharp if sharp != -1 else piece_hi)
            body = chars.text[body_lo:body_hi]
            weight = 100.0 if marker == "=" else default_weight
            match = _WEIGHT.match(body)
            if match:
                weight = float(match.group(1))
                body = body[match.end() :]
            text = clean_text(body, self.format, self.notes)[0]
            feedback = self.clean(sharp + 1, piece_hi) if sharp != -1 else ""
            answers.append(Answer(text, weight, feedback, line))
        for answer in answers:
            if not answer.text:
                self.skip("an answer has no text; question not imported", answer.line)
                return None
        seen: set[str] = set()
        for answer in answers:
            if answer.text in seen:
                self.skip(f"answer '{short(answer.text)}' appears twice; question not imported", answer.line)
                return None
            seen.add(answer.text)
        return answers


@dataclass
class Answer:
    """One answer of a choice or short-answer question."""

    text: str
    weight: float
    feedback: str
    line: int
