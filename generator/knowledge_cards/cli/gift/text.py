"""GIFT texts (question, answer, feedback) as inline Markdown: never HTML, nothing dropped unnoted.

Moodle texts are HTML unless marked `[plain]` or `[markdown]`: bold, italics, code and safe links are
kept as Markdown, every other tag is removed (its content kept) and noted for the question's warning.
Plain text is escaped so that it shows exactly as written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# A format marker at the start of a text: `[html]`, `[moodle]`, `[plain]` or `[markdown]`.
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")

# Characters no quiz text keeps: controls, surrogates, noncharacters (so also the emphasis
# placeholders below); \t \n \r and other whitespace stay, to be folded into spaces.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")

# HTML: a start or end tag, whose name is checked against the tags below.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*)?)/?>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_SPACE_TAGS = frozenset(
    "p div br hr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table thead tbody tfoot tr td th caption "
    "blockquote section article header footer figure figcaption center address main nav aside "
    "details summary".split()
)
_BOLD_TAGS = frozenset({"b", "strong"})
_ITALIC_TAGS = frozenset({"i", "em"})
_CODE_TAGS = frozenset({"code", "tt", "kbd", "samp", "pre"})
_HIDDEN_TAGS = frozenset({"script", "style"})
_OTHER_TAGS = frozenset(
    "span font u s strike del ins sub sup small big mark abbr acronym cite q var dfn label nobr wbr "
    "bdi bdo time data html body head title meta link base input button select option textarea form "
    "video audio source track embed object iframe svg math canvas noscript picture".split()
)
_KNOWN_TAGS = _SPACE_TAGS | _BOLD_TAGS | _ITALIC_TAGS | _CODE_TAGS | _HIDDEN_TAGS | _OTHER_TAGS | {"a", "img"}
# Placeholders for emphasis while HTML is converted (noncharacters, removed from input first).
_BOLD_ON, _BOLD_OFF, _ITALIC_ON, _ITALIC_OFF = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
_EMPHASIS = [
    (on, off, mark, re.compile(f"{on}(\\s*){off}"), re.compile(f"{on}(\\s+)"), re.compile(f"(\\s+){off}"))
    for on, off, mark in ((_BOLD_ON, _BOLD_OFF, "**"), (_ITALIC_ON, _ITALIC_OFF, "*"))
]
# Markdown that plain text must not trigger: backslash, code, emphasis (`_` only at a word edge).
_MD_SPECIAL = re.compile(r"[\\`*]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_NUMBERED = re.compile(r"^([0-9]+)\.(?=\s|$)")


def short(text: str, limit: int = 40) -> str:
    """A text as a warning quotes it: on one line, cut to `limit` characters."""
    text = " ".join(UNPRINTABLE.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text."""
    return _MD_SPECIAL.sub(lambda match: "\\" + match.group(0), text)


def escape_line_start(text: str) -> str:
    """Keep a text from starting a heading, quote or list when rendered."""
    if text[:1] in ("#", ">", "-", "+"):
        return "\\" + text
    return _MD_NUMBERED.sub(r"\1\\.", text)


def _attribute(pattern: re.Pattern[str], attributes: str) -> str:
    match = pattern.search(attributes)
    if not match:
        return ""
    return html.unescape(next(group for group in match.groups() if group is not None)).strip()


class _HtmlToMarkdown:
    """Moodle/HTML text to inline Markdown: bold, italics and code kept, other tags removed, all noted."""

    def __init__(self, raw: str, markdown: bool, tags: list[str]) -> None:
        self.raw = raw
        self.markdown = markdown
        self.tags = tags
        self.out: list[str] = []
        self.code: list[str] | None = None
        self.depth = {"bold": 0, "italic": 0, "code": 0}
        self.links: list[tuple[str, int, int]] = []
        """Open links: href, where their label starts in `out`, and `visible` then."""
        self.visible = 0
        """How many non-space characters `out` holds: finds empty labels without joining."""

    def note(self, name: str) -> None:
        if name not in self.tags:
            self.tags.append(name)

    def text(self, chunk: str, decoded: bool = False) -> None:
        """Text between tags: entities decoded (unless already), escaped for Markdown outside code."""
        chunk = chunk if decoded else html.unescape(chunk)
        if self.code is not None:
            self.code.append(chunk)
        else:
            self.emit(chunk if self.markdown else escape_markdown(chunk))

    def emit(self, markdown: str) -> None:
        self.out.append(markdown)
        self.visible += len(markdown) - sum(char.isspace() for char in markdown)

    def convert(self) -> str:
        raw, lower = self.raw, self.raw.lower()
        last_comment_end = raw.rfind("-->")
        i = 0
        while i < len(raw):
            start = raw.find("<", i)
            if start == -1:
                self.text(raw[i:])
                break
            self.text(raw[i:start])
            if raw.startswith("<!--", start) and last_comment_end >= start + 4:
                end = raw.find("-->", start + 4)
                if end != -1:
                    self.note("<!--...-->")
                    i = end + 3
                    continue
            match = _TAG.match(raw, start)
            name = match.group(2).lower() if match else ""
            if match is None or name not in _KNOWN_TAGS:
                self.text("<")
                i = start + 1
                continue
            self.note(f"<{name}>")
            i = match.end()
            closing = bool(match.group(1))
            if name in _HIDDEN_TAGS and not closing:
                end = lower.find(f"</{name}", i)
                i = len(raw) if end == -1 else (raw.find(">", end) + 1 or len(raw))
            else:
                self.tag(name, closing, match.group(3))
        for name, key in (("code", "code"), ("b", "bold"), ("i", "italic")):
            if self.depth[key]:
                self.depth[key] = 1
                self.tag(name, True, "")
        while self.links:
            self.tag("a", True, "")
        return self.finish("".join(self.out))

    def tag(self, name: str, closing: bool, attributes: str) -> None:
        if name in _SPACE_TAGS:
            self.text(" ")
        elif name in _BOLD_TAGS or name in _ITALIC_TAGS:
            key, on, off = ("bold", _BOLD_ON, _BOLD_OFF) if name in _BOLD_TAGS else ("italic", _ITALIC_ON, _ITALIC_OFF)
            if self.code is not None:
                return
            if not closing:
                self.depth[key] += 1
                if self.depth[key] == 1:
                    self.out.append(on)
            elif self.depth[key]:
                self.depth[key] -= 1
                if self.depth[key] == 0:
                    self.out.append(off)
        elif name in _CODE_TAGS:
            if not closing:
                self.depth["code"] += 1
                if self.code is None:
                    self.code = []
            elif self.depth["code"]:
                self.depth["code"] -= 1
                if self.depth["code"] == 0 and self.code is not None:
                    content = " ".join("".join(self.code).split())
                    self.code = None
                    if content:
                        fence = "``" if "`" in content else "`"
                        pad = " " if content.startswith("`") or content.endswith("`") else ""
                        self.emit(f" {fence}{pad}{content}{pad}{fence} ")
        elif name == "a":
            if not closing:
                self.links.append((_attribute(_HREF, attributes), len(self.out), self.visible))
            elif self.links:
                href, start, visible = self.links.pop()
                if href and _SAFE_URL.match(href):
                    shown = href if self.markdown else escape_markdown(href)
                    if self.visible == visible:
                        self.emit(shown)
                    elif self.visible - visible != len(shown) or "".join(self.out[start:]).strip() != shown:
                        self.emit(f" ({shown})")
        elif name == "img":
            alt = _attribute(_ALT, attributes)
            if alt:
                self.text(f" {alt} ", decoded=True)
        # Any other known tag is removed, its content kept.

    @staticmethod
    def finish(text: str) -> str:
        """Placeholders to `**`/`*`, with spaces moved outside and empty emphasis dropped."""
        for on, off, mark, empty, leading, trailing in _EMPHASIS:
            if on in text:
                text = empty.sub(r"\1", text)
                text = leading.sub(r"\1" + on, text)
                text = trailing.sub(off + r"\1", text)
                text = text.replace(on, mark).replace(off, mark)
        return text


@dataclass
class Notes:
    """What text cleaning removed from one question, reported once for it."""

    markers: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def message(self) -> str:
        parts = []
        if self.markers:
            plural = "s" * (len(self.markers) > 1)
            parts.append(f"format marker{plural} {', '.join(self.markers)} removed")
        if self.tags:
            parts.append(f"HTML converted to text ({', '.join(self.tags)})")
        return "; ".join(parts)


def clean_text(raw: str, fmt: str, notes: Notes) -> tuple[str, str]:
    """One GIFT text (question, answer, feedback) as inline Markdown; returns it and its format."""
    raw = UNPRINTABLE.sub("", raw).strip()
    match = _FORMAT.match(raw)
    if match:
        fmt = match.group(1)
        raw = raw[match.end() :]
        if match.group(0) not in notes.markers:
            notes.markers.append(match.group(0))
    if fmt == "plain":
        text = escape_markdown(raw)
    else:
        text = _HtmlToMarkdown(raw, fmt == "markdown", notes.tags).convert()
    text = " ".join(UNPRINTABLE.sub("", text).split())
    if fmt != "markdown":
        text = escape_line_start(text)
    return text, fmt
