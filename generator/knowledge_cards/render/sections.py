"""The generated sections after a card's or placeholder's body, and the parts under them.

Explore, quiz, position diagram, related, backlinks, sources, footnotes and the path links: which
sections a page has, in order, and the HTML of each part (the "At a glance" loop diagram too, which
goes in the body). Python computes the view data; one template per part renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import markupsafe

from ..core.code_regions import code_regions
from ..core.model import Card, Loop
from .context import RenderContext
from .headings import Heading
from .inline import InlineMarkdown
from .mermaid import loop_flowchart, position_flowchart
from .path_nav import PathNavigation
from .quiz_view import quiz_view

# The sections after a body, by name: heading level and text (a quiz's heading is its title).
TAIL_HEADINGS = {
    "explore": (2, "Concepts to explore next"),
    "position": (2, "Where this concept fits"),
    "backlinks": (2, "Cards that link here"),
    "sources": (2, "Sources"),
    "further-reading": (3, "Further reading"),
    "footnotes": (2, "Footnotes"),
}


@dataclass(frozen=True)
class TailSection:
    """A section after a page's body: its name, heading level and text, and the generated parts under it."""

    name: str
    level: int
    title: str
    parts: tuple[str, ...]


def has_footnotes(card: Card) -> bool:
    """Whether the body defines a footnote (outside code, as the footnotes extension finds one): the page
    then ends with a "Footnotes" section."""
    return "[^" in card.body and code_regions(card.body).defines_footnotes


class TailSections:
    """Which sections follow a page's body, and the HTML of every generated part of a card or placeholder."""

    def __init__(self, context: RenderContext, path_nav: PathNavigation) -> None:
        self.context = context
        self.path_nav = path_nav
        self.inline = InlineMarkdown()

    def tail_of(self, slug: str) -> list[TailSection]:
        """The sections after a card's or placeholder's body, in order, and the parts under each."""
        graph = self.context.graph
        card = graph.cards.get(slug)
        backlinks = [_tail("backlinks", ("backlinks",))] if graph.linking_to(slug) else []
        if card is None:
            return backlinks
        sections = [_tail("explore", ("explore",))] if card.explore else []
        quiz = self.context.quizzes.get(slug)
        if quiz is not None:
            sections.append(TailSection("quiz", 2, quiz.title, ("quiz",)))
        sections.append(_tail("position", ("position", "related") if card.related else ("position",)))
        sections += backlinks
        if card.sources:
            sections += [_tail("sources", ()), _tail("further-reading", ("sources",))]
        if slug in self.context.steps:
            last = sections[-1]
            sections[-1] = TailSection(last.name, last.level, last.title, (*last.parts, "path_bottom"))
        if has_footnotes(card):
            sections.append(_tail("footnotes", ()))
        return sections

    def html(self, slug: str, tail: list[TailSection], headings: Sequence[Heading]) -> str:
        """The sections after a page's body: each heading (one per section of `tail`), then its parts."""
        sections = [
            {
                "heading": heading,
                "parts": [markupsafe.Markup(self.part(name, slug) or "") for name in section.parts],
            }
            for section, heading in zip(tail, headings, strict=True)
        ]
        return self.context.env.get_template("card_tail.html.j2").render(sections=sections, style=self.context.style)

    def part(self, name: str, slug: str) -> str | None:
        """The HTML of one generated part of a card or placeholder page (None: no such part here)."""
        if name == "path_top" or name == "path_bottom":
            return self.path_nav.html(slug, name.removeprefix("path_"))
        if name == "quiz":
            return self.quiz_html(slug)
        if name == "backlinks":
            return self._backlinks(slug)
        card = self.context.graph.cards.get(slug)
        if card is None:
            return None
        if name == "glance" and card.loop:
            return self._glance(slug, card.loop)
        if name == "position":
            return self._position(slug)
        render = self.context.render
        if name == "explore":
            explore = [self.context.link(slug, entry.slug, entry.description) for entry in card.explore]
            return render("explore.html.j2", explore=explore, any_unwritten=any(view.unwritten for view in explore))
        if name == "related":
            related = [self.context.link(slug, entry.slug, entry.description) for entry in card.related]
            return render("related.html.j2", related=related)
        if name == "sources":
            return render("sources.html.j2", sources=card.sources)
        return None

    def quiz_html(self, slug: str) -> str:
        """The quiz's HTML (every text escaped, then inline Markdown)."""
        quiz = self.context.quizzes.get(slug)
        if quiz is None:
            return ""
        questions = quiz_view(quiz, self.inline)
        return self.context.env.get_template("quiz.html.j2").render(quiz=quiz, questions=questions)

    def _backlinks(self, slug: str) -> str:
        graph = self.context.graph
        views = [self.context.link(slug, source, text=graph.node(source).title) for source in graph.linking_to(slug)]
        return self.context.render("backlinks.html.j2", backlinks=views)

    def _glance(self, slug: str, loop: Loop) -> str:
        """ "At a glance": the card's loop as a diagram."""
        return self.context.render(
            "at_a_glance.html.j2",
            loop=loop,
            title=loop.title or f"The {len(loop.stages)}-stage loop",
            diagram=loop_flowchart(loop, **self._diagram_links(slug)).source(),  # type: ignore[arg-type]
        )

    def _position(self, slug: str) -> str:
        """ "Where this concept fits": parent, siblings and children."""
        graph = self.context.graph
        parent = graph.parent_of(slug)
        card = graph.cards.get(slug)
        outgoing = [link.slug for link in card.body_links] if card is not None else []
        outgoing += [entry.slug for entry in (*card.explore, *card.related)] if card is not None else []
        diagram = position_flowchart(
            slug,
            parent,
            graph.children_of(parent) if parent else (),
            graph.children_of(slug),
            title_of=lambda other: graph.node(other).title,
            linked=[other for other in (*outgoing, *graph.linking_to(slug)) if other != slug and other in graph.nodes],
            **self._diagram_links(slug),  # type: ignore[arg-type]
        )
        return self.context.render("position.html.j2", diagram=diagram.source())

    def _diagram_links(self, from_slug: str) -> dict[str, object]:
        """Where a diagram's boxes link, and which are unwritten, seen from `from_slug`'s page."""
        return {
            "href_of": lambda slug: self.context.href(from_slug, slug),
            "is_unwritten": lambda slug: self.context.status(slug).is_unwritten,
        }


def _tail(name: str, parts: tuple[str, ...]) -> TailSection:
    level, title = TAIL_HEADINGS[name]
    return TailSection(name, level, title, parts)
