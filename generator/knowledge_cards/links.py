"""Find and rewrite the card links written in a Markdown body.

Three forms name a card by slug: `[[slug]]`, `[[slug|shown text]]` and
`[shown text](slug.md)`. Code spans and fenced code blocks are skipped, so a
card can show the syntax without using it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .model import is_slug

# A wiki link: `[[` target (no brackets, `|` or newline) optional `|` shown text (no brackets) `]]`.
# No part may hold `[`: each attempt then stops at the next bracket, so a long line of `[[[[...`
# is scanned in linear time instead of once per bracket (seconds for a 20 KB line).
_WIKI = re.compile(r"\[\[(?P<target>[^\[\]|\n]*)(?:\|(?P<text>[^\[\]\n]*))?\]\]")
# An inline link whose target ends in `.md`: `[text](target.md#anchor "title")`.
#   text:   anything but brackets (images `![...]` are excluded by the look-behind)
#   target: `<...>` (no `<` or `>` inside, for the same linear scan) or no spaces or parentheses;
#           ends in .md, optional #anchor
_INLINE = re.compile(
    r"(?<!!)\[(?P<text>[^\[\]\n]*)\]\(\s*(?P<target><[^<>\n]*\.md>|[^\s()]*\.md)"
    r"(?P<anchor>#[^\s()]*)?(?P<title>\s+\"[^\"\n]*\")?\s*\)"
)
# A URL scheme such as `https:` or `mailto:`: such links are web links, never cards.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# An opening or closing code fence: three or more backticks or tildes.
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# An inline code span: a run of backticks, anything, the same run again.
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


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


def _masked_lines(body: str) -> Iterator[tuple[int, int, str]]:
    """Yield (line number, offset, text) with code blanked out, keeping positions."""
    offset = 0
    fence: str | None = None
    for number, line in enumerate(body.splitlines(keepends=True), start=1):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            yield number, offset, " " * len(line)
        elif match:
            fence = match.group(1)
            yield number, offset, " " * len(line)
        else:
            yield number, offset, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line
        offset += len(line)


def find_links(body: str, exists: Callable[[str], bool] = lambda path: False) -> list[FoundLink]:
    """Every card link in `body`; `exists(path)` says whether a relative path is a file.

    An inline link to a file that exists is an ordinary link MkDocs resolves, so
    it is not a card link; any other `.md` target must be a bare slug.
    """
    found: list[FoundLink] = []
    if "[" not in body:
        return found
    for number, offset, line in _masked_lines(body):
        if "[" not in line:  # most lines: no link to look for
            continue
        for match in _WIKI.finditer(line):
            target = match.group("target").strip()
            text = match.group("text")
            anchor = ""
            if "#" in target:
                target, anchor = target.split("#", 1)
                anchor = "#" + anchor
            found.append(
                FoundLink(
                    start=offset + match.start(),
                    end=offset + match.end(),
                    form="wiki",
                    target=target,
                    text=text.strip() if text is not None and text.strip() else None,
                    anchor=anchor,
                    line=number,
                    column=match.start() + 1,
                    valid=is_slug(target),
                )
            )
        for match in _INLINE.finditer(line):
            raw = match.group("target").strip("<>")
            if _SCHEME.match(raw) or exists(raw):
                continue
            slug = raw[: -len(".md")]
            found.append(
                FoundLink(
                    start=offset + match.start(),
                    end=offset + match.end(),
                    form="inline",
                    target=slug if is_slug(slug) else raw,
                    text=match.group("text"),
                    anchor=match.group("anchor") or "",
                    line=number,
                    column=match.start() + 1,
                    valid=is_slug(slug),
                )
            )
    found.sort(key=lambda link: link.start)
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
