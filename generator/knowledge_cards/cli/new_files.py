"""New files written whole or not at all, and never over an existing file.

`kcards new`, `init` and `import-gift` create the instructor's files. A plain `open("x")` then
`write` leaves a truncated card on a full disk (which then passes `check`), so each file is written
to a temporary file in the same folder, flushed to disk, and linked into place: `os.link` fails if the
name exists (no race can overwrite) and the file appears complete or not at all.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def create(path: Path, text: str) -> None:
    """Write `text` to the new file `path`. Raises FileExistsError if it exists, OSError if it cannot
    be written (then nothing is left behind)."""
    made = []  # the folders this call makes, deepest first: taken back if the file is not written
    for folder in [path.parent, *path.parent.parents]:
        if folder.exists():
            break
        made.append(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.link(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    with contextlib.suppress(OSError):  # the new name itself on disk; not every system allows it
        handle = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def create_all(files: list[tuple[Path, str]]) -> None:
    """Create every file, or none: the ones already written are taken back when one fails."""
    written: list[Path] = []
    try:
        for path, text in files:
            create(path, text)
            written.append(path)
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
