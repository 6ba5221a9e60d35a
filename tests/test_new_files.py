"""`kcards` writes whole files or none: a full disk or a file in the way leaves nothing behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import write_tree
from knowledge_cards.cli import new_files
from knowledge_cards.cli.main import main

CONFIG = "site_name: T\ndocs_dir: cards\nplugins:\n  - knowledge-cards\n"


def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"mkdocs.yml": CONFIG, "cards/a.md": "---\ntitle: A\nsummary: S\n---\nx\n"})
    return tmp_path


def everything(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_a_full_disk_leaves_no_card_and_no_quiz(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(tmp_path)
    before = everything(root)
    real_fsync = os.fsync

    def full(fd: int) -> None:  # the card is written; the quiz is not
        if ".pricing.yml." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(new_files.os, "fsync", full)
    code = main(["--project", str(root), "new", "pricing", "--quiz"])
    assert code == 2
    assert capsys.readouterr().err.strip().endswith("No space left on device; nothing written")
    assert everything(root) == before  # neither the card, nor a partial quiz, nor a temporary file
    monkeypatch.undo()
    assert main(["--project", str(root), "new", "pricing", "--quiz"]) == 0  # and a retry works
    assert (root / "cards" / "pricing.md").read_text().startswith('---\ntitle: "Pricing"\n')


def test_a_quizzes_file_in_the_way_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = project(tmp_path)
    (root / "quizzes").write_text("not a folder\n")
    before = everything(root)
    assert main(["--project", str(root), "new", "pricing", "--quiz"]) == 2
    err = capsys.readouterr().err
    assert "nothing written" in err and "Traceback" not in err
    assert everything(root) == before


def test_create_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_text("mine\n")
    with pytest.raises(FileExistsError):
        new_files.create(target, "theirs\n")
    assert target.read_text() == "mine\n" and everything(tmp_path) == ["x.md"]
