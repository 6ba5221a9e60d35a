"""Import a Moodle GIFT question bank as a quiz file (`kcards import-gift`).

GIFT is described at https://docs.moodle.org/en/GIFT_format. Reading follows
Moodle's own importer (question/format/gift/format.php) so a bank means here
what it means in Moodle: questions are separated by blank lines, lines starting
with `//` are comments, `::Title::` opens a question, the first `{...}` holds
the answers, `####` starts the general feedback, `#` an answer's feedback, and
a backslash escapes `~ = # { } :` (`\\n` is a line break, `\\\\` a backslash).

What a quiz can ask (single, multiple, true_false, reflect) is converted; what
it cannot is reported as a warning on the question's line and left out, and
GIFT that Moodle itself rejects (or that would import as garbage) is an error.
Nothing is dropped silently. Texts become inline Markdown, never HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.load import read_text
from ..core.model import is_slug
from ..core.problems import Code, Problem, Severity, error, warning
from ..core.quiz import load_quiz, quiz_files
from ..core.validate import SLUG_HINT, did_you_mean

GIFT_CODE = Code.GIFT
"""The code of GIFT syntax errors and unsupported features (a dedicated `Code.GIFT` would fit better)."""

_ESCAPABLE = ":#={}~"
_SYNTAX = frozenset("~=#{}:")
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"%(-?[0-9]+(?:\.[0-9]*)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

# Characters no quiz text keeps: controls, surrogates, noncharacters (so also the emphasis
# placeholders below); \t \n \r and other whitespace stay, to be folded into spaces.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")

# HTML: a start or end tag, whose name is checked against the tags below.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*)?)/?>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_SPACE_TAGS = frozenset(
    "p div br hr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table thead tbody tfoot tr td th caption "
    "blockquote section article header footer figure figcaption center address main nav aside "
    "details summary".split()
)
_BOLD_TAGS = frozenset({"b", "strong"})
_ITALIC_TAGS = frozenset({"i", "em"})
_CODE_TAGS = frozenset({"code", "tt", "kbd", "samp", "pre"})
_HIDDEN_TAGS = frozenset({"script", "style"})
_OTHER_TAGS = frozenset(
    "span font u s strike del ins sub sup small big mark abbr acronym cite q var dfn label nobr wbr "
    "bdi bdo time data html body head title meta link base input button select option textarea form "
    "video audio source track embed object iframe svg math canvas noscript picture".split()
)
_KNOWN_TAGS = _SPACE_TAGS | _BOLD_TAGS | _ITALIC_TAGS | _CODE_TAGS | _HIDDEN_TAGS | _OTHER_TAGS | {"a", "img"}
# Placeholders for emphasis while HTML is converted (noncharacters, removed from input first).
_BOLD_ON, _BOLD_OFF, _ITALIC_ON, _ITALIC_OFF = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
_EMPHASIS = [
    (on, off, mark, re.compile(f"{on}(\\s*){off}"), re.compile(f"{on}(\\s+)"), re.compile(f"(\\s+){off}"))
    for on, off, mark in ((_BOLD_ON, _BOLD_OFF, "**"), (_ITALIC_ON, _ITALIC_OFF, "*"))
]
# Markdown that plain text must not trigger: backslash, code, emphasis (`_` only at a word edge).
_MD_SPECIAL = re.compile(r"[\\`*]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_NUMBERED = re.compile(r"^([0-9]+)\.(?=\s|$)")


@dataclass(frozen=True)
class GiftQuestion:
    """One imported question: its quiz data, plus where and under which title it was in the GIFT file."""

    line: int
    title: str
    data: dict[str, Any]


@dataclass
class _Chars:
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


def _decode(lines: list[tuple[int, str]]) -> _Chars:
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
    return _Chars("".join(chars), special, where)


def _blocks(text: str) -> list[list[tuple[int, str]]]:
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


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(_UNPRINTABLE.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _percent(weight: float) -> str:
    return f"{weight:g}%"


def _escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text."""
    return _MD_SPECIAL.sub(lambda match: "\\" + match.group(0), text)


def _escape_line_start(text: str) -> str:
    """Keep a text from starting a heading, quote or list when rendered."""
    if text[:1] in ("#", ">", "-", "+"):
        return "\\" + text
    return _MD_NUMBERED.sub(r"\1\\.", text)


def _attribute(pattern: re.Pattern[str], attributes: str) -> str:
    match = pattern.search(attributes)
    if not match:
        return ""
    return html.unescape(next(group for group in match.groups() if group is not None)).strip()


class _HtmlToMarkdown:
    """Moodle/HTML text to inline Markdown: bold, italics and code kept, other tags removed, all noted."""

    def __init__(self, raw: str, markdown: bool, tags: list[str]) -> None:
        self.raw = raw
        self.markdown = markdown
        self.tags = tags
        self.out: list[str] = []
        self.code: list[str] | None = None
        self.depth = {"bold": 0, "italic": 0, "code": 0}
        self.links: list[tuple[str, int, int]] = []
        """Open links: href, where their label starts in `out`, and `visible` then."""
        self.visible = 0
        """How many non-space characters `out` holds: finds empty labels without joining."""

    def note(self, name: str) -> None:
        if name not in self.tags:
            self.tags.append(name)

    def text(self, chunk: str, decoded: bool = False) -> None:
        """Text between tags: entities decoded (unless already), escaped for Markdown outside code."""
        chunk = chunk if decoded else html.unescape(chunk)
        if self.code is not None:
            self.code.append(chunk)
        else:
            self.emit(chunk if self.markdown else _escape_markdown(chunk))

    def emit(self, markdown: str) -> None:
        self.out.append(markdown)
        self.visible += len(markdown) - sum(char.isspace() for char in markdown)

    def convert(self) -> str:
        raw, lower = self.raw, self.raw.lower()
        last_comment_end = raw.rfind("-->")
        i = 0
        while i < len(raw):
            start = raw.find("<", i)
            if start == -1:
                self.text(raw[i:])
                break
            self.text(raw[i:start])
            if raw.startswith("<!--", start) and last_comment_end >= start + 4:
                end = raw.find("-->", start + 4)
                if end != -1:
                    self.note("<!--...-->")
                    i = end + 3
                    continue
            match = _TAG.match(raw, start)
            name = match.group(2).lower() if match else ""
            if match is None or name not in _KNOWN_TAGS:
                self.text("<")
                i = start + 1
                continue
            self.note(f"<{name}>")
            i = match.end()
            closing = bool(match.group(1))
            if name in _HIDDEN_TAGS and not closing:
                end = lower.find(f"</{name}", i)
                i = len(raw) if end == -1 else (raw.find(">", end) + 1 or len(raw))
            else:
                self.tag(name, closing, match.group(3))
        for name, key in (("code", "code"), ("b", "bold"), ("i", "italic")):
            if self.depth[key]:
                self.depth[key] = 1
                self.tag(name, True, "")
        while self.links:
            self.tag("a", True, "")
        return self.finish("".join(self.out))

    def tag(self, name: str, closing: bool, attributes: str) -> None:
        if name in _SPACE_TAGS:
            self.text(" ")
        elif name in _BOLD_TAGS or name in _ITALIC_TAGS:
            key, on, off = ("bold", _BOLD_ON, _BOLD_OFF) if name in _BOLD_TAGS else ("italic", _ITALIC_ON, _ITALIC_OFF)
            if self.code is not None:
                return
            if not closing:
                self.depth[key] += 1
                if self.depth[key] == 1:
                    self.out.append(on)
            elif self.depth[key]:
                self.depth[key] -= 1
                if self.depth[key] == 0:
                    self.out.append(off)
        elif name in _CODE_TAGS:
            if not closing:
                self.depth["code"] += 1
                if self.code is None:
                    self.code = []
            elif self.depth["code"]:
                self.depth["code"] -= 1
                if self.depth["code"] == 0 and self.code is not None:
                    content = " ".join("".join(self.code).split())
                    self.code = None
                    if content:
                        fence = "``" if "`" in content else "`"
                        pad = " " if content.startswith("`") or content.endswith("`") else ""
                        self.emit(f" {fence}{pad}{content}{pad}{fence} ")
        elif name == "a":
            if not closing:
                self.links.append((_attribute(_HREF, attributes), len(self.out), self.visible))
            elif self.links:
                href, start, visible = self.links.pop()
                if href and _SAFE_URL.match(href):
                    shown = href if self.markdown else _escape_markdown(href)
                    if self.visible == visible:
                        self.emit(shown)
                    elif self.visible - visible != len(shown) or "".join(self.out[start:]).strip() != shown:
                        self.emit(f" ({shown})")
        elif name == "img":
            alt = _attribute(_ALT, attributes)
            if alt:
                self.text(f" {alt} ", decoded=True)
        # Any other known tag is removed, its content kept.

    @staticmethod
    def finish(text: str) -> str:
        """Placeholders to `**`/`*`, with spaces moved outside and empty emphasis dropped."""
        for on, off, mark, empty, leading, trailing in _EMPHASIS:
            if on in text:
                text = empty.sub(r"\1", text)
                text = leading.sub(r"\1" + on, text)
                text = trailing.sub(off + r"\1", text)
                text = text.replace(on, mark).replace(off, mark)
        return text


@dataclass
class _Notes:
    """What text cleaning removed from one question, reported once for it."""

    markers: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def message(self) -> str:
        parts = []
        if self.markers:
            plural = "s" * (len(self.markers) > 1)
            parts.append(f"format marker{plural} {', '.join(self.markers)} removed")
        if self.tags:
            parts.append(f"HTML converted to text ({', '.join(self.tags)})")
        return "; ".join(parts)


def _clean(raw: str, fmt: str, notes: _Notes) -> tuple[str, str]:
    """One GIFT text (question, answer, feedback) as inline Markdown; returns it and its format."""
    raw = _UNPRINTABLE.sub("", raw).strip()
    match = _FORMAT.match(raw)
    if match:
        fmt = match.group(1)
        raw = raw[match.end() :]
        if match.group(0) not in notes.markers:
            notes.markers.append(match.group(0))
    if fmt == "plain":
        text = _escape_markdown(raw)
    else:
        text = _HtmlToMarkdown(raw, fmt == "markdown", notes.tags).convert()
    text = " ".join(_UNPRINTABLE.sub("", text).split())
    if fmt != "markdown":
        text = _escape_line_start(text)
    return text, fmt


@dataclass
class _Answer:
    """One answer of a choice or short-answer question."""

    text: str
    weight: float
    feedback: str
    line: int


class _Reader:
    """Reads a GIFT file block by block, collecting questions and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.questions: list[GiftQuestion] = []

    def warn(self, line: int, message: str, column: int = 1) -> None:
        self.problems.append(warning(self.path, line, GIFT_CODE, message, column))

    def fail(self, line: int, message: str, column: int = 1) -> None:
        self.problems.append(error(self.path, line, GIFT_CODE, message, column))

    def block(self, lines: list[tuple[int, str]]) -> None:
        first = lines[0][1].strip()
        if first.startswith("$CATEGORY:"):
            self.warn(lines[0][0], f"category '{_short(first[10:].strip())}' ignored: a quiz has no categories")
            lines = lines[1:]
            if not lines:
                return
        chars = _decode(lines)
        question = _Question(self, chars)
        data = question.read()
        if data is not None:
            self.questions.append(GiftQuestion(question.line, question.title, data))
            message = question.notes.message()
            if message:
                self.warn(question.line, message)


class _Question:
    """One question block being read."""

    def __init__(self, reader: _Reader, chars: _Chars) -> None:
        self.reader = reader
        self.chars = chars
        self.lo, self.hi = chars.strip(0, len(chars.text))
        self.line = chars.line(self.lo)
        self.title = ""
        self.notes = _Notes()
        self.format = "moodle"

    def skip(self, message: str, line: int = 0) -> None:
        self.reader.warn(line or self.line, message)

    def fail_at(self, index: int, message: str) -> None:
        self.reader.fail(self.chars.line(index), message, self.chars.column(index))

    def clean(self, lo: int, hi: int) -> str:
        return _clean(self.chars.text[lo:hi], self.format, self.notes)[0]

    def read(self) -> dict[str, Any] | None:
        chars, lo, hi = self.chars, self.lo, self.hi
        if chars.text.startswith("::", lo) and all(chars.special[lo : lo + 2]):
            end = chars.find("::", lo + 2, hi)
            if end == -1:
                self.fail_at(
                    lo, "'::' opens a question title that is never closed with '::'; write \\: for a literal colon"
                )
                return None
            self.title = " ".join(_UNPRINTABLE.sub("", chars.text[lo + 2 : end]).split())
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
        general = chars.rfind("####", answer_lo, answer_hi)
        general_lo = general_hi = 0
        if general != -1:
            general_lo, general_hi = general + 4, answer_hi
            answer_lo, answer_hi = chars.strip(answer_lo, general)
        kind = self.kind(answer_lo, answer_hi)
        unsupported = {
            "essay": "essay question '{}' not imported: quizzes have no essay type",
            "numerical": "numerical question '{#...}' not imported: quizzes have no numerical type",
            "match": "matching question ('->') not imported: quizzes have no matching type",
        }
        if kind in unsupported:
            self.skip(unsupported[kind])
            return None
        if chars.strip(closing + 1, hi)[0] < hi:
            self.skip(
                "missing-word question (text after the answer block) not imported: "
                "quizzes have no fill-in-the-blank type"
            )
            return None
        text = chars.text[lo:opening]
        prompt, self.format = _clean(text, self.format, self.notes)
        if not prompt:
            if not self.title:
                self.skip("the question has no text; not imported")
                return None
            prompt = _escape_line_start(_escape_markdown(self.title))
            self.skip(f"the question has no text; its title '{_short(self.title)}' is used as the prompt")
        explain = self.clean(general_lo, general_hi) if general != -1 else ""
        data: dict[str, Any] | None
        if kind == "truefalse":
            data = self.true_false(prompt, answer_lo, answer_hi)
        elif kind == "multichoice":
            data = self.choice(prompt, answer_lo, answer_hi)
        else:
            data = self.short_answer(prompt, answer_lo, answer_hi)
        if data is not None and explain:
            data["explain"] = explain
        return data

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
        return "truefalse" if token.upper() in _TRUE_FALSE else "shortanswer"

    def true_false(self, prompt: str, lo: int, hi: int) -> dict[str, Any]:
        chars = self.chars
        first = chars.find("#", lo, hi)
        second = chars.find("#", first + 1, hi) if first != -1 else -1
        token = chars.text[lo : first if first != -1 else hi].strip()
        if token not in _TRUE_FALSE:
            self.skip(
                f"'{{{token}}}' is read as true/false, but Moodle reads only T, TRUE, F and FALSE "
                f"and would import a short answer; write {{{token.upper()}}}"
            )
        answer = _TRUE_FALSE[token.upper()]
        wrong = self.clean(first + 1, second if second != -1 else hi) if first != -1 else ""
        right = self.clean(second + 1, hi) if second != -1 else ""
        data: dict[str, Any] = {"type": "true_false", "prompt": prompt, "answer": answer}
        sides = {answer: right, not answer: wrong}
        feedback = {side: sides[side] for side in (True, False) if sides[side]}
        if feedback:
            data["feedback"] = feedback
        return data

    def answers(self, lo: int, hi: int, markers: str, default_weight: float) -> list[_Answer] | None:
        """Split `lo:hi` at the answer markers into answers with weight and feedback."""
        chars = self.chars
        starts = [i for i in range(lo, hi) if chars.special[i] and chars.text[i] in markers]
        pieces: list[tuple[int, int, str]] = []
        head_lo, head_hi = chars.strip(lo, starts[0] if starts else hi)
        if head_lo < head_hi:
            pieces.append((head_lo, head_hi, ""))
            if "~" in markers:
                self.skip(
                    f"text '{_short(chars.text[head_lo:head_hi])}' before the first '~' or '=' "
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
            text = _clean(body, self.format, self.notes)[0]
            feedback = self.clean(sharp + 1, piece_hi) if sharp != -1 else ""
            answers.append(_Answer(text, weight, feedback, line))
        for answer in answers:
            if not answer.text:
                self.skip("an answer has no text; question not imported", answer.line)
                return None
        seen: set[str] = set()
        for answer in answers:
            if answer.text in seen:
                self.skip(f"answer '{_short(answer.text)}' appears twice; question not imported", answer.line)
                return None
            seen.add(answer.text)
        return answers

    def choice(self, prompt: str, lo: int, hi: int) -> dict[str, Any] | None:
        single = self.chars.find("=", lo, hi) != -1
        answers = self.answers(lo, hi, "~=", 0.0)
        if answers is None:
            return None
        if len(answers) < 2:
            self.reader.fail(self.line, "a multiple-choice question needs at least two answers ('=right' and '~wrong')")
            return None
        credited = [answer for answer in answers if answer.weight > 0]
        if not credited:
            self.skip("no answer earns credit, so the question has no right answer; not imported")
            return None
        if single and (len(credited) > 1 or credited[0].weight < 100):
            shown = ", ".join(f"'{_short(answer.text, 20)}' {_percent(answer.weight)}" for answer in credited)
            self.skip(
                f"answer weights make this single-answer question ambiguous ({shown}); "
                "not imported: a single question has exactly one right answer worth 100%"
            )
            return None
        options = []
        for answer in answers:
            option: dict[str, Any] = {"text": answer.text, "correct": answer.weight > 0}
            if answer.feedback:
                option["feedback"] = answer.feedback
            options.append(option)
        return {"type": "single" if single else "multiple", "prompt": prompt, "options": options}

    def short_answer(self, prompt: str, lo: int, hi: int) -> dict[str, Any] | None:
        answers = self.answers(lo, hi, "=", 100.0)
        if answers is None:
            return None
        accepted = [answer for answer in answers if answer.weight > 0]
        if not accepted:
            self.skip("no answer earns credit, so the question has no right answer; not imported")
            return None
        model = next((answer for answer in accepted if answer.weight >= 100), accepted[0])
        paragraphs = [model.text]
        if len(answers) > 1 or any(answer.feedback for answer in answers):

            def item(answer: _Answer) -> str:
                credit = f" ({_percent(answer.weight)} credit)" if 0 < answer.weight < 100 else ""
                feedback = f" — {answer.feedback}" if answer.feedback else ""
                return f"- {answer.text}{credit}{feedback}"

            paragraphs += ["Accepted answers:", "\n".join(item(answer) for answer in accepted)]
            rejected = [answer for answer in answers if answer.weight <= 0]
            if rejected:
                paragraphs += ["Not accepted:", "\n".join(item(answer) for answer in rejected)]
        return {"type": "reflect", "prompt": prompt, "answer": "\n\n".join(paragraphs)}


def read_gift(text: str, path: str) -> tuple[list[GiftQuestion], list[Problem]]:
    """Every question of a GIFT text with its line and title; problems instead of exceptions."""
    reader = _Reader(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for lines in _blocks(text):
        try:
            reader.block(lines)
        except Exception as exc:  # a bug must not lose the whole import; report it on the question
            reader.fail(lines[0][0], f"could not read this question ({type(exc).__name__}); please report it as a bug")
    return reader.questions, reader.problems


def parse_gift(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Questions of a GIFT text as quiz-format dicts, plus the problems found (`path` names the file in them)."""
    questions, problems = read_gift(text, path)
    return [question.data for question in questions], problems


class _Dumper(yaml.SafeDumper):
    """Safe YAML with indented lists and line breaks kept as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Characters PyYAML writes raw (so wrongly) unless double-quoted: other line breaks, unprintables.
_NOT_LITERAL = re.compile("[\r\x85\u2028\u2029]|" + _UNPRINTABLE.pattern)


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
    return " ".join(_UNPRINTABLE.sub("", text).split())


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
        return None, [error(shown, 1, GIFT_CODE, f"{shown} already exists; not overwritten")]
    try:
        text, problems = read_text(gift_file, gift_shown)
    except OSError as exc:
        return None, [error(gift_shown, 1, GIFT_CODE, f"cannot read the GIFT file: {exc.strerror or exc}")]
    if text is None:
        return None, problems
    if not text.strip():
        return None, [error(gift_shown, 1, Code.EMPTY, "the GIFT file is empty; it holds no questions")]
    questions, problems = read_gift(text, gift_shown)
    if any(problem.severity is Severity.ERROR for problem in problems):
        return None, problems
    if not questions:
        hint = "; see the warnings" if problems else ""
        return None, [*problems, error(gift_shown, 1, GIFT_CODE, f"no question could be imported from this file{hint}")]
    content = to_quiz_yaml(questions, source=gift_file.name)
    try:
        quizzes_dir.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
    except FileExistsError:
        return None, [error(quiz_shown, 1, GIFT_CODE, f"{quiz_shown} already exists; not overwritten")]
    except OSError as exc:
        return None, [error(quiz_shown, 1, GIFT_CODE, f"cannot write the quiz file: {exc.strerror or exc}")]
    # The written quiz must load cleanly; if it ever does not, take it back rather than leave a broken file.
    _, loaded = load_quiz(target, quiz_shown, card_slugs)
    if loaded:
        target.unlink(missing_ok=True)
        return None, [
            *loaded,
            error(
                quiz_shown, 1, GIFT_CODE, "the imported quiz did not load and was removed; please report this as a bug"
            ),
        ]
    return target, problems
