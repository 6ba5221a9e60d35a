"""GIFT questions as our quiz's questions: what a quiz can ask is converted, what it cannot is a warning.

single, multiple, true_false and reflect (a short answer becomes a reflection with a model answer)
are converted; essay, numerical, matching and missing-word questions are reported on their line
and left out. Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.problems import Problem
from .parse import TRUE_FALSE, Answer, QuestionBlock, Report, blocks, decode
from .text import clean_text, escape_line_start, escape_markdown, short

_UNSUPPORTED = {
    "essay": "essay question '{}' not imported: quizzes have no essay type",
    "numerical": "numerical question '{#...}' not imported: quizzes have no numerical type",
    "match": "matching question ('->') not imported: quizzes have no matching type",
}


@dataclass(frozen=True)
class GiftQuestion:
    """One imported question: its quiz data, plus where and under which title it was in the GIFT file."""

    line: int
    title: str
    data: dict[str, Any]


def read_gift(text: str, path: str) -> tuple[list[GiftQuestion], list[Problem]]:
    """Every question of a GIFT text with its line and title; problems instead of exceptions."""
    report = Report(path)
    questions: list[GiftQuestion] = []
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for lines in blocks(text):
        try:
            question = _read_block(report, lines)
        except Exception as exc:  # a bug must not lose the whole import; report it on the question
            report.fail(lines[0][0], f"could not read this question ({type(exc).__name__}); please report it as a bug")
            continue
        if question is not None:
            questions.append(question)
    return questions, report.problems


def parse_gift(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Questions of a GIFT text as quiz-format dicts, plus the problems found (`path` names the file in them)."""
    questions, problems = read_gift(text, path)
    return [question.data for question in questions], problems


def _read_block(report: Report, lines: list[tuple[int, str]]) -> GiftQuestion | None:
    """One block: a category line (ignored, with a warning) and the question after it."""
    first = lines[0][1].strip()
    if first.startswith("$CATEGORY:"):
        report.warn(lines[0][0], f"category '{short(first[10:].strip())}' ignored: a quiz has no categories")
        lines = lines[1:]
        if not lines:
            return None
    question = QuestionBlock(report, decode(lines))
    data = _convert(question)
    if data is None:
        return None
    message = question.notes.message()
    if message:  # after the question's other warnings: what cleaning its texts removed, once
        report.warn(question.line, message)
    return GiftQuestion(question.line, question.title, data)


def _convert(question: QuestionBlock) -> dict[str, Any] | None:
    """The quiz data of one question (None when it is not imported: a warning or an error says why)."""
    parts = question.parts()
    if parts is None:
        return None
    if parts.kind in _UNSUPPORTED:
        question.skip(_UNSUPPORTED[parts.kind])
        return None
    if parts.text_after:
        question.skip(
            "missing-word question (text after the answer block) not imported: quizzes have no fill-in-the-blank type"
        )
        return None
    lo, hi = parts.text
    prompt, question.format = clean_text(question.chars.text[lo:hi], question.format, question.notes)
    if not prompt:
        if not question.title:
            question.skip("the question has no text; not imported")
            return None
        prompt = escape_line_start(escape_markdown(question.title))
        question.skip(f"the question has no text; its title '{short(question.title)}' is used as the prompt")
    explain = question.clean(*parts.general) if parts.general is not None else ""
    data: dict[str, Any] | None
    if parts.kind == "truefalse":
        data = _true_false(question, prompt, *parts.answers)
    elif parts.kind == "multichoice":
        data = _choice(question, prompt, *parts.answers)
    else:
        data = _short_answer(question, prompt, *parts.answers)
    if data is not None and explain:
        data["explain"] = explain
    return data


def _true_false(question: QuestionBlock, prompt: str, lo: int, hi: int) -> dict[str, Any]:
    """`{T}` or `{F}`, with the feedback for a wrong answer and then for a right one."""
    chars = question.chars
    first = chars.find("#", lo, hi)
    second = chars.find("#", first + 1, hi) if first != -1 else -1
    token = chars.text[lo : first if first != -1 else hi].strip()
    if token not in TRUE_FALSE:
        question.skip(
            f"'{{{token}}}' is read as true/false, but Moodle reads only T, TRUE, F and FALSE "
            f"and would import a short answer; write {{{token.upper()}}}"
        )
    answer = TRUE_FALSE[token.upper()]
    wrong = question.clean(first + 1, second if second != -1 else hi) if first != -1 else ""
    right = question.clean(second + 1, hi) if second != -1 else ""
    data: dict[str, Any] = {"type": "true_false", "prompt": prompt, "answer": answer}
    sides = {answer: right, not answer: wrong}
    feedback = {side: sides[side] for side in (True, False) if sides[side]}
    if feedback:
        data["feedback"] = feedback
    return data


def _choice(question: QuestionBlock, prompt: str, lo: int, hi: int) -> dict[str, Any] | None:
    """`=right ~wrong`: single when an answer is `=`, multiple when weights share the credit."""
    single = question.chars.find("=", lo, hi) != -1
    answers = question.answers(lo, hi, "~=", 0.0)
    if answers is None:
        return None
    if len(answers) < 2:
        question.report.fail(
            question.line, "a multiple-choice question needs at least two answers ('=right' and '~wrong')"
        )
        return None
    credited = [answer for answer in answers if answer.weight > 0]
    if not credited:
        question.skip("no answer earns credit, so the question has no right answer; not imported")
        return None
    if single and (len(credited) > 1 or credited[0].weight < 100):
        shown = ", ".join(f"'{short(answer.text, 20)}' {_percent(answer.weight)}" for answer in credited)
        question.skip(
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


def _short_answer(question: QuestionBlock, prompt: str, lo: int, hi: int) -> dict[str, Any] | None:
    """A short answer as a reflection: the best answer as the model, the others listed with their credit."""
    answers = question.answers(lo, hi, "=", 100.0)
    if answers is None:
        return None
    accepted = [answer for answer in answers if answer.weight > 0]
    if not accepted:
        question.skip("no answer earns credit, so the question has no right answer; not imported")
        return None
    model = next((answer for answer in accepted if answer.weight >= 100), accepted[0])
    paragraphs = [model.text]
    if len(answers) > 1 or any(answer.feedback for answer in answers):

        def item(answer: Answer) -> str:
            credit = f" ({_percent(answer.weight)} credit)" if 0 < answer.weight < 100 else ""
            feedback = f" — {answer.feedback}" if answer.feedback else ""
            return f"- {answer.text}{credit}{feedback}"

        paragraphs += ["Accepted answers:", "\n".join(item(answer) for answer in accepted)]
        rejected = [answer for answer in answers if answer.weight <= 0]
        if rejected:
            paragraphs += ["Not accepted:", "\n".join(item(answer) for answer in rejected)]
    return {"type": "reflect", "prompt": prompt, "answer": "\n\n".join(paragraphs)}


def _percent(weight: float) -> str:
    return f"{weight:g}%"
