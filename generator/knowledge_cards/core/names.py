"""Names: a note's slug from its file name, and a link that names a note found as its editor finds it.

Cards are named by slug (`unit-economics.md`, `[[unit-economics]]`). Notes brought from Obsidian or
Foam are named by file name (`Unit Economics.md`, `[[Unit Economics]]`, `[[area/Unit Economics]]`).
Both are read: a file whose name is not a slug gets one derived from it (stable: the same name always
gives the same slug), and a link that is not a slug is looked up by file name, path, title or alias.

Two files whose names give one slug keep apart deterministically: the one nearest the root (then the
first in path order) keeps the slug, each other one gets its folders' names in front
(`area/Unit Economics.md` -> `area-unit-economics`), then a number if that is taken too. A folder
note (`area/index.md`, `area/README.md`) is named after its folder, so two `index.md` are two cards.

The ways a link finds a note are those Obsidian and Quartz name: `shortest` (a file name, wherever
the file is; a path where names are shared), `relative` (a path from the linking note's folder) and
`absolute` (a path from the root). Each also tries a file name when its own way finds nothing.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from .model import is_slug

STRATEGIES = ("shortest", "relative", "absolute")
FOLDER_NOTES = ("index", "readme")
"""File names (lower case, no `.md`) that make a note its folder's own card."""

# Anything that is not a letter or a digit, in any script: a hyphen in a slug.
_SEPARATORS = re.compile(r"[^\w]+|_+")


def slug_of(name: str) -> str:
    """The slug a name gives: accents dropped (`Café` -> `cafe`), letters lower case, every run of
    other characters one hyphen. Letters of other scripts are kept (`日本語` stays); a name with no
    letter or digit at all gives ''."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub("-", unicodedata.normalize("NFC", plain).lower()).strip("-")


def note_name(path: str) -> str:
    """A note's name as its editor shows it: the file name without `.md` (a folder note: its folder's)."""
    folder, file = posixpath.split(path)
    stem = file[: -len(".md")] if file.lower().endswith(".md") else file
    if stem.lower() in FOLDER_NOTES and folder:
        return posixpath.basename(folder)
    return stem


@dataclass(frozen=True)
class SlugClash:
    """A file whose name gives a slug another file has: where, whose, and the slug it got instead."""

    path: str
    other: str
    wanted: str
    given: str


@dataclass(frozen=True)
class Names:
    """Every card file's slug, and the lookups a link by name needs. Made from the file paths alone
    (before any file is read), so it is the same for every card of one build."""

    slug_of_path: dict[str, str]
    clashes: tuple[SlugClash, ...] = ()
    by_name: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Lower-case note name -> the paths of the notes with it, nearest the root first."""
    by_path: dict[str, str] = field(default_factory=dict)
    """Lower-case path without `.md` -> the path."""

    @classmethod
    def of(cls, paths: Iterable[str]) -> Names:
        """Slugs for `paths` (relative to the cards folder, posix), clashes resolved as the module says."""
        ordered = sorted(paths, key=lambda path: (path.count("/"), path.split("/")))
        slug_of_path: dict[str, str] = {}
        owner: dict[str, str] = {}
        clashes: list[SlugClash] = []
        exact = [path for path in ordered if is_slug(note_name(path)) and not _folder_note(path)]
        derived = [path for path in ordered if path not in set(exact)]
        for path in exact:  # a file already named by its slug keeps it (two are a duplicate: an error later)
            slug = note_name(path)
            slug_of_path[path] = slug
            owner.setdefault(slug, path)
        for path in derived:
            wanted = slug_of(note_name(path)) or "note"
            slug = wanted
            if slug in owner:
                folders = slug_of(posixpath.dirname(path).replace("/", " "))
                slug = f"{folders}-{wanted}" if folders else wanted
                number = 2
                while slug in owner:
                    slug = f"{folders + '-' if folders else ''}{wanted}-{number}"
                    number += 1
                clashes.append(SlugClash(path, owner[wanted], wanted, slug))
            slug_of_path[path] = slug
            owner[slug] = path
        by_name: dict[str, list[str]] = {}
        for path in ordered:
            by_name.setdefault(note_name(path).lower(), []).append(path)
        by_path = {path[: -len(".md")].lower(): path for path in ordered}
        return cls(slug_of_path, tuple(clashes), {name: tuple(found) for name, found in by_name.items()}, by_path)

    def slug_for(self, target: str, from_path: str, strategy: str = "shortest") -> str | None:
        """The slug of the note `target` names from `from_path` (find), or None."""
        found = self.find(target, from_path, strategy)
        return self.slug_of_path[found] if found is not None else None

    def find(self, target: str, from_path: str, strategy: str = "shortest") -> str | None:
        """The path of the note `target` names (`Note`, `folder/Note`, `../Note`, `/Note`, any case,
        `.md` or not), as `strategy` finds it from the note at `from_path`; None when no note is named so."""
        text = target.strip().replace("\\", "/")
        if text.lower().endswith(".md"):
            text = text[: -len(".md")]
        if not text:
            return None
        if text.startswith("/") or strategy == "absolute":
            found = self.by_path.get(posixpath.normpath(text.lstrip("/")).lower())
            if found or text.startswith("/"):
                return found
        if strategy == "relative" or text.startswith("."):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), text))
            found = self.by_path.get(joined.lower())
            if found or text.startswith("."):
                return found
        if "/" in text:  # a path: the notes whose path ends with it, the shortest first
            found = self.by_path.get(text.lower())
            if found:
                return found
            tail = "/" + text.lower()
            ends = [path for key, path in self.by_path.items() if ("/" + key).endswith(tail)]
            return min(ends, key=lambda path: (path.count("/"), path)) if ends else None
        candidates = self.by_name.get(text.lower())
        if not candidates:
            return None
        here = posixpath.dirname(from_path)
        beside = [path for path in candidates if posixpath.dirname(path) == here]
        return beside[0] if beside else candidates[0]  # the note beside the linking one, else the nearest the root


def _folder_note(path: str) -> bool:
    folder, file = posixpath.split(path)
    return bool(folder) and file[: -len(".md")].lower() in FOLDER_NOTES


def page_stem(path: str, slug: str) -> str:
    """Where a card's page goes, as a path without `.md` that the engine turns into a URL: its folders
    as slugs, then its slug (`My Area/Unit Economics.md` -> `my-area/unit-economics`); a folder note
    whose slug is its folder's is that folder's page (`pricing/index`). A card named with slugs already
    goes where its file is."""
    folders = [slug_of(part) or part for part in path.split("/")[:-1]]
    if note_name(path) != posixpath.basename(path)[: -len(".md")] and folders and slug == folders[-1]:
        return "/".join([*folders, "index"])
    return "/".join([*folders, slug])


_ID = re.compile(r"[\w:.-]+")


def is_anchor_id(anchor: str) -> bool:
    """Whether a link's anchor (without `#`) is an id as the page writes it (`at-a-glance`, `dup_1`):
    the engine checks those. Anything else names a heading by its text (`Heading One`) or a block
    (`^id`), as the notes' editor does."""
    return not anchor.startswith("^") and _ID.fullmatch(anchor) is not None and anchor == anchor.lower()


@dataclass(frozen=True)
class Attachments:
    """The notes' other files (images, PDFs), found as Obsidian finds an embed's file: by its path from
    the embedding note's folder, by its path from the root, else by its name wherever it is (nearest
    the root first)."""

    paths: frozenset[str] = frozenset()
    by_name: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, paths: Iterable[str]) -> Attachments:
        ordered = sorted(paths, key=lambda path: (path.count("/"), path.split("/")))
        by_name: dict[str, list[str]] = {}
        for path in ordered:
            by_name.setdefault(posixpath.basename(path).lower(), []).append(path)
        return cls(frozenset(ordered), {name: tuple(found) for name, found in by_name.items()})

    def relinked(self, url: str, from_path: str) -> str | None:
        """A Markdown link's or image's URL (`![](diagram.png)`) that names no file from the note's
        folder but a file by its name elsewhere, as Obsidian finds it: the URL to that file, relative to
        the note; None when the URL stands as it is."""
        if not url or url.startswith(("/", "#")) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
            return None
        path, _, fragment = url.partition("#")
        path = unquote(path)
        if path.lower().endswith(".md") or path in ("", "."):
            return None  # a note: the cards' links find those
        folder = posixpath.dirname(from_path)
        if posixpath.normpath(posixpath.join(folder, path)) in self.paths:
            return None
        found = self.find(path, from_path)
        if found is None:
            return None
        moved = quote(posixpath.relpath(found, folder or "."))
        return moved + ("#" + fragment if fragment else "")

    def find(self, target: str, from_path: str) -> str | None:
        """The file `target` names, seen from the note at `from_path`; None when there is none."""
        target = target.strip().lstrip("/")
        relative = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target))
        for candidate in (relative, posixpath.normpath(target)):
            if candidate in self.paths:
                return candidate
        found = self.by_name.get(posixpath.basename(target).lower())
        return found[0] if found else None
