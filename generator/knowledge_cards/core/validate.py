"""Stage 2, validate: turn a parsed card's front matter into a typed Card.

Every problem is collected, never raised, so one run reports them all.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from .code_regions import CodeRegions, code_regions

# The keys a card, its loop and its sources may have are listed in keys.py; re-exported here.
from .keys import CARD_KEYS as CARD_KEYS
from .keys import ENGINE_KEYS as ENGINE_KEYS
from .keys import FEEDBACK_KEYS as FEEDBACK_KEYS
from .keys import FOREIGN_KEYS as FOREIGN_KEYS
from .keys import LOOP_KEYS as LOOP_KEYS
from .keys import SOURCE_KEYS as SOURCE_KEYS
from .keys import SUGGESTIONS_PER_FILE
from .keys import did_you_mean as did_you_mean
from .keys import duplicate_key_warnings as duplicate_key_warnings
from .links import find_embeds, find_links, inline_tags
from .load import RawCard
from .model import (
    DEFAULT_CONVENTIONS,
    BodyLink,
    Card,
    Conventions,
    Embed,
    LinkEntry,
    Loop,
    LoopFeedback,
    LoopStage,
    Source,
    Status,
    is_slug,
)
from .names import Names, note_name, slug_of
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

    def __init__(self, raw: RawCard, names: Names, conventions: Conventions) -> None:
        self.raw = raw
        self.names = names
        self.conventions = conventions
        self.problems: list[Problem] = []
        self.suggested = 0
        self.meta: dict[Any, Any] = raw.meta.data
        """The card keys as read (from the keys namespace, when the site has one)."""
        self.namespaced: set[str] = set()
        """Our keys read from the conventions' namespace mapping (their lines are under it)."""

    def line(self, *path: Any) -> int:
        if path and path[0] in self.namespaced:
            return self.raw.meta.line_of(self.conventions.keys_namespace, *path)
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
        """A front-matter link: a slug, or a note's name (`Unit Economics`, `[[Unit Economics]]`, as
        Obsidian's properties write links) found as a body link by name is."""
        text = _text(value)
        if text is not None and text.startswith("[[") and text.endswith("]]"):
            text = text[2:-2].split("|", 1)[0].split("#", 1)[0].strip()
        name = text.rsplit("/", 1)[-1] if text is not None else ""
        if text is None or ".." in text.split("/") or not (is_slug(text) or slug_of(name)):
            shown = text if text is not None else _describe(value)
            self.error(Code.INVALID_SLUG, f"{what}: '{shown}' is not a valid slug ({SLUG_HINT})", *path)
            return None
        found = self.names.find(text, self.raw.path, self.conventions.link_resolution)
        if found is not None:
            return self.names.slug_of_path[found]
        return text if is_slug(text) else slug_of(name)

    def slug_list(self, key: str) -> tuple[LinkEntry, ...]:
        value = self.meta.get(key)
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
        value = self.meta.get(key)
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
    raw: RawCard,
    exists: Callable[[str], bool] = lambda path: False,
    names: Names | None = None,
    conventions: Conventions = DEFAULT_CONVENTIONS,
) -> tuple[Card | None, list[Problem]]:
    """Check one card's front matter and body links; `exists` tells which relative files exist, `names`
    every card file's slug and how a link by name finds one (made from the file's own path when not
    given)."""
    names = names if names is not None else Names.of([raw.path])
    check = _Checker(raw, names, conventions)
    meta = check.meta = _card_keys(check, raw.meta.data)
    slug = names.slug_of_path.get(raw.path) or slug_of(note_name(raw.path))
    if not slug:
        check.problems.append(
            error(
                raw.display_path,
                1,
                Code.INVALID_SLUG,
                f"file name '{posixpath.basename(raw.path)}' has no letter or digit to make a slug of "
                f"({SLUG_HINT}); rename the file",
            )
        )
    check.problems += duplicate_key_warnings(raw.display_path, raw.meta)

    status = Status.COMPLETE
    if "status" in meta:
        text = _text(meta["status"])
        if text not in WRITTEN_STATUSES:
            check.error(
                Code.BAD_VALUE,
                f"status: '{text if text is not None else _describe(meta['status'])}' is not one of complete, draft, stub"
                + (did_you_mean(str(text), WRITTEN_STATUSES) or _namespace_hint(conventions, "status", meta)),
                "status",
            )
        else:
            status = Status(text)
    elif not raw.body.strip() and not raw.meta.data:
        status = Status.STUB  # an empty note (its editor makes one for every link clicked): to be written

    regions = code_regions(raw.body)
    first_heading = _first_heading(raw.body, regions)
    title = _text(meta.get("title"))
    title_span = None
    if "title" in meta and not title:
        check.error(Code.MISSING_KEY, "title must be non-empty plain text", "title")
    elif not title:  # as the notes' editor shows it: the first heading, else the file name
        title = first_heading[0] if first_heading else note_name(raw.path)
        title_span = first_heading[1] if first_heading else None
    elif first_heading and first_heading[0] == title:
        title_span = first_heading[1]
    if title_span is not None and raw.body[: title_span[0]].strip():
        title_span = None  # a heading after other text is a section, shown where it is
    summary = _text(meta.get("summary"))
    if summary is None and meta.get("summary") is not None:
        check.error(Code.BAD_VALUE, "summary must be plain text (1-2 sentences)", "summary")
    elif "summary" in meta and not summary and status is not Status.STUB:
        check.error(Code.MISSING_KEY, "summary must not be empty (leave the key out instead)", "summary")
    elif not summary:
        summary = _text(meta.get("description")) or ""

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
    tags = tuple(dict.fromkeys((*tags, *inline_tags(raw.body))))  # and the body's `#tags`, as Obsidian's

    loop = _loop(check, meta.get("loop")) if meta.get("loop") is not None else None
    sources = _sources(check, meta.get("sources")) if meta.get("sources") is not None else ()

    body_links = []
    for link in find_links(
        raw.body, lambda target: exists(posixpath.normpath(posixpath.join(posixpath.dirname(raw.path), target)))
    ):
        line = raw.body_line + link.line - 1
        found = _link_target(check, link.target, link.form, slug)
        if found is None and link.form == "inline" and _leaves_the_notes(raw.path, unquote(link.target)):
            continue  # an ordinary Markdown link out of the notes: the engine's link check reports it
        if found is None:
            shown = f"[[{link.target}]]" if link.form == "wiki" else f"({link.target})"
            check.problems.append(
                error(
                    raw.display_path,
                    line,
                    Code.INVALID_SLUG,
                    f"link {shown}: '{link.target}' names no note or card, and is not a slug ({SLUG_HINT})",
                    column=link.column,
                )
            )
            continue
        target, name = found
        text = link.text
        anchor = link.anchor
        if text is None and link.form == "wiki" and link.target and not is_slug(link.target):
            text = link.target  # `[[Unit Economics]]` shows as its editor shows it
            if anchor and not anchor.startswith("#^"):
                text += " > " + anchor[1:]  # `[[Unit Economics#Margin]]`: "Unit Economics > Margin"
        elif text is None and not link.target and anchor:
            text = anchor[1:]  # `[[#Heading]]`: the heading's text
        body_links.append(BodyLink(target, line, link.column, link.start, link.end, text, anchor, name))

    page_meta = engine_meta(
        raw.meta.data, ENGINE_KEYS, lambda message, *path: check.warn(Code.BAD_VALUE, message, *path)
    )
    aliases = _aliases(check, meta)
    permalink = _text(meta.get("permalink")) or ""
    if any(problem.severity.value == "error" for problem in check.problems) or not title or not slug:
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
            aliases=aliases,
            permalink=permalink,
            headings=_anchors(raw.body, regions),
            title_span=title_span,
            embeds=tuple(
                Embed(e.target, e.anchor, e.option, raw.body_line + e.line - 1, e.column, e.start, e.end, e.alone)
                for e in find_embeds(raw.body)
            ),
            meta=page_meta,
        ),
        check.problems,
    )


def _card_keys(check: _Checker, data: dict[Any, Any]) -> dict[Any, Any]:
    """The keys this card sets for us, unknown ones warned about. With a keys namespace, our keys come
    from that mapping (and title, tags, aliases and description from the top, which every tool shares);
    the notes' other top-level keys are their own."""
    conventions = check.conventions
    quiet = FOREIGN_KEYS + conventions.own_keys
    space = conventions.keys_namespace
    if not space:
        check.unknown_keys(
            {key: value for key, value in data.items() if key not in quiet}, CARD_KEYS + ENGINE_KEYS, "front matter"
        )
        return _with_alias(data)
    shared = ("title", "tags", "aliases", "alias", "description")
    meta = {key: value for key, value in data.items() if key in shared}
    inner = data.get(space)
    if inner is not None and not isinstance(inner, dict):
        check.error(Code.BAD_VALUE, f"{space}: must be a mapping of card keys, e.g. {space}: {{status: draft}}", space)
    elif isinstance(inner, dict):
        check.unknown_keys(inner, CARD_KEYS, f"{space}:", space)
        check.namespaced = {key for key in inner if isinstance(key, str)}
        meta.update(inner)
    return _with_alias(meta)


def _with_alias(meta: dict[Any, Any]) -> dict[Any, Any]:
    """Obsidian's older singular `alias:` read as `aliases:`."""
    if "alias" in meta and "aliases" not in meta:
        return {**meta, "aliases": meta["alias"]}
    return meta


def _namespace_hint(conventions: Conventions, key: str, meta: dict[Any, Any]) -> str:
    """For a value of ours that a note (no `summary:`: not written as a card) may use for itself: how to
    keep both."""
    if conventions.keys_namespace or "summary" in meta:
        return ""
    return f" (if it is your notes' own '{key}', set the plugin's keys_namespace: see AUTHORING)"


def _aliases(check: _Checker, meta: dict[Any, Any]) -> tuple[str, ...]:
    """`aliases:` as a list of names (a single name, or Obsidian's comma-free list)."""
    value = meta.get("aliases")
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        check.warn(
            Code.BAD_VALUE, "aliases must be a list of names, e.g. aliases: [Unit Costs]; it is ignored", "aliases"
        )
        return ()
    return tuple(dict.fromkeys(text for item in items if (text := _text(item))))


def _leaves_the_notes(path: str, target: str) -> bool:
    """Whether a path written in the note at `path` leads out of the notes' folder (`../../README.md`,
    `/docs/x.md`)."""
    if target.startswith("/"):
        return True
    inside = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    return inside == ".." or inside.startswith("../")


def _link_target(check: _Checker, target: str, form: str, own: str) -> tuple[str, str] | None:
    """The slug a body link names and, when it named no file, the name as written (a title or an alias
    may still claim it); None when it can name nothing."""
    if not target:
        return own, ""  # `[[#Heading]]`: this card
    text = target[: -len(".md")] if form == "inline" and target.endswith(".md") else target
    found = check.names.find(unquote(text), check.raw.path, check.conventions.link_resolution)
    if found is not None:
        return check.names.slug_of_path[found], ""
    if is_slug(text):
        return text, text if form == "wiki" else ""  # a card by slug, else perhaps a title or an alias
    text = unquote(text) if form == "inline" else text  # `[text](Unit%20Economics.md)`
    if ".." in text.split("/"):  # a path from this note: within the notes, a note not written yet
        inside = posixpath.normpath(posixpath.join(posixpath.dirname(check.raw.path), text))
        if inside.startswith("../") or inside == "..":
            return None  # out of the notes
    if text.startswith("/") or not slug_of(text.rsplit("/", 1)[-1]):
        return None  # not a note's path, or no name at all
    return slug_of(text.rsplit("/", 1)[-1]), text  # a note not written yet (by this name): its placeholder


# An ATX heading: up to three spaces, one to six `#`, a space, the text, optional closing `#`s.
_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
# A block id at the end of a line: a space, `^`, letters, digits and hyphens.
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)


def _first_heading(body: str, regions: CodeRegions) -> tuple[str, tuple[int, int]] | None:
    """The first level-1 heading outside code: its text and where its line is."""
    if "#" not in body:
        return None
    for match in _HEADING.finditer(body):
        if len(match.group(1)) == 1 and not regions.is_hidden(match.start(1)):
            end = body.find("\n", match.end())
            return match.group(2).strip(), (match.start(), len(body) if end < 0 else end + 1)
    return None


def _anchors(body: str, regions: CodeRegions) -> tuple[str, ...]:
    """The headings' texts and the block ids (`^id`) a link may point to, outside code."""
    if "#" not in body and "^" not in body:
        return ()
    found = [match.group(2).strip() for match in _HEADING.finditer(body) if not regions.is_hidden(match.start(1))]
    found += ["^" + match.group(1) for match in _BLOCK_ID.finditer(body) if not regions.is_hidden(match.start(1))]
    return tuple(found)


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
