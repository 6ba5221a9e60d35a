"""Where a build's CPU time goes: each plugin's events, Markdown conversion, templates, writing.

    python benchmarks/phases.py PROJECT_DIR [--profile N]

Runs `mkdocs build` in-process on an existing project (for example one written
by generate.py), timing every plugin event by plugin, and the stages MkDocs
itself runs per page. With --profile it also prints the N functions with the
most cumulative time (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import logging
import os
import pstats
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)
PAGES: dict[str, float] = defaultdict(float)


def per_page(function: Callable[..., Any]) -> Callable[..., Any]:
    """Charge a page stage's time to the page too, to find the slowest pages."""

    @functools.wraps(function)
    def wrapper(page: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(page, *args, **kwargs)
        finally:
            PAGES[page.file.src_uri] += time.process_time() - start

    return wrapper


def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[label] += time.process_time() - start

    return wrapper


def instrument(config: Any) -> None:
    """Wrap every plugin event so its time is charged to its plugin."""
    plugins = config.plugins
    for event, methods in plugins.events.items():
        wrapped = []
        for method in methods:
            origin = plugins._event_origins.get(method, "?")
            new = timed(f"plugin {origin}: {event}", method)
            plugins._event_origins[new] = origin
            wrapped.append(new)
        plugins.events[event] = wrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--own",
        action="store_true",
        help="print only: total CPU s, knowledge-cards CPU s (this process), CPU s of its worker process",
    )
    args = parser.parse_args()
    os.chdir(args.project)
    logging.basicConfig(level=logging.ERROR)

    Page.read_source = timed("read sources", Page.read_source)  # type: ignore[method-assign]
    Page.render = timed("markdown", per_page(Page.render))  # type: ignore[method-assign]
    mkdocs_build._build_page = timed(  # type: ignore[attr-defined]
        "template render + write (incl. page_context, post_page)", per_page(mkdocs_build._build_page)
    )

    config = load_config("mkdocs.yml", site_dir=str(args.project / "site-phases"))
    config.plugins.on_startup(command="build", dirty=False)
    instrument(config)
    profiler = cProfile.Profile() if args.profile else None
    start = time.process_time()
    if profiler:
        profiler.enable()
    mkdocs_build.build(config)
    if profiler:
        profiler.disable()
    total = time.process_time() - start
    config.plugins.on_shutdown()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker = children.ru_utime + children.ru_stime  # background.py's process, which renders generated sections

    if args.own:
        own = sum(seconds for label, seconds in TIMES.items() if label.startswith("plugin knowledge-cards"))
        print(f"{total:.3f} {own:.3f} {worker:.3f}")
        return
    print(f"total build: {total:.2f} s of CPU time, and {worker:.2f} s in the plugin's worker process")
    for label, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<48} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    slowest = sorted(PAGES.items(), key=lambda kv: -kv[1])[:8]
    print("slowest pages (markdown + template): " + ", ".join(f"{src} {seconds:.2f} s" for src, seconds in slowest))
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
