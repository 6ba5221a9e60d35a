"""`kcards init DIR`: a new knowledge base that builds and serves at once.

It writes a config file, one example card showing every section and callout, its quiz, a second card under it, a learning
path and a README for the team, from the package's `templates/init/`. It never overwrites: every
file is checked first, and each is created with "x" (exclusive) mode, so nothing is written when
any of them exists already. `--from NOTES` makes a site whose cards are a folder of notes (an Obsidian
vault, a Foam workspace), pointed at where they are: they are never copied, rewritten or moved.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..core.frontmatter import split_front_matter
from ..render.templates import PACKAGE_TEMPLATES
from .new_files import create_all

EXAMPLE_SLUG = "concept-cards"


@dataclass(frozen=True)
class PlannedFile:
    """A file `init` will write: where (relative to the new project) and what."""

    path: str
    text: str


class InitError(Exception):
    """Why nothing was written: one line for the user."""


def plan(
    site_name: str, notes: str | None = None, keys_namespace: bool = False, own_keys: list[str] | None = None
) -> list[PlannedFile]:
    """Every file of a new knowledge base named `site_name`, rendered from the package's templates.
    With `notes` (a folder, as the config file will name it): a site whose cards are those notes, read
    where they are, and no example cards."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES / "init")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML and Markdown: values that need quoting are passed quoted (site_name_yaml)
    )
    context = {
        "site_name": site_name,
        "site_name_yaml": json.dumps(site_name, ensure_ascii=False),
        "notes": notes or "",
        "notes_yaml": json.dumps(notes or "", ensure_ascii=False),
        "keys_namespace": keys_namespace,
        "own_keys": json.dumps(own_keys or [], ensure_ascii=False),
        "has_own_keys": bool(own_keys),
    }
    if notes:
        files = {"mkdocs.yml": "mkdocs.yml.j2", "README.md": "README_notes.md.j2", ".gitignore": "gitignore.j2"}
    else:
        files = {
            "mkdocs.yml": "mkdocs.yml.j2",
            f"docs/{EXAMPLE_SLUG}.md": "example_card.md.j2",
            "docs/learning-paths.md": "second_card.md.j2",
            f"quizzes/{EXAMPLE_SLUG}.yml": "example_quiz.yml.j2",
            "paths.yml": "paths.yml.j2",
            "README.md": "README.md.j2",
            ".gitignore": "gitignore.j2",
        }
    return [PlannedFile(path, env.get_template(template).render(context)) for path, template in files.items()]


_TOP_KEY = re.compile(r"^([A-Za-z_][\w -]*?)\s*:(?:\s|$)", re.MULTILINE)


def notes_own_keys(notes: Path, limit: int = 5000) -> list[str]:
    """The top-level front-matter keys the notes use that neither the cards nor other known tools do
    (`mobile:` in Obsidian's help vault): the site lists them as its own, so they pass quietly."""
    from ..core.keys import CARD_KEYS, ENGINE_KEYS, FOREIGN_KEYS

    known = {*CARD_KEYS, *ENGINE_KEYS, *FOREIGN_KEYS, "aliases", "permalink", "kcards"}
    found: set[str] = set()
    for _, text in _front_matters(notes, limit):
        found.update(key for key in _TOP_KEY.findall(text) if key not in known)
    return sorted(found)[:50]


def _front_matters(notes: Path, limit: int) -> list[tuple[Path, str]]:
    """The front matter (the text between the `---` lines) of up to `limit` notes, hidden folders left out."""
    found = []
    for count, path in enumerate(sorted(notes.rglob("*.md"))):
        if count >= limit:
            break
        if any(part.startswith(".") for part in path.relative_to(notes).parts):
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")[:20000]
        except (OSError, UnicodeDecodeError):
            continue
        split = split_front_matter(text)
        if split.yaml_text is not None:
            found.append((path, split.yaml_text))
    return found


_OWN_STATUS = re.compile(r"^(status|related|parent|explore|loop|sources|prerequisites)\s*:\s*(.*)$", re.MULTILINE)


def notes_keep_keys_of_their_own(notes: Path, limit: int = 5000) -> bool:
    """Whether the notes use a card key for something else (`status: in progress`, `related: [[x]]`):
    then the site reads the card keys from a `kcards:` mapping instead. Front matter only; at most
    `limit` notes are looked at."""
    for _, text in _front_matters(notes, limit):
        for key, value in _OWN_STATUS.findall(text):
            value = value.strip().strip("'\"")
            if key == "status" and value and value not in ("complete", "draft", "stub"):
                return True
            if key != "status" and "[[" in value:
                return True
    return False


def notes_folder(target: Path, notes: Path) -> str:
    """How the new config file names the notes folder: relative to it where it can be."""
    if not notes.is_dir():
        raise InitError(f"no folder of notes at {notes}; nothing written")
    if target.resolve().is_relative_to(notes.resolve()):
        raise InitError(f"the site folder {target} must not be inside the notes folder {notes}; nothing written")
    try:
        return Path(os.path.relpath(notes.resolve(), target.resolve())).as_posix()
    except ValueError:  # another drive
        return notes.resolve().as_posix()


def site_name_for(folder: Path) -> str:
    """A readable site name from the folder's name: `team-site` -> `Team Site`."""
    words = folder.resolve().name.replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Knowledge Cards"


def write_project(target: Path, files: list[PlannedFile]) -> list[Path]:
    """Write `files` under `target`, or nothing at all if any of them (or a config file) exists."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} exists and is not a folder; nothing written")
    clashes = [target / f.path for f in files if os.path.lexists(target / f.path)]
    clashes += [
        target / name for name in ("properdocs.yml", "mkdocs.yaml", "properdocs.yaml") if (target / name).exists()
    ]
    if clashes:
        names = ", ".join(path.as_posix() for path in clashes[:3]) + (
            f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
        )
        raise InitError(f"{names} already exist{'s' * (len(clashes) == 1)}; nothing written (init never overwrites)")
    planned = [(target / file.path, file.text) for file in files]
    try:
        create_all(planned)  # a half-made project would pass for a whole one: all files or none
    except OSError as exc:
        raise InitError(f"cannot write {exc.filename or target}: {exc.strerror or exc}; nothing written") from None
    return [path for path, _ in planned]
