"""Does the build's worker process pay? `mkdocs build` of one synthetic base with it and without it.

    python benchmarks/fast_paths.py [--cards 1000] [--repeat 6] [--seed 1]

Two variants, built in turn `--repeat` times: the default, whose forked worker renders the generated
sections alongside (background.py), and `background_pages: 0`, which renders them all in the build's
process. Prints each variant's median and fastest wall time and its median CPU time (the build's
process and its worker), then the worker's gain: the median, over the rounds, of the time it saves
over the build without it in the same round (paired: this VM's speed drifts from round to round more
than the worker gains). Session 6 also measured `gc.freeze` this way, and removed it (RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from run import OURS, ROOT

BIN = Path(sys.executable).parent
VARIANTS = {"worker": "", "no worker": "      background_pages: 0\n"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        generate(project, args.cards, args.seed)
        for _ in range(args.repeat):
            for name, options in VARIANTS.items():
                text = OURS.format(overrides=ROOT / "site_overrides")
                if options:
                    text = text.replace("  - knowledge-cards\n", "  - knowledge-cards:\n" + options)
                (project / "mkdocs.yml").write_text(text)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(
                    [str(BIN / "mkdocs"), "build", "-q", "-d", "site-bench"],
                    cwd=project,
                    env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                    check=True,
                    capture_output=True,
                )
                times[name].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"{args.cards} cards, {args.repeat} rounds of the two builds, on {os.cpu_count()} cores")
    for name, runs in times.items():
        print(
            f"  {name:<10} wall median {statistics.median(runs):6.2f} s, fastest {min(runs):6.2f} s; "
            f"CPU median {statistics.median(cpu[name]):6.2f} s  (wall: {' '.join(f'{t:.2f}' for t in runs)})"
        )
    on, off = "worker", "no worker"
    wall = statistics.median(100 * (b - a) / b for a, b in zip(times[on], times[off], strict=True))
    cpus = statistics.median(100 * (b - a) / b for a, b in zip(cpu[on], cpu[off], strict=True))
    print(f"  the worker saves {wall:.1f} % of the wall time, {cpus:.1f} % of the CPU time (paired medians)")


if __name__ == "__main__":
    main()
