"""Bounded work: `kcards check` on 1 MB hostile inputs, each in a fresh process, with its time and memory.

    python benchmarks/bounded_inputs.py [--size 1000000]

Each case is a small project whose one hostile file is about `--size` bytes (a card, a quiz or the
paths file). The targets (issue 19): at most 2 s and 200 MB of peak memory per check, every case
ending with `path:line:col:` lines or a clean summary, never a traceback. The figures go in
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from run import ROOT

TARGET_SECONDS = 2.0
TARGET_MB = 200.0
HEAD = "---\ntitle: Hostile\nsummary: One file of about a megabyte.\n---\n"


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


CASES: dict[str, Callable[[int], dict[str, str]]] = {
    "one long line of [[": lambda n: {"cards/a.md": HEAD + _repeat("[[", n)},
    "wiki links, 1 per 12 bytes": lambda n: {"cards/a.md": HEAD + _repeat("[[missing]] ", n)},
    "inline links to .md": lambda n: {"cards/a.md": HEAD + _repeat("[x](gone.md) ", n)},
    "Markdown links and images": lambda n: {"cards/a.md": HEAD + _repeat("[x](a.png) ![y](b.png)\n", n)},
    "unclosed HTML comments": lambda n: {"cards/a.md": HEAD + _repeat("<!-- ", n)},
    "backtick runs": lambda n: {"cards/a.md": HEAD + _repeat("`` ` ``` ", n)},
    "fences opened, never closed": lambda n: {"cards/a.md": HEAD + _repeat("```\n~~~\n", n)},
    "nested quotes and lists": lambda n: {"cards/a.md": HEAD + _repeat("> - > 1. ", n) + "\n"},
    "indented code": lambda n: {"cards/a.md": HEAD + _repeat("    [[x]] `y`\n", n)},
    "headings": lambda n: {"cards/a.md": HEAD + _repeat("## Heading [[x]]\n", n)},
    "footnotes": lambda n: {"cards/a.md": HEAD + _repeat("[^1]: note\n", n)},
    "front matter keys": lambda n: {
        "cards/a.md": "---\ntitle: A\nsummary: S\n" + "".join(f"key{i}: value\n" for i in range(n // 16)) + "---\n"
    },
    "front matter flow list": lambda n: {
        "cards/a.md": "---\ntitle: A\nsummary: S\ntags: [" + _repeat("t, ", n) + "]\n---\n"
    },
    "YAML aliases": lambda n: {
        "cards/a.md": "---\ntitle: A\nsummary: S\nx: &a [1]\nrelated: [" + _repeat("*a, ", n) + "]\n---\n"
    },
    "YAML nesting": lambda n: {
        "cards/a.md": "---\ntitle: A\nsummary: S\nx: " + "[" * (n // 2) + "]" * (n // 2) + "\n---\n"
    },
    "long number": lambda n: {"cards/a.md": f"---\ntitle: A\nsummary: S\nyear: {'9' * n}\n---\n"},
    "quiz of many questions": lambda n: {
        "cards/a.md": HEAD,
        "quizzes/a.yml": "questions:\n"
        + _repeat("  - type: single\n    prompt: Why?\n    options:\n      - text: A\n        correct: true\n", n),
    },
    "paths of many steps": lambda n: {
        "cards/a.md": HEAD,
        "paths.yml": "paths:\n  - id: p\n    title: P\n    cards:\n" + _repeat("      - missing\n", n),
    },
}

CONFIG = "site_name: Bounded\ndocs_dir: cards\ntheme:\n  name: material\nplugins:\n  - knowledge-cards\n"
PROBE = (
    "import resource, subprocess, sys, time, json\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps({'seconds': time.perf_counter() - start, 'kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
    " 'code': done.returncode, 'out': done.stdout[:400], 'err': done.stderr[-400:]}))\n"
)


def run_case(files: dict[str, str], folder: Path) -> dict[str, object]:
    (folder / "cards").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    kcards = [sys.executable, "-m", "knowledge_cards.cli.main", "--project", str(folder), "check"]
    try:
        probe = subprocess.run([sys.executable, "-c", PROBE, *kcards], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        result: dict[str, object] = {"seconds": 60.0, "kb": 0, "code": "-", "out": "", "err": "(stopped after 60 s)"}
    else:
        result = json.loads(probe.stdout)
    result["bytes"] = sum(len(text.encode()) for text in files.values())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    print(
        f"kcards check, one hostile file of about {args.size:,} bytes each (targets: {TARGET_SECONDS} s, {TARGET_MB:.0f} MB)"
    )
    print(f"{'case':32} {'bytes':>10} {'seconds':>8} {'peak MB':>8}  exit  within  first line")
    over = 0
    with tempfile.TemporaryDirectory() as tmp:
        for number, (name, make) in enumerate(CASES.items()):
            result = run_case(make(args.size), Path(tmp) / str(number))
            mb = float(result["kb"]) / 1024  # type: ignore[arg-type]
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            traceback = "Traceback" in str(result["err"]) + str(result["out"])
            within = seconds <= TARGET_SECONDS and mb <= TARGET_MB and not traceback
            over += not within
            lines = (str(result["out"]) + str(result["err"])).strip().splitlines()
            first = re.sub(r"^\S*?cards/", "cards/", lines[0])[:90] if lines else ""
            print(
                f"{name:32} {result['bytes']:>10,} {seconds:>8.2f} {mb:>8.1f}  {result['code']:>4}  "
                f"{'yes' if within else 'NO':>6}  {first}"
            )
    print(f"{len(CASES) - over} of {len(CASES)} cases within the targets")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "generator"))
    main()
