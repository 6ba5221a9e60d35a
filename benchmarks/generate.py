"""A synthetic knowledge base of N cards, deterministic by seed, for benchmarks.

Each card has ~800 words, front-matter links (parent, prerequisites, explore,
related), body links (some to missing cards), a hand-written mermaid block,
a loop diagram on every fifth card and a quiz on every third.

    python benchmarks/generate.py OUT_DIR --cards 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = (
    "value chain customer order stock supplier margin channel checkout delivery return service data team "
    "product price review search catalogue brand market payment refund warehouse carrier loyalty retention"
).split()


def sentence(rng: random.Random, length: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 6) -> str:
    return " ".join(sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def generate(out: Path, cards: int, seed: int = 1) -> None:
    """Write mkdocs.yml, cards/ and quizzes/ for `cards` synthetic cards into `out`."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "cards").mkdir(parents=True)
    (out / "quizzes").mkdir()
    slugs = [f"concept-{i:05d}" for i in range(cards)]
    areas = max(1, cards // 50)
    for i, slug in enumerate(slugs):
        area = f"area-{i % areas:03d}"
        parent = slugs[(i - 1) // 8] if i else None  # a tree: each card has up to 8 children
        earlier = slugs[:i] or [slug]
        explore = [rng.choice(slugs) for _ in range(3)] + [f"missing-{rng.randint(0, cards // 4)}"]
        related = [rng.choice(earlier)]
        lines = ["---", f"title: Concept {i} {rng.choice(WORDS).title()}", f"summary: {sentence(rng)}"]
        if parent:
            lines += [f"parent: {parent}", f"prerequisites: [{parent}]"]
        lines.append("explore:")
        lines += [f"  - {target}: {sentence(rng, 6)}" for target in dict.fromkeys(explore) if target != slug]
        lines.append("related:")
        lines += [f"  - {target}: {sentence(rng, 5)}" for target in related if target != slug] or ["  []"]
        lines.append(f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]")
        if i % 5 == 0:
            lines += [
                "loop:",
                "  stages: [Plan, Build, Measure, Learn]",
                "  feedback:",
                "    - {from: Learn, to: Plan, label: feedback}",
            ]
        lines.append("---")
        body = ["## What is it?", "", paragraph(rng), "", "!!! plain", "    " + paragraph(rng, 2), ""]
        for section in ("How does it work?", "Why do we use it?", "When do we use it?"):
            body += [f"## {section}", "", paragraph(rng), "", paragraph(rng), ""]
        links = [rng.choice(slugs) for _ in range(4)] + [f"missing-{rng.randint(0, cards // 4)}"]
        body += ["See " + ", ".join(f"[[{target}]]" for target in links) + ".", ""]
        body += ["```mermaid", "graph LR", '  a["Start"] --> b["Middle"] --> c["End"]', "```", ""]
        body += ["!!! rule", "    " + sentence(rng), ""]
        path = out / "cards" / area / f"{slug}.md"
        path.parent.mkdir(exist_ok=True)
        text = "\n".join(lines) + "\n" + "\n".join(body)
        path.write_text(text.replace("related:\n  []", "related: []"), encoding="utf-8")
        if i % 3 == 0:
            (out / "quizzes" / f"{slug}.yml").write_text(
                "questions:\n"
                "  - type: single\n    prompt: Which is right?\n    options:\n"
                "      - {text: This one, correct: true, feedback: Yes}\n      - {text: That one, feedback: No}\n"
                "  - type: reflect\n    prompt: Why?\n    answer: Because.\n",
                encoding="utf-8",
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.cards, args.seed)


if __name__ == "__main__":
    main()
