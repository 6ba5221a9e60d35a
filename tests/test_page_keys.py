"""Front matter that reaches the theme: only the page keys Material documents, each checked, escaped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ENV, ROOT, TINY_MKDOCS_YML, run_mkdocs_build, write_tree
from knowledge_cards.core.keys import ENGINE_KEYS
from knowledge_cards.core.page_keys import engine_meta

HOSTILE = """\
---
title: Chain
summary: The loop.
author: '"><script>window.__pwned = "author"</script>'
location: 'javascript:window.__pwned = "redirect"'
template: redirect.html
hide: [toc, everything]
icon: 'x" onmouseover="alert(1)'
search: {exclude: "yes"}
subtitle: '<img src=x onerror=alert(1)>'
description: '"><script>window.__pwned = "description"</script>'
---
Body
"""


def test_only_checked_page_keys_reach_the_theme(tiny_site) -> None:  # type: ignore[no-untyped-def]
    strict = tiny_site(
        {"cards/chain.md": HOSTILE, "cards/other.md": "---\ntitle: Other\nsummary: S\n---\nx\n"}, "--strict"
    )
    assert strict.returncode == 1
    assert strict.lines("warning:") == [
        # `author:` is a key other tools write (it is ignored quietly, and never reaches the page)
        "cards/chain.md:5:1: warning: unknown key 'location' in front matter; it is ignored",
        "cards/chain.md:6:1: warning: template: must name a page template of the site's own, such as page.html (never redirect.html); it is ignored",
        "cards/chain.md:7:1: warning: hide: must list what to hide, from navigation, toc, footer, tags, feedback, path; it is ignored",
        "cards/chain.md:8:1: warning: icon: must be an icon path such as material/book; it is ignored",
        "cards/chain.md:9:1: warning: search: must be a mapping of exclude (true or false) and boost (a number); it is ignored",
    ]
    page = (strict.site / "chain" / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page and "<img src=x" not in page and "onmouseover" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the subtitle, as text
    assert 'name="author"' not in page and "javascript:" not in page
    assert '<meta name="description" content="&#34;&gt;&lt;script&gt;' in page.replace("&quot;", "&#34;")
    assert "Body" in page  # the card's own page, not Material's redirect page


def test_the_page_keys_material_documents_work(tiny_site) -> None:  # type: ignore[no-untyped-def]
    card = (
        "---\ntitle: Chain\nsummary: S\nhide: [toc]\nicon: material/book\nsearch: {boost: 2}\ncomments: false\n---\nx\n"
    )
    result = tiny_site({"cards/chain.md": card}, "--strict")
    assert result.returncode == 0, result.output


def test_engine_meta_keeps_good_values_and_warns_on_the_rest() -> None:
    warnings: list[tuple[str, ...]] = []
    meta = {"hide": "toc", "template": "pages/wide.html", "icon": "fontawesome/brands/github", "comments": "yes"}
    kept = engine_meta(meta, ENGINE_KEYS, lambda message, *path: warnings.append((message, *path)))
    assert kept == {"hide": ["toc"], "template": "pages/wide.html", "icon": "fontawesome/brands/github"}
    assert warnings == [("comments: must be true or false; it is ignored", "comments")]
    for bad in ("../../etc/passwd.html", "redirect.html", "x/redirect.html", "a b.html", "page.txt"):
        assert engine_meta({"template": bad}, ENGINE_KEYS, lambda *args: None) == {}, bad


def test_kcards_new_writes_a_title_as_text_never_as_html_or_front_matter(tmp_path: Path) -> None:
    config = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides")
    write_tree(tmp_path, {"mkdocs.yml": config, "cards/a.md": "---\ntitle: A\nsummary: S\n---\nx\n"})
    title = '<script>alert(1)</script>\n---\nstatus: "x"'
    made = subprocess.run(
        [sys.executable, "-m", "knowledge_cards.cli.main", "new", "xss", "--title", title],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "cards" / "xss.md").read_text(encoding="utf-8")
    assert text.count("\n---\n") == 1 and "<script>" not in text.split("\n---\n", 1)[1]  # the body has no HTML
    check = subprocess.run(
        [sys.executable, "-m", "knowledge_cards.cli.main", "check", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_mkdocs_build(tmp_path, "--strict")
    assert build.returncode == 0, build.output
    assert "<script>alert(1)</script>" not in build.page("xss")
