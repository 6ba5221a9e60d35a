"""The front-matter keys a card may have, in one place, and the warnings every YAML reader gives about keys.

A key not listed here is warned about (with the nearest known key suggested) and ignored; quiz.py and
learning_paths.py list their own files' keys and use the same warnings.
"""

from __future__ import annotations

import difflib

from .frontmatter import LocatedYaml
from .problems import Code, Problem, warning

CARD_KEYS = ("title", "summary", "status", "parent", "prerequisites", "explore", "related", "tags", "loop", "sources")
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
    """' (did you mean 'x'?)' for a near miss, else ''."""
    by_lower = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[close[0]]}'?)" if close else ""


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
