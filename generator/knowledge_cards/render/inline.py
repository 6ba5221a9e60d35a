"""Quiz text as inline Markdown that can never carry HTML or script.

Text is HTML-escaped first, so `<script>` shows as text; Markdown then adds
emphasis, code, links and images; links keep only safe schemes, and images only sources within the
site (an offline site asks no one else for anything).
"""

from __future__ import annotations

import html
import re

import markdown
from markupsafe import Markup

# A link Markdown produced: `<a href="` value `"` optional attributes `>` text `</a>`.
_ANCHOR = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
# Schemes a quiz link may use; anything else (javascript:, data:, ...) is dropped.
_SAFE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[^:]*$)", re.IGNORECASE)
# Text Markdown would leave as it is: starts with a letter (no list, heading or quote can
# begin), and holds nothing that marks up (no * _ ` [ ] ! < > & # | ~ \\ or line break).
_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:?'\"()/%$+=-])*")
# An image Markdown produced: `<img alt="` text `" src="` value `"` optional title ` />`.
_IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]*)"[^>]*/>')
# An image source a quiz may use: a path within the site (no scheme, not `//host`). A `data:` or
# external image would be fetched or decoded from outside the site, which works offline and asks no one.
_LOCAL = re.compile(r"^(?![a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# The paragraph wrapper Markdown puts around one block of text.
_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


class InlineMarkdown:
    """Converts short texts; one instance per build, reset between texts."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=[])

    def __call__(self, text: str, block: bool = False) -> Markup:
        """HTML for one quiz text: inline Markdown only, no raw HTML, no unsafe links.

        Inline texts are folded onto one line; `block` keeps paragraphs (model answers).
        """
        if not block:
            text = " ".join(text.split())
        if not block and _PLAIN.fullmatch(text):
            return Markup(html.escape(text, quote=False))  # most quiz texts: no Markdown pass needed
        escaped = html.escape(text, quote=False)
        converted = self._md.reset().convert(escaped)
        # An unsafe link (javascript:, data:, ...) keeps only its text.
        converted = _ANCHOR.sub(
            lambda m: m.group(0) if _SAFE.match(html.unescape(m.group(1)).strip()) else m.group(2), converted
        )
        # An image from outside the site (data:, http:, //host) keeps only its alternative text.
        converted = _IMAGE.sub(
            lambda m: m.group(0) if _LOCAL.match(html.unescape(m.group(2)).strip()) else m.group(1), converted
        )
        if block:
            return Markup(converted)
        match = _PARAGRAPH.match(converted.strip())
        return Markup(match.group(1) if match else converted)
