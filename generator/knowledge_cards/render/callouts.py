"""The reference card's recurring callouts, as admonition types with fixed titles.

`!!! plain` reads better to an instructor than `!!! note "In plain terms"`, and
one title per type keeps every card consistent; an explicit title still wins.
"""

from __future__ import annotations

import re

from ..core.code_regions import CodeRegions, code_regions

CALLOUTS: dict[str, str] = {
    "plain": "In plain terms",
    "analogy": "Think of it like...",
    "rule": "Rule of thumb",
    "explore": "Concept to explore",
    "reasons": "Key reasons",
}

# An admonition or details opener with one of our types and no title, on a line of its own:
#   indent, `!!!` or `???` (optionally `+`), the type, optional spaces, end of line.
_OPENER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?)[ \t]+(?P<type>" + "|".join(CALLOUTS) + r")[ \t]*$", re.MULTILINE
)


def callout_titles(body: str, regions: CodeRegions) -> list[tuple[int, int, str]]:
    """Each untitled callout opener outside code, as an edit (start, end, the opener with its
    standard title)."""
    if "!!!" not in body and "???" not in body:
        return []
    return [
        (match.start(), match.end(), f'{match["indent"]}{match["marker"]} {match["type"]} "{CALLOUTS[match["type"]]}"')
        for match in _OPENER.finditer(body)
        if not regions.is_hidden(match.start("marker"))
    ]


def expand_callouts(markdown: str) -> str:
    """Give each untitled callout its standard title; code is left alone."""
    parts: list[str] = []
    position = 0
    for start, end, opener in callout_titles(markdown, code_regions(markdown)):
        parts += [markdown[position:start], opener]
        position = end
    parts.append(markdown[position:])
    return "".join(parts)
