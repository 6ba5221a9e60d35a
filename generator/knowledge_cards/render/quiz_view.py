"""What the quiz template needs: ids, safe HTML texts, a stable shuffled order."""

from __future__ import annotations

import random
from dataclasses import dataclass

from markupsafe import Markup

from ..core.quiz import Quiz
from .inline import InlineMarkdown


@dataclass(frozen=True)
class OptionView:
    text: Markup
    correct: bool
    feedback: Markup


@dataclass(frozen=True)
class OrderItemView:
    html: Markup
    plain: str
    position: int
    """1-based place in the right order."""


@dataclass(frozen=True)
class QuestionView:
    id: str
    type: str
    prompt: Markup
    hint: Markup
    explain: Markup
    options: tuple[OptionView, ...]
    items: tuple[Markup, ...]
    shuffled: tuple[OrderItemView, ...]
    model_answer: Markup


def stable_shuffle(count: int, seed: str) -> list[int]:
    """A shuffled order of range(count) that is the same every build and never the right one."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    if order == sorted(order) and count > 1:
        order = order[1:] + order[:1]
    return order


def quiz_view(quiz: Quiz, inline: InlineMarkdown | None = None) -> list[QuestionView]:
    """Question views with every text converted by the safe inline Markdown converter."""
    inline = inline or InlineMarkdown()
    views = []
    for number, question in enumerate(quiz.questions, start=1):
        items = tuple(inline(item) for item in question.items)
        shuffled = tuple(
            OrderItemView(items[index], question.items[index], index + 1)
            for index in stable_shuffle(len(items), f"{quiz.slug}:{number}")
        )
        views.append(
            QuestionView(
                id=f"kcq-{quiz.slug}-{number}",
                type=question.type,
                prompt=inline(question.prompt),
                hint=inline(question.hint),
                explain=inline(question.explain),
                options=tuple(
                    OptionView(inline(o.text), o.correct, inline(o.feedback))
                    for o in (
                        question.options
                        if question.type == "true_false"
                        else [
                            question.options[i]
                            for i in stable_shuffle(len(question.options), f"{quiz.slug}:{number}:options")
                        ]
                    )
                ),
                items=items,
                shuffled=shuffled,
                model_answer=inline(question.model_answer, block=True),
            )
        )
    return views
