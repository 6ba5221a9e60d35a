"""One navigation: on a card that is on a learning path, Material's footer ("Previous"/"Next") and the
path box above the card name the same cards (the path decides), on every page of the shipped site."""

from __future__ import annotations

import re
from pathlib import Path

PATH_LINK = re.compile(r'class="kc-path__(prev|next)" href="([^"]+)"')
FOOTER_LINK = re.compile(r'<a href="([^"]+)" class="md-footer__link md-footer__link--(prev|next)"')


def test_footer_and_path_box_agree(shipped_site: Path) -> None:
    checked = 0
    for page in shipped_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        top = html.find("kc-path kc-path--top")
        if top < 0:
            continue
        box = html[top : html.index("</nav>", top)]
        path = {kind: href for kind, href in PATH_LINK.findall(box)}
        footer = {kind: href for href, kind in FOOTER_LINK.findall(html[html.find("<footer") :])}
        assert footer == path, page.relative_to(shipped_site)
        checked += 1
    assert checked >= 7  # every card of the shipped site's paths
