"""A `mkdocs serve` session in-process, each rebuild compared file by file with `mkdocs build` of the
same sources in a fresh process (never the serve session's plugin, whose cache could hide a wrong page)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import ENV, ROOT, TINY_MKDOCS_YML
from knowledge_cards.engine import internals

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402


def card(title: str, summary: str, body: str = "Body.", **fields: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\nsummary: {summary}\n{extra}---\n## What is it?\n\n{body}\n"


FILES = {
    "cards/ops/chain.md": card("Value Chain", "The loop.", "See [[stock]] and [[pricing]].", tags="[ops]"),
    "cards/ops/stock.md": card("Stock", "What is kept.", parent="chain", tags="[ops, goods]"),
    "cards/ops/orders.md": card("Orders", "What is bought.", parent="chain"),
    "cards/other/brand.md": card("Brand", "Who we are.", related="[{pricing: how brand sets price}]"),
    "cards/other/lonely.md": card("Lonely", "Links to nobody.", "A [plain link](../ops/orders.md)."),
    "quizzes/stock.yml": "questions:\n  - type: reflect\n    prompt: Why keep stock?\n    answer: To sell.\n",
}

PRUNED = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides")
NOT_PRUNED = PRUNED.replace("features: [navigation.instant, navigation.prune]", "features: [navigation.instant]")
assert NOT_PRUNED != PRUNED
# Titles from the cards for most entries, from the nav for one; a card left out of the nav (orders).
HAND_WRITTEN_NAV = (
    NOT_PRUNED
    + """\
nav:
  - Home: index.md
  - Operations:
      - ops/chain.md
      - Keeping stock: ops/stock.md
  - Elsewhere:
      - other/brand.md
      - other/lonely.md
  - Tags: tags.md
"""
)
NAVS = {"prune": PRUNED, "no-prune": NOT_PRUNED, "hand-written-nav": HAND_WRITTEN_NAV}

UNCOMPARED = ("sitemap.xml.gz",)
"""Gzip stamps its file with the time; sitemap.xml itself is compared."""


class Session:
    """One `mkdocs serve` session, in-process, as mkdocs/commands/serve.py runs it: the plugin instances
    live across rebuilds, each rebuild loads the config again. With `dirty`, as `mkdocs serve --dirty`
    (what `make serve` runs): the site folder is not cleaned between builds."""

    def __init__(self, project: Path, dirty: bool, fresh: FreshBuilds) -> None:
        self.project = project
        self.dirty = dirty
        self.fresh = fresh
        self.site = project / "site-serve"
        os.chdir(project)
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=dirty)
        # MkDocs hands a plugin with on_startup to the next session in the same process: Material's search
        # would merge the last `--dirty` session's index into this one's (a new process has none).
        internals.forget_previous_search_index(config)
        self.plugins = config.plugins
        self.rebuild(config)

    def _config(self):  # type: ignore[no-untyped-def]
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def rebuild(self, config=None) -> None:  # type: ignore[no-untyped-def]
        """Rebuild; then the site must be the one a fresh process builds from the same sources."""
        fresh = self.fresh.start(self.project)  # alongside the rebuild: the machine has two cores
        config = config or self._config()  # as serve.py's builder: MkDocs keeps plugins that have on_startup
        self.plugins = config.plugins
        build(config, serve_url="http://127.0.0.1:8000/", dirty=self.dirty)
        self.plugin = config.plugins["knowledge-cards"]
        expected = fresh()
        actual = site_files(self.site)
        assert sorted(actual) == sorted(expected), (
            f"the rebuilt site has other files than a fresh build: {sorted(set(actual) ^ set(expected))}"
        )
        wrong = [name for name in expected if actual[name] != expected[name]]
        assert not wrong, f"these files differ from a fresh build's: {wrong}"

    @property
    def reused(self) -> set[str]:
        """Pages whose content came from the previous build."""
        return set(self.plugin.serve_cache.reused)  # type: ignore[attr-defined]

    @property
    def outputs_reused(self) -> set[str]:
        """Pages whose whole output came from the previous build."""
        return set(self.plugin.serve_cache.outputs_reused)  # type: ignore[attr-defined]

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")

    def close(self) -> None:
        self.plugins.on_shutdown()


class FreshBuilds:
    """`python -m mkdocs build` of the project's current sources in a new process, into another folder;
    one per distinct state of the sources (a serve and a `--dirty` serve session share them)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[str, dict[str, bytes]] = {}

    def start(self, project: Path) -> Callable[[], dict[str, bytes]]:
        state = sources_digest(project)
        if state in self.built:
            return lambda: self.built[state]
        out = self.root / state[:16]
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
        proc = subprocess.Popen(command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

        def finish() -> dict[str, bytes]:
            output, _ = proc.communicate(timeout=300)
            # A build with card errors writes the site and then fails, saying so in its last line.
            last = output.decode(errors="replace").strip().splitlines()[-1:] or [""]
            assert proc.returncode == 0 or last[0].startswith("Aborted with"), output.decode(errors="replace")
            self.built[state] = site_files(out)
            return self.built[state]

        return finish


def sources_digest(project: Path) -> str:
    """Every file of the project but the served site: cards, quizzes, paths, config, overrides."""
    digest = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        name = path.relative_to(project).as_posix()
        if path.is_file() and not name.startswith(("site-serve/", "site/")):
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by path (search/search_index.json and graph.json too)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.name not in UNCOMPARED
    }


def search_titles(site: Path) -> set[str]:
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return {doc["title"] for doc in docs}
