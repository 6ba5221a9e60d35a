"""Where a project keeps its cards and quizzes, read from its config file as the engine reads it.

`kcards` must agree with the build about folders, yet stay independent of the engine. It looks for
the config file as ProperDocs does (`properdocs.yml`, `properdocs.yaml`, `mkdocs.yml`, `mkdocs.yaml`;
MkDocs reads only the last two), follows `INHERIT:`, and takes `docs_dir` with the engines' default,
`docs`. Tagged values (`!!python/name:...`, `!ENV ...`) are read as plain text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.load import cards_subfolder
from ..core.model import DEFAULT_CONVENTIONS, Conventions

CONFIG_FILES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")
"""Config file names, in the order ProperDocs tries them (MkDocs tries the last two)."""

PLUGIN = "knowledge-cards"


class ProjectError(Exception):
    """A config file that cannot be read as a project: the message is one diagnostic line."""


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
    templates_dir: Path | None
    """The theme's custom_dir `kcards/` folder (None without a custom_dir): the site's own page fragments
    and scaffolding templates, over the package's."""
    config_file: Path | None = None
    docs_dir: Path | None = None
    """The engine's docs_dir (cards_dir is it, or a folder inside it)."""
    conventions: Conventions = DEFAULT_CONVENTIONS
    """How the notes are read (the plugin's link_resolution, keys_namespace and own_keys)."""

    def other_files(self) -> frozenset[str]:
        """The site's files outside cards_dir, relative to it (`../guide/setup.md`), as the build sees them:
        a card may link to them."""
        docs, cards = self.docs_dir, self.cards_dir
        if docs is None or not docs.is_dir() or cards.resolve() == docs.resolve():
            return frozenset()
        found = set()
        for folder, subfolders, names in os.walk(docs):
            if Path(folder).resolve() == cards.resolve():
                subfolders[:] = []
                continue
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in names:
                found.add(os.path.relpath(os.path.join(folder, name), cards).replace(os.sep, "/"))
        return frozenset(found)


def find_config_file(root: Path) -> Path | None:
    """The config file the engines would read in `root`, or None."""
    return next((root / name for name in CONFIG_FILES if (root / name).is_file()), None)


def read_config(config_file: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The config as a plain mapping, `INHERIT:` merged in as MkDocs merges it (mappings key by key)."""
    shown = config_file.as_posix()
    if config_file.resolve() in _seen:
        raise ProjectError(f"{shown}:1:1: error: INHERIT loops back to this file")
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise ProjectError(f"{shown}:{line}:{column}: error: not valid YAML: {exc.problem or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        raise ProjectError(f"{shown}:1:1: error: cannot read the config file: {exc}") from None
    if not isinstance(config, dict):
        raise ProjectError(f"{shown}:1:1: error: the config file must be a mapping of settings")
    parent = config.pop("INHERIT", None)
    if isinstance(parent, str):
        base = read_config(config_file.parent / parent, (*_seen, config_file.resolve()))
        config = _merged(base, config)
    return config


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` over `base`: mappings merged key by key, anything else replaced."""
    result = dict(base)
    for key, value in override.items():
        old = result.get(key)
        result[key] = _merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return result


def plugin_options(config: dict[str, Any]) -> dict[str, Any] | None:
    """The `knowledge-cards` plugin's options (an empty mapping when listed bare), or None if absent."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):  # MkDocs also accepts a mapping of plugin names to options
        options = plugins.get(PLUGIN, None if PLUGIN not in plugins else {})
        return options if isinstance(options, dict) else ({} if PLUGIN in plugins else None)
    for plugin in plugins if isinstance(plugins, list) else []:
        if plugin == PLUGIN:
            return {}
        if isinstance(plugin, dict) and PLUGIN in plugin:
            return plugin[PLUGIN] if isinstance(plugin[PLUGIN], dict) else {}
    return None


def find_project(root: Path, config_file: Path | None = None) -> Project:
    """Folders from the project's config file (docs_dir, the plugin's options), else the defaults."""
    config_file = config_file or find_config_file(root)
    if config_file is not None:
        root = config_file.parent
    config = read_config(config_file) if config_file is not None else {}
    options = plugin_options(config) or {}
    docs_dir = root / str(config.get("docs_dir") or "docs")
    custom_dir = "site_overrides" if config_file is None else ""
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        custom_dir = str(theme["custom_dir"])
    cards_dir = docs_dir / cards_subfolder(options.get("cards_dir"))
    return Project(
        root,
        cards_dir,
        root / str(options.get("quizzes_dir") or "quizzes"),
        root / str(options.get("paths_file") or "paths.yml"),
        root / custom_dir / "kcards" if custom_dir else None,
        config_file,
        docs_dir,
        Conventions.from_options(options),
    )
