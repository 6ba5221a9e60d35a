"""What a reader reads, measured in chromium at 390 and 1280 px: callouts and quizzes at the body's
size, footnote back-references visible without hovering, and the footer agreeing with the path box."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

VALUE_CHAIN = "e-commerce/e-commerce-value-chain/"
SIZES = """() => {
  const size = el => el ? parseFloat(getComputedStyle(el).fontSize) : null;
  return {
    prose: size(document.querySelector("article > p:not([class])")),
    callout: size(document.querySelector("article .admonition > p:not(.admonition-title)")),
    details: size(document.querySelector("article details:not(.map) > p")),
    quiz: size(document.querySelector("article .kc-q__prompt, article .kc-quiz p")),
    backref: getComputedStyle(document.querySelector("article .footnote-backref")).opacity,
  };
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_teaching_is_at_body_size(page, shipped_url: str, width: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(shipped_url + VALUE_CHAIN)
    sizes = page.evaluate(SIZES)
    assert sizes["prose"] >= 16
    for part in ("callout", "quiz"):
        assert sizes[part] is not None and sizes[part] >= sizes["prose"] - 0.5, (part, sizes)
    assert float(sizes["backref"]) == 1.0, sizes
    footer = page.locator("footer .md-footer__link--prev").get_attribute("aria-label")
    box = page.locator("article .kc-path--top .kc-path__prev").first.inner_text()
    assert footer == box.replace("\u2190", "").strip(), (footer, box)
