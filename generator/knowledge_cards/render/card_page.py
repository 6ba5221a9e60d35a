"""A card's or placeholder's page: the Markdown of its body, and the HTML put in around it.

A card page's Markdown is the author's body, its card links rewritten; its title, summary and the
generated sections after the body are HTML fragments put in once Markdown has run (headings.py writes
their headings as the site's `toc` extension would): converting them as Markdown was most of a
1,000-card build's extra time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote

import markupsafe

from ..core.code_regions import CodeRegions, code_regions
from ..core.knowledge_base import MAX_EMBED_DEPTH
from ..core.links import relative_path, relative_url
from ..core.model import BodyLink, Card, Embed
from ..core.names import is_anchor_id, slug_of
from .callouts import callout_titles
from .context import RenderContext
from .headings import Heading, HeadingStyle
from .obsidian import obsidian_edits
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
        if card.title_span is not None:  # the note's own `# Title`: the page has its title already
            edits.append((*card.title_span, ""))
        edits += obsidian_edits(card.body, regions, self.context.notes.editor_markdown)
        edits += self.relinked_files(card, regions)
        edits += self.embed_edits(card, card.slug, (card.slug,))
        if card.loop:
            section = env.get_template("at_a_glance.md.j2").render(slot=slot)
            edits.append(_at_a_glance(card.body, regions, section.strip("\n")))
        return env.get_template("card.md.j2").render(
            card=card,
            body=_edited(card.body, edits).strip("\n"),
            slot=slot,
            footnotes=FOOTNOTES_MARKER if regions.defines_footnotes else "",
        )

    def link_edits(self, card: Card, base: str | None = None) -> list[Edit]:
        """Card links in the body become links to their pages, marked when unwritten; relative to the
        page of `base` (the card itself, or the card that embeds it)."""
        edits: list[Edit] = []
        position = 0
        for link in card.body_links:  # found once, when the card was loaded
            if link.slug not in self.context.graph.nodes or link.start < position or link.end <= link.start:
                continue
            edits.append((link.start, link.end, self._body_link(card, link, base or card.slug)))
            position = link.end
        return edits

    def relinked_files(self, card: Card, regions: CodeRegions) -> list[Edit]:
        """A Markdown image or link to a file by a name the note's folder does not have (`![](diagram.png)`
        with the image in `attachments/`) leads to the file of that name, as in the notes' editor."""
        if "](" not in card.body or not self.context.notes.attachments.paths:
            return []
        edits = []
        for match in MARKDOWN_URL.finditer(card.body):
            if regions.is_hidden(match.start()):
                continue
            moved = self.context.notes.attachments.relinked(match["url"], card.path)
            if moved is not None:
                edits.append((match.start("url"), match.end("url"), moved))
        return edits

    def embed_edits(self, card: Card, base: str, embedding: tuple[str, ...]) -> list[Edit]:
        """Each embed: a file as an image or a link; a note, alone on its line, as its text (or its
        section's) in a quote that links to it, unless it is already being shown (a cycle) or shown
        `MAX_EMBED_DEPTH` deep; elsewhere as a link."""
        edits: list[Edit] = []
        context, notes = self.context, self.context.notes
        for embed in card.embeds:
            if not embed.is_note:
                edits.append((embed.start, embed.end, self._file_embed(card, embed, base)))
                continue
            slug = notes.names.slug_for(embed.target, card.path, notes.link_resolution) or slug_of(
                embed.target.rsplit("/", 1)[-1]
            )
            target = context.graph.cards.get(slug)
            title = embed.option or (target.title if target is not None else embed.target)
            href = relative_url(context.url_of[base], context.url_of[slug]) if slug in context.url_of else ""
            if not href:
                edits.append((embed.start, embed.end, html.escape(title)))
                continue
            if target is None or not embed.alone or slug in embedding or len(embedding) > MAX_EMBED_DEPTH:
                link = context.env.get_template("links.html.j2").module.card_link  # type: ignore[attr-defined]
                edits.append(
                    (embed.start, embed.end, str(link({"href": href, "text": title, "unwritten": target is None})))
                )
                continue
            inner = target.body
            inner_edits = [
                *self.link_edits(target, base),
                *obsidian_edits(inner, code_regions(inner), notes.editor_markdown),
            ]
            inner_edits += self.embed_edits(target, base, (*embedding, slug))
            text = _section(_edited(inner, inner_edits), embed.anchor, context.style).strip("\n")
            # The source, as a Markdown link to its file: the engine resolves it and checks the anchor.
            source = quote(relative_path(context.src_path_of[base], context.src_path_of[slug]))
            # A block's id is not one the engine knows: the link leads to the note.
            anchor = "#" + _anchor_id(embed.anchor, context.style) if embed.anchor and embed.anchor[0] != "^" else ""
            shown = f"[{_md_text(title)}]({source}{anchor})"
            quoted = "\n".join(("    " + line) if line.strip() else "" for line in text.split("\n"))
            edits.append((embed.start, embed.end, f'!!! quote "{shown.replace(chr(34), "&quot;")}"\n\n{quoted}\n'))
        return edits

    def _file_embed(self, card: Card, embed: Embed, base: str) -> str:
        """An embedded file: an image (`|300` or `|300x200` its size, other text its alternative text), any
        other file a link to it; a file not there, its name."""
        notes = self.context.notes
        found = notes.attachments.find(embed.target, card.path)
        name = embed.target.rsplit("/", 1)[-1]
        if found is None:
            return html.escape(name)
        href = relative_url(self.context.url_of[base], quote(notes.prefix + found))
        size = re.fullmatch(r"(\d+)(?:x(\d+))?", embed.option)
        if found.lower().endswith(IMAGE_SUFFIXES):
            attributes = (
                f'src="{html.escape(href)}" alt="{html.escape(embed.option if not size and embed.option else name)}"'
            )
            if size:
                attributes += f' width="{size[1]}"' + (f' height="{size[2]}"' if size[2] else "")
            return f'<img {attributes} loading="lazy">'
        return f'<a href="{html.escape(href)}">{html.escape(embed.option or name)}</a>'

    def _body_link(self, card: Card, link: BodyLink, base: str | None = None) -> str:
        """One card link; its text is the author's Markdown, which Markdown still converts."""
        context = self.context
        base = base or card.slug
        text = markupsafe.Markup(link.text if link.text is not None else link.slug)
        unwritten = context.status(link.slug).is_unwritten
        if not link.anchor:  # HTML: MkDocs' resolving every link was 5 % of converting a card page
            href = relative_url(context.url_of[base], context.url_of[link.slug])
            # The card link every generated list uses.
            card_link = context.env.get_template("links.html.j2").module.card_link  # type: ignore[attr-defined]
            return str(card_link({"href": href, "text": text, "unwritten": unwritten}))
        anchor = _anchor_id(link.anchor[1:], context.style)
        if link.slug not in context.graph.cards or not anchor or not is_anchor_id(anchor):
            # A card not written yet: its page, until it is. A heading's text or a block: checked with the
            # cards, linked as HTML (the engine knows no id that a block's anchor gets).
            href = relative_url(context.url_of[base], context.url_of[link.slug])
            if anchor and link.slug in context.graph.cards:
                href = ("" if link.slug == base else href) + "#" + anchor
            card_link = context.env.get_template("links.html.j2").module.card_link  # type: ignore[attr-defined]
            return str(card_link({"href": href, "text": text, "unwritten": unwritten}))
        # To an anchor: a Markdown link, so that MkDocs checks the anchor is on the page. Percent-encoded: a
        # folder named with '#', '?' or a space would end a raw Markdown link.
        path = quote(relative_path(context.src_path_of[base], context.src_path_of[link.slug]))
        if link.slug == base:
            path = ""  # `[[#Heading]]`: on this page
        card_link = context.env.get_template("links.md.j2").module.card_link  # type: ignore[attr-defined]
        return str(card_link({"href": path + "#" + anchor, "text": text, "unwritten": unwritten}))

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


def _anchor_id(anchor: str, style: HeadingStyle) -> str:
    """The id a link's anchor names: a block id (`^id`) as written, an id as written, a heading's text
    (`Heading One`) as the site's `toc` extension makes its id (`heading-one`)."""
    if anchor.startswith("^") or is_anchor_id(anchor):
        return anchor
    return style.slugify(anchor, style.separator)


MARKDOWN_URL = re.compile(r"\]\([^\S\n]*<?(?P<url>[^\s()<>]+)")
"""A Markdown link's or image's URL, after its text's closing bracket."""

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")


def _md_text(text: str) -> str:
    """Text that Markdown shows as it is, in a link's text."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _section(body: str, anchor: str, style: HeadingStyle) -> str:
    """The part of a note an embed names: all of it, the section under a heading (`Heading Text`, up to
    the next heading as high), or the block with an id (`^id`: its paragraph or list item)."""
    if not anchor:
        return body
    lines = body.split("\n")
    if anchor.startswith("^"):
        for number, line in enumerate(lines):
            if f'id="{html.escape(anchor)}"' in line:
                start = number
                while start > 0 and lines[start - 1].strip():
                    start -= 1
                return "\n".join(lines[start : number + 1])
        return ""
    wanted = style.slugify(anchor, style.separator)
    for number, line in enumerate(lines):
        heading = re.match(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", line)
        if heading and (heading[2].strip() == anchor or style.slugify(heading[2].strip(), style.separator) == wanted):
            level = len(heading[1])
            end = next(
                (
                    later
                    for later in range(number + 1, len(lines))
                    if (match := re.match(r"^(#{1,6})[ \t]", lines[later])) and len(match[1]) <= level
                ),
                len(lines),
            )
            return "\n".join(lines[number + 1 : end])
    return ""


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
