"""Properties over arbitrary input: nothing raises, every problem has a place, labels always escape."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge_cards.core.frontmatter import YamlError, load_yaml
from knowledge_cards.core.knowledge_base import load_knowledge_base
from knowledge_cards.core.links import find_links
from knowledge_cards.render.mermaid import escape_label

# Text with the characters that break naive generators: quotes, brackets, pipes, YAML and Markdown syntax.
TRICKY = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(list("\"'[](){}|#;:<>&-*\n`!\\")), max_size=200
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TRICKY)
def test_labels_only_use_safe_characters_and_decode_back(text: str) -> None:
    label = escape_label(text)
    assert re.fullmatch(r'"[A-Za-z0-9 #;]*"', label)
    assert re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label[1:-1]) == text


@SETTINGS
@given(TRICKY)
def test_yaml_either_loads_or_names_a_line(text: str) -> None:
    try:
        located = load_yaml(text, first_line=2)
    except YamlError as exc:
        assert exc.line >= 2 and exc.message
    else:
        assert isinstance(located.lines, dict)


@SETTINGS
@given(TRICKY)
def test_link_finder_never_raises_and_spans_are_in_the_text(text: str) -> None:
    lines = text.split("\n")
    for link in find_links(text):
        assert 0 <= link.start < link.end <= len(text)
        assert link.line >= 1 and link.column >= 1
        # The line and column name where the link starts, and a link stays on its line.
        assert lines[link.line - 1][link.column - 1 :].startswith(text[link.start : link.end])


FIELDS = ["title", "summary", "status", "parent", "prerequisites", "explore", "related", "tags", "loop", "sources"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(FIELDS), TRICKY, max_size=6), TRICKY)
def test_any_card_loads_or_yields_problems_with_a_place(fields: dict[str, str], body: str) -> None:
    lines = [
        "---",
        *(f"{key}: {value!r}" if "\n" in value else f"{key}: {value}" for key, value in fields.items()),
        "---",
        body,
    ]
    with tempfile.TemporaryDirectory() as tmp:
        cards = Path(tmp) / "cards"
        cards.mkdir()
        (cards / "card.md").write_text("\n".join(lines), encoding="utf-8")
        kb = load_knowledge_base(cards, relative_to=Path(tmp))
    for problem in kb.problems:
        assert problem.path == "cards/card.md" and problem.line >= 1 and problem.message
        assert re.fullmatch(r"cards/card\.md:\d+:\d+: (error|warning): .+", problem.format(), re.DOTALL)
    assert kb.cards or kb.errors


QUESTION = st.fixed_dictionaries(
    {"type": st.sampled_from(["single", "multiple", "true_false", "order", "reflect", "essay"]), "prompt": TRICKY},
    optional={
        "options": st.lists(
            st.fixed_dictionaries({"text": TRICKY}, optional={"correct": st.booleans(), "feedback": TRICKY}), max_size=4
        ),
        "items": st.lists(TRICKY, max_size=4),
        "answer": st.one_of(st.booleans(), TRICKY),
        "explain": TRICKY,
        "hint": TRICKY,
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(QUESTION, max_size=4).map(lambda qs: {"questions": qs}), st.lists(TRICKY)), TRICKY)
def test_any_quiz_loads_or_yields_problems_with_a_place(data: object, raw: str) -> None:
    import yaml

    from knowledge_cards.core.quiz import load_quiz

    with tempfile.TemporaryDirectory() as tmp:
        for text in (yaml.safe_dump(data, allow_unicode=True), raw):
            file = Path(tmp) / "card.yml"
            file.write_text(text, encoding="utf-8")
            quiz, problems = load_quiz(file, "quizzes/card.yml", {"card"})
            for problem in problems:
                assert re.fullmatch(r"quizzes/card\.yml:\d+:\d+: (error|warning): .+", problem.format(), re.DOTALL)
            assert quiz is not None or any(p.severity.value == "error" for p in problems)
