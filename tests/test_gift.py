"""Moodle GIFT import: converted questions, exact warnings and errors, safe files, hostile input."""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge_cards.cli.gift import GiftQuestion, import_gift, parse_gift, read_gift, to_quiz_yaml
from knowledge_cards.core.problems import Code, Severity
from knowledge_cards.core.quiz import Option, Question, load_quiz

DATA = Path(__file__).parent / "data" / "gift"
SAMPLE = DATA / "sample.gift"
SLUG = "value-chain"
CARDS = {SLUG, "unit-economics"}

SAMPLE_QUESTIONS: list[dict[str, Any]] = [
    {
        "type": "single",
        "prompt": "A shop's supplier missed three deliveries. Which stage limits a big campaign?",
        "options": [
            {"text": "Sourcing", "correct": True, "feedback": "Right : sourcing sets the ceiling."},
            {"text": "Marketing", "correct": False, "feedback": "Not quite = demand without stock."},
            {"text": "Storefront", "correct": False},
        ],
        "explain": "Fix supply before spending on demand.",
    },
    {
        "type": "single",
        "prompt": "Which symbol opens a GIFT answer block { or }?",
        "options": [
            {"text": "{", "correct": True, "feedback": "Right: the opening brace."},
            {"text": "}", "correct": False, "feedback": "That one closes it."},
            {"text": "~", "correct": False, "feedback": "A tilde marks a wrong answer."},
        ],
    },
    {
        "type": "single",
        "prompt": "Which stage **captures** the order & payment?",
        "options": [
            {"text": "Order", "correct": True},
            {"text": "Delivery", "correct": False, "feedback": "*Later* in the chain."},
        ],
    },
    {
        "type": "multiple",
        "prompt": "Which are feedback paths from service?",
        "options": [
            {"text": "Returns", "correct": True, "feedback": "Yes, returns flow back."},
            {"text": "Reviews", "correct": True, "feedback": "Yes, reviews inform the catalogue."},
            {"text": "Marketing", "correct": False, "feedback": "No, marketing is a forward stage."},
        ],
        "explain": "Service closes the loop.",
    },
    {"type": "true_false", "prompt": "The value chain is a loop, not a line.", "answer": True},
    {
        "type": "true_false",
        "prompt": "The chain is a straight line.",
        "answer": False,
        "feedback": {True: "No, it loops back.", False: "Right, it is a loop."},
        "explain": "Service feeds earlier stages.",
    },
    {
        "type": "reflect",
        "prompt": "Why does **service** close the loop?",
        "answer": (
            "Because returns and reviews feed back into earlier stages.\n\n"
            "Accepted answers:\n\n"
            "- Because returns and reviews feed back into earlier stages. — Good.\n"
            "- Because customers complain. (50% credit) — Partly."
        ),
        "explain": "Think of the relay race.",
    },
    {"type": "reflect", "prompt": "What does the order stage capture?", "answer": "The order and the payment"},
]

SAMPLE_WARNINGS = [
    "sample.gift:4:1: warning: category '$course$/top/Value chain' ignored: a quiz has no categories",
    "sample.gift:20:1: warning: format marker [html] removed; HTML converted to text (<p>, <b>, <span>, <i>)",
    "sample.gift:37:1: warning: format marker [markdown] removed",
    "sample.gift:47:1: warning: matching question ('->') not imported: quizzes have no matching type",
    "sample.gift:52:1: warning: numerical question '{#...}' not imported: quizzes have no numerical type",
    "sample.gift:54:1: warning: missing-word question (text after the answer block) not imported: "
    "quizzes have no fill-in-the-blank type",
    "sample.gift:56:1: warning: essay question '{}' not imported: quizzes have no essay type",
    "sample.gift:58:1: warning: text without an answer block '{...}' is a description, not a question; not imported",
    "sample.gift:60:1: warning: answer weights make this single-answer question ambiguous "
    "('Sourcing' 100%, 'Marketing' 50%); not imported: a single question has exactly one right answer worth 100%",
]


def _question(kind: str, prompt: str, *, explain: str = "", **fields: Any) -> Question:
    """A loaded question as load_quiz builds it; `line` is compared separately."""
    return Question(type=kind, prompt=prompt, line=0, explain=explain, **fields)


SAMPLE_LOADED = [
    _question(
        "single",
        SAMPLE_QUESTIONS[0]["prompt"],
        explain="Fix supply before spending on demand.",
        options=(
            Option("Sourcing", True, "Right : sourcing sets the ceiling."),
            Option("Marketing", False, "Not quite = demand without stock."),
            Option("Storefront", False, ""),
        ),
    ),
    _question(
        "single",
        "Which symbol opens a GIFT answer block { or }?",
        options=(
            Option("{", True, "Right: the opening brace."),
            Option("}", False, "That one closes it."),
            Option("~", False, "A tilde marks a wrong answer."),
        ),
    ),
    _question(
        "single",
        "Which stage **captures** the order & payment?",
        options=(Option("Order", True, ""), Option("Delivery", False, "*Later* in the chain.")),
    ),
    _question(
        "multiple",
        "Which are feedback paths from service?",
        explain="Service closes the loop.",
        options=(
            Option("Returns", True, "Yes, returns flow back."),
            Option("Reviews", True, "Yes, reviews inform the catalogue."),
            Option("Marketing", False, "No, marketing is a forward stage."),
        ),
    ),
    _question(
        "true_false",
        "The value chain is a loop, not a line.",
        options=(Option("True", True, ""), Option("False", False, "")),
    ),
    _question(
        "true_false",
        "The chain is a straight line.",
        explain="Service feeds earlier stages.",
        options=(Option("True", False, "No, it loops back."), Option("False", True, "Right, it is a loop.")),
    ),
    _question(
        "reflect",
        "Why does **service** close the loop?",
        explain="Think of the relay race.",
        model_answer=SAMPLE_QUESTIONS[6]["answer"],
    ),
    _question("reflect", "What does the order stage capture?", model_answer="The order and the payment"),
]


def _lines(problems: list[Any]) -> list[str]:
    return [problem.format() for problem in problems]


def _assert_loads(questions: list[dict[str, Any]] | list[GiftQuestion], tmp_path: Path, name: str = "q") -> None:
    """`to_quiz_yaml` output is YAML of exactly these questions, and a quiz that loads without a single problem."""
    text = to_quiz_yaml(questions, title="Imported", source="bank.gift")
    data = [q.data if isinstance(q, GiftQuestion) else q for q in questions]
    assert yaml.safe_load(text) == {"title": "Imported", "questions": data}
    file = tmp_path / f"{name}.yml"
    file.write_text(text, encoding="utf-8")
    quiz, problems = load_quiz(file, file.name, {name})
    assert problems == [], text
    assert quiz is not None and len(quiz.questions) == len(data)


# --- the sample bank -------------------------------------------------------------------------


def test_sample_parses_to_the_expected_questions_and_warnings() -> None:
    questions, problems = parse_gift(SAMPLE.read_text(encoding="utf-8"), "sample.gift")
    assert questions == SAMPLE_QUESTIONS
    assert _lines(problems) == SAMPLE_WARNINGS
    assert all(p.severity is Severity.WARNING and p.code is Code.GIFT for p in problems)


def test_sample_imports_and_round_trips_through_the_quiz_loader(tmp_path: Path) -> None:
    quizzes = tmp_path / "quizzes"
    written, problems = import_gift(SAMPLE, SLUG, quizzes, CARDS, gift_display="sample.gift")
    assert written == quizzes / f"{SLUG}.yml"
    assert _lines(problems) == SAMPLE_WARNINGS
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# Imported from sample.gift by kcards import-gift.\nquestions:\n")
    assert "  # GIFT line 6: Sourcing first\n  - type: single\n" in text
    assert "  # GIFT line 33\n  - type: true_false\n" in text
    assert yaml.safe_load(text) == {"questions": SAMPLE_QUESTIONS}
    quiz, loaded = load_quiz(written, f"quizzes/{SLUG}.yml", CARDS)
    assert loaded == []
    assert quiz is not None and quiz.slug == SLUG and quiz.title == "Check your understanding"
    assert [q for q in quiz.questions if q.line < 3] == []
    assert [Question(**{**q.__dict__, "line": 0}) for q in quiz.questions] == SAMPLE_LOADED


def test_read_gift_keeps_lines_and_titles() -> None:
    questions, _ = read_gift(SAMPLE.read_text(encoding="utf-8"), "sample.gift")
    assert [(q.line, q.title) for q in questions] == [
        (6, "Sourcing first"),
        (14, "Escapes"),
        (20, "HTML stage"),
        (25, "Feedback paths"),
        (33, ""),
        (35, "Line"),
        (37, "Why a loop"),
        (43, ""),
    ]


def test_windows_line_endings_and_bom_read_the_same(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    crlf = tmp_path / "sample.gift"
    crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    written, problems = import_gift(crlf, SLUG, tmp_path / "quizzes", CARDS, gift_display="sample.gift")
    assert written is not None and _lines(problems) == SAMPLE_WARNINGS
    assert yaml.safe_load(written.read_text(encoding="utf-8")) == {"questions": SAMPLE_QUESTIONS}


# --- conversions, one feature at a time ------------------------------------------------------


@pytest.mark.parametrize(
    ("gift", "expected"),
    [
        # Moodle reads a leading text before the first ~ or = as a wrong answer.
        (
            "Q {~%100%a ~b}",
            {
                "type": "multiple",
                "prompt": "Q",
                "options": [{"text": "a", "correct": True}, {"text": "b", "correct": False}],
            },
        ),
        (
            "Q {=a ~%-50%b}",
            {
                "type": "single",
                "prompt": "Q",
                "options": [{"text": "a", "correct": True}, {"text": "b", "correct": False}],
            },
        ),
        (
            "Q {=%100%a ~b}",
            {
                "type": "single",
                "prompt": "Q",
                "options": [{"text": "a", "correct": True}, {"text": "b", "correct": False}],
            },
        ),
        ("Q {TRUE}", {"type": "true_false", "prompt": "Q", "answer": True}),
        ("Q {F}", {"type": "true_false", "prompt": "Q", "answer": False}),
        ("Q {T##Right}", {"type": "true_false", "prompt": "Q", "answer": True, "feedback": {True: "Right"}}),
        ("Q {F#Wrong}", {"type": "true_false", "prompt": "Q", "answer": False, "feedback": {True: "Wrong"}}),
        ("Q {T####General}", {"type": "true_false", "prompt": "Q", "answer": True, "explain": "General"}),
        ("Q {Paris}", {"type": "reflect", "prompt": "Q", "answer": "Paris"}),
        (
            "Q {=Paris####Capital since 987}",
            {"type": "reflect", "prompt": "Q", "answer": "Paris", "explain": "Capital since 987"},
        ),
        (
            "Q {=%50%Lutetia =Paris#Yes =%0%London#That is England}",
            {
                "type": "reflect",
                "prompt": "Q",
                "answer": "Paris\n\nAccepted answers:\n\n- Lutetia (50% credit)\n- Paris — Yes\n\n"
                "Not accepted:\n\n- London — That is England",
            },
        ),
        # Escapes: \: \# \= \{ \} \~ are text, \n a line break (folded to a space), \\ a backslash.
        (
            r"a\:b \#1 x\=y \{ \} \~ one\ntwo C:\\dir {T}",
            {"type": "true_false", "prompt": r"a:b #1 x=y { } ~ one two C:\\dir", "answer": True},
        ),
        ("::Q\\:1:: Text {T}", {"type": "true_false", "prompt": "Text", "answer": True}),
        # Plain text is escaped so Markdown shows it as written; [markdown] text is kept.
        (
            "2*3 is `six` _or_ snake_case {T}",
            {"type": "true_false", "prompt": r"2\*3 is \`six\` \_or\_ snake_case", "answer": True},
        ),
        ("# not a heading {T}", {"type": "true_false", "prompt": r"\# not a heading", "answer": True}),
        ("1. not a list {T}", {"type": "true_false", "prompt": r"1\. not a list", "answer": True}),
        ("- not a list {T}", {"type": "true_false", "prompt": r"\- not a list", "answer": True}),
        (
            "[markdown]Keep **this** and `code` {T}",
            {"type": "true_false", "prompt": "Keep **this** and `code`", "answer": True},
        ),
        # Text over several lines is folded; comment lines inside a question are ignored.
        (
            "First line\n// a comment\n  second line {\n  T\n}",
            {"type": "true_false", "prompt": "First line second line", "answer": True},
        ),
    ],
)
def test_conversions(gift: str, expected: dict[str, Any], tmp_path: Path) -> None:
    questions, problems = parse_gift(gift, "f.gift")
    assert questions == [expected]
    marker = ["f.gift:1:1: warning: format marker [markdown] removed"] if gift.startswith("[markdown]") else []
    assert _lines(problems) == marker
    _assert_loads(questions, tmp_path)


@pytest.mark.parametrize(
    ("html", "prompt", "noted"),
    [
        (
            "<p>Is <b> bold </b> and <i>it</i><br/>x &amp; y &lt;b&gt; <span style\\='c'>s</span>?</p>",
            "Is **bold** and *it* x & y <b> s?",
            "<p>, <b>, <i>, <br>, <span>",
        ),
        ("Run <code>a*b</code> <strong></strong>now", "Run `a*b` now", "<code>, <strong>"),
        (
            "See <a href\\=\"https\\://e.org/x_y\">the docs</a> or <a href\\='javascript\\:alert(1)'>this</a>",
            "See the docs (https://e.org/x_y) or this",
            "<a>",
        ),
        ("A <img src\\=x.png alt\\='chart'> then<script>alert(1)</script> end", "A chart then end", "<img>, <script>"),
        ("<!-- note -->Two<ul><li>one</li><li>two</li></ul>", "Two one two", "<!--...-->, <ul>, <li>"),
        ("Price 2*3 is <em>six</em>", r"Price 2\*3 is *six*", "<em>"),
        ("Not a tag: a < b, <T> and x<3", r"Not a tag: a < b, <T> and x<3", ""),
    ],
)
def test_html_becomes_inline_markdown_and_is_reported(html: str, prompt: str, noted: str, tmp_path: Path) -> None:
    questions, problems = parse_gift(f"::T::[html]{html}{{T}}", "f.gift")
    assert questions == [{"type": "true_false", "prompt": prompt, "answer": True}]
    message = "format marker [html] removed" + (f"; HTML converted to text ({noted})" if noted else "")
    assert _lines(problems) == [f"f.gift:1:1: warning: {message}"]
    _assert_loads(questions, tmp_path)


def test_plain_format_keeps_tags_as_text() -> None:
    questions, problems = parse_gift("[plain]Is <b>x</b> bold? {T}", "f.gift")
    assert questions == [{"type": "true_false", "prompt": "Is <b>x</b> bold?", "answer": True}]
    assert _lines(problems) == ["f.gift:1:1: warning: format marker [plain] removed"]


def test_format_markers_of_answers_and_feedback_are_reported_once() -> None:
    gift = "::Q::[html]<p>Pick</p>{=[plain]<a>#[markdown]**yes** ~[html]<i>b</i>#<i>no</i>}"
    questions, problems = parse_gift(gift, "f.gift")
    assert questions == [
        {
            "type": "single",
            "prompt": "Pick",
            "options": [
                {"text": "<a>", "correct": True, "feedback": "**yes**"},
                {"text": "*b*", "correct": False, "feedback": "*no*"},
            ],
        }
    ]
    assert _lines(problems) == [
        "f.gift:1:1: warning: format markers [html], [plain], [markdown] removed; HTML converted to text (<p>, <i>)"
    ]


@pytest.mark.parametrize(
    ("gift", "questions", "warnings"),
    [
        (
            "Q {true#Wrong#Right}",
            [{"type": "true_false", "prompt": "Q", "answer": True, "feedback": {True: "Right", False: "Wrong"}}],
            [
                "f.gift:1:1: warning: '{true}' is read as true/false, but Moodle reads only T, TRUE, F and FALSE "
                "and would import a short answer; write {TRUE}"
            ],
        ),
        (
            "Q {\n  lead\n  ~a\n  =b\n}",
            [
                {
                    "type": "single",
                    "prompt": "Q",
                    "options": [
                        {"text": "lead", "correct": False},
                        {"text": "a", "correct": False},
                        {"text": "b", "correct": True},
                    ],
                }
            ],
            ["f.gift:2:1: warning: text 'lead' before the first '~' or '=' is read as a wrong answer (as Moodle does)"],
        ),
        (
            "::Only a title::{T}",
            [{"type": "true_false", "prompt": "Only a title", "answer": True}],
            ["f.gift:1:1: warning: the question has no text; its title 'Only a title' is used as the prompt"],
        ),
        ("{T}", [], ["f.gift:1:1: warning: the question has no text; not imported"]),
        (
            "Q {~a ~b}",
            [],
            ["f.gift:1:1: warning: no answer earns credit, so the question has no right answer; not imported"],
        ),
        (
            "Q {=%0%a}",
            [],
            ["f.gift:1:1: warning: no answer earns credit, so the question has no right answer; not imported"],
        ),
        (
            "Q {=a =b ~c}",
            [],
            [
                "f.gift:1:1: warning: answer weights make this single-answer question ambiguous ('a' 100%, 'b' 100%); "
                "not imported: a single question has exactly one right answer worth 100%"
            ],
        ),
        (
            "Q {=%50%a ~b}",
            [],
            [
                "f.gift:1:1: warning: answer weights make this single-answer question ambiguous ('a' 50%); "
                "not imported: a single question has exactly one right answer worth 100%"
            ],
        ),
        ("Q {\n=a\n~a\n}", [], ["f.gift:3:1: warning: answer 'a' appears twice; question not imported"]),
        ("Q {\n=a\n~#only feedback\n}", [], ["f.gift:3:1: warning: an answer has no text; question not imported"]),
        ("Q {=[html]<img src\\=x> ~b}", [], ["f.gift:1:1: warning: an answer has no text; question not imported"]),
        (
            "Q {####Only general feedback}",
            [],
            ["f.gift:1:1: warning: essay question '{}' not imported: quizzes have no essay type"],
        ),
        (
            "Q {#=3:1 =%50%3:2}",
            [],
            ["f.gift:1:1: warning: numerical question '{#...}' not imported: quizzes have no numerical type"],
        ),
        (
            "$CATEGORY: a/b\n::Q:: Next {T}",
            [{"type": "true_false", "prompt": "Next", "answer": True}],
            ["f.gift:1:1: warning: category 'a/b' ignored: a quiz has no categories"],
        ),
        ("// only\n// comments\n\n\n", [], []),
    ],
)
def test_questions_and_warnings(
    gift: str, questions: list[dict[str, Any]], warnings: list[str], tmp_path: Path
) -> None:
    got, problems = parse_gift(gift, "f.gift")
    assert got == questions
    assert _lines(problems) == warnings
    if got:
        _assert_loads(got, tmp_path)


@pytest.mark.parametrize(
    ("gift", "expected"),
    [
        (
            "::Q:: Which? {=a ~b",
            "f.gift:1:14: error: '{' opens an answer block that is never closed with '}' "
            "(a question ends at a blank line); write \\{ for a literal brace",
        ),
        ("Which } is it? {=a ~b}", "f.gift:1:7: error: '}' closes no answer block; write \\} for a literal brace"),
        ("Which? {=a ~b} }", "f.gift:1:16: error: '}' closes no answer block; write \\} for a literal brace"),
        ("Which? {=a {b} ~c}", "f.gift:1:12: error: '{' inside an answer block; write \\{ for a literal brace"),
        (
            "First? {T}\n  Second? {F}",
            "f.gift:2:11: error: a second answer block in one question; separate questions with a blank line, "
            "or write \\{ for a literal brace",
        ),
        (
            "::Title without end {T}",
            "f.gift:1:1: error: '::' opens a question title that is never closed with '::'; write \\: for a literal colon",
        ),
        (
            "Only one? {~a}",
            "f.gift:1:1: error: a multiple-choice question needs at least two answers ('=right' and '~wrong')",
        ),
    ],
)
def test_syntax_errors_are_exact_and_stop_the_import(gift: str, expected: str, tmp_path: Path) -> None:
    questions, problems = parse_gift(gift, "f.gift")
    assert questions == []
    assert _lines(problems) == [expected]
    file = tmp_path / "bank.gift"
    file.write_text(f"Good? {{T}}\n\n{gift}\n", encoding="utf-8")
    written, problems = import_gift(file, SLUG, tmp_path / "quizzes", CARDS, gift_display="f.gift")
    assert written is None
    assert [p.severity for p in problems] == [Severity.ERROR]
    assert not (tmp_path / "quizzes").exists()


# --- the command -----------------------------------------------------------------------------


def test_existing_quiz_is_never_overwritten(tmp_path: Path) -> None:
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    target = quizzes / f"{SLUG}.yml"
    target.write_text("questions: []  # hand written\n", encoding="utf-8")
    before = target.stat()
    written, problems = import_gift(SAMPLE, SLUG, quizzes, CARDS)
    assert written is None
    assert _lines(problems) == [
        "quizzes/value-chain.yml:1:1: error: quizzes/value-chain.yml already exists; not overwritten"
    ]
    assert target.read_text(encoding="utf-8") == "questions: []  # hand written\n"
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in quizzes.iterdir()) == [f"{SLUG}.yml"]


@pytest.mark.parametrize("existing", [f"{SLUG}.yaml", f"old/{SLUG}.yml"])
def test_a_quiz_for_the_card_anywhere_in_quizzes_blocks_the_import(existing: str, tmp_path: Path) -> None:
    quizzes = tmp_path / "quizzes"
    (quizzes / existing).parent.mkdir(parents=True)
    (quizzes / existing).write_text("questions: []\n", encoding="utf-8")
    written, problems = import_gift(SAMPLE, SLUG, quizzes, CARDS)
    assert written is None
    assert _lines(problems) == [f"quizzes/{existing}:1:1: error: quizzes/{existing} already exists; not overwritten"]
    assert not (quizzes / f"{SLUG}.yml").exists()


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "Value Chain",
            "quizzes/Value Chain.yml:1:1: error: 'Value Chain' is not a valid card slug "
            "(lower-case letters and digits joined by single hyphens, e.g. 'unit-economics')",
        ),
        (
            "../evil",
            "quizzes/../evil.yml:1:1: error: '../evil' is not a valid card slug (lower-case letters and digits joined by single hyphens, e.g. 'unit-economics')",
        ),
        (
            "value-chian",
            "quizzes/value-chian.yml:1:1: error: no card has the slug 'value-chian' (did you mean 'value-chain'?); "
            "a quiz belongs to the card with its slug",
        ),
    ],
)
def test_bad_or_unknown_card_slug_is_an_error(slug: str, expected: str, tmp_path: Path) -> None:
    written, problems = import_gift(SAMPLE, slug, tmp_path / "quizzes", CARDS)
    assert written is None
    assert _lines(problems) == [expected]
    assert not (tmp_path / "quizzes").exists()
    assert problems[0].code in (Code.INVALID_SLUG, Code.QUIZ_ORPHAN)


def test_undecodable_empty_and_unimportable_files(tmp_path: Path) -> None:
    quizzes = tmp_path / "quizzes"
    latin1 = tmp_path / "latin1.gift"
    latin1.write_bytes("Q1 {T}\n\nCaf\u00e9? {T}\n".encode("latin-1"))
    assert _lines(import_gift(latin1, SLUG, quizzes, CARDS, gift_display="latin1.gift")[1]) == [
        "latin1.gift:3:1: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8"
    ]
    empty = tmp_path / "empty.gift"
    empty.write_text(" \n\n", encoding="utf-8")
    assert _lines(import_gift(empty, SLUG, quizzes, CARDS, gift_display="empty.gift")[1]) == [
        "empty.gift:1:1: error: the GIFT file is empty; it holds no questions"
    ]
    nothing = tmp_path / "nothing.gift"
    nothing.write_text("// just a comment\n\nA description only.\n\nEssay {}\n", encoding="utf-8")
    assert _lines(import_gift(nothing, SLUG, quizzes, CARDS, gift_display="nothing.gift")[1]) == [
        "nothing.gift:3:1: warning: text without an answer block '{...}' is a description, not a question; not imported",
        "nothing.gift:5:1: warning: essay question '{}' not imported: quizzes have no essay type",
        "nothing.gift:1:1: error: no question could be imported from this file; see the warnings",
    ]
    missing = tmp_path / "missing.gift"
    written, problems = import_gift(missing, SLUG, quizzes, CARDS, gift_display="missing.gift")
    assert written is None
    assert _lines(problems) == ["missing.gift:1:1: error: cannot read the GIFT file: No such file or directory"]
    assert not quizzes.exists()


def test_written_file_is_a_valid_quiz_for_the_knowledge_base(tmp_path: Path) -> None:
    from conftest import write_tree
    from knowledge_cards.core.knowledge_base import load_knowledge_base

    write_tree(tmp_path, {f"cards/{SLUG}.md": "---\ntitle: Value chain\nsummary: S\n---\nBody\n"})
    written, _ = import_gift(SAMPLE, SLUG, tmp_path / "quizzes", {SLUG})
    assert written is not None
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, quizzes_dir=tmp_path / "quizzes")
    assert kb.problems == ()
    assert len(kb.quizzes[SLUG].questions) == len(SAMPLE_QUESTIONS)


def test_to_quiz_yaml_of_plain_dicts_with_title(tmp_path: Path) -> None:
    text = to_quiz_yaml(SAMPLE_QUESTIONS, title="Check: value chain", source="bank\n.gift")
    assert text.startswith(
        "# Imported from bank .gift by kcards import-gift.\ntitle: 'Check: value chain'\nquestions:\n  - type: single\n"
    )
    assert yaml.safe_load(text) == {"title": "Check: value chain", "questions": SAMPLE_QUESTIONS}
    _assert_loads(SAMPLE_QUESTIONS, tmp_path)
    assert to_quiz_yaml([]) == "# Imported from a Moodle GIFT file by kcards import-gift.\nquestions: []\n"


# --- hostile input ---------------------------------------------------------------------------

GIFT_PIECES = [
    *"~=#{}:\\%->[]<>/ \n\n\n\t*_`&;.$",
    *string.ascii_letters[:8],
    *"0123456789",
    "T",
    "TRUE",
    "F",
    "FALSE",
    "true",
    "::",
    "####",
    "->",
    "%50%",
    "%-100%",
    "%abc%",
    "\\n",
    "\\\\",
    "[html]",
    "[markdown]",
    "[plain]",
    "[moodle]",
    "//",
    "\n// c\n",
    "$CATEGORY:",
    "\n\n",
    "<b>",
    "</b>",
    "<p>",
    "<code>",
    "</code>",
    "<a href\\='http\\://x'>",
    "</a>",
    "<img alt\\=x>",
    "<script>",
    "<!--",
    "-->",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#xD800;",
    "\u2028",
    "\x85",
    "\x00",
    "\x1b",
    "\ufdd0",
    "\ufeff",
    "\r",
    "\r\n",
    "é",
    "\U0001f600",
    "- ",
    "1. ",
    "> ",
    "yes",
    "null",
    "...",
    "---",
    "'",
    '"',
    "|",
]


def _hostile_texts(rng: random.Random) -> list[str]:
    sample = SAMPLE.read_text(encoding="utf-8")
    texts = ["".join(rng.choice(GIFT_PIECES) for _ in range(rng.randint(0, 60))) for _ in range(1200)]
    texts += ["".join(rng.choice(string.printable) for _ in range(rng.randint(0, 200))) for _ in range(300)]
    for _ in range(250):
        chars = list(sample)
        for _ in range(rng.randint(1, 12)):
            at = rng.randrange(len(chars) + 1)
            action = rng.randrange(4)
            if action == 0 and at < len(chars):
                del chars[at]
            elif action == 1:
                chars.insert(at, rng.choice(GIFT_PIECES))
            elif action == 2 and at < len(chars):
                chars[at] = rng.choice(GIFT_PIECES)
            else:
                chars = chars[:at]
        texts.append("".join(chars))
    # Well-formed questions built from hostile texts: these do import, so their YAML gets exercised.
    for _ in range(250):
        words = [
            "".join(rng.choice(GIFT_PIECES[:60] + ["x", "y", "z"]) for _ in range(rng.randint(1, 6))) for _ in range(4)
        ]
        texts.append(
            f"::{words[0]}::{words[1]} {{=\\{words[2]} ~{words[3]}x #fb ####{words[0]}}}\n\n"
            f"{words[2]} {{T#{words[1]}#{words[3]}}}\n\n{words[3]}? {{={words[0]}y}}"
        )
    return texts


def test_hostile_input_never_raises_and_always_gives_a_loadable_quiz(tmp_path: Path) -> None:
    rng = random.Random(20240611)
    imported = 0
    for number, text in enumerate(_hostile_texts(rng)):
        questions, problems = read_gift(text, "h.gift")
        assert not any("please report" in p.message for p in problems), (text, problems)
        assert all(p.line >= 1 and p.column >= 1 for p in problems)
        quiz_text = to_quiz_yaml(questions, title=text[:12], source=text[:30])
        data = yaml.safe_load(quiz_text)
        assert data["questions"] == [q.data for q in questions] and data.get("title", text[:12]) == text[:12]
        if questions and imported < 120:
            imported += 1
            file = tmp_path / f"q{number}.yml"
            file.write_text(quiz_text, encoding="utf-8")
            assert load_quiz(file, file.name, {file.stem})[1] == [], (text, quiz_text)
    assert imported == 120


def test_hostile_files_never_raise_through_the_command(tmp_path: Path) -> None:
    rng = random.Random(7)
    for number in range(150):
        file = tmp_path / f"h{number}.gift"
        if number % 3 == 0:
            file.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))))
        else:
            file.write_text("".join(rng.choice(GIFT_PIECES) for _ in range(rng.randint(0, 80))), encoding="utf-8")
        quizzes = tmp_path / f"quizzes{number}"
        written, problems = import_gift(file, SLUG, quizzes, CARDS)
        errors = [p for p in problems if p.severity is Severity.ERROR]
        assert (written is None) == bool(errors)
        if written is not None:
            assert load_quiz(written, written.name, CARDS)[1] == []
        else:
            assert not quizzes.exists() or list(quizzes.iterdir()) == []


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(GIFT_PIECES), max_size=40).map("".join) | st.text(max_size=200))
def test_any_text_parses_without_raising(text: str) -> None:
    questions, problems = parse_gift(text, "h.gift")
    assert not any("please report" in p.message for p in problems)
    assert yaml.safe_load(to_quiz_yaml(questions))["questions"] == questions
