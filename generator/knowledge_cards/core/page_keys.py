"""The page keys of MkDocs and Material a card may set, checked before they reach the theme.

Only these keys of a card's front matter are handed on as the page's metadata: every other key is
warned about and ignored, as the warning says (an `author:` or a `location:` never reaches a template).
Each value is checked for what Material documents, and one that does not fit is warned about and
dropped: `template` names a page template of the site's own (never Material's redirect page), `icon`
an icon path, `hide` the parts Material can hide, `search` its two settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

HIDEABLE = ("navigation", "toc", "footer", "tags", "feedback", "path")
# An icon path as Material writes them: `material/book`, `fontawesome/brands/github`.
_ICON = re.compile(r"^[a-z0-9-]+(/[a-z0-9-]+)+$")
# A page template: a relative `.html` path of plain names, e.g. `home.html` or `pages/wide.html`.
_TEMPLATE = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.html$")
NOT_TEMPLATES = ("redirect.html", "404.html", "sitemap.xml")
"""Material's templates that a card's page must not take (the redirect page runs its `location`)."""

Warn = Callable[..., None]
"""`warn(message, *path)`: one warning at the key's line."""


def engine_meta(meta: dict[Any, Any], keys: tuple[str, ...], warn: Warn) -> dict[str, Any]:
    """The page keys of `meta` (those in `keys`) that may reach the theme, each checked."""
    kept: dict[str, Any] = {}
    for key in keys:
        if meta.get(key) is None:  # absent, or written empty (`description:`): nothing to hand on
            continue
        value = meta[key]
        check: Callable[[Any], Any] = _CHECKS.get(key, _text)
        checked = check(value)
        if checked is None:
            warn(f"{key}: {_HINTS.get(key, 'must be text')}; it is ignored", key)
        else:
            kept[key] = checked
    return kept


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def _hide(value: Any) -> list[str] | None:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or any(item not in HIDEABLE for item in items):
        return None
    return list(items)


def _icon(value: Any) -> str | None:
    return value if isinstance(value, str) and _ICON.match(value) else None


def _template(value: Any) -> str | None:
    if not isinstance(value, str) or not _TEMPLATE.match(value) or value.rsplit("/", 1)[-1] in NOT_TEMPLATES:
        return None
    return value


def _search(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or not set(value) <= {"exclude", "boost"}:
        return None
    if "exclude" in value and not isinstance(value["exclude"], bool):
        return None
    if "boost" in value and (isinstance(value["boost"], bool) or not isinstance(value["boost"], int | float)):
        return None
    return dict(value)


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _social(value: Any) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, dict) else None


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "hide": _hide,
    "icon": _icon,
    "template": _template,
    "search": _search,
    "comments": _flag,
    "social": _social,
}
_HINTS = {
    "hide": f"must list what to hide, from {', '.join(HIDEABLE)}",
    "icon": "must be an icon path such as material/book",
    "template": "must name a page template of the site's own, such as page.html (never redirect.html)",
    "search": "must be a mapping of exclude (true or false) and boost (a number)",
    "comments": "must be true or false",
    "social": "must be a mapping of Material's social card settings",
}
