"""What every render unit shares for one build: the graph, where each page is, and how a part is rendered.

One small explicit context, built once, instead of each unit keeping its own copies of the same lookups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import jinja2

from ..core.graph import KnowledgeGraph
from ..core.learning_paths import LearningPath, PathStep
from ..core.links import relative_url
from ..core.model import Status
from ..core.names import Attachments, Names
from ..core.quiz import Quiz
from .headings import HeadingStyle


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
class NoteSettings:
    """What drawing notes brought from an editor needs: their other files (for embeds) and where they
    are published, how a name finds a note, and whether lists read as the editor shows them."""

    attachments: Attachments = field(default_factory=Attachments)
    prefix: str = ""
    """The cards folder inside docs_dir (`cards/`, or ''): where an attachment's URL starts."""
    names: Names = field(default_factory=lambda: Names.of(()))
    link_resolution: str = "shortest"
    editor_markdown: bool = False


@dataclass(frozen=True)
class RenderContext:
    """The build's graph, pages and templates, as every page part needs them."""

    env: jinja2.Environment
    graph: KnowledgeGraph
    src_path_of: Mapping[str, str]
    url_of: Mapping[str, str]
    quizzes: Mapping[str, Quiz]
    paths: tuple[LearningPath, ...]
    home_path: str
    style: HeadingStyle
    steps: Mapping[str, list[PathStep]]
    """Each card's place in every path it is on (a lookup, so a 5,000-card path stays linear)."""
    notes: NoteSettings = field(default_factory=NoteSettings)
    home_is_card: bool = False
    """A card is the home page (a vault's own index.md): there is no generated list of paths and cards."""

    @classmethod
    def build(
        cls,
        env: jinja2.Environment,
        graph: KnowledgeGraph,
        src_path_of: Mapping[str, str],
        url_of: Mapping[str, str],
        quizzes: Mapping[str, Quiz],
        paths: tuple[LearningPath, ...],
        home_path: str,
        style: HeadingStyle,
        notes: NoteSettings | None = None,
    ) -> RenderContext:
        """The context, with the path steps worked out once."""
        steps: dict[str, list[PathStep]] = {}
        for path in paths:
            for index, slug in enumerate(path.cards):
                steps.setdefault(slug, []).append(PathStep(path, index))
        home_is_card = home_path in set(src_path_of.values())
        return cls(
            env,
            graph,
            src_path_of,
            url_of,
            quizzes,
            paths,
            home_path,
            style,
            steps,
            notes or NoteSettings(),
            home_is_card,
        )

    def status(self, slug: str) -> Status:
        return self.graph.node(slug).status

    def href(self, from_slug: str, slug: str) -> str:
        """The URL of `slug`'s page, relative to `from_slug`'s."""
        return relative_url(self.url_of[from_slug], self.url_of[slug])

    def link(self, from_slug: str, slug: str, description: str = "", text: str | None = None) -> LinkView:
        """A link from one card's page to another's; its text the slug unless given."""
        node = self.graph.node(slug)
        return LinkView(
            href=self.href(from_slug, slug),
            text=text if text is not None else slug,
            title=node.title,
            description=description or node.summary,
            status=node.status.label,
            unwritten=node.status.is_unwritten,
        )

    def render(self, template: str, **context: object) -> str:
        """A fragment without the blank lines around it, so that parts join predictably."""
        return self.env.get_template(template).render(**context).strip()


def page_url(src_path: str) -> str:
    """The directory-style URL of a generated page (`progress.md` -> `progress/`)."""
    stem = src_path[: -len(".md")]
    return "" if stem == "index" else stem + "/"


def one_block(html: str) -> str:
    """HTML without blank lines or indentation, so Markdown keeps it as one raw block."""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())
