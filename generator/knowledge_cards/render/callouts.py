"""The reference card's recurring callouts, as admonition types with fixed titles.

`!!! plain` reads better to an instructor than `!!! note "In plain terms"`, and
one title per type keeps every card consistent; an explicit title still wins.
"""

from __future__ import annotations

import re

CALLOUTS: dict[str, str] = {
    "plain": "In plain terms",
    "analogy": "Think of it like...",
    "rule": "Rule of thumb",
    "explore": "Concept to explore",
    "reasons": "Key reasons",
}

# An admonition or details opener with one of our types and no title:
#   indent, `!!!` or `???` (optionally `+`), the type, optional spaces, end of line.
_OPENER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?)[ \t]+(?P<type>" + "|".join(CALLOUTS) + r")[ \t]*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def expand_callouts(markdown: str) -> str:
    """Give each untitled callout its standard title; code fences are left alone."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
        elif fence_match:
            fence = fence_match.group(1)
        else:
            match = _OPENER.match(line)
            if match:
                line = f'{match["indent"]}{match["marker"]} {match["type"]} "{CALLOUTS[match["type"]]}"'
        out.append(line)
    return "\n".join(out)
