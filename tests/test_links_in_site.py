"""Every internal link and asset reference in the shipped site lands on a file, and every #fragment on an id."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Refs(HTMLParser):
    """Collects href/src values and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _parse(file: Path) -> _Refs:
    parser = _Refs()
    parser.feed(file.read_text(encoding="utf-8"))
    return parser


def test_no_broken_internal_link(shipped_site: Path) -> None:
    pages = {file: _parse(file) for file in shipped_site.rglob("*.html")}
    assert len(pages) > 20
    broken = []
    checked = 0
    for file, refs in pages.items():
        base = file.parent.relative_to(shipped_site).as_posix()
        for ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:")):
                continue  # external (source links on cards); never fetched here
            target_file = file
            if parts.path:
                # 404.html links from the site root ("/assets/..."): it is served at any depth.
                start = "" if parts.path.startswith("/") else base
                path = posixpath.normpath(posixpath.join(start, unquote(parts.path).lstrip("/")))
                if path.startswith(".."):
                    broken.append(f"{file.relative_to(shipped_site)}: {ref} leaves the site")
                    continue
                target = shipped_site / path
                target_file = target / "index.html" if target.is_dir() else target
                if not target_file.is_file():
                    broken.append(f"{file.relative_to(shipped_site)}: {ref}")
                    continue
            checked += 1
            if parts.fragment and target_file.suffix == ".html" and target_file in pages:
                if unquote(parts.fragment) not in pages[target_file].ids:
                    broken.append(f"{file.relative_to(shipped_site)}: {ref} (no such id)")
    assert broken == []
    assert checked > 500
