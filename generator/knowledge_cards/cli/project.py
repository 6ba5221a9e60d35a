"""Where a project keeps its cards and quizzes, read from mkdocs.yml without MkDocs.

`kcards` must agree with the build about folders, yet stay independent of
MkDocs; mkdocs.yml may hold `!!python/name:` tags, which are read as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class _TolerantLoader(yaml.SafeLoader):
    """Reads any tagged value (`!!python/name:...`, `!ENV ...`) as its plain text."""


def _tagged(loader: _TolerantLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("", _tagged)
_TolerantLoader.add_multi_constructor("!", _tagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


@dataclass(frozen=True)
class Project:
    """The folders of one Knowledge Cards project."""

    root: Path
    cards_dir: Path
    quizzes_dir: Path
    paths_file: Path
    templates_dir: Path
    """The theme's custom_dir `kcards/` folder: page fragments and scaffolding templates."""


def find_project(root: Path) -> Project:
    """Folders from `root/mkdocs.yml` (docs_dir, the plugin's quizzes_dir), else the defaults."""
    docs_dir, quizzes_dir, paths_file, custom_dir = "cards", "quizzes", "paths.yml", "site_overrides"
    config_file = root / "mkdocs.yml"
    if config_file.is_file():
        try:
            config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            config = {}
        if isinstance(config, dict):
            docs_dir = str(config.get("docs_dir") or docs_dir)
            theme = config.get("theme")
            if isinstance(theme, dict) and theme.get("custom_dir"):
                custom_dir = str(theme["custom_dir"])
            for plugin in config.get("plugins") or []:
                if isinstance(plugin, dict) and isinstance(plugin.get("knowledge-cards"), dict):
                    options = plugin["knowledge-cards"]
                    quizzes_dir = str(options.get("quizzes_dir") or quizzes_dir)
                    paths_file = str(options.get("paths_file") or paths_file)
    return Project(root, root / docs_dir, root / quizzes_dir, root / paths_file, root / custom_dir / "kcards")
