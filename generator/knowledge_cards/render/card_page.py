"""A card's or placeholder's page: the Markdown of its body, and the HTML put in around it.

A card page's Markdown is the author's body, its card links rewritten; its title, summary and the
generated sections after the body are HTML fragments put in once Markdown has run (headings.py writes
their headings as the site's `toc` extension would): converting them as Markdown was most of a
1,000-card build's extra time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import markupsafe

from ..core.code_regions import CodeRegions, code_regions
from ..core.links import relative_path, relative_url
from ..core.model import BodyLink, Card
from .callouts import callout_titles
from .context import RenderContext
from .headings import Heading
from .path_nav import PathNavigation
from .sections import TailSections
from .slots import slot

AT_A_GLANCE_MARKER = "<!-- at-a-glance -->"
FOOTNOTES_MARKER = "///Footnotes Go Here///"
# A level-2 ATX heading: `## ` at the start of a line.
_H2 = re.compile(r"^## ", re.MULTILINE)

Edit = tuple[int, int, str]
"""What to write instead of `body[start:end]`."""


@dataclass(frozen=True)
class PageHeadings:
    """The headings a card's or placeholder's page gets besides its body's, with their ids on the page."""

    title: Heading
    tail: tuple[Heading, ...]
    """One per section of `TailSections.tail_of`, in its order."""
    write: Heading | None = None
    """A placeholder's "Write this card"."""

    @property
    def all(self) -> list[Heading]:
        """Every one, in page order."""
        return [self.title, *self.tail, *([self.write] if self.write else [])]


@dataclass(frozen=True)
class PageSections:
    """A card's or placeholder's generated HTML, for the headings it was rendered with: what goes above
    the body (a placeholder's whole page), the sections after it, and the learning-path steps at the top."""

    headings: PageHeadings
    header: str
    tail: str
    path_top: str

    def fits(self, anchor_ids: set[str]) -> bool:
        """Whether these headings' ids are the page's: true when none is taken by the body already
        (rendered before the body's ids were known, they were made unique among themselves only)."""
        return anchor_ids.isdisjoint(heading.id for heading in self.headings.all)


class CardPages:
    """The Markdown and the generated HTML of card and placeholder pages."""

    def __init__(self, context: RenderContext, tail: TailSections, path_nav: PathNavigation) -> None:
        self.context = context
        self.tail = tail
        self.path_nav = path_nav

    def markdown(self, card: Card) -> str:
        """A card page's Markdown: its body (links rewritten, callouts titled, "At a glance" put in
        when it has a loop) and footnotes. Code and comments in the body are left as written: where
        they are is read once, and every change is made to the body in one pass."""
        env = self.context.env
        regions = code_regions(card.body)
        edits = [*self.link_edits(card), *callout_titles(card.body, regions)]
        if card.loop:
            section = env.get_template("at_a_glance.md.j2").render(slot=slot)
            edits.append(_at_a_glance(card.body, regions, section.strip("\n")))
        return env.get_template("card.md.j2").render(
            card=card,
            body=_edited(card.body, edits).strip("\n"),
            slot=slot,
            footnotes=FOOTNOTES_MARKER if regions.defines_footnotes else "",
        )

    def link_edits(self, card: Card) -> list[Edit]:
        """Card links in the body become links to their pages, marked when unwritten."""
        edits: list[Edit] = []
        position = 0
        for link in card.body_links:  # found once, when the card was loaded
            if link.slug not in self.context.graph.nodes or link.start < position or link.end <= link.start:
                continue
            edits.append((link.start, link.end, self._body_link(card, link)))
            position = link.end
        return edits

    def _body_link(self, card: Card, link: BodyLink) -> str:
        """One card link; its text is the author's Markdown, which Markdown still converts."""
        context = self.context
        text = markupsafe.Markup(link.text if link.text is not None else link.slug)
        unwritten = context.status(link.slug).is_unwritten
        if not link.anchor:  # HTML: MkDocs' resolving every link was 5 % of converting a card page
            href = relative_url(context.url_of[card.slug], context.url_of[link.slug])
            # The card link every generated list uses.
            card_link = context.env.get_template("links.html.j2").module.card_link  # type: ignore[attr-defined]
            return str(card_link({"href": href, "text": text, "unwritten": unwritten}))
        # To an anchor: a Markdown link, so that MkDocs checks the anchor is on the page. Percent-encoded: a
        # folder named with '#', '?' or a space would end a raw Markdown link.
        path = quote(relative_path(context.src_path_of[card.slug], context.src_path_of[link.slug]))
        card_link = context.env.get_template("links.md.j2").module.card_link  # type: ignore[attr-defined]
        return str(card_link({"href": path + link.anchor, "text": text, "unwritten": unwritten}))

    def sections(self, slug: str, used_ids: set[str]) -> PageSections:
        """Everything generated on a card's or placeholder's page, its headings' ids unique among
        `used_ids` (the ids its body already has; they gain these)."""
        graph = self.context.graph
        tail = self.tail.tail_of(slug)
        heading = self.context.style.heading
        headings = PageHeadings(
            heading(1, graph.node(slug).title, used_ids),
            tuple(heading(section.level, section.title, used_ids) for section in tail),
            heading(2, "Write this card", used_ids) if slug not in graph.cards else None,
        )
        card = graph.cards.get(slug)
        header = self.card_header_html(card, headings) if card is not None else self.placeholder_html(slug, headings)
        tail_html = self.tail.html(slug, tail, headings.tail)
        return PageSections(headings, header, tail_html, self.path_nav.html(slug, "top"))

    def card_header_html(self, card: Card, headings: PageHeadings) -> str:
        """The top of a card's page: title, summary, a notice for drafts and stubs, and a slot for its
        learning paths' steps."""
        return self.context.env.get_template("card_header.html.j2").render(
            card=card,
            status=card.status.value,
            h1=headings.title,
            style=self.context.style,
            slot=slot,
            path=card.slug in self.context.steps,
        )

    def placeholder_html(self, slug: str, headings: PageHeadings) -> str:
        """The page of a card nobody has written yet: what it is, a slot for who links to it, and how to
        write it."""
        return self.context.env.get_template("placeholder.html.j2").render(
            node=self.context.graph.node(slug),
            h1=headings.title,
            write=headings.write,
            style=self.context.style,
            slot=slot,
            path=slug in self.context.steps,
        )


def _at_a_glance(body: str, regions: CodeRegions, section: str) -> Edit:
    """Where "At a glance" goes: at the marker, else before the second `##` section, else at the end
    (a marker or heading inside code is the code's)."""
    at = body.find(AT_A_GLANCE_MARKER)
    while at >= 0:
        if regions.is_comment(at, at + len(AT_A_GLANCE_MARKER)):
            return at, at + len(AT_A_GLANCE_MARKER), section
        at = body.find(AT_A_GLANCE_MARKER, at + 1)
    headings = [match.start() for match in _H2.finditer(body) if not regions.is_hidden(match.start())]
    if len(headings) >= 2:
        return headings[1], headings[1], section + "\n\n"
    end = len(body.rstrip("\n"))
    return end, len(body), "\n\n" + section + "\n"


def _edited(body: str, edits: list[Edit]) -> str:
    """`body` with each edit made, in order of place (one overlapping an earlier one is left out)."""
    parts: list[str] = []
    position = 0
    for start, end, text in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < position:
            continue
        parts += [body[position:start], text]
        position = end
    parts.append(body[position:])
    return "".join(parts)
