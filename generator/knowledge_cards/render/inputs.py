"""What a card's or placeholder's page is made from, as a digest: `mkdocs serve` reuses a page whose
digest and file are unchanged."""

from __future__ import annotations

import hashlib

from .context import RenderContext


class PageInputs:
    """Digests of the pages' inputs; what a page shows of another card is worked out once per build."""

    def __init__(self, context: RenderContext) -> None:
        self.context = context
        self._fingerprints: dict[str, str] = {}

    def of(self, slug: str) -> str:
        """A digest of what a card's or placeholder's page is made from, besides its own file and the
        site's navigation: its quiz, its place in paths, and the title, status, summary, tags and URL
        of every card it shows (parent, siblings, children, links either way, path neighbours), and which
        is which."""
        graph = self.context.graph
        card = graph.cards.get(slug)
        parent = graph.parent_of(slug)
        shown = {slug, *graph.linking_to(slug), *graph.children_of(slug)}
        if parent:
            shown |= {parent, *graph.children_of(parent)}
        if card:
            shown |= {entry.slug for entry in (*card.explore, *card.related)}
            shown |= {link.slug for link in card.body_links}
        steps = self.context.steps.get(slug, [])
        shown |= {other for step in steps for other in (step.previous, step.next) if other}
        # Which card is which to this one, in the order shown: the same cards in other places (a child
        # that became only a link) are another page.
        siblings = graph.children_of(parent) if parent else ()
        facts = [
            (parent, graph.children_of(slug), siblings, graph.linking_to(slug)),
            repr(self.context.quizzes.get(slug)),
            [self._fingerprint(other) for other in sorted(shown) if other in graph.nodes],
            [(step.path.id, step.path.title, len(step.path.cards), step.index) for step in steps],
            self._embedded(slug),
        ]
        return hashlib.sha256(repr(facts).encode()).hexdigest()

    def _embedded(self, slug: str) -> list[object]:
        """What the card's embeds show: the files they find, and the text of the notes they embed (and of
        the notes those embed), so that an edit to an embedded note makes the page again."""
        notes, cards = self.context.notes, self.context.graph.cards
        shown: list[object] = []
        todo, seen = [slug], {slug}
        while todo:
            card = cards.get(todo.pop())
            for embed in card.embeds if card is not None else ():
                if not embed.is_note:
                    shown.append((embed.target, notes.attachments.find(embed.target, card.path)))  # type: ignore[union-attr]
                    continue
                other = notes.names.slug_for(embed.target, card.path, notes.link_resolution)  # type: ignore[union-attr]
                shown.append((embed.target, other, cards[other].body if other in cards else None))
                if other is not None and other not in seen and len(seen) <= 64:
                    seen.add(other)
                    todo.append(other)
        return shown

    def _fingerprint(self, slug: str) -> str:
        """What other pages show of a card: many pages show the same cards."""
        fingerprint = self._fingerprints.get(slug)
        if fingerprint is None:
            node = self.context.graph.node(slug)
            facts = (slug, node.title, node.status.value, node.summary, node.tags, self.context.url_of.get(slug))
            fingerprint = self._fingerprints[slug] = repr(facts)
        return fingerprint
