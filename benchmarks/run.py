"""Build synthetic knowledge bases with and without our plugin and print the figures side by side.

    python benchmarks/run.py [--sizes 100 1000 5000] [--seed 1] [--repeat N]

For each size: our full build (mkdocs build with the knowledge-cards plugin), a plain
MkDocs + Material build of the same Markdown without the plugin (same theme, features,
Markdown extensions and mermaid fence; nav from folders, pruned), `kcards check`, peak
memory of each, ours/plain (of the fastest runs, and "paired": the median over the
repeats of each ours/plain pair built one after the other), and our own share of the build, measured in a third,
instrumented build (phases.py; the median of --repeat such builds): "own work" is the CPU time of the plugin's events (load,
validate, graph, generated parts) over the build's, in the build's process; "own CPU"
adds the worker process that renders generated sections alongside (background.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

OURS = """\
site_name: Benchmark
site_url: http://127.0.0.1:8000/
docs_dir: cards
theme:
  name: material
  custom_dir: {overrides}
  font: false
  features: [navigation.instant, navigation.prune]
plugins:
  - search
  - knowledge-cards
markdown_extensions:
  - admonition
  - attr_list
  - footnotes
  - md_in_html
  - tables
  - toc
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""
PLAIN = OURS.replace("  - knowledge-cards\n", "").replace("custom_dir: {overrides}\n  ", "")


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MiB) of one command, via GNU time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr[-2000:]}")
    peak_kib = int(re.findall(r"^(\d+)$", proc.stderr, re.MULTILINE)[-1])
    return elapsed, peak_kib // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="build ours and plain this many times, in turn, and keep each one's fastest (a VM's speed drifts)",
    )
    args = parser.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    header = (
        f"{'cards':>6} | {'ours s':>7} | {'plain s':>7} | {'ours/plain':>10} | {'paired':>6} | {'own work':>8} | "
        f"{'own CPU':>7} | "
        f"{'check s':>7} | "
        f"{'ours MiB':>8} | {'plain MiB':>9} | {'check MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            generate(project, size, args.seed)
            runs: dict[str, list[tuple[float, int]]] = {"ours": [], "plain": [], "check": []}
            for _ in range(args.repeat):
                (project / "mkdocs.yml").write_text(OURS.format(overrides=ROOT / "site_overrides"))
                runs["ours"].append(timed([str(BIN / "mkdocs"), "build", "-q", "-d", "site-ours"], project))
                (project / "mkdocs.yml").write_text(PLAIN)
                runs["plain"].append(timed([str(BIN / "mkdocs"), "build", "-q", "-d", "site-plain"], project))
                (project / "mkdocs.yml").write_text(OURS.format(overrides=ROOT / "site_overrides"))
                runs["check"].append(timed([str(BIN / "kcards"), "check"], project))
            # This VM's speed drifts within a run: each ours/plain pair built one after the other, and its median.
            paired = statistics.median(o / p for (o, _), (p, _) in zip(runs["ours"], runs["plain"], strict=True))
            (ours, ours_mem), (plain, plain_mem), (check, check_mem) = (
                (min(t for t, _ in runs[k]), max(m for _, m in runs[k])) for k in ("ours", "plain", "check")
            )
            own_shares, own_cpu_shares = [], []
            for _ in range(args.repeat):  # one instrumented build varies as much as the timed ones: a median
                phases = subprocess.run(
                    [sys.executable, str(Path(__file__).with_name("phases.py")), str(project), "--own"],
                    env=ENV,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                total_cpu, own_cpu, worker_cpu = (float(x) for x in phases.stdout.split()[-3:])
                own_shares.append(100 * own_cpu / total_cpu)
                own_cpu_shares.append(100 * (own_cpu + worker_cpu) / (total_cpu + worker_cpu))
        print(
            f"{size:>6} | {ours:>7.1f} | {plain:>7.1f} | {ours / plain:>10.2f} | {paired:>6.2f} | "
            f"{statistics.median(own_shares):>7.1f}% | "
            f"{statistics.median(own_cpu_shares):>6.1f}% | "
            f"{check:>7.2f} | {ours_mem:>8} | {plain_mem:>9} | {check_mem:>9}",
            flush=True,
        )


if __name__ == "__main__":
    main()
