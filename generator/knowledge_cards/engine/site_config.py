"""on_config: what a Knowledge Cards site needs of the engine's settings, checked before anything is read.

The plugin switches on the Markdown extensions its pages rely on, gives ```mermaid fences to Material's
loader, gives Material's tags plugin a slug that keeps every tag apart, and adds its own scripts and
stylesheet. A setting that cannot work (a missing cards folder, a broken override) is one
`path:line: error:` line, and the build stops before it writes anything.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.utils import dirname_to_title

from ..core.knowledge_base import display_path
from ..core.load import cards_subfolder
from .assets import SCRIPTS, STYLESHEETS, URL_PREFIX, Asset, AssetError, find_assets
from .config import CardsConfig

REQUIRED_EXTENSIONS = ("attr_list", "admonition", "footnotes", "tables", "md_in_html", "pymdownx.details")
"""Extensions the generated Markdown relies on; added when the config leaves them out."""

TAGS_PLUGINS = ("material/tags", "tags", "materialx/tags")
"""Material's tags plugin under its names: Material's own, and MaterialX's (Material's maintained fork)."""


def cards_prefix(options: CardsConfig) -> str:
    """The cards folder as a src_uri prefix: '' for all of docs_dir, else e.g. 'concepts/'."""
    folder = cards_subfolder(options.cards_dir)
    return folder + "/" if folder else ""


def cards_title(options: CardsConfig) -> str:
    """With a cards_dir, the name of the cards' part of the site: its nav section and home page title."""
    prefix = cards_prefix(options)
    if not prefix:
        return ""
    return options.cards_nav_title or dirname_to_title(prefix.rstrip("/").rsplit("/", 1)[-1])


def override_dirs(config: MkDocsConfig) -> list[Path]:
    """The theme folders' `kcards/` subfolders: a site's own templates and assets, first match wins."""
    return [Path(d) / "kcards" for d in config.theme.dirs]


EDITOR_EXTENSIONS = ("nl2br", "pymdownx.mark")
"""With `editor_markdown`: a line break is a break and `==text==` a highlight, as in Obsidian (kept
extensions: Python-Markdown's own and pymdown-extensions')."""


def configure(config: MkDocsConfig, options: CardsConfig) -> list[Asset]:
    """Put in place what the site needs; returns the assets to publish. Raises PluginError (one line)."""
    for name in REQUIRED_EXTENSIONS + (EDITOR_EXTENSIONS if options.editor_markdown else ()):
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    _ensure_mermaid_fence(config)
    tags = next((config.plugins[name] for name in TAGS_PLUGINS if name in config.plugins), None)
    tags_config: Any = getattr(tags, "config", None)
    slugify = getattr(tags_config, "tags_slugify", None)
    if getattr(getattr(slugify, "func", None), "__module__", "") == "pymdownx.slugs":  # Material's default
        tags_config["tags_slugify"] = tag_slug  # which drops emoji and symbols, so tags collide
    prefix = cards_prefix(options)
    cards_dir = Path(config.docs_dir) / prefix
    if prefix and not cards_dir.is_dir():
        shown = display_path(cards_dir.resolve(), Path.cwd())
        raise PluginError(config_error(config, "cards_dir", f"cards_dir '{options.cards_dir}': no folder {shown}"))
    try:
        assets = find_assets(override_dirs(config))
    except AssetError as exc:
        raise PluginError(str(exc)) from None
    for index, name in enumerate(SCRIPTS):
        if URL_PREFIX + name not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.insert(index, URL_PREFIX + name)
    for index, name in enumerate(STYLESHEETS):
        if URL_PREFIX + name not in config.extra_css:
            config.extra_css.insert(index, URL_PREFIX + name)
    return assets


def check_overrides(env: jinja2.Environment, folders: list[Path]) -> None:
    """Compile every template a site overrides, so that a broken one is one error line, not a traceback
    from the middle of a page."""
    for folder in folders:
        for path in sorted(folder.glob("*.j2")) if folder.is_dir() else []:
            shown = display_path(path.resolve(), Path.cwd())
            try:
                env.get_template(path.name)
            except jinja2.TemplateSyntaxError as exc:
                raise PluginError(
                    f"{shown}:{exc.lineno}: error: this template override does not compile: {exc.message}"
                ) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise PluginError(f"{shown}:1: error: cannot read this template override: {exc}") from None


def config_error(config: MkDocsConfig, key: str, message: str) -> str:
    """`path:line: error: message`, at the line of the config file that sets `key` (else its first line)."""
    path = Path(config.config_file_path or "mkdocs.yml")
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        rows = []
    line = next((n for n, row in enumerate(rows, 1) if row.strip().startswith(f"{key}:")), 1)
    return f"{display_path(path.resolve(), Path.cwd())}:{line}: error: {message}"


def tag_slug(text: str, separator: str = "-") -> str:
    """A tag's anchor: letters and digits as they are, spaces and dashes as the separator, every other
    character as its code point, so that '😬', '🇺🇦', 'c++' and 'C' each get their own."""
    return "".join(
        ch if ch.isalnum() else separator if ch in " -_" else f".{ord(ch):x}." for ch in html.unescape(text).strip()
    )


def _ensure_mermaid_fence(config: MkDocsConfig) -> None:
    """Make ```mermaid fences become <pre class="mermaid"> for Material's loader."""
    from pymdownx.superfences import fence_code_format  # a dependency; imported where it is used

    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    settings = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = settings.setdefault("custom_fences", [])
    if not any(f.get("name") == "mermaid" for f in fences):
        fences.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})
