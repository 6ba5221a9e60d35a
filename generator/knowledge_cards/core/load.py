"""Stage 1, load: read card files into front matter data and a body, nothing more."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .frontmatter import LocatedYaml, YamlError, load_yaml, split_front_matter
from .problems import Code, Problem, error


@dataclass(frozen=True)
class RawCard:
    """A card file read and parsed, before its front matter is checked."""

    path: str
    """Path relative to the cards folder, posix style."""
    display_path: str
    """Path as shown in diagnostics (relative to where the user runs)."""
    meta: LocatedYaml
    body: str
    body_line: int


def read_text(file: Path, display: str, what: str = "this file") -> tuple[str | None, list[Problem]]:
    """Read UTF-8 text (a BOM is allowed; CR LF and lone CR line endings read as LF, so lines are
    counted as an editor shows them); undecodable bytes or an unreadable file are one error."""
    try:
        data = file.read_bytes()
    except OSError as exc:  # removed while a rebuild runs, a folder named like a card, no permission
        return None, [error(display, 1, Code.DECODE, f"cannot read {what}: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(
                display, line, Code.DECODE, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_card(text: str, path: str, display: str) -> tuple[RawCard | None, list[Problem]]:
    """Split and parse one card's text; problems instead of exceptions. A file without front matter
    (a note as Obsidian or Foam keep one, or an empty file) is a card whose keys all come from elsewhere."""
    split = split_front_matter(text)
    if split.unclosed:
        return None, [
            error(
                display,
                1,
                Code.NO_FRONT_MATTER,
                "front matter opened with '---' on line 1 is never closed: add a line '---' after it",
            )
        ]
    if split.yaml_text is None:  # a note as its editor keeps it: no front matter, or an empty file
        meta = LocatedYaml({}, {})
        return _checked_body(RawCard(path, display, meta, split.body, split.body_line))
    try:
        meta = load_yaml(split.yaml_text, split.yaml_line)
    except YamlError as exc:
        return None, [error(display, exc.line, Code.YAML, f"invalid YAML in front matter: {exc.message}")]
    if meta.data is None:  # `---` then `---`: no keys
        meta = LocatedYaml({}, {})
    if not isinstance(meta.data, dict):
        kind = f"a {_yaml_kind(meta.data)}"
        return None, [
            error(
                display,
                split.yaml_line,
                Code.NOT_MAPPING,
                f"front matter must be a mapping of keys to values, not {kind}",
            )
        ]
    return _checked_body(RawCard(path, display, meta, split.body, split.body_line))


def _checked_body(raw: RawCard) -> tuple[RawCard | None, list[Problem]]:
    """The card, or one error when its body nests deeper than Markdown's reader can follow."""
    deep = _too_deep(raw.body)
    if deep is not None:
        line, what = deep
        return None, [
            error(
                raw.display_path,
                raw.body_line + line,
                Code.BAD_VALUE,
                f"{what}; Markdown's reader nests by recursion and cannot read this (at most {MAX_NESTING} levels)",
            )
        ]
    return raw, []


MAX_NESTING = 40
"""Lists, quotes and indented blocks nested deeper than this cannot be converted (python-markdown
recursed out of its stack on 600 nested list markers): one error, instead of a traceback."""
# A line's nesting: its leading blanks (4 columns a level, tabs as 4) and its quote markers.
_INDENT = re.compile(r"^[ \t>]*")


def _too_deep(body: str) -> tuple[int, str] | None:
    """The first line of `body` nested deeper than MAX_NESTING (0-based), and how, or None."""
    if (
        "\n" + " " * (4 * MAX_NESTING) not in body
        and "\t" not in body
        and ">" * MAX_NESTING not in body.replace(" ", "")
    ):
        return None  # the common case, checked without looking at every line
    for number, text in enumerate(body.split("\n")):
        lead = _INDENT.match(text)
        prefix = lead.group(0) if lead else ""
        quotes = prefix.count(">")
        columns = len(prefix.replace(">", "").replace("\t", "    "))
        if quotes > MAX_NESTING:
            return number, f"quotes nested {quotes} deep"
        if columns > 4 * MAX_NESTING:
            return number, f"a line indented {columns} columns ({(columns + 3) // 4} levels)"
    return None


def _yaml_kind(value: Any) -> str:
    """A reader's name for a YAML value's type."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def card_files(cards_dir: Path) -> list[Path]:
    """Every card file under `cards_dir`, in a stable order (folder by folder, as paths sort)."""
    return scan_cards(cards_dir, "")[0]


def scan_cards(
    cards_dir: Path, shown_dir: str, attachments: list[str] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Every card file under `cards_dir`, in a stable order (folder by folder, as paths sort), and a
    problem for each Markdown entry that is not published.

    Hidden files and folders (`.trash/`, `.obsidian/`) are skipped, as MkDocs skips them. A symbolic
    link is followed only when it stays inside `cards_dir` (a link to `/etc/shadow` would publish it);
    folders are never followed through links (a loop would never end). A dangling link or a special
    file (a FIFO blocks whoever reads it) is reported, never read. Found with os.scandir, which knows
    each entry's type without a stat: `Path.rglob` took 0.17 s of a 1,000-card serve rebuild. The other
    plain files (images a note embeds) go in `attachments`, relative to `cards_dir`, when it is given."""
    found: list[str] = []
    problems: list[Problem] = []
    root = os.path.realpath(cards_dir)
    folders = [os.fspath(cards_dir)]

    def refuse(entry: os.DirEntry[str], why: str) -> None:
        shown = posixpath.join(shown_dir, os.path.relpath(entry.path, cards_dir).replace(os.sep, "/"))
        problems.append(error(shown, 1, Code.UNSAFE_FILE, f"{why}; it is not read or published"))

    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif not entry.name.endswith(".md"):
                    if attachments is not None and entry.is_file(follow_symlinks=False):
                        attachments.append(os.path.relpath(entry.path, cards_dir).replace(os.sep, "/"))
                    continue
                elif entry.is_file(follow_symlinks=False):
                    found.append(entry.path)  # most cards: a plain file, known without a stat
                elif entry.is_symlink() and os.path.isdir(entry.path):
                    refuse(entry, "a symbolic link to a folder, named like a card")
                else:
                    why = unsafe_reason(entry.path, root, "the cards folder")
                    if why is None:
                        found.append(entry.path)
                    else:
                        refuse(entry, why)
    return [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))], problems


def unsafe_reason(path: str, root: str, where: str) -> str | None:
    """Why the file at `path` must not be read or published, or None: a symbolic link to nothing or
    out of `root` (named `where`), or a special file (a FIFO blocks whoever reads it)."""
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return "a symbolic link to nothing (dangling, or a loop)"
    if os.path.commonpath([root, target]) != root:
        return f"a symbolic link out of {where}, to {target}"
    if not os.path.isfile(target):
        return "a special file (a FIFO, socket or device), not a regular file"
    return None


def cards_subfolder(value: object) -> str:
    """The plugin's `cards_dir` as a clean relative folder ('' for the whole docs_dir)."""
    text = str(value or "").strip().strip("/")
    parts = [part for part in PurePosixPath(text).parts if part not in ("", ".")]
    return "/".join(parts)
