"""Two engines, one output: the same project built by MkDocs 1.6 and by ProperDocs 1.6.x.

Both builds run as a user runs them (`mkdocs build --strict`, `properdocs build --strict`, in the project's
folder) with SOURCE_DATE_EPOCH fixed and every proxy pointed at a closed local port, so that a build that
tried the network would fail. The two sites must be byte-identical, but for the generator tag each engine
writes into every page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MKDOCS_YML, write_tree

# What the two engines are allowed to differ in: `<meta name="generator" content="mkdocs-1.6.1, ...">`.
GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')
SHIPPED_PROJECT = ("cards", "quizzes", "paths.yml", "mkdocs.yml", "site_overrides")
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, so any request fails at once
ENGINE_ENV = {
    **{k: v for k, v in os.environ.items() if k.lower() not in {"no_proxy", "all_proxy"}},
    "NO_MKDOCS_2_WARNING": "1",
    "SOURCE_DATE_EPOCH": "1767225600",  # 2026-01-01: the sitemap's dates
    "PYTHONHASHSEED": "0",
    "HTTP_PROXY": DEAD_PROXY,
    "HTTPS_PROXY": DEAD_PROXY,
    "http_proxy": DEAD_PROXY,
    "https_proxy": DEAD_PROXY,
}


def build(engine: str, project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`<engine> build --strict` in `project`, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", *extra],
        cwd=project,
        capture_output=True,
        text=True,
        env=ENGINE_ENV,
        timeout=300,
    )


def copy_shipped_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in SHIPPED_PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path, with the generator tag normalised."""
    return {
        p.relative_to(site).as_posix(): GENERATOR_TAG.sub(b'<meta name="generator" content="*">', p.read_bytes())
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped project built by each engine, each in a copy of its own."""
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        project = copy_shipped_project(tmp_path_factory.mktemp(engine) / "project")
        result = build(engine, project)
        assert result.returncode == 0, f"{engine} build --strict failed:\n{result.stdout}{result.stderr}"
        sites[engine] = project / "site"
    return sites


def test_properdocs_builds_the_shipped_site_identically(both_builds: dict[str, Path]) -> None:
    mkdocs_site, properdocs_site = site_files(both_builds["mkdocs"]), site_files(both_builds["properdocs"])
    assert len(mkdocs_site) > 50, sorted(mkdocs_site)
    only_mkdocs = sorted(mkdocs_site.keys() - properdocs_site.keys())
    only_properdocs = sorted(properdocs_site.keys() - mkdocs_site.keys())
    differ = sorted(k for k in mkdocs_site.keys() & properdocs_site.keys() if mkdocs_site[k] != properdocs_site[k])
    assert not (only_mkdocs or only_properdocs or differ), (
        f"only built by mkdocs: {only_mkdocs}\nonly built by properdocs: {only_properdocs}\ndiffer: {differ}"
    )


def test_each_engine_names_itself_in_the_generator_tag(both_builds: dict[str, Path]) -> None:
    tags = {
        engine: set(GENERATOR_TAG.findall((site / "index.html").read_bytes())) for engine, site in both_builds.items()
    }
    assert len(tags["mkdocs"]) == 1 and b"mkdocs-1.6" in next(iter(tags["mkdocs"]))
    assert len(tags["properdocs"]) == 1 and b"ProperDocs 1.6" in next(iter(tags["properdocs"]))


def test_properdocs_yml_builds_under_properdocs(tmp_path: Path) -> None:
    """A project that names its configuration properdocs.yml (ProperDocs' own name) has no mkdocs.yml."""
    write_tree(
        tmp_path,
        {
            "properdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"),
            "cards/commerce.md": "---\ntitle: Commerce\nsummary: Selling online.\n---\nSee [[sourcing]].\n",
        },
    )
    result = build("properdocs", tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "should be renamed to 'properdocs.yml'" not in output
    page = (tmp_path / "site" / "commerce" / "index.html").read_text(encoding="utf-8")
    assert "Selling online." in page
    assert (tmp_path / "site" / "sourcing" / "index.html").is_file()  # the placeholder for the missing card
    assert (tmp_path / "site" / "assets" / "kcards" / "vendor" / "mermaid.min.js").is_file()


def test_plugin_warnings_fail_a_strict_properdocs_build(tmp_path: Path) -> None:
    """Our log lines reach ProperDocs' log (MkDocs' logger names are re-parented under it) and count in
    strict mode, as under MkDocs."""
    write_tree(
        tmp_path,
        {
            "properdocs.yml": TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides"),
            "cards/a.md": "---\ntitle: A\nsummary: The first.\ntagz: [x]\n---\nBody.\n",
        },
    )
    result = build("properdocs", tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "cards/a.md:4:1: warning: unknown key 'tagz' in front matter (did you mean 'tags'?); it is ignored" in output
    assert "Aborted with 1 warnings in strict mode!" in output


# MaterialX (`mkdocs-materialx`, a fork of Material for MkDocs) installs the same `material` package, so it
# cannot share a virtual environment with Material: `make test-materialx` makes one (.venv/materialx) and
# names its Python here.
MATERIALX_PYTHON = (
    os.path.abspath(os.environ["KCARDS_MATERIALX_PYTHON"]) if os.environ.get("KCARDS_MATERIALX_PYTHON") else None
)


def to_materialx(mkdocs_yml: str) -> str:
    """The shipped configuration with MaterialX's theme and its plugin names (`materialx/tags`, ...)."""
    out = re.sub(r"(?m)^  name: material$", "  name: materialx", mkdocs_yml)
    out = re.sub(r"(?m)^  - (search|tags)$", r"  - materialx/\1", out)
    assert "materialx/tags" in out and "name: materialx" in out
    return out


@pytest.mark.skipif(not MATERIALX_PYTHON, reason="KCARDS_MATERIALX_PYTHON unset (`make test-materialx` sets it)")
def test_materialx_tags_plugin_is_the_tags_plugin(
    both_builds: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Under MaterialX's `materialx/tags` the Tags page is made, with Material's tag anchors, by either engine."""
    assert MATERIALX_PYTHON
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        project = copy_shipped_project(tmp_path_factory.mktemp(f"materialx-{engine}") / "project")
        (project / "mkdocs.yml").write_text(to_materialx((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
        result = subprocess.run(
            [MATERIALX_PYTHON, "-m", engine, "build", "--strict", "-f", "mkdocs.yml"],
            cwd=project,
            capture_output=True,
            text=True,
            env=ENGINE_ENV,
            timeout=300,
        )
        assert result.returncode == 0, (
            f"{engine} build --strict under MaterialX failed:\n{result.stdout}{result.stderr}"
        )
        sites[engine] = project / "site"
    tags_page = sites["mkdocs"] / "tags" / "index.html"
    assert tags_page.is_file(), "no Tags page: the plugin does not take `materialx/tags` for the tags plugin"
    anchors = re.compile(rb'id="tag:[^"]*"')
    assert anchors.findall(tags_page.read_bytes()) == anchors.findall(
        (both_builds["mkdocs"] / "tags" / "index.html").read_bytes()
    )
    mkdocs_site, properdocs_site = site_files(sites["mkdocs"]), site_files(sites["properdocs"])
    differ = sorted(
        k for k in mkdocs_site.keys() | properdocs_site.keys() if mkdocs_site.get(k) != properdocs_site.get(k)
    )
    assert not differ, f"MaterialX sites differ between the engines: {differ}"
