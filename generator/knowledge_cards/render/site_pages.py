"""The one-of-a-kind pages: home, My progress, Cards to write, Tags and the Knowledge map.

Their Markdown is short; their long generated lists are HTML kept aside in `page_parts` and put in
at a slot after Markdown and search indexing, which would otherwise go through every item.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.links import relative_url
from ..core.model import Status
from .context import LinkView, RenderContext, one_block, page_url
from .slots import slot


class SitePages:
    """Renders the site's own pages from the whole graph."""

    def __init__(self, context: RenderContext) -> None:
        self.context = context
        self.page_parts: dict[str, str] = {}
        """Long generated lists of these pages, by slot name."""

    def _late(self, name: str, html: str) -> str:
        """Keep `html` for the slot `name`, put in after Markdown and search indexing; return the slot."""
        self.page_parts[name] = html
        return slot(name)

    def home_markdown(self, home_path: str, site_name: str) -> str:
        """The site's front page: the learning paths, then every top-level card with its children."""
        graph, url_of = self.context.graph, self.context.url_of
        home_url = page_url(home_path)

        def view(slug: str) -> LinkView:
            node = graph.node(slug)
            return LinkView(
                href=relative_url(home_url, url_of[slug]),
                text=node.title,
                title=node.title,
                description=node.summary,
                status=node.status.label,
                unwritten=node.status.is_unwritten,
            )

        # Depth-first, parents before children, without recursion (a chain of parents can be long).
        rows: list[tuple[int, LinkView]] = []
        stack = [(0, slug) for slug in reversed(graph.roots())]
        while stack:
            depth, slug = stack.pop()
            rows.append((depth, view(slug)))
            stack += [(depth + 1, child) for child in reversed(graph.children_of(slug))]
        paths = []
        for path in self.context.paths:
            steps = [
                {
                    "slug": slug,
                    "title": graph.node(slug).title,
                    "href": relative_url(home_url, url_of[slug]),
                    "unwritten": self.context.status(slug).is_unwritten,
                }
                for slug in path.cards
            ]
            quizzes = [slug for slug in path.cards if slug in self.context.quizzes]
            html = self.context.env.get_template("path_card.html.j2").render(path=path, steps=steps, quizzes=quizzes)
            paths.append({"title": path.title, "description": path.description, "html": one_block(html)})
        return self.context.env.get_template("home.md.j2").render(
            site_name=site_name,
            all_concepts=self._late("home-concepts", self.context.render("concept_tree.html.j2", rows=rows)),
            paths=paths,
            card_count=len(graph.cards),
            placeholder_count=len(graph.placeholders),
        )

    def progress_markdown(self, page_path: str) -> str:
        """ "My progress": every card that has a quiz, for quiz.js to fill in."""
        graph = self.context.graph
        rows = [
            {
                "slug": slug,
                "title": graph.node(slug).title,
                "href": relative_url(page_url(page_path), self.context.url_of[slug]),
                "total": len(quiz.questions),
            }
            for slug, quiz in sorted(
                self.context.quizzes.items(), key=lambda item: graph.node(item[0]).title.casefold()
            )
        ]
        table = self.context.render("progress_table.html.j2", rows=rows)
        return self.context.env.get_template("progress.md.j2").render(table=self._late("progress-table", table))

    def to_write_markdown(self, page_path: str) -> str:
        """ "Cards to write": placeholders and stubs by how many cards link to them; drafts apart."""
        graph, url_of = self.context.graph, self.context.url_of
        here = page_url(page_path)

        def row(slug: str) -> dict[str, object]:
            sources = graph.linking_to(slug)
            node = graph.node(slug)
            return {
                "link": LinkView(
                    href=relative_url(here, url_of[slug]),
                    text=slug if node.status.is_unwritten else node.title,
                    title=node.title,
                    description="",
                    status=node.status.label,
                    unwritten=node.status.is_unwritten,
                ),
                "slug": slug,
                "status": node.status.value,
                "count": len(sources),
                "sources": [{"title": graph.node(s).title, "href": relative_url(here, url_of[s])} for s in sources],
            }

        unwritten = [slug for slug, node in graph.nodes.items() if node.status.is_unwritten]
        wanted = sorted((row(slug) for slug in unwritten), key=lambda r: (-int(r["count"]), str(r["slug"])))  # type: ignore[call-overload]
        drafts = [row(slug) for slug, card in graph.cards.items() if card.status is Status.DRAFT]
        return self.context.env.get_template("to_write.md.j2").render(
            wanted=self._late("to-write-wanted", self._list("wanted", wanted)) if wanted else "",
            drafts=self._late("to-write-drafts", self._list("drafts", drafts)) if drafts else "",
        )

    def _list(self, part: str, rows: list[dict[str, object]]) -> str:
        return self.context.render("to_write_list.html.j2", part=part, rows=rows)

    def tags_markdown(self) -> str:
        """The tags page: Material's tags plugin fills in the listing."""
        return self.context.env.get_template("tags.md.j2").render()

    def map_markdown(self, page_path: str, graph_json: str, graph_facts: Mapping[str, object] | None = None) -> str:
        """ "Knowledge map": the whole graph, drawn in the browser from graph.json."""
        graph = self.context.graph
        tags = sorted({tag for node in graph.nodes.values() for tag in node.tags}, key=str.casefold)
        site_root = relative_url(page_url(page_path), "")
        root = site_root if site_root.endswith("/") else (site_root or ".") + "/"
        nodes = (graph_facts or graph.as_json(self.context.url_of))["nodes"]
        card_list = self.context.render("map_list.html.j2", nodes=nodes, root=root)
        return self.context.env.get_template("map.md.j2").render(
            graph_url=relative_url(page_url(page_path), graph_json),
            site_root=site_root,
            tags=tags,
            card_list=self._late("map-list", card_list),
            card_count=len(graph.cards),
            placeholder_count=len(graph.placeholders),
            home_is_card=self.context.home_is_card,
        )
