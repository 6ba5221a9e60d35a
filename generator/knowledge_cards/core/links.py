"""Find and rewrite the card links written in a Markdown body.

Three forms name a card by slug: `[[slug]]`, `[[slug|shown text]]` and
`[shown text](slug.md)`. Code (fenced and indented blocks, code spans) and HTML
comments are skipped, as the site's Markdown reads them (code_regions.py), so a
card can show the syntax without using it; `\\[[slug]]` (an escaped bracket) is
text too.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from .code_regions import code_regions
from .model import is_slug

# A wiki link: `[[` target (no brackets, `|` or newline) optional `|` shown text (no brackets) `]]`.
# No part may hold `[`: each attempt then stops at the next bracket, so a long line of `[[[[...`
# is scanned in linear time instead of once per bracket (seconds for a 20 KB line).
_WIKI = re.compile(r"\[\[(?P<target>[^\[\]|\n]*)(?:\|(?P<text>[^\[\]\n]*))?\]\]")
# An inline link whose target ends in `.md`: `[text](target.md#anchor "title")`, on one line.
#   text:   anything but brackets (an image, `![...]`, is skipped where it is found: a look-behind here
#           would keep the search from jumping from bracket to bracket)
#   target: `<...>` (no `<` or `>` inside, for the same linear scan) or no spaces or parentheses;
#           ends in .md, optional #anchor
_INLINE = re.compile(
    r"\[(?P<text>[^\[\]\n]*)\]\([^\S\n]*(?P<target><[^<>\n]*\.md>|[^\s()]*\.md)"
    r"(?P<anchor>#[^\s()]*)?(?P<title>[^\S\n]+\"[^\"\n]*\")?[^\S\n]*\)"
)
# A URL scheme such as `https:` or `mailto:`: such links are web links, never cards.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class FoundLink:
    """A card link in a body: its span, what it names, and where it was written."""

    start: int
    end: int
    form: str
    """`wiki` or `inline`."""
    target: str
    """The slug (or, for an invalid target, the text as written)."""
    text: str | None
    anchor: str
    line: int
    """1-based line within the body."""
    column: int
    valid: bool


class Places:
    """1-based line and column of positions asked for in increasing order: counting line breaks from
    the last one asked, so many links in a long body stay linear."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line, self.line_start = text, 0, 1, 0

    def __call__(self, position: int) -> tuple[int, int]:
        breaks = self.text.count("\n", self.position, position)
        if breaks:
            self.line += breaks
            self.line_start = self.text.rfind("\n", self.position, position) + 1
        self.position = position
        return self.line, position - self.line_start + 1


def _escaped(text: str, position: int) -> bool:
    """Whether the character at `position` follows an odd number of backslashes (`\\[` is a bracket)."""
    count = 0
    while position - count > 0 and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


EDITOR_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
"""An Obsidian comment (`%%...%%`, on a line or across lines): not shown, and no link in it counts."""
# An inline tag as Obsidian reads one: `#`, not after a letter, digit, `#`, `&`, `/`, a bracket, a quote,
# `{`, `:`, `=`, `@` or `.` (a URL's fragment, an entity, a heading's `##`, a link's `(#anchor)`, an
# attribute list's `{#id}`), then a name with at least one letter (`#2024` is no tag).
INLINE_TAG = re.compile(r"(?<![\w#&/\[\]('\"{:=@.])#(?P<tag>(?=[\w/-]*[^\W\d_])[\w/-]+)")


def inline_tags(body: str) -> tuple[str, ...]:
    """The inline `#tags` of a body, outside code and comments, in order, each once (lower case, as
    Obsidian groups them)."""
    if "#" not in body:
        return ()
    text = _without_editor_comments(code_regions(body).blanked(body))
    text = _WIKI.sub(lambda m: " " * len(m.group()), text)  # `[[Note#Heading]]` is a link
    return tuple(dict.fromkeys(match["tag"].lower() for match in INLINE_TAG.finditer(text)))


def _without_editor_comments(text: str) -> str:
    """`text` with Obsidian's `%%comments%%` blanked (line breaks kept): what is in them is not shown."""
    if "%%" not in text:
        return text
    return EDITOR_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _last_heading(anchor: str) -> str:
    """`#Section#Subsection` names the last heading, as Obsidian reads it; `#` alone names none."""
    heading = anchor.strip("#").rsplit("#", 1)[-1].strip()
    return "#" + heading if heading else ""


def find_links(body: str, exists: Callable[[str], bool] = lambda path: False) -> list[FoundLink]:
    """Every card link in `body`; `exists(path)` says whether a relative path is a file.

    An inline link to a file that exists is an ordinary link MkDocs resolves, so
    it is not a card link; any other `.md` target must be a bare slug. Lines end at line feeds.
    """
    found: list[FoundLink] = []
    if "[" not in body:
        return found
    text = _without_editor_comments(code_regions(body).blanked(body))
    place = Places(text)
    for match in _WIKI.finditer(text):
        if _escaped(text, match.start()) or (match.start() and text[match.start() - 1] == "!"):
            continue  # an escaped bracket, or an embed (`![[image.png]]`: the Markdown extension's)
        target = match.group("target").strip()
        if target.endswith("\\"):  # `[[Note\\|text]]` in a table, where `|` must be escaped
            target = target[:-1].rstrip()
        # The text as written (the search ran where code is blanked: `[[x|`code`]]` keeps its code).
        shown = body[match.start("text") : match.end("text")] if match.group("text") is not None else None
        anchor = ""
        if "#" in target:
            target, anchor = target.split("#", 1)
            anchor = _last_heading(anchor)
        line, column = place(match.start())
        found.append(
            FoundLink(
                start=match.start(),
                end=match.end(),
                form="wiki",
                target=target,
                text=shown.strip() if shown is not None and shown.strip() else None,
                anchor=anchor,
                line=line,
                column=column,
                valid=is_slug(target),
            )
        )
    place = Places(text)
    position = 0
    while (inline := _INLINE.search(text, position)) is not None:
        if inline.start() and text[inline.start() - 1] == "!" or _escaped(text, inline.start()):
            position = inline.start() + 1  # an image, or an escaped bracket: look again from the next character
            continue
        position = inline.end()
        raw = inline.group("target").strip("<>")
        if _SCHEME.match(raw) or exists(raw) or ("%" in raw and exists(unquote(raw))):
            continue
        slug = raw[: -len(".md")]
        line, column = place(inline.start())
        found.append(
            FoundLink(
                start=inline.start(),
                end=inline.end(),
                form="inline",
                target=slug if is_slug(slug) else raw,
                text=inline.group("text"),
                anchor=inline.group("anchor") or "",
                line=line,
                column=column,
                valid=is_slug(slug),
            )
        )
    found.sort(key=lambda link: link.start)
    return found


@dataclass(frozen=True)
class FoundEmbed:
    """An embed in a body (`![[diagram.png|300]]`, `![[Note#Section]]`): its span, target, and place."""

    start: int
    end: int
    target: str
    anchor: str
    option: str
    """What follows `|`: a size (`300`, `300x200`) or alternative text."""
    line: int
    column: int
    alone: bool
    """Whether it is its line's only text (a note embedded there stands as a block)."""


_EMBED = re.compile(r"!\[\[(?P<target>[^\[\]|\n]+)(?:\|(?P<option>[^\[\]\n]*))?\]\]")


def find_embeds(body: str) -> list[FoundEmbed]:
    """Every embed outside code and comments, in order."""
    if "![[" not in body:
        return []
    text = _without_editor_comments(code_regions(body).blanked(body))
    place = Places(text)
    found = []
    for match in _EMBED.finditer(text):
        if _escaped(text, match.start()):
            continue
        # In a table `|` is written `\|`: its backslash is no part of the name.
        target, _, anchor = match.group("target").strip().removesuffix("\\").partition("#")
        anchor = _last_heading(anchor)[1:]
        line, column = place(match.start())
        start_of_line = text.rfind("\n", 0, match.start()) + 1
        end_of_line = text.find("\n", match.end())
        alone = not (
            text[start_of_line : match.start()] + text[match.end() : len(text) if end_of_line < 0 else end_of_line]
        ).strip()
        found.append(
            FoundEmbed(
                match.start(),
                match.end(),
                target.strip(),
                anchor.strip(),
                (match.group("option") or "").strip(),
                line,
                column,
                alone,
            )
        )
    return found


def relative_path(from_path: str, to_path: str) -> str:
    """The relative Markdown path from one source file to another (both posix)."""
    return _relpath(to_path, posixpath.dirname(from_path))


def relative_url(from_url: str, to_url: str) -> str:
    """The relative URL from one page URL (directory style) to another."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    result = _relpath(to_url, base)
    if to_url.endswith("/") and not result.endswith("/"):
        result += "/"
    return "./" if result == "./" or result == "." else result


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for the clean relative paths of a site, without its per-call normalising:
    a page links to dozens of others, and a 5,000-card build makes a few hundred thousand links."""
    to_parts = [part for part in target.split("/") if part and part != "."]
    from_parts = [part for part in start.split("/") if part and part != "."]
    if ".." in to_parts or ".." in from_parts:
        return posixpath.relpath("/" + target, "/" + start)
    common = 0
    for a, b in zip(to_parts, from_parts, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
