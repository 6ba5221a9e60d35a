"""The front-matter keys a card may have, in one place, and the warnings every YAML reader gives about keys.

A key not listed here is warned about (with the nearest known key suggested) and ignored; quiz.py and
learning_paths.py list their own files' keys and use the same warnings.
"""

from __future__ import annotations

from .frontmatter import LocatedYaml
from .problems import Code, Problem, warning

CARD_KEYS = (
    "title",
    "summary",
    "status",
    "parent",
    "prerequisites",
    "explore",
    "related",
    "tags",
    "loop",
    "sources",
    "aliases",
    "permalink",
)
# Keys other tools keep in notes (Obsidian and Obsidian Publish, Foam, Quartz, Dendron, Jekyll and Hugo
# front matter): a note brought from them has these, and they pass without a warning (ignored, or read
# by the engine where it knows them).
FOREIGN_KEYS = (
    "alias",
    "cssclass",
    "cssclasses",
    "publish",
    "created",
    "modified",
    "updated",
    "date",
    "lastmod",
    "published",
    "draft",
    "enableToc",
    "socialDescription",
    "socialImage",
    "image",
    "cover",
    "banner",
    "lang",
    "type",
    "id",
    "uid",
    "desc",
    "author",
    "authors",
    "layout",
    "slug",
    "weight",
    "categories",
    "category",
    "keywords",
    "tag",
    "source",
    "url",
    "link",
    "links",
    "up",
    "down",
    "next",
    "prev",
    "share",
    "date created",
    "date modified",
    "kanban-plugin",
    "excalidraw-plugin",
    "foam_template",
    "nav_order",
    "sidebar_position",
)
# Page keys that MkDocs and Material for MkDocs read themselves: accepted on a card, and passed on as
# written (a card's `description` replaces its summary in the page's meta description). Material's own
# `status` badge is the one key a card cannot set: `status` is the card's status.
ENGINE_KEYS = ("description", "hide", "icon", "subtitle", "template", "search", "comments", "social")
LOOP_KEYS = ("title", "direction", "stages", "feedback", "highlight", "key")
SOURCE_KEYS = ("title", "by", "year", "url", "note")
FEEDBACK_KEYS = ("from", "to", "label")


SUGGESTIONS_PER_FILE = 50
"""Unknown keys given a "did you mean" per file: every one is still reported, but a file of thousands of
keys (another tool's data, or an attack) is not compared with every known key thousands of times."""


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """' (did you mean 'x'?)' for a near miss: a typo of at most one edit in four letters (a letter
    left out, added, changed or two swapped: `sumary`, `tilte`, `prerequisite`), else ''. Not for a word
    merely alike (`created` is not a typo of `related`, nor `twitter` of `title`)."""
    text = str(word).lower()
    allowed = max(1, len(text) // 4) if len(text) >= 3 else 0  # one letter or two: anything is near
    best = min(choices, key=lambda choice: _edits(text, choice.lower()), default=None)
    return f" (did you mean '{best}'?)" if best is not None and _edits(text, best.lower()) <= allowed else ""


def _edits(a: str, b: str) -> int:
    """Edits from `a` to `b`, a swap of two neighbours counting one (optimal string alignment)."""
    if abs(len(a) - len(b)) > 3:
        return 4
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


def duplicate_key_warnings(display: str, located: LocatedYaml) -> list[Problem]:
    """A warning for every key written twice in one mapping (YAML keeps the later value silently)."""
    return [
        warning(
            display,
            line,
            Code.DUPLICATE_KEY,
            f"key '{'.'.join(str(part) for part in key_path)}' is written twice; only this later value is used",
        )
        for key_path, line in located.duplicates
    ]
