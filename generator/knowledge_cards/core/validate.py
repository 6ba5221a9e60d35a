"""Stage 2, validate: turn a parsed card's front matter into a typed Card.

Every problem is collected, never raised, so one run reports them all.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

# The keys a card, its loop and its sources may have are listed in keys.py; re-exported here.
from .keys import CARD_KEYS as CARD_KEYS
from .keys import ENGINE_KEYS as ENGINE_KEYS
from .keys import FEEDBACK_KEYS as FEEDBACK_KEYS
from .keys import LOOP_KEYS as LOOP_KEYS
from .keys import SOURCE_KEYS as SOURCE_KEYS
from .keys import SUGGESTIONS_PER_FILE
from .keys import did_you_mean as did_you_mean
from .keys import duplicate_key_warnings as duplicate_key_warnings
from .links import find_links
from .load import RawCard
from .model import BodyLink, Card, LinkEntry, Loop, LoopFeedback, LoopStage, Source, Status, is_slug
from .page_keys import engine_meta
from .problems import Code, Problem, error, warning

WRITTEN_STATUSES = ("complete", "draft", "stub")
SLUG_HINT = "lower-case letters and digits joined by single hyphens, e.g. 'unit-economics'"


def _text(value: Any) -> str | None:
    """A scalar as text (YAML reads `2025` as a number); None for anything else (lists, mappings, and
    what an explicit tag makes: `!!binary` bytes, `!!timestamp` dates)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


class _Checker:
    """Collects problems for one card while reading its front matter."""

    def __init__(self, raw: RawCard) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.suggested = 0

    def line(self, *path: Any) -> int:
        return self.raw.meta.line_of(*path)

    def error(self, code: Code, message: str, *path: Any) -> None:
        self.problems.append(error(self.raw.display_path, self.line(*path), code, message))

    def warn(self, code: Code, message: str, *path: Any) -> None:
        self.problems.append(warning(self.raw.display_path, self.line(*path), code, message))

    def unknown_keys(self, mapping: dict[Any, Any], allowed: tuple[str, ...], where: str, *path: Any) -> None:
        for key in mapping:
            if key not in allowed:
                self.suggested += 1
                hint = did_you_mean(str(key), allowed) if self.suggested <= SUGGESTIONS_PER_FILE else ""
                self.warn(Code.UNKNOWN_KEY, f"unknown key '{key}' in {where}{hint}; it is ignored", *path, key)

    def slug(self, value: Any, what: str, *path: Any) -> str | None:
        text = _text(value)
        if text is None or not is_slug(text):
            shown = text if text is not None else _describe(value)
            self.error(Code.INVALID_SLUG, f"{what}: '{shown}' is not a valid slug ({SLUG_HINT})", *path)
            return None
        return text

    def slug_list(self, key: str) -> tuple[LinkEntry, ...]:
        value = self.raw.meta.data.get(key)
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.error(Code.BAD_VALUE, f"{key} must be a list of card slugs, e.g. {key}: [e-commerce]", key)
            return ()
        result = []
        for index, item in enumerate(items):
            slug = self.slug(item, key, key, index)
            if slug:
                result.append(LinkEntry(slug, "", self.line(key, index)))
        return tuple(result)

    def described_list(self, key: str) -> tuple[LinkEntry, ...]:
        """`explore` and `related`: each item `slug` or `slug: description`."""
        value = self.raw.meta.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(
                Code.BAD_VALUE,
                f"{key} must be a list whose items are 'slug' or 'slug: description', e.g. '- unit-economics: Whether each sale creates value'",
                key,
            )
            return ()
        result = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                if len(item) != 1:
                    self.error(
                        Code.BAD_VALUE,
                        f"{key}: each item is one 'slug: description' pair; this one has {len(item)} keys",
                        key,
                        index,
                    )
                    continue
                ((target, description),) = item.items()
                slug = self.slug(target, key, key, index)
                text = _text(description) if description is not None else ""
                if text is None:
                    self.error(Code.BAD_VALUE, f"{key}: the description of '{target}' must be text", key, index)
                    continue
                if slug:
                    result.append(LinkEntry(slug, text, self.line(key, index)))
            else:
                slug = self.slug(item, key, key, index)
                if slug:
                    result.append(LinkEntry(slug, "", self.line(key, index)))
        return tuple(result)


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def validate_card(
    raw: RawCard, exists: Callable[[str], bool] = lambda path: False
) -> tuple[Card | None, list[Problem]]:
    """Check one card's front matter and body links; `exists` tells which relative files exist."""
    check = _Checker(raw)
    meta: dict[Any, Any] = raw.meta.data
    slug = posixpath.basename(raw.path)[: -len(".md")]
    if not is_slug(slug):
        check.problems.append(
            error(
                raw.display_path,
                1,
                Code.INVALID_SLUG,
                f"file name '{slug}.md' is not a valid slug ({SLUG_HINT}); rename the file",
            )
        )
    check.unknown_keys(meta, CARD_KEYS + ENGINE_KEYS, "front matter")
    check.problems += duplicate_key_warnings(raw.display_path, raw.meta)

    status = Status.COMPLETE
    if "status" in meta:
        text = _text(meta["status"])
        if text not in WRITTEN_STATUSES:
            check.error(
                Code.BAD_VALUE,
                f"status: '{text if text is not None else _describe(meta['status'])}' is not one of complete, draft, stub"
                + did_you_mean(str(text), WRITTEN_STATUSES),
                "status",
            )
        else:
            status = Status(text)

    title = _text(meta.get("title"))
    if not title:
        if "title" in meta:
            check.error(Code.MISSING_KEY, "title must be non-empty plain text", "title")
        else:
            check.problems.append(error(raw.display_path, 1, Code.MISSING_KEY, "missing required key 'title'"))
    summary = _text(meta.get("summary"))
    if summary is None and meta.get("summary") is not None:
        check.error(Code.BAD_VALUE, "summary must be plain text (1-2 sentences)", "summary")
    elif not summary and status is not Status.STUB:
        if "summary" in meta:
            check.error(Code.MISSING_KEY, "summary must not be empty (only a stub card may leave it out)", "summary")
        else:
            check.problems.append(
                error(
                    raw.display_path,
                    1,
                    Code.MISSING_KEY,
                    "missing required key 'summary' (only a stub card may leave it out)",
                )
            )

    parent = None
    if meta.get("parent") is not None:
        parent_slug = check.slug(meta["parent"], "parent", "parent")
        if parent_slug == slug:
            check.error(Code.SELF_LINK, f"parent: a card cannot be its own parent ('{slug}')", "parent")
        elif parent_slug:
            parent = LinkEntry(parent_slug, "", check.line("parent"))
    prerequisites = check.slug_list("prerequisites")
    for entry in prerequisites:
        if entry.slug == slug:
            check.problems.append(
                error(
                    raw.display_path,
                    entry.line,
                    Code.SELF_LINK,
                    f"prerequisites: a card cannot be its own prerequisite ('{slug}')",
                )
            )
    prerequisites = tuple(entry for entry in prerequisites if entry.slug != slug)
    explore = check.described_list("explore")
    related = check.described_list("related")

    tags: tuple[str, ...] = ()
    if meta.get("tags") is not None:
        raw_tags = [meta["tags"]] if isinstance(meta["tags"], str) else meta["tags"]
        if not isinstance(raw_tags, list) or any(_text(tag) in (None, "") for tag in raw_tags):
            check.error(Code.BAD_VALUE, "tags must be a list of words, e.g. tags: [operations, retail]", "tags")
        else:
            tags = tuple(dict.fromkeys(str(_text(tag)) for tag in raw_tags))

    loop = _loop(check, meta.get("loop")) if meta.get("loop") is not None else None
    sources = _sources(check, meta.get("sources")) if meta.get("sources") is not None else ()

    body_links = []
    for link in find_links(
        raw.body, lambda target: exists(posixpath.normpath(posixpath.join(posixpath.dirname(raw.path), target)))
    ):
        line = raw.body_line + link.line - 1
        if not link.valid:
            shown = f"[[{link.target}]]" if link.form == "wiki" else f"({link.target})"
            check.problems.append(
                error(
                    raw.display_path,
                    line,
                    Code.INVALID_SLUG,
                    f"link {shown}: '{link.target}' is not a valid slug ({SLUG_HINT}) nor an existing file",
                    column=link.column,
                )
            )
        else:
            body_links.append(BodyLink(link.target, line, link.column, link.start, link.end, link.text, link.anchor))

    page_meta = engine_meta(meta, ENGINE_KEYS, lambda message, *path: check.warn(Code.BAD_VALUE, message, *path))
    if any(problem.severity.value == "error" for problem in check.problems) or not title:
        return None, check.problems
    return (
        Card(
            slug=slug,
            path=raw.path,
            title=title,
            summary=summary or "",
            status=status,
            parent=parent,
            prerequisites=prerequisites,
            explore=explore,
            related=related,
            tags=tags,
            loop=loop,
            sources=sources,
            body=raw.body,
            body_line=raw.body_line,
            body_links=tuple(body_links),
            meta=page_meta,
        ),
        check.problems,
    )


def _loop(check: _Checker, value: Any) -> Loop | None:
    """The `loop:` block: stages in order, feedback arrows naming stages by label."""
    if not isinstance(value, dict):
        check.error(Code.BAD_VALUE, "loop must be a mapping with at least 'stages:' (a list of stage labels)", "loop")
        return None
    check.unknown_keys(value, LOOP_KEYS, "loop", "loop")
    direction = _text(value.get("direction", "LR")) or "LR"
    if direction not in ("LR", "TD"):
        check.error(Code.BAD_VALUE, f"loop.direction: '{direction}' is not LR or TD", "loop", "direction")
        direction = "LR"
    raw_stages = value.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        check.error(
            Code.BAD_VALUE, "loop.stages must be a non-empty list of 'Label' or 'Label: slug'", "loop", "stages"
        )
        return None
    stages: list[LoopStage] = []
    for index, item in enumerate(raw_stages):
        line = check.line("loop", "stages", index)
        if isinstance(item, dict) and len(item) == 1:
            ((label, target),) = item.items()
            label_text = _text(label)
            if target is None:
                check.error(
                    Code.BAD_VALUE,
                    f"loop stage '{label}:' names no card; write '{label}: some-slug' or just '{label}'",
                    "loop",
                    "stages",
                    index,
                )
                continue
            slug = check.slug(target, f"loop stage '{label}'", "loop", "stages", index)
            if label_text and slug:
                stages.append(LoopStage(label_text, slug, line))
        elif _text(item):
            stages.append(LoopStage(str(_text(item)), None, line))
        else:
            check.error(Code.BAD_VALUE, "loop.stages: each stage is 'Label' or 'Label: slug'", "loop", "stages", index)
    labels = [stage.label for stage in stages]
    if len(set(labels)) != len(labels):
        check.error(
            Code.LOOP, "loop.stages: two stages share a label; labels name stages and must be unique", "loop", "stages"
        )
    feedback: list[LoopFeedback] = []
    raw_feedback = value.get("feedback") or []
    if not isinstance(raw_feedback, list):
        check.error(
            Code.BAD_VALUE, "loop.feedback must be a list of {from: Stage, to: Stage, label: text}", "loop", "feedback"
        )
        raw_feedback = []
    for index, item in enumerate(raw_feedback):
        if not isinstance(item, dict):
            check.error(
                Code.BAD_VALUE,
                "loop.feedback: each arrow is {from: Stage, to: Stage, label: text}",
                "loop",
                "feedback",
                index,
            )
            continue
        check.unknown_keys(item, FEEDBACK_KEYS, "loop.feedback", "loop", "feedback", index)
        ends = []
        for end in ("from", "to"):
            name = _text(item.get(end))
            if not name:
                check.error(Code.LOOP, f"loop.feedback: missing '{end}: <stage label>'", "loop", "feedback", index)
            elif name not in labels:
                check.error(
                    Code.LOOP,
                    f"loop.feedback {end}: '{name}' is not a stage of this loop{did_you_mean(name, labels)}",
                    "loop",
                    "feedback",
                    index,
                )
            else:
                ends.append(name)
        if len(ends) == 2:
            feedback.append(LoopFeedback(ends[0], ends[1], _text(item.get("label")) or ""))
    highlight: list[str] = []
    raw_highlight = value.get("highlight") or []
    for index, name in enumerate(raw_highlight if isinstance(raw_highlight, list) else [raw_highlight]):
        text = _text(name)
        if text not in labels:
            check.error(
                Code.LOOP,
                f"loop.highlight: '{text}' is not a stage of this loop{did_you_mean(str(text), labels)}",
                "loop",
                "highlight",
                index,
            )
        elif text:
            highlight.append(text)
    return Loop(
        stages=tuple(stages),
        feedback=tuple(feedback),
        highlight=tuple(highlight),
        direction=direction,
        title=_text(value.get("title")) or "",
        key=_text(value.get("key")) or "",
    )


def _sources(check: _Checker, value: Any) -> tuple[Source, ...]:
    """`sources:`: each a mapping with a title; urls must be http(s)."""
    if not isinstance(value, list):
        check.error(Code.BAD_VALUE, "sources must be a list of {title, by, year, url, note}", "sources")
        return ()
    result = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            check.error(Code.BAD_VALUE, "sources: each source is a mapping with at least 'title:'", "sources", index)
            continue
        check.unknown_keys(item, SOURCE_KEYS, "a source", "sources", index)
        title = _text(item.get("title"))
        if not title:
            check.error(Code.MISSING_KEY, "sources: each source needs a 'title:'", "sources", index)
            continue
        url = _text(item.get("url")) or ""
        if url and not url.lower().startswith(("http://", "https://")):
            check.error(
                Code.BAD_VALUE, f"sources: url '{url}' must start with http:// or https://", "sources", index, "url"
            )
            url = ""
        result.append(
            Source(
                title=title,
                by=_text(item.get("by")) or "",
                year=_text(item.get("year")) or "",
                url=url,
                note=_text(item.get("note")) or "",
            )
        )
    return tuple(result)
