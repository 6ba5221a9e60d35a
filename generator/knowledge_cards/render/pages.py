"""Stage 4, render: card, placeholder and home pages, from the graph.

Python computes view data; Jinja templates shipped in the package (which a
site can override, see templates.py) turn it into text. A card page's Markdown is the author's
body; its title, summary and the generated sections after the body are HTML
fragments put in around it once Markdown has run (headings.py writes their
headings as the site's `toc` extension would): converting them as Markdown was
most of a 1,000-card build's extra time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import jinja2
import markupsafe

from ..core.graph import KnowledgeGraph
from ..core.learning_paths import LearningPath, PathStep
from ..core.links import relative_path, relative_url
from ..core.model import BodyLink, Card, Status
from ..core.quiz import Quiz
from .callouts import expand_callouts
from .headings import Heading, HeadingStyle
from .inline import InlineMarkdown
from .mermaid import loop_flowchart, position_flowchart
from .quiz_view import quiz_view

AT_A_GLANCE_MARKER = "<!-- at-a-glance -->"
FOOTNOTES_MARKER = "///Footnotes Go Here///"
# A footnote definition: `[^label]:` at the start of a line.
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:", re.MULTILINE)
# A level-2 ATX heading: `## ` at the start of a line.
_H2 = re.compile(r"^## ", re.MULTILINE)


@dataclass(frozen=True)
class LinkView:
    """A link as a template shows it: Markdown path, text, and whether it leads to unwritten work."""

    href: str
    text: str
    title: str
    description: str
    status: str
    unwritten: bool
    path: str = ""
    """The Markdown path, for pages written as Markdown (home, cards to write)."""


@dataclass(frozen=True)
class TailSection:
    """A section after a page's body: its name, heading level and text, and the generated parts under it."""

    name: str
    level: int
    title: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class PageHeadings:
    """The headings a card's or placeholder's page gets besides its body's, with their ids on the page."""

    title: Heading
    tail: tuple[Heading, ...]
    """One per section of `PageRenderer.tail_of`, in its order."""
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


# The sections after a body, by name: heading level and text (a quiz's heading is its title).
TAIL_HEADINGS = {
    "explore": (2, "Concepts to explore next"),
    "position": (2, "Where this concept fits"),
    "backlinks": (2, "Cards that link here"),
    "sources": (2, "Sources"),
    "further-reading": (3, "Further reading"),
    "footnotes": (2, "Footnotes"),
}


class PageRenderer:
    """Renders every generated page part for one build, from one graph."""

    def __init__(
        self,
        env: jinja2.Environment,
        graph: KnowledgeGraph,
        src_path_of: Mapping[str, str],
        url_of: Mapping[str, str],
        quizzes: Mapping[str, Quiz] | None = None,
        paths: tuple[LearningPath, ...] = (),
        home_path: str = "index.md",
        style: HeadingStyle | None = None,
    ) -> None:
        self.style = style or HeadingStyle()
        self.paths = list(paths)
        self.home_path = home_path
        self.env = env
        self.graph = graph
        self.src_path_of = src_path_of
        self.url_of = url_of
        self.quizzes = quizzes or {}
        self.inline = InlineMarkdown()
        self.page_parts: dict[str, str] = {}
        self._fingerprints: dict[str, str] = {}
        """Long generated lists of the one-of-a-kind pages (home, cards to write, ...), by slot name."""
        self._path_steps: dict[str, list[dict[str, object]]] = {}
        self.steps: dict[str, list[PathStep]] = {}
        """Each card's place in every path it is on (a lookup, so a 5,000-card path stays linear)."""
        for path in self.paths:
            for index, slug in enumerate(path.cards):
                self.steps.setdefault(slug, []).append(PathStep(path, index))

    # -- small lookups -------------------------------------------------------------
    def _status(self, slug: str) -> Status:
        return self.graph.node(slug).status

    def _link(self, from_slug: str, slug: str, description: str = "", text: str | None = None) -> LinkView:
        node = self.graph.node(slug)
        return LinkView(
            href=self._href(from_slug, slug),
            text=text if text is not None else slug,
            title=node.title,
            description=description or node.summary,
            status=node.status.label,
            unwritten=node.status.is_unwritten,
        )

    def _href(self, from_slug: str, slug: str) -> str:
        return relative_url(self.url_of[from_slug], self.url_of[slug])

    def _diagram_links(self, from_slug: str) -> dict[str, object]:
        return {
            "href_of": lambda slug: self._href(from_slug, slug),
            "is_unwritten": lambda slug: self._status(slug).is_unwritten,
        }

    # -- learning paths --------------------------------------------------------------
    def _step_link(self, from_url: str, slug: str) -> dict[str, str]:
        return {"href": relative_url(from_url, self.url_of[slug]), "title": self.graph.node(slug).title}

    def path_nav_html(self, slug: str, position: str) -> str:
        """ "Step k of n in <path>" with previous/next, for every path the card is on (at the top of the page
        and again at the bottom: the steps are worked out once)."""
        steps = self._path_steps.get(slug)
        if steps is None:
            steps = self._path_steps[slug] = self._path_step_views(slug)
        if not steps:
            return ""
        html = self.env.get_template("path_nav.html.j2").render(steps=steps, position=position)
        return _one_block(html)

    def _path_step_views(self, slug: str) -> list[dict[str, object]]:
        from_url = self.url_of[slug]
        return [
            {
                "title": step.path.title,
                "number": step.number,
                "total": len(step.path.cards),
                "path_href": relative_url(from_url, _page_url(self.home_path)) + "#start-here",
                "previous": self._step_link(from_url, step.previous) if step.previous else None,
                "next": self._step_link(from_url, step.next) if step.next else None,
            }
            for step in self.steps.get(slug, ())
        ]

    # -- card pages ----------------------------------------------------------------
    def rewrite_body_links(self, card: Card) -> str:
        """Card links in the body become links to their pages, marked when unwritten."""
        parts: list[str] = []
        position = 0
        for link in card.body_links:  # found once, when the card was loaded
            if link.slug not in self.graph.nodes or link.start < position or link.end <= link.start:
                continue
            parts += [card.body[position : link.start], self._body_link(card, link)]
            position = link.end
        parts.append(card.body[position:])
        return "".join(parts)

    def _body_link(self, card: Card, link: BodyLink) -> str:
        text = link.text if link.text is not None else link.slug
        unwritten = self._status(link.slug).is_unwritten
        if not link.anchor:  # HTML: MkDocs' resolving every link was 5 % of converting a card page
            href = relative_url(self.url_of[card.slug], self.url_of[link.slug])
            # The card link every generated list uses; its text is the author's Markdown, which Markdown
            # still converts.
            card_link = self.env.get_template("links.html.j2").module.card_link  # type: ignore[attr-defined]
            return str(card_link({"href": href, "text": markupsafe.Markup(text), "unwritten": unwritten}))
        # To an anchor: a Markdown link, so that MkDocs checks the anchor is on the page. Percent-encoded: a
        # folder named with '#', '?' or a space would end a raw Markdown link.
        path = quote(relative_path(self.src_path_of[card.slug], self.src_path_of[link.slug]))
        classes = '.kc-link .kc-link--unwritten title="Not written yet"' if unwritten else ".kc-link"
        return f"[{text}]({path}{link.anchor}){{ {classes} }}"

    def card_markdown(self, card: Card) -> str:
        """A card page's Markdown: its body (with "At a glance" when it has a loop) and footnotes."""
        body = expand_callouts(self.rewrite_body_links(card))
        if card.loop:
            body = _insert_at_a_glance(body, f"## At a glance\n\n{slot('glance')}\n")
        return self.env.get_template("card.md.j2").render(
            card=card,
            body=body.strip("\n"),
            slot=slot,
            footnotes=FOOTNOTES_MARKER if _has_footnotes(card) else "",
        )

    def sections(self, slug: str, used_ids: set[str]) -> PageSections:
        """Everything generated on a card's or placeholder's page, its headings' ids unique among
        `used_ids` (the ids its body already has; they gain these)."""
        tail = self.tail_of(slug)
        heading = self.style.heading
        headings = PageHeadings(
            heading(1, self.graph.node(slug).title, used_ids),
            tuple(heading(section.level, section.title, used_ids) for section in tail),
            heading(2, "Write this card", used_ids) if slug not in self.graph.cards else None,
        )
        card = self.graph.cards.get(slug)
        header = self.card_header_html(card, headings) if card is not None else self.placeholder_html(slug, headings)
        return PageSections(headings, header, self._tail_html(slug, tail, headings), self.path_nav_html(slug, "top"))

    def card_header_html(self, card: Card, headings: PageHeadings) -> str:
        """The top of a card's page: title, summary, a notice for drafts and stubs, and a slot for its
        learning paths' steps."""
        return self.env.get_template("card_header.html.j2").render(
            card=card,
            status=card.status.value,
            h1=headings.title,
            style=self.style,
            slot=slot,
            path=card.slug in self.steps,
        )

    def placeholder_html(self, slug: str, headings: PageHeadings) -> str:
        """The page of a card nobody has written yet: what it is, a slot for who links to it, and how to
        write it."""
        return self.env.get_template("placeholder.html.j2").render(
            node=self.graph.node(slug),
            h1=headings.title,
            write=headings.write,
            style=self.style,
            slot=slot,
            path=slug in self.steps,
        )

    def tail_of(self, slug: str) -> list[TailSection]:
        """The sections after a card's or placeholder's body, in order, and the parts under each."""
        card = self.graph.cards.get(slug)
        backlinks = [_tail("backlinks", ("backlinks",))] if self.graph.linking_to(slug) else []
        if card is None:
            return backlinks
        sections = [_tail("explore", ("explore",))] if card.explore else []
        quiz = self.quizzes.get(slug)
        if quiz is not None:
            sections.append(TailSection("quiz", 2, quiz.title, ("quiz",)))
        sections.append(_tail("position", ("position", "related") if card.related else ("position",)))
        sections += backlinks
        if card.sources:
            sections += [_tail("sources", ()), _tail("further-reading", ("sources",))]
        if slug in self.steps:
            last = sections[-1]
            sections[-1] = TailSection(last.name, last.level, last.title, (*last.parts, "path_bottom"))
        if _has_footnotes(card):
            sections.append(_tail("footnotes", ()))
        return sections

    def _tail_html(self, slug: str, tail: list[TailSection], headings: PageHeadings) -> str:
        """The sections after a page's body: each heading, then its generated parts."""
        sections = [
            {
                "heading": heading,
                "parts": [markupsafe.Markup(self._section(name, slug) or "") for name in section.parts],
            }
            for section, heading in zip(tail, headings.tail, strict=True)
        ]
        return self.env.get_template("card_tail.html.j2").render(sections=sections, style=self.style)

    def inputs_of(self, slug: str) -> str:
        """A digest of what a card's or placeholder's page is made from, besides its own file and the
        site's navigation: its quiz, its place in paths, and the title, status, summary, tags and URL
        of every card it shows (parent, siblings, children, links either way, path neighbours).
        `mkdocs serve` reuses a page whose digest and file are unchanged."""
        card = self.graph.cards.get(slug)
        parent = self.graph.parent_of(slug)
        shown = {slug, *self.graph.linking_to(slug), *self.graph.children_of(slug)}
        if parent:
            shown |= {parent, *self.graph.children_of(parent)}
        if card:
            shown |= {entry.slug for entry in (*card.explore, *card.related)}
            shown |= {link.slug for link in card.body_links}
        steps = self.steps.get(slug, [])
        shown |= {other for step in steps for other in (step.previous, step.next) if other}
        facts = [
            repr(self.quizzes.get(slug)),
            [self._fingerprint(other) for other in sorted(shown) if other in self.graph.nodes],
            [(step.path.id, step.path.title, len(step.path.cards), step.index) for step in steps],
        ]
        return hashlib.sha256(repr(facts).encode()).hexdigest()

    def _fingerprint(self, slug: str) -> str:
        """What other pages show of a card: worked out once per build, as many pages show the same cards."""
        fingerprint = self._fingerprints.get(slug)
        if fingerprint is None:
            node = self.graph.node(slug)
            fingerprint = repr((slug, node.title, node.status.value, node.summary, node.tags, self.url_of.get(slug)))
            self._fingerprints[slug] = fingerprint
        return fingerprint

    def fill_slots(self, html: str, slug: str | None, sections: PageSections | None = None) -> str:
        """Put each generated part in at its slot (a page's `sections` at `tail` and `path_top`), in one
        pass: pages are large and many."""

        def part(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in self.page_parts:
                return self.page_parts[name]
            if name == "tail" and sections is not None:
                return sections.tail
            if name == "path_top" and sections is not None:
                return sections.path_top
            html = self._section(name, slug) if slug is not None else None
            return match.group(0) if html is None else html

        return _SLOT.sub(part, html) if _SLOT_START in html else html

    def _section(self, name: str, slug: str) -> str | None:
        """The HTML of one generated part of a card or placeholder page (None: no such part here)."""
        if name == "path_top" or name == "path_bottom":
            return self.path_nav_html(slug, name.removeprefix("path_"))
        if name == "quiz":
            return self.quiz_html(slug)
        if name == "backlinks":
            views = [
                self._link(slug, source, text=self.graph.node(source).title) for source in self.graph.linking_to(slug)
            ]
            return self._render("backlinks.html.j2", backlinks=views)
        card = self.graph.cards.get(slug)
        if card is None:
            return None
        if name == "glance" and card.loop:
            return self._render(
                "at_a_glance.html.j2",
                loop=card.loop,
                title=card.loop.title or f"The {len(card.loop.stages)}-stage loop",
                diagram=loop_flowchart(card.loop, **self._diagram_links(slug)).source(),  # type: ignore[arg-type]
            )
        if name == "position":
            parent = self.graph.parent_of(slug)
            diagram = position_flowchart(
                slug,
                parent,
                self.graph.children_of(parent) if parent else (),
                self.graph.children_of(slug),
                title_of=lambda other: self.graph.node(other).title,
                **self._diagram_links(slug),  # type: ignore[arg-type]
            )
            return self._render("position.html.j2", diagram=diagram.source())
        if name == "explore":
            explore = [self._link(slug, entry.slug, entry.description) for entry in card.explore]
            return self._render(
                "explore.html.j2", explore=explore, any_unwritten=any(view.unwritten for view in explore)
            )
        if name == "related":
            related = [self._link(slug, entry.slug, entry.description) for entry in card.related]
            return self._render("related.html.j2", related=related)
        if name == "sources":
            return self._render("sources.html.j2", sources=card.sources)
        return None

    def _late(self, name: str, html: str) -> str:
        """Keep `html` for the slot `name`, put in after Markdown and search indexing; return the slot."""
        self.page_parts[name] = html
        return slot(name)

    def _render(self, template: str, **context: object) -> str:
        return self.env.get_template(template).render(**context).strip()

    def quiz_html(self, slug: str) -> str:
        """The quiz's HTML (every text escaped, then inline Markdown)."""
        quiz = self.quizzes.get(slug)
        if quiz is None:
            return ""
        return self.env.get_template("quiz.html.j2").render(quiz=quiz, questions=quiz_view(quiz, self.inline))

    def progress_markdown(self, page_path: str) -> str:
        """ "My progress": every card that has a quiz, for quiz.js to fill in."""
        rows = [
            {
                "slug": slug,
                "title": self.graph.node(slug).title,
                "href": relative_url(_page_url(page_path), self.url_of[slug]),
                "total": len(quiz.questions),
            }
            for slug, quiz in sorted(self.quizzes.items(), key=lambda item: self.graph.node(item[0]).title.casefold())
        ]
        table = self._render("progress_table.html.j2", rows=rows)
        return self.env.get_template("progress.md.j2").render(table=self._late("progress-table", table))

    def to_write_markdown(self, page_path: str) -> str:
        """ "Cards to write": placeholders and stubs by how many cards link to them; drafts apart."""
        page_url = _page_url(page_path)

        def row(slug: str) -> dict[str, object]:
            sources = self.graph.linking_to(slug)
            node = self.graph.node(slug)
            return {
                "link": LinkView(
                    href=relative_url(page_url, self.url_of[slug]),
                    text=slug if node.status.is_unwritten else node.title,
                    title=node.title,
                    description="",
                    status=node.status.label,
                    unwritten=node.status.is_unwritten,
                ),
                "slug": slug,
                "status": node.status.value,
                "count": len(sources),
                "sources": [
                    {"title": self.graph.node(s).title, "href": relative_url(page_url, self.url_of[s])} for s in sources
                ],
            }

        unwritten = [slug for slug, node in self.graph.nodes.items() if node.status.is_unwritten]
        wanted = sorted((row(slug) for slug in unwritten), key=lambda r: (-int(r["count"]), str(r["slug"])))  # type: ignore[call-overload]
        drafts = [row(slug) for slug, card in self.graph.cards.items() if card.status is Status.DRAFT]
        return self.env.get_template("to_write.md.j2").render(
            wanted=self._late("to-write-wanted", self._render("to_write_list.html.j2", part="wanted", rows=wanted))
            if wanted
            else "",
            drafts=self._late("to-write-drafts", self._render("to_write_list.html.j2", part="drafts", rows=drafts))
            if drafts
            else "",
        )

    def tags_markdown(self) -> str:
        """The tags page: Material's tags plugin fills in the listing."""
        return self.env.get_template("tags.md.j2").render()

    def map_markdown(self, page_path: str, graph_json: str, graph_facts: Mapping[str, object] | None = None) -> str:
        """ "Knowledge map": the whole graph, drawn in the browser from graph.json."""
        tags = sorted({tag for node in self.graph.nodes.values() for tag in node.tags}, key=str.casefold)
        site_root = relative_url(_page_url(page_path), "")
        root = site_root if site_root.endswith("/") else (site_root or ".") + "/"
        nodes = (graph_facts or self.graph.as_json(self.url_of))["nodes"]
        return self.env.get_template("map.md.j2").render(
            graph_url=relative_url(_page_url(page_path), graph_json),
            site_root=site_root,
            tags=tags,
            card_list=self._late("map-list", self._render("map_list.html.j2", nodes=nodes, root=root)),
            card_count=len(self.graph.cards),
            placeholder_count=len(self.graph.placeholders),
        )

    # -- placeholder and home pages -----------------------------------------------
    def home_markdown(self, home_path: str, site_name: str) -> str:
        """The site's front page: every top-level card with its children."""

        home_url = _page_url(home_path)

        def view(slug: str) -> LinkView:
            node = self.graph.node(slug)
            return LinkView(
                href=relative_url(home_url, self.url_of[slug]),
                text=node.title,
                title=node.title,
                description=node.summary,
                status=node.status.label,
                unwritten=node.status.is_unwritten,
            )

        # Depth-first, parents before children, without recursion (a chain of parents can be long).
        rows: list[tuple[int, LinkView]] = []
        stack = [(0, slug) for slug in reversed(self.graph.roots())]
        while stack:
            depth, slug = stack.pop()
            rows.append((depth, view(slug)))
            stack += [(depth + 1, child) for child in reversed(self.graph.children_of(slug))]
        paths = []
        for path in self.paths:
            steps = [
                {
                    "slug": slug,
                    "title": self.graph.node(slug).title,
                    "href": relative_url(home_url, self.url_of[slug]),
                    "unwritten": self._status(slug).is_unwritten,
                }
                for slug in path.cards
            ]
            quizzes = [slug for slug in path.cards if slug in self.quizzes]
            html = self.env.get_template("path_card.html.j2").render(path=path, steps=steps, quizzes=quizzes)
            paths.append({"title": path.title, "description": path.description, "html": _one_block(html)})
        return self.env.get_template("home.md.j2").render(
            site_name=site_name,
            all_concepts=self._late("home-concepts", self._render("concept_tree.html.j2", rows=rows)),
            paths=paths,
            card_count=len(self.graph.cards),
            placeholder_count=len(self.graph.placeholders),
        )


# A slot is an HTML comment: Markdown passes it through as a raw block, and search's HTML parser skips it
# (an empty <div> per slot cost search indexing 0.14 s at 1,000 cards).
_SLOT_START = "<!--kc-slot:"
_SLOT = re.compile(re.escape(_SLOT_START) + r"([a-z_-]+)-->")
TAIL_SLOT = _SLOT_START + "tail-->"


def slot(name: str) -> markupsafe.Markup:
    """Where a generated part goes in a page, put in once Markdown and search indexing have run."""
    return markupsafe.Markup(f"{_SLOT_START}{name}-->")


def _tail(name: str, parts: tuple[str, ...]) -> TailSection:
    level, title = TAIL_HEADINGS[name]
    return TailSection(name, level, title, parts)


def _has_footnotes(card: Card) -> bool:
    return _FOOTNOTE_DEFINITION.search(card.body) is not None


def _insert_at_a_glance(body: str, section: str) -> str:
    """Put "At a glance" at the marker, else before the second `##` section, else at the end."""
    if AT_A_GLANCE_MARKER in body:
        return body.replace(AT_A_GLANCE_MARKER, section.strip("\n"), 1)
    headings = [m.start() for m in _H2.finditer(body)]
    if len(headings) >= 2:
        at = headings[1]
        return body[:at] + section.strip("\n") + "\n\n" + body[at:]
    return body.rstrip("\n") + "\n\n" + section


def _page_url(src_path: str) -> str:
    """The directory-style URL of a generated page (`progress.md` -> `progress/`)."""
    stem = src_path[: -len(".md")]
    return "" if stem == "index" else stem + "/"


def _one_block(html: str) -> str:
    """HTML without blank lines or indentation, so Markdown keeps it as one raw block."""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())
