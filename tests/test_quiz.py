"""Quiz files: parsing, exact validation messages, and safe text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import VALUE_CHAIN_STAGES, write_tree
from knowledge_cards.core.knowledge_base import load_knowledge_base
from knowledge_cards.render import inline
from knowledge_cards.render.inline import InlineMarkdown
from knowledge_cards.render.quiz_view import stable_shuffle

CARD = "---\ntitle: Chain\nsummary: S\n---\nBody\n"

FULL_QUIZ = """\
title: Test yourself
pass_mark: 80
questions:
  - type: single
    prompt: Which stage comes first?
    hint: Think of suppliers.
    options:
      - {text: Sourcing, correct: true, feedback: Right}
      - {text: Service, feedback: It closes the loop}
    explain: Products enter at sourcing.
  - type: multiple
    prompt: Which are feedback paths?
    options:
      - {text: Returns, correct: true}
      - {text: Data, correct: true}
      - {text: Marketing, feedback: That is a stage}
  - type: true_false
    prompt: The chain is a line.
    answer: false
    feedback: {true: Not quite, false: Right}
  - type: order
    prompt: Order them.
    items: [One, Two, Three]
  - type: reflect
    prompt: Why a loop?
    answer: Because returns feed back.
"""


def quiz_problems(tmp_path: Path, quiz: str, card: str = CARD) -> list[str]:
    write_tree(tmp_path, {"cards/chain.md": card, "quizzes/chain.yml": quiz})
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, quizzes_dir=tmp_path / "quizzes")
    return [p.format() for p in kb.problems]


def test_full_quiz_loads(tmp_path: Path) -> None:
    write_tree(tmp_path, {"cards/chain.md": CARD, "quizzes/chain.yml": FULL_QUIZ})
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, quizzes_dir=tmp_path / "quizzes")
    assert kb.problems == ()
    quiz = kb.quizzes["chain"]
    assert quiz.title == "Test yourself" and quiz.pass_mark == 80
    assert [q.type for q in quiz.questions] == ["single", "multiple", "true_false", "order", "reflect"]
    single, multiple, true_false, order, reflect = quiz.questions
    assert single.hint == "Think of suppliers." and single.explain == "Products enter at sourcing."
    assert [(o.text, o.correct, o.feedback) for o in single.options] == [
        ("Sourcing", True, "Right"),
        ("Service", False, "It closes the loop"),
    ]
    assert [o.correct for o in multiple.options] == [True, True, False]
    assert [(o.text, o.correct, o.feedback) for o in true_false.options] == [
        ("True", False, "Not quite"),
        ("False", True, "Right"),
    ]
    assert order.items == ("One", "Two", "Three")
    assert reflect.model_answer == "Because returns feed back."
    assert single.line == 4 and reflect.line == 24


@pytest.mark.parametrize(
    ("quiz", "expected"),
    [
        (
            "questions:\n  - type: singel\n    prompt: P\n",
            [
                "quizzes/chain.yml:2:1: error: question type 'singel' is not one of single, multiple, true_false, order, reflect (did you mean 'single'?)"
            ],
        ),
        (
            "questions:\n  - type: single\n    prompt: P\n    options: [A, B]\n",
            ["quizzes/chain.yml:4:1: error: no option is marked 'correct: true'; a question needs a right answer"],
        ),
        (
            "questions:\n  - type: single\n    prompt: P\n    options:\n      - {text: A, correct: true}\n      - {text: B, correct: true}\n",
            [
                "quizzes/chain.yml:4:1: error: a single question has exactly one right option, but 2 are marked correct; use type: multiple"
            ],
        ),
        (
            "questions:\n  - type: order\n    prompt: P\n    items: [Only]\n",
            ["quizzes/chain.yml:4:1: error: an order question needs at least two items, not 1"],
        ),
        (
            "questions:\n  - type: multiple\n    prompt: P\n    options:\n      - {text: A, correct: true}\n      - {text: A}\n",
            ["quizzes/chain.yml:6:1: error: option 'A' appears twice in this question"],
        ),
        (
            "questions:\n  - type: reflect\n    prompt: ''\n    answer: x\n",
            ["quizzes/chain.yml:3:1: error: the question's prompt is empty; write 'prompt: ...'"],
        ),
        (
            "questions:\n  - type: reflect\n    prompt: P\n    answer: x\n    explian: y\n",
            [
                "quizzes/chain.yml:5:1: warning: unknown key 'explian' in a reflect question (did you mean 'explain'?); it is ignored"
            ],
        ),
        (
            "questions:\n  - type: true_false\n    prompt: P\n    answer: maybe\n",
            ["quizzes/chain.yml:4:1: error: a true_false question needs 'answer: true' or 'answer: false'"],
        ),
        (
            "questions: [\n",
            [
                "quizzes/chain.yml:2:1: error: invalid YAML: while parsing a flow node, did not find expected node content"
            ],
        ),
        ("- a list\n", ["quizzes/chain.yml:1:1: error: a quiz must be a mapping with 'questions:' (a list)"]),
        ("questions: []\n", ["quizzes/chain.yml:1:1: error: 'questions:' must be a non-empty list of questions"]),
        (
            "pass_mark: 120\nquestions:\n  - {type: reflect, prompt: P, answer: A}\n",
            ["quizzes/chain.yml:1:1: error: pass_mark must be a percentage from 0 to 100, not '120'"],
        ),
    ],
)
def test_quiz_problems_are_exact(tmp_path: Path, quiz: str, expected: list[str]) -> None:
    assert quiz_problems(tmp_path, quiz) == expected


def test_quiz_without_card_is_an_error(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"cards/chain.md": CARD, "quizzes/chian.yml": "questions:\n  - {type: reflect, prompt: P, answer: A}\n"},
    )
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, quizzes_dir=tmp_path / "quizzes")
    assert [p.format() for p in kb.problems] == [
        "quizzes/chian.yml:1:1: error: quiz for 'chian', but no card has that slug (did you mean 'chain'?); name the file after its card"
    ]


def test_all_quiz_problems_in_one_run(tmp_path: Path) -> None:
    quiz = "questions:\n  - type: order\n    prompt: P\n    items: [A]\n  - type: single\n    prompt: Q\n    options: [A, B]\n"
    assert [line.split(": error")[0] for line in quiz_problems(tmp_path, quiz)] == [
        "quizzes/chain.yml:4:1",
        "quizzes/chain.yml:7:1",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("*stress* and `code`", "<em>stress</em> and <code>code</code>"),
        ("[bad](javascript:alert(1)) [ok](https://example.org)", 'bad <a href="https://example.org">ok</a>'),
        ("A & B", "A &amp; B"),
    ],
)
def test_inline_markdown_is_safe(text: str, expected: str) -> None:
    assert str(InlineMarkdown()(text)) == expected


def test_stable_shuffle_is_deterministic_and_never_the_answer() -> None:
    assert stable_shuffle(8, "a:1") == stable_shuffle(8, "a:1")
    assert all(stable_shuffle(n, f"s:{n}") != list(range(n)) for n in range(2, 10))
    assert stable_shuffle(2, "x") == [1, 0]


def test_shipped_quizzes_are_valid() -> None:
    root = Path(__file__).resolve().parent.parent
    kb = load_knowledge_base(root / "cards", relative_to=root, quizzes_dir=root / "quizzes")
    assert [p.format() for p in kb.problems] == []
    complete = {card.slug for card in kb.cards if card.status.value == "complete"}
    assert set(kb.quizzes) == complete
    chain = kb.quizzes["e-commerce-value-chain"]
    types = [q.type for q in chain.questions]
    assert types.count("reflect") >= 5 and "order" in types and "single" in types and "multiple" in types
    order = next(q for q in chain.questions if q.type == "order")
    assert order.items == tuple(VALUE_CHAIN_STAGES)
    for quiz in kb.quizzes.values():
        for question in quiz.questions:
            for option in question.options:
                if not option.correct and question.type != "true_false":
                    assert option.feedback, f"{quiz.slug}: wrong option '{option.text}' has no feedback"


def test_second_quiz_for_a_card_is_an_error(tmp_path: Path) -> None:
    quiz = "questions:\n  - {type: reflect, prompt: P, answer: A}\n"
    write_tree(tmp_path, {"cards/chain.md": CARD, "quizzes/chain.yml": quiz, "quizzes/more/chain.yaml": quiz})
    kb = load_knowledge_base(tmp_path / "cards", relative_to=tmp_path, quizzes_dir=tmp_path / "quizzes")
    assert [p.format() for p in kb.problems] == [
        "quizzes/more/chain.yaml:1:1: error: a second quiz for 'chain': quizzes/chain.yml is its quiz already"
    ]


def test_a_stub_card_may_have_a_quiz(tmp_path: Path) -> None:
    quiz = "questions:\n  - {type: reflect, prompt: P, answer: A}\n"
    assert quiz_problems(tmp_path, quiz, card="---\ntitle: Chain\nstatus: stub\n---\n") == []


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aZé1 _*`[]()!<>&#|~\\-.,;:?'\"/%$+=\n\t—"), max_size=30) | st.text(max_size=30)
)
def test_plain_text_shortcut_matches_markdown(text: str) -> None:
    """Texts that skip the Markdown pass come out exactly as Markdown would make them."""
    fast = InlineMarkdown()
    slow = InlineMarkdown()
    slow_plain = inline._PLAIN
    try:
        inline._PLAIN = re.compile(r"(?!)")  # never matches: always the full Markdown pass
        expected = slow(text)
    finally:
        inline._PLAIN = slow_plain
    assert fast(text) == expected


def test_quiz_images_come_only_from_the_site() -> None:
    """A `data:` or external image in quiz text would be fetched from outside an offline site: its
    alternative text is shown instead; an image within the site stays."""
    md = InlineMarkdown()
    html = md(
        "![x](data:image/png;base64,AAAA) ![y](https://example.org/y.png) ![z](//example.org/z.png) ![w](img/w.png)"
    )
    assert str(html) == 'x y z <img alt="w" src="img/w.png" />'
    assert "src=" not in str(md('![t](HTTP://EXAMPLE.ORG/t.png "title")', block=True))
