"""Obsidian's and Foam's Markdown, as edits to a card's body before Python-Markdown reads it.

Notes brought from an editor use syntax standard Markdown lacks. Each is turned into what the site's
kept extensions already draw, as an edit (start, end, text) made with the card's other edits, outside
code and comments (code_regions.py):

- callouts `> [!tip]- Title` become Material's admonitions (`!!!`, or `???`/`???+` when they fold),
  every Obsidian type mapped to one of Material's (`[!todo]` is `info`, `[!cite]` is `quote`);
- `%%comments%%` are removed, on a line or across lines;
- a block id `^id` at the end of a line becomes an anchor on that line (a link `[[Note#^id]]` lands);
- math `$...$` and `$$...$$` becomes MathML at build time (latex2mathml): drawn by the browser, no
  script, nothing fetched;
- with the site's `editor_markdown`, a list right after a paragraph line starts a list, and lists
  nested by two spaces nest (line breaks are the kept `nl2br` extension's, site_config.py).

Embeds (`![[image.png|300]]`, `![[Note#Section]]`) are card_page.py's: they need the other pages.
"""

from __future__ import annotations

import functools
import html
import re

from ..core.code_regions import CodeRegions
from ..core.links import EDITOR_COMMENT, INLINE_TAG

Edit = tuple[int, int, str]

OBSIDIAN_TYPES: dict[str, str] = {
    "note": "note",
    "abstract": "abstract",
    "summary": "abstract",
    "tldr": "abstract",
    "info": "info",
    "todo": "info",
    "tip": "tip",
    "hint": "tip",
    "important": "tip",
    "success": "success",
    "check": "success",
    "done": "success",
    "question": "question",
    "help": "question",
    "faq": "question",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "failure": "failure",
    "fail": "failure",
    "missing": "failure",
    "danger": "danger",
    "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote",
    "cite": "quote",
}
"""Every callout type Obsidian documents, as the Material admonition type that draws it."""

# A callout's first line: `>` (quoted once or more: a callout may sit in another), `[!type]`, optional
# fold sign, title.
_CALLOUT = re.compile(
    r"^(?P<quote>(?:[ ]{0,3}>[ \t]?)+)\[!(?P<type>[\w-]+)\](?P<fold>[+-]?)[ \t]*(?P<title>.*)$", re.MULTILINE
)
_QUOTE_PREFIX = re.compile(r"[ ]{0,3}>[ \t]?")
_BLOCK_ID = re.compile(r"(?:(?<=[ \t])|^)\^(?P<id>[A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
_BLOCK_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.DOTALL)
# Inline math as Obsidian reads it: `$` then no space, text without `$` on one line, no space, `$` not
# followed by a digit (`$5 and $10` is money).
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=[^\s$])(?P<tex>[^$\n]*?[^\s$\\])\$(?![\d$])")
_ITEM = re.compile(r"^(?P<indent>[ ]*)(?:[-*+]|\d{1,9}[.)])[ \t]+\S")


def obsidian_edits(body: str, regions: CodeRegions, editor_markdown: bool = False) -> list[Edit]:
    """Every edit that turns the body's Obsidian syntax into what the site's Markdown draws."""
    edits: list[Edit] = []
    if "%%" in body:
        edits += [(m.start(), m.end(), "") for m in EDITOR_COMMENT.finditer(body) if not regions.is_hidden(m.start())]
    if "[!" in body:
        edits += _callouts(body, regions)
    if "^" in body:
        edits += [
            (m.start(), m.end(), f'<span id="{html.escape("^" + m["id"])}"></span>')
            for m in _BLOCK_ID.finditer(body)
            if not regions.is_hidden(m.start())
        ]
    if "$" in body:
        edits += _math(body, regions)
    if "#" in body:
        edits += _tag_edits(body, regions)
    if editor_markdown:
        edits += _editor_lists(body, regions)
    return edits


def _callouts(body: str, regions: CodeRegions) -> list[Edit]:
    """Each callout becomes an admonition: its first line the opener, then the `>` that opened it on
    each line after it four spaces, up to the first line quoted less deeply. A callout in a callout
    (`> > [!note]`) is the same one level in: the outer one takes the first `>` of its lines, the inner
    one the second."""
    edits: list[Edit] = []
    for match in _CALLOUT.finditer(body):
        if regions.is_hidden(match.start("type")):
            continue
        markers = _markers(body, match.start())
        depth = len(markers)
        opened = markers[-1][0]  # where this callout's own `>` is
        kind = match["type"].lower()
        material = OBSIDIAN_TYPES.get(kind, "note")
        title = match["title"].strip() or (kind.capitalize() if kind not in OBSIDIAN_TYPES else "")
        marker = {"": "!!!", "-": "???", "+": "???+"}[match["fold"]]
        if match["title"].strip():  # the title stays where it is: the links in it are edited too
            edits.append((opened, match.start("title"), f'{marker} {material} "'))
            edits.append((match.end("title"), match.end("title"), '"'))
        else:
            edits.append((opened, match.end(), f"{marker} {material}" + (f' "{title}"' if title else "")))
        position = match.end() + 1
        previous = ""
        while position < len(body):
            end = body.find("\n", position)
            end = len(body) if end < 0 else end
            line_markers = _markers(body, position)
            if len(line_markers) < depth:
                break
            start, stop = line_markers[depth - 1]
            content = body[stop:end]
            # A fence right after a line of text: a blank line first, as a fence in a callout may go.
            gap = "\n" if content.lstrip().startswith(("```", "~~~")) and previous.strip() else ""
            edits.append((start, stop, gap + "    "))
            previous = content
            position = end + 1
    return edits


def _markers(body: str, position: int) -> list[tuple[int, int]]:
    """Where each quote marker (`>` and the space after it) of the line at `position` is."""
    found = []
    while (prefix := _QUOTE_PREFIX.match(body, position)) is not None:
        found.append((prefix.start() + prefix.group().index(">"), prefix.end()))
        position = prefix.end()
    return found


def _tag_edits(body: str, regions: CodeRegions) -> list[Edit]:
    """Each inline `#tag` shown as a tag (a line starting with `#tag` is no heading): a span the theme
    styles, with the `#`."""
    return [
        (match.start(), match.end(), f'<span class="kc-tag">#{html.escape(match["tag"])}</span>')
        for match in INLINE_TAG.finditer(body)
        if not regions.is_hidden(match.start())
    ]


def _math(body: str, regions: CodeRegions) -> list[Edit]:
    """`$$...$$` as a block of MathML (on lines of its own), `$...$` inline."""
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []
    text = regions.blanked(body)  # a `$$` in code (`` `$$` ``) opens nothing
    for match in _BLOCK_MATH.finditer(text):
        if not match["tex"].strip():
            continue
        tex = body[match.start("tex") : match.end("tex")].strip()
        edits.append((match.start(), match.end(), "\n\n" + math_html(tex, block=True) + "\n\n"))
        taken.append((match.start(), match.end()))
    for match in _INLINE_MATH.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        edits.append((match.start(), match.end(), math_html(body[match.start("tex") : match.end("tex")], block=False)))
    return edits


@functools.lru_cache(maxsize=4096)
def math_html(tex: str, block: bool) -> str:
    """LaTeX as MathML, on one line (raw HTML Markdown leaves alone); what cannot be converted is shown
    as its source, in code."""
    try:
        from latex2mathml.converter import convert
    except ImportError:  # pragma: no cover - a dependency of the package
        return f"<code>{html.escape(tex)}</code>"
    try:
        mathml = str(convert(tex, display="block" if block else "inline")).replace("\n", "")
    except Exception:  # noqa: BLE001 - any LaTeX the converter cannot read is shown as written
        return f'<code class="kc-math-source">{html.escape(tex)}</code>'
    if block:
        return f'<div class="kc-math">{mathml}</div>'
    return mathml


def _editor_lists(body: str, regions: CodeRegions) -> list[Edit]:
    """Lists as the notes' editor shows them: a blank line put before a list that follows a paragraph
    line, and a list nested by two spaces indented by four (what Python-Markdown nests by)."""
    edits: list[Edit] = []
    lines = body.split("\n")
    offset = 0
    previous = ""
    in_list = False
    two_space = False
    starts: list[int] = []
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    for number, line in enumerate(lines):
        start = starts[number]
        item = _ITEM.match(line)
        hidden = regions.is_hidden(start + len(line) - len(line.lstrip())) if line.strip() else False
        if item and not hidden:
            if not in_list:
                two_space = _nests_by_two(lines, number)
                if previous.strip() and not _ITEM.match(previous) and not previous.lstrip().startswith(("#", ">", "|")):
                    edits.append((start, start, "\n"))
            in_list = True
        elif not line.strip():
            pass
        elif not line.startswith(" "):
            in_list = False
        if in_list and two_space and not hidden and line.startswith("  "):
            indent = len(line) - len(line.lstrip(" "))
            edits.append((start, start + indent, " " * (indent * 2)))
        previous = line
    return edits


def _nests_by_two(lines: list[str], first: int) -> bool:
    """Whether the list starting at line `first` nests its items by two spaces (an item indented by 2,
    6, 10 ... spaces)."""
    for line in lines[first:]:
        if line.strip() and not line.startswith(" ") and not _ITEM.match(line):
            return False
        item = _ITEM.match(line)
        if item and len(item["indent"]) % 4 == 2:
            return True
    return False
