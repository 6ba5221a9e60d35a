"""Learning-path navigation on a card's page: "Step k of n in <path>" with previous and next."""

from __future__ import annotations

from ..core.links import relative_url
from .context import RenderContext, one_block, page_url


class PathNavigation:
    """The path steps of each card, worked out once: they show at the top of its page and again at the bottom."""

    def __init__(self, context: RenderContext) -> None:
        self.context = context
        self._views: dict[str, list[dict[str, object]]] = {}

    def html(self, slug: str, position: str) -> str:
        """The steps of every path the card is on, for the `top` or `bottom` of its page ("" for none)."""
        views = self._views.get(slug)
        if views is None:
            views = self._views[slug] = self._step_views(slug)
        if not views:
            return ""
        html = self.context.env.get_template("path_nav.html.j2").render(steps=views, position=position)
        return one_block(html)

    def _step_views(self, slug: str) -> list[dict[str, object]]:
        from_url = self.context.url_of[slug]
        # The paths are listed on the generated home page; where a card is the home page (a vault's own
        # index.md), a path's link leads to its first step.
        home_is_card = self.context.home_is_card
        return [
            {
                "title": step.path.title,
                "number": step.number,
                "total": len(step.path.cards),
                "path_href": relative_url(from_url, self.context.url_of[step.path.cards[0]])
                if home_is_card
                else relative_url(from_url, page_url(self.context.home_path)) + "#start-here",
                "previous": self._step_link(from_url, step.previous) if step.previous else None,
                "next": self._step_link(from_url, step.next) if step.next else None,
            }
            for step in self.context.steps.get(slug, ())
        ]

    def _step_link(self, from_url: str, slug: str) -> dict[str, str]:
        return {"href": relative_url(from_url, self.context.url_of[slug]), "title": self.context.graph.node(slug).title}
