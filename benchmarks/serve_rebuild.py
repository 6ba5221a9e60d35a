"""`mkdocs serve` rebuilds after a one-card edit, in-process: a body edit and a title edit, side by side.

    python benchmarks/serve_rebuild.py [--cards 1000] [--repeat 3] [--seed 1] [--check]

Generates a synthetic knowledge base (generate.py, the shipped site's features: navigation.sections and
navigation.prune), runs one serve session in this process as mkdocs/commands/serve.py does (the
plugins live across rebuilds), and prints, for `serve` and `serve --dirty`, the median seconds of a
rebuild after editing one leaf card's body, then its title, and how many page outputs were reused.
The browser's part (livereload, fetching the page) is measured by serve_edit.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from run import OURS, ROOT

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def differences(project: Path, site: Path) -> list[str]:
    """The files of `site` that differ from a build of the same sources in a fresh process."""
    import subprocess

    fresh = project / "site-fresh"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(fresh)], cwd=project, check=True, capture_output=True
    )

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.suffix != ".gz"
        }

    ours, theirs = files(site), files(fresh)
    return sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))


def session(project: Path, dirty: bool, repeat: int, check: bool) -> dict[str, tuple[float, int, int]]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(project)
    site = project / ("site-dirty" if dirty else "site-serve")

    def config():  # type: ignore[no-untyped-def]
        return load_config(str(project / "mkdocs.yml"), site_dir=str(site))

    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)
    build(first, serve_url="http://127.0.0.1:8000/", dirty=dirty)
    leaf = max((project / "cards").rglob("*.md"), key=lambda p: p.as_posix())  # last in the nav: a leaf
    original = leaf.read_text(encoding="utf-8")
    results: dict[str, tuple[float, int, int]] = {}
    for kind in ("body", "title"):
        times, reused = [], 0
        for n in range(repeat):
            if kind == "body":
                leaf.write_text(original + f"\nEdited {n}.\n", encoding="utf-8")
            else:
                leaf.write_text(original.replace("title: ", f"title: Renamed {n} ", 1), encoding="utf-8")
            start = time.perf_counter()
            current = config()
            build(current, serve_url="http://127.0.0.1:8000/", dirty=dirty)
            times.append(time.perf_counter() - start)
            cache = current.plugins["knowledge-cards"].serve_cache  # type: ignore[attr-defined]
            reused, total = len(cache.outputs_reused), len(cache.keys)
        results[kind] = (statistics.median(times), reused, total)
        if check:
            wrong = differences(project, site)
            print(f"  after the {kind} edits, files differing from a fresh build: {len(wrong)} {wrong[:5]}")
        leaf.write_text(original, encoding="utf-8")
        build(config(), serve_url="http://127.0.0.1:8000/", dirty=dirty)
    first.plugins.on_shutdown()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="compare each session's site with a fresh build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None) as tmp:
        project = Path(tmp) / "kb"
        generate(project, args.cards, args.seed)
        config = OURS.format(overrides=ROOT / "site_overrides")
        config = config.replace(
            "[navigation.instant, navigation.prune]", "[navigation.instant, navigation.sections, navigation.prune]"
        )
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        print(f"{args.cards} cards, median of {args.repeat} rebuilds each")
        print(f"{'session':<14}{'edit':<7}{'seconds':>9}{'outputs reused':>18}")
        for dirty in (False, True):
            for kind, (seconds, reused, total) in session(project, dirty, args.repeat, args.check).items():
                print(
                    f"{'serve --dirty' if dirty else 'serve':<14}{kind:<7}{seconds:>9.2f}{f'{reused} of {total}':>18}"
                )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
