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


CONTRAST = """() => {
  const lum = rgb => {
    const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll("article .kc-status")].map(el => {
    const style = getComputedStyle(el);
    const text = lum(style.color), fill = lum(style.backgroundColor);
    const [a, b] = [text, fill].sort((x, y) => y - x);
    return {text: el.innerText, ratio: (a + 0.05) / (b + 0.05), darkFill: fill < text};
  });
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_status_badges_are_legible_in_both_schemes(page, shipped_url: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + VALUE_CHAIN)
    page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
    badges = page.evaluate(CONTRAST)
    assert badges, "the explore table shows status badges"
    for badge in badges:
        assert badge["ratio"] >= 4.5, (scheme, badge)
        assert badge["darkFill"] == (scheme == "slate"), (scheme, badge)  # no light badge on a dark page
