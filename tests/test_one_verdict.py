"""One verdict: `kcards check --strict` fails exactly where `mkdocs build --strict` fails, with a line.

Each case is a tiny project. `kcards check --strict` must print the expected `path:line:col:` lines and
exit 1 when the strict build fails, and be clean when the build passes; a build (not a preview) with
card errors fails too, and says so in its last line (tests/test_build.py).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MKDOCS_YML, run_mkdocs_build, write_tree
from knowledge_cards.cli.main import main as kcards

CONFIG = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides") + (
    "validation:\n  links:\n    not_found: warn\n    anchors: warn\n    unrecognized_links: warn\n"
)
B = "---\ntitle: B\nsummary: S\n---\n# Second heading\n\n## Dup\n\n## Dup\n\n## Custom {#made-up}\n\nText.\n"


def card(body: str, title: str = "A") -> str:
    return f"---\ntitle: {title}\nsummary: S\n---\n{body}"


# name -> (files, the lines `kcards check` prints; [] where the strict build passes)
CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "reference-style-link-to-a-missing-page": (
        {"cards/a.md": card("See [Compliance][c].\n\n[c]: compliance.md\n")},
        ["cards/a.md:7:6: warning: a link 'compliance.md', but the target is not found among documentation files."],
    ),
    "unused-reference-definition": ({"cards/a.md": card("Text.\n\n[c]: compliance.md\n")}, []),
    "missing-image": (
        {"cards/a.md": card("A picture: ![diagram](img/diagram.png)\n")},
        ["cards/a.md:5:23: warning: a link 'img/diagram.png', but the target is not found among documentation files."],
    ),
    "missing-anchor-on-another-card": (
        {"cards/a.md": card("See [b](b.md#nope).\n"), "cards/b.md": B},
        ["cards/a.md:5:9: warning: a link 'b.md#nope', but the doc 'b.md' does not contain an anchor '#nope'."],
    ),
    "missing-anchor-by-card-link": (
        {"cards/a.md": card("See [[b#nope]].\n"), "cards/b.md": B},
        ["cards/a.md:5:5: warning: a link 'b.md#nope', but the doc 'b.md' does not contain an anchor '#nope'."],
    ),
    "missing-anchor-on-this-page": (
        {"cards/a.md": card("# Top\n\nSee [below](#nowhere).\n")},
        ["cards/a.md:7:13: warning: a link '#nowhere', but there is no such anchor on this page."],
    ),
    "anchors-that-exist": (
        {
            "cards/a.md": card(
                "See [b](b.md#second-heading), [[b#dup_1]], [[b#made-up]], [[b#where-this-concept-fits]] and [[b#b]].\n"
            ),
            "cards/b.md": B,
        },
        [],
    ),
    "links-inside-code-are-code": (
        {"cards/a.md": card("`[x](gone.md)` and\n\n```\n[c]: compliance.md\n![i](no.png)\n```\n\n    [y](z.png)\n")},
        [],
    ),
    "markdown-link-out-of-the-cards": (
        {"cards/area/a.md": card("See [out](../../outside.md) and [abs](/absolute/path.md).\n")},
        [
            "cards/area/a.md:5:11: warning: a link '../../outside.md', but the target '../outside.md' is not "
            "found among documentation files.",
        ],
    ),
    "unknown-theme": (
        {"cards/a.md": card("Text.\n"), "mkdocs.yml": CONFIG.replace("name: material", "name: materiall")},
        [
            "mkdocs.yml:5:3: error: config value 'theme': Unrecognised theme name: 'materiall'. The available "
            "installed themes are: mkdocs, readthedocs, material"
        ],
    ),
    "unknown-setting": (
        {"cards/a.md": card("Text.\n"), "mkdocs.yml": CONFIG + "site_descripton: typo\n"},
        ["mkdocs.yml:27:1: warning: config value 'site_descripton': Unrecognised configuration name: site_descripton"],
    ),
    "plugin-option-typo": (
        {
            "cards/a.md": card("Text.\n"),
            "mkdocs.yml": CONFIG.replace("  - knowledge-cards\n", "  - knowledge-cards:\n      colour: blue\n"),
        },
        [
            "mkdocs.yml:13:7: warning: config value 'plugins': Plugin 'knowledge-cards' option 'colour': "
            "Unrecognised configuration name: colour"
        ],
    ),
    "nav-names-a-missing-file": (
        {"cards/a.md": card("Text.\n"), "mkdocs.yml": CONFIG + "nav:\n  - A: a.md\n  - Gone: gone.md\n"},
        ["mkdocs.yml:29:11: warning: the nav names 'gone.md', which is not found among the documentation files"],
    ),
}


def _check(project: Path) -> tuple[int, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = kcards(["--project", str(project), "check", "--strict"])
    return code, [line for line in out.getvalue().splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


@pytest.mark.parametrize("case", CASES)
def test_check_and_strict_build_agree(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"mkdocs.yml": CONFIG, **files})
    code, lines = _check(tmp_path)
    build = run_mkdocs_build(tmp_path, "--strict")
    assert "Traceback" not in build.output
    assert lines == expected, build.output
    assert (code == 1) == bool(expected)
    assert (build.returncode != 0) == bool(expected), build.output
    # Every file the engine complains about is a file the check names.
    engine_files = set(re.findall(r"Doc file '([^']+)'", build.output))
    assert engine_files <= {line.split(":")[0].removeprefix("cards/") for line in lines}


def test_anchors_left_to_the_engine_at_info_are_not_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's default is to mention a missing anchor only at INFO: then neither fails."""
    monkeypatch.chdir(tmp_path)
    config = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides")
    write_tree(tmp_path, {"mkdocs.yml": config, "cards/a.md": card("See [[b#nope]].\n"), "cards/b.md": B})
    assert _check(tmp_path) == (0, [])
    assert run_mkdocs_build(tmp_path, "--strict").returncode == 0


def test_check_of_another_cards_folder_leaves_the_site_alone(tmp_path: Path) -> None:
    """`--cards` checks a folder of cards, not the site: the site's config is not its business."""
    write_tree(
        tmp_path,
        {"mkdocs.yml": CONFIG + "site_descripton: typo\n", "other/a.md": card("See ![x](no.png).\n")},
    )
    (tmp_path / "cards").mkdir()
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = kcards(["--project", str(tmp_path), "check", "--strict", "--cards", str(tmp_path / "other")])
    assert code == 0, out.getvalue()


def test_the_quirks_authoring_once_listed_are_gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """AUTHORING says there are no known quirks: each one it used to list, as the code now handles it."""
    monkeypatch.chdir(tmp_path)
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": CONFIG,
            # a stub card's quiz is its quiz; one tag without brackets is that tag; a link to a generated
            # page's name gets a placeholder of its own
            "cards/stubby.md": "---\ntitle: Stubby\nstatus: stub\ntags: word\n---\nSee [[map]].\n",
            "quizzes/stubby.yml": "questions:\n  - type: reflect\n    prompt: Why?\n    answer: Because.\n",
            "paths.yml": "paths:\n  - id: p\n    title: [a, b]\n    description: D\n    description: E\n"
            "    cards: [stubby]\n",
        },
    )
    code, lines = _check(tmp_path)
    assert lines == [
        "paths.yml:3:1: error: a path's 'title:' must be text, not a list or mapping",
        "paths.yml:5:1: warning: key 'paths.0.description' is written twice; only this later value is used",
    ]
    (tmp_path / "paths.yml").write_text("paths:\n  - id: p\n    title: P\n    cards: [stubby]\n", encoding="utf-8")
    assert _check(tmp_path) == (0, [])
    build = run_mkdocs_build(tmp_path, "--strict")
    assert build.returncode == 0, build.output
    assert "Why?" in (tmp_path / "site/stubby/index.html").read_text(encoding="utf-8")
    assert 'href="../concepts/map/"' in (tmp_path / "site/stubby/index.html").read_text(encoding="utf-8")
    assert "stubby/" in (tmp_path / "site/tags/index.html").read_text(encoding="utf-8")
    # `kcards new --quiz` with `: ` and ` #` in the title writes a quiz that is valid as it is
    assert kcards(["--project", str(tmp_path), "new", "ratio", "--title", "Ratio: a #tag", "--quiz"]) == 0
    assert _check(tmp_path) == (0, [])
