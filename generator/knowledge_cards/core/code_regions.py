"""Where a card body is code or an HTML comment, as the site's Markdown reads it.

Card links, the `<!-- at-a-glance -->` marker, `## ` sections, footnote definitions and callout
openers are found by scanning the body. None of them may be found inside code (a fenced block, an
indented block, a code span) or an HTML comment, so that a card can show the syntax without using it
and its code is shown exactly as written. A regex over lines cannot tell code from prose (four spaces
are code after a paragraph, a list item's text inside a list, an admonition's text inside
`!!! note`), so this module follows the rules of the Markdown the plugin runs: Python-Markdown with
the extensions the plugin switches on or a site usually keeps (superfences, admonition, details,
footnotes, def_list, tables, abbr, md_in_html). In their order:

1. Fences, as pymdownx.superfences finds them before anything else: at any indentation, inside
   blockquotes and list items; a fence never closed is no fence (its lines are read as text).
2. Comments at the start of a line (up to three spaces), as the HTML block preprocessor stashes them:
   they may hold blank lines; one never closed is text.
3. Blocks: the text between blank lines, read the way Python-Markdown's block processors read it
   (each takes the block or a part of it; lists, blockquotes, admonitions, details, definition lists
   and footnotes each parse the text under them the same way). Four spaces start an indented code
   block, unless a list item, admonition, definition or footnote above takes the lines as its own.
4. Code spans and comments inside each paragraph, heading, list item or table row.

Not followed: raw HTML blocks (`<div>` without `markdown`) are read as Markdown, and a reference
or abbreviation definition split over lines is read as a paragraph.

Each body is read once, line by line; "the first line of a block of this kind" is a binary search
in a list made once per container, so work stays linear (n log n at worst) however a body is built:
Python-Markdown searches each block again whenever it splits one, which is quadratic.
"""

from __future__ import annotations

import functools
import re
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

TAB = 4
"""Python-Markdown's tab length: columns per indentation level (tabs are expanded to it first)."""

# pymdownx.superfences' fence opener, matched after the line's prefix of `>`, spaces and tabs:
#   three or more backticks or tildes; an optional language (`.` allowed before it); then
#   `{attributes}`, or options (`key` or `key="value"`), or anything else (which makes it no fence).
_FENCE_START = re.compile(
    r"""(?x)
    (?P<fence>~{3,}|`{3,})
    (?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$))?
    (?:
        [ \t]*(\{(?P<attrs>[^\n]*)\}) |
        (?P<options>(?:(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>"|').*?(?P=quot))?)(?=[\t ]|$))+) |
        (?P<unrecognized>(?:([ \t]*[^\s]+)(?=[\t ]|$))+)
    )?[ \t]*$
    """
)
# One option of a fence opener: a key, optionally `="value"` or `='value'`.
_FENCE_OPTION = re.compile(r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quot>"|')(?P<value>.*?)(?P=quot))?""")
# The options pymdownx.highlight accepts (any other makes the line no fence), with what their value
# must start with: line numbers for `hl_lines` and `linenums`, anything for a title.
_FENCE_OPTIONS = {
    "hl_lines": re.compile(r"\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*$"),
    "linenums": re.compile(r"\d+"),
    "title": re.compile(""),
    "title_mode": re.compile(""),
}

# Lines a block processor looks for anywhere in a block (each regex is matched at the line's start):
# an admonition opener: `!!!`, an optional space, the type words, an optional "title", spaces, the end.
_ADMONITION = re.compile(r'!!! ?[\w\-]+(?: +[\w\-]+)*(?: +".*?")? *$')
# a details opener: `???`, an optional `+`, an optional space, the type words and/or a "title", the end.
_DETAILS = re.compile(r'\?{3}\+? ?(?:(?:[\w\-]+(?: +[\w\-]+)*?)?(?: +".*?")|[\w\-]+(?: +[\w\-]+)*?) *$')
# a thematic break: up to three spaces, three or more `-`, `_` or `*` (up to two spaces apart), spaces.
_HR = re.compile(r"[ ]{0,3}(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,})[ ]*$")
# a definition: up to three spaces, `:`, one to three spaces, the definition's first line.
_DEFINITION = re.compile(r"[ ]{0,3}:[ ]{1,3}(?P<text>.*)$")
# a blockquote line: up to three spaces, `>`, an optional space, the quoted text.
_QUOTE = re.compile(r"[ ]{0,3}>[ ]?(?P<text>.*)$")
# a footnote definition: up to three spaces, `[^label]:`, spaces, the footnote's first line.
_FOOTNOTE = re.compile(r"[ ]{0,3}\[\^[^\]]*\]:[ ]*(?P<text>.*)$")
# a link reference on one line: up to three spaces, `[id]:`, the URL, an optional "title" or (title).
_REFERENCE = re.compile(r"""[ ]{0,3}\[[^\[\]]*\]:[ ]*\S+[ ]*(?:(["']).*\1[ ]*|\(.*\)[ ]*)?$""")
# an abbreviation on one line: `*[ABBR]:` (no backslash in ABBR), then its title.
_ABBREVIATION = re.compile(r"\*\[[^\\]*?\][ ]?:[ ]*\S")
# Lines a block processor looks for at a block's start:
# a setext underline (the block's second line): `=` or `-` only, then spaces.
_SETEXT = re.compile(r"(?:=+|-+)[ ]*$")
# a list item: up to three spaces, `1.` (ordered) or `*`, `+`, `-`, one or more spaces, the item's text.
_ORDERED = re.compile(r"[ ]{0,3}\d+\.[ ]+")
_ITEM = re.compile(r"[ ]{0,3}(?:\d+\.|[*+-])[ ]+(?P<text>.*)$")
# a nested item inside a list block: four to seven spaces, then a list marker and a space.
_NESTED_ITEM = re.compile(r"[ ]{4,7}(?:\d+\.|[*+-])[ ]+")
# a definition's next line that is not indented (then all the block's rest is the definition's).
_NOT_INDENTED = re.compile(r"[ ]{0,3}[^ :]")
# What opens or closes a comment.
_COMMENT_MARK = re.compile(r"<!--|-->")
# A run of backticks (a code span's opener or closer).
_TICKS = re.compile(r"`+")

# What a line may start, for the block processors that look at every line of a block.
_OPENS_ADMONITION, _OPENS_DETAILS, _HEADING, _BREAK, _DEFINES, _QUOTES, _FOOTNOTES, _REFERS, _STASHED = (
    1 << bit for bit in range(9)
)
_ANY = (1 << 9) - 1
"""Any of the kinds above (most blocks hold none, and are read without looking for each)."""
_SCAN = 8
"""Up to this many lines, a container's lines are looked at one by one instead of through lists of
where each kind is (cheaper to make, and searches stay short)."""
_PLACEHOLDER = "\x00"
"""The text a stashed fence or comment leaves in the block it was in (Python-Markdown leaves a
placeholder of its own; this one, like it, matches no block syntax)."""
_ITEMS, _LISTS = ("li",), ("ul", "ol")
_DEFINITION_ITEMS, _DEFINITION_LISTS = ("dd", "li"), ("dl", "ol", "ul")


@dataclass(frozen=True)
class CodeRegions:
    """A body's code and HTML comments as (start, end) offsets, in order and apart, and whether it
    defines a footnote (outside code, as the footnotes extension finds them)."""

    code: tuple[tuple[int, int], ...] = ()
    comments: tuple[tuple[int, int], ...] = ()
    defines_footnotes: bool = False

    def hidden(self) -> list[tuple[int, int]]:
        """Code and comments together, in order and apart: text no marker or link is found in."""
        return _merged([*self.code, *self.comments])

    def blanked(self, body: str) -> str:
        """`body` with code and comments as spaces, line breaks kept: the same length and lines, so a
        search in it finds what is outside them at the body's own positions."""
        parts: list[str] = []
        position = 0
        for start, end in self.hidden():
            hidden = body[start:end]
            parts += [body[position:start], re.sub(r"[^\n]", " ", hidden) if "\n" in hidden else " " * len(hidden)]
            position = end
        parts.append(body[position:])
        return "".join(parts)

    def is_hidden(self, position: int) -> bool:
        """Whether the character at `position` is code or inside a comment."""
        return _within(self.code, position) or _within(self.comments, position)

    def is_comment(self, start: int, end: int) -> bool:
        """Whether `start`..`end` is one whole comment (for a marker written as one)."""
        index = bisect_left(self.comments, (start, end))
        return index < len(self.comments) and self.comments[index] == (start, end)


NO_CODE = CodeRegions()


def code_regions(body: str) -> CodeRegions:
    """Where `body` (line feeds only) is code or a comment, and whether it defines a footnote."""
    if not any(mark in body for mark in ("`", "~~~", "<!--", "[^", "    ", "\t")):
        return NO_CODE  # no fence, span, comment, footnote or indentation: the common short card
    return _read_regions(body)


@functools.lru_cache(maxsize=4)
def _read_regions(body: str) -> CodeRegions:
    """The same body is read by several stages in a row (its links, its sections, the check's verdict on
    its Markdown links): once is enough. The record is immutable; a few recent bodies are kept."""
    return _Reader(body).read()


def _within(spans: tuple[tuple[int, int], ...], position: int) -> bool:
    """Whether `position` is inside one of `spans` (in order and apart)."""
    index = bisect_right(spans, (position, sys.maxsize)) - 1
    return index >= 0 and position < spans[index][1]


class _Reader:
    """Reads one body: fences, line-start comments, blocks, then code spans and comments in text."""

    def __init__(self, body: str) -> None:
        self.body = body
        rows = body.split("\n")
        self.starts = [0] * len(rows)
        offset = 0
        for number, row in enumerate(rows):
            self.starts[number] = offset
            offset += len(row) + 1
        # As Python-Markdown reads them: tabs expanded, a line of spaces is an empty line.
        self.rows = [(row.expandtabs(TAB) if "\t" in row else row) for row in rows]
        self.rows = [row if index == 0 or row.strip(" ") else "" for index, row in enumerate(self.rows)]
        # (not the first: Python-Markdown empties a line of spaces only after a line feed)
        self.code: list[tuple[int, int]] = []
        self.comments: list[tuple[int, int]] = []
        self.never_closed = False
        self.text_from: dict[int, int] = {}
        """Where a line's text begins when it is not the line's start (after a comment ending on it)."""

    def end_of(self, number: int) -> int:
        """The offset where line `number` ends (before its line feed)."""
        return self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.body)

    def read(self) -> CodeRegions:
        fences = dict(_fences(self.rows))
        blocks = _Blocks(self.document(fences), self.rows, fences)
        blocks.chunk(blocks.root_lines, 0, len(blocks.root_lines.texts), _Node("root"), "")
        for first, last in fences.items():
            if first not in blocks.reverted:
                self.code.append((self.starts[first], self.end_of(last)))
        self.code += [(self.starts[number], self.end_of(number)) for number in blocks.code_lines]
        for first, last in blocks.texts:
            self.text(self.text_from.get(first, self.starts[first]), self.end_of(last))
        code = tuple(_merged(self.code, touching=True))
        comments = tuple(span for span in _merged(self.comments) if not _within(code, span[0]))
        return CodeRegions(code, comments, blocks.footnotes)

    def document(self, fences: dict[int, int]) -> _Lines:
        """The body's lines as the block parser gets them: a fence or a line-start comment is one
        placeholder line (a comment also gets the blank lines the HTML preprocessor puts around it)."""
        numbers: list[int] = []
        texts: list[str] = []
        rows, number = self.rows, 0
        plain_until = -1  # up to this line, text is inside a comment opened within an earlier line
        while number < len(rows):
            row = rows[number]
            if number in fences:
                numbers.append(number)
                texts.append(row[: len(row) - len(row.lstrip("> "))] + _PLACEHOLDER)
                number = fences[number] + 1
                continue
            indent = len(row) - len(row.lstrip(" "))
            starts_comment = row.startswith("<!--", indent) and indent < TAB and number > plain_until
            end = self.comment_end(number, indent, fences) if starts_comment else None
            if end is None:
                numbers.append(number)
                texts.append(row)
                if number > plain_until and "<!--" in row:
                    plain_until = self.swallowed(number, fences)
                number += 1
                continue
            last, close = end
            if indent == 0 and texts and texts[-1]:
                numbers.append(-1)
                texts.append("")
            numbers += [number, -1]
            texts += [" " * indent + _PLACEHOLDER, ""]
            self.comments.append((self.starts[number] + self.raw_column(number, indent), close))
            tail = self.body[close : self.end_of(last)]
            if tail.strip():  # text after the comment on its last line: a block of its own
                numbers.append(last)
                texts.append(tail.expandtabs(TAB))
                self.text_from[last] = close
            number = last + 1
        return _Lines(numbers, texts)

    def raw_column(self, number: int, column: int) -> int:
        """The offset in line `number` of the expanded `column` (they differ after a tab)."""
        raw = self.body[self.starts[number] : self.end_of(number)]
        if "\t" not in raw:
            return column
        return next(index for index in range(len(raw) + 1) if len(raw[:index].expandtabs(TAB)) >= column)

    def comment_end(self, number: int, indent: int, fences: dict[int, int]) -> tuple[int, int] | None:
        """For a comment opened at the start of line `number`: its last line and the offset after its
        `-->` (a fence in between is a placeholder the comment cannot end in); None when never closed."""
        return self.close_after(number, self.starts[number] + self.raw_column(number, indent) + 4, fences)

    def close_after(self, number: int, start: int, fences: dict[int, int]) -> tuple[int, int] | None:
        """The line and the offset after the first `-->` from `start` (on line `number`) outside fences."""
        if self.never_closed:
            return None  # no `-->` after an earlier line: none after this one either
        line = number
        while line < len(self.rows):
            if line in fences and line != number:
                line = fences[line] + 1
                continue
            close = self.body.find("-->", max(start, self.starts[line]), self.end_of(line))
            if close >= 0:
                return line, close + 3
            line += 1
        self.never_closed = True
        return None

    def swallowed(self, number: int, fences: dict[int, int]) -> int:
        """The last line the `<!--` written inside line `number` reach. Python-Markdown's HTML
        preprocessor reads from each to its `-->` as one comment (in a code span too), so no line in
        between starts a comment block; one never closed reaches the end."""
        line, offset = number, self.starts[number]
        while (opened := self.body.find("<!--", offset, self.end_of(line))) >= 0:
            end = self.close_after(line, opened + 4, fences)
            if end is None:
                return len(self.rows)
            line, offset = end
        return line

    def text(self, start: int, end: int) -> None:
        """Code spans, then comments, in one paragraph, heading, list item or table row."""
        body = self.body
        spans = _code_spans(body, start, end) if "`" in body[start:end] else []
        self.code += spans
        if "<!--" in body[start:end]:
            self.comments += _comments(body, start, end, spans)


def _comments(body: str, start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The comments in `body[start:end]` outside its code `spans`, as Python-Markdown's inline HTML
    pattern finds them: `<!--` (not escaped), then text holding no `<!--`, then `-->`."""
    marks: list[tuple[int, bool]] = []  # `<!--` or `-->`, outside code spans and escapes
    span = 0
    for match in _COMMENT_MARK.finditer(body, start, end):
        at = match.start()
        while span < len(spans) and spans[span][1] <= at:
            span += 1
        opens = match.group() == "<!--"
        if (span < len(spans) and spans[span][0] <= at) or (opens and _escaped(body, at, start)):
            continue
        marks.append((at, opens))
    found: list[tuple[int, int]] = []
    for (at, opens), (after, closes) in zip(marks, marks[1:], strict=False):
        if opens and not closes and (not found or at >= found[-1][1]):
            found.append((at, after + 3))
    return found


def _escaped(text: str, position: int, start: int) -> bool:
    """Whether the character at `position` follows an odd number of backslashes (from `start` on)."""
    count = 0
    while position - count - 1 >= start and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _code_spans(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The code spans in `body[start:end]`, as Python-Markdown's backtick pattern finds them: an
    unescaped run of N backticks opens; the next run of exactly N closes, else the longest later run if
    it is shorter (the opener then keeps that many); else the search goes on 2N characters after the
    opener's start (possibly inside a later run). Linear: each length's runs are looked up through a
    pointer that only moves on."""
    runs = [(match.start(), match.end()) for match in _TICKS.finditer(body, start, end)]
    by_length: dict[int, list[int]] = {}
    for index, (begin, stop) in enumerate(runs):
        by_length.setdefault(stop - begin, []).append(index)
    pointer = dict.fromkeys(by_length, 0)
    longest_after = [0] * (len(runs) + 1)  # the longest run after each one
    for index in range(len(runs) - 1, -1, -1):
        longest_after[index] = max(runs[index][1] - runs[index][0], longest_after[index + 1])

    def next_run(length: int, after: int) -> int | None:
        """The first run of `length` backticks after run `after`."""
        indexes = by_length.get(length)
        if not indexes:
            return None
        at = pointer[length]
        while at < len(indexes) and indexes[at] <= after:
            at += 1
        pointer[length] = at
        return indexes[at] if at < len(indexes) else None

    spans: list[tuple[int, int]] = []
    index, position = 0, start
    while True:
        while index < len(runs) and runs[index][1] <= position:
            index += 1
        if index == len(runs):
            return spans
        begin, stop = max(runs[index][0], position), runs[index][1]
        if begin == runs[index][0] and _escaped(body, begin, start):
            position = begin + 1  # `\`` is a backtick; the rest of the run may open
            continue
        ticks = stop - begin
        closing = next_run(ticks, index)
        if closing is None and 0 < longest_after[index + 1] < ticks:
            closing = next_run(longest_after[index + 1], index)
        if closing is None:
            position = begin + 2 * ticks
            continue
        spans.append((begin, runs[closing][1]))
        position = runs[closing][1]


def _merged(spans: list[tuple[int, int]], touching: bool = False) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones joined (and, if `touching`, those only a line feed apart)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + touching:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _fence_start(row: str) -> tuple[int, str] | None:
    """For a line that opens a fence: the length of its prefix and the fence; else None."""
    prefix = len(row) - len(row.lstrip("> "))
    match = _FENCE_START.match(row, prefix)
    if match is None or match["unrecognized"]:
        return None
    if match["attrs"] is None and match["options"]:
        for option in _FENCE_OPTION.finditer(match["options"]):
            check = _FENCE_OPTIONS.get(option["key"])
            value = option["value"] if option["value"] is not None else option["key"]
            if check is None or not check.match(value):
                return None  # an option highlight does not know: pymdownx makes the line no fence
    return prefix, match["fence"]


def _fences(rows: list[str]) -> list[tuple[int, int]]:
    """The first and last line of each closed fence, as pymdownx.superfences finds them: content lines
    keep the opener's prefix (quote markers and indentation), the closer is the same fence again."""
    found: list[tuple[int, int]] = []
    opened: tuple[int, int, str, int] | None = None  # first line, prefix length, fence, quote level
    empty = 0
    for number, row in enumerate(rows):
        if opened is None:
            if ("`" in row or "~" in row) and (start := _fence_start(row)) is not None:
                prefix, fence = start
                opened, empty = (number, prefix, fence, row[:prefix].count(">")), 0
            continue
        first, prefix, fence, quotes = opened
        lead = len(row) - len(row.lstrip("> "))
        ws, content = row[: min(lead, prefix)], row[min(lead, prefix) :]
        level = ws.count(">")
        closes = content.rstrip(" \t") == fence
        if quotes:  # inside a blockquote: the quote level may fall only for lazy lines
            if level > quotes or (content and (len(ws) < prefix or (empty and level < quotes))):
                opened = None
            elif not content:
                empty += 1
            elif closes:
                found.append((first, number))
                opened = None
            else:
                empty = 0
        elif level:
            opened = None
        elif not row.strip():
            empty += 1
        elif len(ws) != prefix:
            opened = None
        elif closes and not content.startswith((" ", "\t")):
            found.append((first, number))
            opened = None
    return found


class _Lines:
    """Lines as one container's parser sees them: their body line numbers (-1 for a blank line the
    HTML preprocessor adds) and their text with the container's prefix taken off."""

    __slots__ = ("_at", "_kinds", "numbers", "texts")

    def __init__(self, numbers: list[int], texts: list[str]) -> None:
        self.numbers, self.texts = numbers, texts
        self._kinds: list[int] | None = None
        self._at: dict[int, list[int]] = {}

    def first(self, kind: int, start: int, end: int) -> int | None:
        """The first line in `start`..`end` that may start a block of `kind`."""
        kinds = self._kinds
        if kinds is None:
            kinds = self._kinds = [_kind(text) for text in self.texts]
            if len(kinds) > _SCAN:
                for index, mask in enumerate(kinds):
                    if mask:
                        self._at.setdefault(_ANY, []).append(index)
                    while mask:
                        bit = mask & -mask
                        self._at.setdefault(bit, []).append(index)
                        mask ^= bit
        if len(kinds) <= _SCAN:  # a few lines (most list items): look at each
            return next((index for index in range(start, min(end, len(kinds))) if kinds[index] & kind), None)
        at = self._at.get(kind)
        if not at:
            return None
        found = bisect_left(at, start)
        return at[found] if found < len(at) and at[found] < end else None

    def part(self, entries: list[tuple[int, str]]) -> _Lines:
        """Some of these lines with new texts (entries: index here, text)."""
        return _Lines([self.numbers[index] for index, _ in entries], [text for _, text in entries])

    def detabbed(self, start: int, end: int, columns: int) -> _Lines:
        """Lines `start`..`end` with `columns` spaces taken off those that start with them."""
        lead, texts = " " * columns, self.texts
        return self.part(
            [(i, texts[i][columns:] if texts[i].startswith(lead) else texts[i]) for i in range(start, end)]
        )


def _kind(text: str) -> int:
    """What a line may start, among the kinds a block processor looks for on every line."""
    if not text:
        return 0
    mask = _STASHED if _PLACEHOLDER in text else 0
    first = text[0]
    if first == "!" and _ADMONITION.match(text):
        mask |= _OPENS_ADMONITION
    elif first == "?" and _DETAILS.match(text):
        mask |= _OPENS_DETAILS
    elif first == "#":
        mask |= _HEADING
    lead = len(text) - len(text.lstrip(" "))
    if lead < min(TAB, len(text)):
        mark = text[lead]
        if mark in "-_*" and _HR.match(text):
            mask |= _BREAK
        elif mark == ":" and _DEFINITION.match(text):
            mask |= _DEFINES
        elif mark == ">":
            mask |= _QUOTES
        elif mark == "[" and _FOOTNOTE.match(text):
            mask |= _FOOTNOTES
        elif mark == "[" and _REFERENCE.match(text):
            mask |= _REFERS
        if first == "*" and _ABBREVIATION.match(text):
            mask |= _REFERS
    return mask


class _Node:
    """An element of the tree Python-Markdown builds, as far as the next block's fate depends on it:
    its kind and children (containers as nodes, other elements by tag)."""

    __slots__ = ("children", "kind", "text")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.children: list[_Node | str] = []
        self.text = False
        """A list item's or definition's text written straight into it (a tight list's)."""

    @property
    def last(self) -> _Node | str | None:
        return self.children[-1] if self.children else None

    def last_is(self, kinds: tuple[str, ...]) -> bool:
        last = self.last
        return isinstance(last, _Node) and last.kind in kinds

    def wrap_text(self, first: bool) -> None:
        """A tight item's text becomes a paragraph (first among its children, or last)."""
        if self.text:
            self.children.insert(0, "p") if first else self.children.append("p")
            self.text = False


class _Blocks:
    """Python-Markdown's block parser, followed as far as telling code from text: which lines are
    indented code, which lines make up each text (paragraph, heading, item, table row), and whether a
    footnote is defined. One method per block processor, tried in the processors' priority order."""

    def __init__(self, root_lines: _Lines, rows: list[str], fences: dict[int, int]) -> None:
        self.root_lines = root_lines
        self.rows, self.fences = rows, fences
        self.reverted: set[int] = set()
        """Fences an indented code block took back as text (superfences' revert_greedy_fences)."""
        self.code_lines: list[int] = []
        self.texts: list[tuple[int, int]] = []
        """First and last body line of each text (an inline text's lines are consecutive)."""
        self.footnotes = False

    def chunk(self, lines: _Lines, start: int, end: int, parent: _Node, state: str) -> None:
        """Text under `parent`, split into blocks at blank lines (parseChunk); `state` is the top of
        the parser's state stack (`list`, `looselist`, `detabbed`, `blockquote` or none)."""
        texts = lines.texts
        index = start
        while index < end:
            if not texts[index]:
                index += 1
                continue
            block_end = index
            while block_end < end and texts[block_end]:
                block_end += 1
            while index < block_end:  # a processor may take part of a block and give the rest back
                index = self.block(lines, index, block_end, end, parent, state)

    def blocks(self, lines: _Lines, start: int, end: int, parent: _Node, state: str) -> None:
        """One block, and what processors give back of it (parseBlocks with a single block)."""
        while start < end:
            start = self.block(lines, start, end, end, parent, state)

    def block(self, lines: _Lines, start: int, end: int, limit: int, parent: _Node, state: str) -> int:
        """Process the block `start`..`end` (`limit`: where the blocks after it end); returns where
        the text not taken yet begins."""
        texts = lines.texts
        first = texts[start]
        if not first:  # a block after two blank lines, or an item's empty first line: the rest is one
            return start + 1
        find = lines.first if lines.first(_ANY, start, end) is not None else _nowhere
        last = parent.last
        after = last.kind if isinstance(last, _Node) and last.kind in ("admonition", "details") else None
        for kind, name in ((_OPENS_ADMONITION, "admonition"), (_OPENS_DETAILS, "details")):
            opener = find(kind, start, end)
            if opener is not None:
                return self.opener(lines, start, end, opener, parent, state, name)
            taken = self.continued(lines, start, end, parent, state, name) if after == name else None
            if taken is not None:
                return taken
        indented = first.startswith(" " * TAB)
        if indented and state != "detabbed":
            if parent.kind in _ITEMS or parent.last_is(_LISTS):
                return self.list_indent(lines, start, end, parent, _ITEMS, _LISTS, state)
            if parent.kind in _DEFINITION_ITEMS or parent.last_is(_DEFINITION_LISTS):
                return self.list_indent(lines, start, end, parent, _DEFINITION_ITEMS, _DEFINITION_LISTS, state)
        if indented:  # an indented code block (taking back as text any fence written in the block)
            if self.fenced(lines, start, end):
                back, expanded = self.unfenced(lines, start, end)
                size = len(back.texts)
                stop = self.code_block(back, 0, size, parent)
                if expanded <= stop:  # the rest is as it was: go on with it here
                    return end - (size - stop)
                self.blocks(back, stop, size, parent, state)
                return end
            return self.code_block(lines, start, end, parent)
        if end - start >= 2 and "|" in first and _is_table(texts[start:end]):
            self.texts += [(number, number) for number in lines.numbers[start:end]]
            parent.children.append("table")
            return end
        heading = find(_HEADING, start, end)
        if heading is not None:
            self.before(lines, start, heading, parent, state)
            parent.children.append("h")
            self.add_text(lines, heading, heading + 1)
            if state == "looselist" and heading + 1 < end:  # what follows is detabbed (Python-Markdown #1443)
                self.blocks(lines.detabbed(heading + 1, end, TAB), 0, end - heading - 1, parent, state)
                return end
            return heading + 1
        if end - start >= 2 and _SETEXT.match(texts[start + 1]):
            parent.children.append("h")
            self.add_text(lines, start, start + 1)
            return start + 2
        rule = find(_BREAK, start, end)
        if rule is not None:
            self.before(lines, start, rule, parent, state)
            parent.children.append("hr")
            return rule + 1
        if _ITEM.match(first):
            return self.items(lines, start, end, parent, "ol" if _ORDERED.match(first) else "ul")
        definition = find(_DEFINES, start, end)
        if definition is not None:
            taken = self.definition(lines, start, end, definition, parent)
            if taken is not None:
                return taken
        quote = find(_QUOTES, start, end)
        if quote is not None:
            self.before(lines, start, quote, parent, state)
            quoted = []
            for index in range(quote, end):
                text = texts[index]
                match = _QUOTE.match(text)
                quoted.append((index, "" if text.strip() == ">" else match["text"] if match else text))
            last = parent.last
            node = last if isinstance(last, _Node) and last.kind == "quote" else _Node("quote")
            if node is not last:
                parent.children.append(node)
            part = lines.part(quoted)
            self.chunk(part, 0, len(quoted), node, "blockquote")
            return end
        footnote = find(_FOOTNOTES, start, end)
        if footnote is not None:
            return self.footnote(lines, start, end, limit, footnote, parent, state)
        reference = find(_REFERS, start, end)
        if reference is not None:  # link references and abbreviations: taken out of the text
            stop = reference + 1
            while stop < end and lines.first(_REFERS, stop, stop + 1) is not None:
                stop += 1
            self.before(lines, start, reference, parent, state)
            return stop
        self.add_text(lines, start, end)
        if state == "list":
            if not parent.children:
                parent.text = True
        else:
            parent.children.append("p")
        return end

    def code_block(self, lines: _Lines, start: int, end: int, parent: _Node) -> int:
        """Indented code: the block's lines up to the first that is not indented (blank lines come
        only from a fence taken back)."""
        texts, stop = lines.texts, start
        while stop < end and (texts[stop].startswith(" " * TAB) or not texts[stop]):
            stop += 1
        self.code_lines += [number for number in lines.numbers[start:stop] if number >= 0]
        parent.children.append("pre")
        return stop

    def fenced(self, lines: _Lines, start: int, end: int) -> bool:
        """Whether a fence's placeholder is among lines `start`..`end`."""
        while (at := lines.first(_STASHED, start, end)) is not None:
            if lines.numbers[at] in self.fences:
                return True
            start = at + 1
        return False

    def unfenced(self, lines: _Lines, start: int, end: int) -> tuple[_Lines, int]:
        """Lines `start`..`end` with each fence placeholder replaced by the fence's own lines, as
        pymdownx.superfences puts them back in an indented code block (they are text, then), and where
        the last fence put back ends among them."""
        expanded = 0
        numbers: list[int] = []
        texts: list[str] = []
        for number, text in zip(lines.numbers[start:end], lines.texts[start:end], strict=True):
            last = self.fences.get(number) if _PLACEHOLDER in text else None
            if last is None:
                numbers.append(number)
                texts.append(text)
                continue
            self.reverted.add(number)
            row = self.rows[number]
            cut = len(row) - len(row.lstrip("> ")) - (len(text) - 1)  # its prefix, less the placeholder's
            numbers += range(number, last + 1)
            texts += [self.rows[line][max(cut, 0) :] for line in range(number, last + 1)]
            expanded = len(texts)
        return _Lines(numbers, texts), expanded

    def before(self, lines: _Lines, start: int, end: int, parent: _Node, state: str) -> None:
        """The lines of a block before the one a processor takes, parsed first as a block of their own."""
        if start < end:
            self.blocks(lines, start, end, parent, state)

    def add_text(self, lines: _Lines, start: int, end: int) -> None:
        """Lines that make one text, split where a placeholder stands for a fence or a comment."""
        run: list[int] = []
        for number, text in zip(lines.numbers[start:end], lines.texts[start:end], strict=True):
            if _PLACEHOLDER in text or number < 0:
                if run:
                    self.texts.append((run[0], run[-1]))
                run = []
            else:
                run.append(number)
        if run:
            self.texts.append((run[0], run[-1]))

    def opener(self, lines: _Lines, start: int, end: int, at: int, parent: _Node, state: str, kind: str) -> int:
        """`!!! type` or `??? type`: the lines under it indented by four spaces are its content."""
        self.before(lines, start, at, parent, state)
        node = _Node(kind)
        parent.children.append(node)
        self.add_text(lines, at, at + 1)  # its title is text too
        stop = at + 1
        while stop < end and lines.texts[stop].startswith(" " * TAB):
            stop += 1
        self.chunk(lines.detabbed(at + 1, stop, TAB), 0, stop - at - 1, node, state)
        return stop

    def continued(self, lines: _Lines, start: int, end: int, parent: _Node, state: str, kind: str) -> int | None:
        """An indented block after an admonition or details: more of its content (or of the list it
        ends with, when indented by eight spaces)."""
        last = parent.last
        if not (isinstance(last, _Node) and last.kind == kind):
            return None
        first = lines.texts[start]
        target: _Node | None = last
        shift = 0
        child = last.last
        while child is not None:
            if (
                target is not None
                and first[shift:].startswith(" " * 2 * TAB)
                and isinstance(child, _Node)
                and (child.kind in ("ul", "ol", "dl"))
            ):
                item = child.last
                target = item if isinstance(item, _Node) else None
                child = target.last if target is not None else None
                shift += TAB
            else:
                child = None
        if target is None or not first[shift:].startswith(" " * TAB):
            return None
        indent = shift + TAB
        stop = start
        while stop < end and lines.texts[stop].startswith(" " * indent):
            stop += 1
        if target.kind in ("li", "dd"):
            target.wrap_text(first=False)
        self.chunk(lines.detabbed(start, stop, indent), 0, stop - start, target, state)
        return stop

    def list_indent(
        self,
        lines: _Lines,
        start: int,
        end: int,
        parent: _Node,
        items: tuple[str, ...],
        lists: tuple[str, ...],
        state: str,
    ) -> int:
        """An indented block in or after a list (or definition list): it belongs to the item it is
        indented under, four spaces a level (ListIndentProcessor, DefListIndentProcessor)."""
        first = lines.texts[start]
        indent_level = (len(first) - len(first.lstrip(" "))) // TAB
        level = 1 if state == "list" else 0
        sibling = parent
        while indent_level > level:
            child = sibling.last
            if isinstance(child, _Node) and (child.kind in lists or child.kind in items):
                if child.kind in lists:
                    level += 1
                sibling = child
            else:
                break
        part = lines.detabbed(start, end, TAB * level)
        size = end - start
        if parent.kind in items:
            last = parent.last
            target = last if isinstance(last, _Node) and last.kind in lists else parent
            self.blocks(part, 0, size, target, "detabbed")
        elif sibling.kind in items:
            self.blocks(part, 0, size, sibling, "detabbed")
        elif sibling.last_is(items):
            item = sibling.last
            assert isinstance(item, _Node)
            item.wrap_text(first=True)
            self.chunk(part, 0, size, item, "detabbed")
        else:
            item = _Node("li" if items is _ITEMS else "dd")
            sibling.children.append(item)
            self.blocks(part, 0, size, item, "detabbed")
        return end

    def items(self, lines: _Lines, start: int, end: int, parent: _Node, kind: str) -> int:
        """A list block: split into items at each marker line; each item's text is parsed under it."""
        texts = lines.texts
        items: list[list[tuple[int, str]]] = []
        for index in range(start, end):
            text = texts[index]
            match = _ITEM.match(text)
            if match:
                items.append([(index, match["text"])])
            elif _NESTED_ITEM.match(text) and not items[-1][0][1].startswith(" " * TAB):
                items.append([(index, text)])
            else:
                items[-1].append((index, text))
        last = parent.last
        if isinstance(last, _Node) and last.kind in ("ol", "ul"):
            node = last
            item = node.last
            if isinstance(item, _Node):
                item.wrap_text(first=True)
            first_item = _Node("li")
            node.children.append(first_item)
            entries = items.pop(0)
            self.blocks(lines.part(entries), 0, len(entries), first_item, "looselist")
        elif parent.kind in ("ol", "ul"):
            node = parent
        else:
            node = _Node(kind)
            parent.children.append(node)
        for entries in items:
            target = node.last
            if not (entries[0][1].startswith(" " * TAB) and isinstance(target, _Node)):
                target = _Node("li")
                node.children.append(target)
            self.blocks(lines.part(entries), 0, len(entries), target, "list")
        return end

    def definition(self, lines: _Lines, start: int, end: int, at: int, parent: _Node) -> int | None:
        """`:   definition` after its terms (the lines before, or the paragraph before the block)."""
        texts = lines.texts
        match = _DEFINITION.match(texts[at])
        assert match is not None
        lazy = at + 1 < end and _NOT_INDENTED.match(texts[at + 1]) is not None  # the rest is all its text
        stop = end if lazy else at + 1
        while stop < end and texts[stop].startswith(" " * TAB):
            stop += 1
        sibling = parent.last
        state = "list"
        if at == start and sibling is None:
            return None  # a paragraph that starts with a colon
        if at == start and sibling == "p":
            parent.children.pop()  # the paragraph's lines are the terms
            state, sibling = "looselist", parent.last
        if isinstance(sibling, _Node) and sibling.kind == "dl":
            node = sibling
            item = node.last
            if at == start and isinstance(item, _Node) and item.kind == "dd" and item.children:
                state = "looselist"
        else:
            node = _Node("dl")
            parent.children.append(node)
        for term in range(start, at):  # each line before it is a term
            self.add_text(lines, term, term + 1)
        item = _Node("dd")
        node.children.append(item)
        entries = [(at, match["text"])] + [
            (index, texts[index] if lazy else texts[index][TAB:]) for index in range(at + 1, stop)
        ]
        self.blocks(lines.part(entries), 0, len(entries), item, state)
        return stop

    def footnote(self, lines: _Lines, start: int, end: int, limit: int, at: int, parent: _Node, state: str) -> int:
        """`[^label]: text`: the definition and what is indented under it (up to the next definition)
        are the footnote's; they are parsed apart and leave no element here."""
        texts = lines.texts
        self.footnotes = True
        first = at
        while at + 1 < end and lines.first(_FOOTNOTES, at + 1, at + 2) is not None:  # one-line footnotes
            self.note(lines, [(at, _text_of_footnote(texts[at]))])
            at += 1
        entries = [(at, _text_of_footnote(texts[at]))]
        following = lines.first(_FOOTNOTES, at + 1, end)
        resume = following if following is not None else end
        entries += [(index, _detab(texts[index])) for index in range(at + 1, resume)]
        if following is None:  # indented blocks after it, one blank line apart, are its too
            index = end
            while index + 1 < limit and not texts[index] and texts[index + 1].startswith(" " * TAB):
                block_end = index + 1
                while block_end < limit and texts[block_end]:
                    block_end += 1
                split = lines.first(_FOOTNOTES, index + 1, block_end)
                stop = block_end if split is None else split
                entries += [(index, "")] + [(i, _detab(texts[i])) for i in range(index + 1, stop)]
                resume = index = stop
                if split is not None:
                    break
        self.note(lines, entries)
        self.before(lines, start, first, parent, state)
        return resume

    def note(self, lines: _Lines, entries: list[tuple[int, str]]) -> None:
        """A footnote's text, parsed as Python-Markdown parses it: a chunk under a stand-in `div`."""
        self.chunk(lines.part(entries), 0, len(entries), _Node("div"), "")


def _nowhere(kind: int, start: int, end: int) -> None:
    """No line of a block starts anything a processor looks for on every line."""
    return None


def _text_of_footnote(text: str) -> str:
    match = _FOOTNOTE.match(text)
    return match["text"] if match else text


def _detab(text: str) -> str:
    return text[TAB:] if text.startswith(" " * TAB) else text


def _is_table(rows: list[str]) -> bool:
    """Whether a block of these lines is a table, as the tables extension decides: a header row of two
    or more cells (or one, with a border pipe and a pipe on every row), then a separator row of as many
    cells holding only pipes, colons, dashes and spaces (border pipes taken off each row's own ends)."""
    rows = [row.strip(" ") for row in rows]
    header = rows[0]
    left = header.startswith("|")
    right = _ends_with_pipe(header)
    cells = _cells(header, left, right)
    if cells == 1 and (left or right):
        if not all(row.startswith("|") or _ends_with_pipe(row) for row in rows[1:]):
            return False
    elif cells < 2:
        return False
    # With any border, the extension takes a leading and a trailing pipe off each row it splits, the
    # separator's own (not the header's sides).
    separator = rows[1]
    border = left or right
    own = (border and separator.startswith("|"), border and _ends_with_pipe(separator))
    return _cells(separator, *own) == cells and set(separator) <= set("|:- ")


def _ends_with_pipe(row: str) -> bool:
    """Whether a row ends with a pipe not escaped by a backslash."""
    return row.endswith("|") and not _escaped(row, len(row) - 1, 0)


def _cells(row: str, left: bool, right: bool) -> int:
    """How many cells a table row has: pipes outside code spans and escapes split it; the header's
    border pipes (`left`, `right`) are not cells."""
    pipes, ticks, index = 0, 0, 0
    while index < len(row):
        char = row[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            run = len(row[index:]) - len(row[index:].lstrip("`"))
            ticks = 0 if ticks == run else ticks or run
            index += run
            continue
        if char == "|" and not ticks:
            pipes += 1
        index += 1
    return pipes + 1 - (left and row.startswith("|")) - (right and row.endswith("|"))
