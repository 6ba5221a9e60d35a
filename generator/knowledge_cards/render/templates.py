"""The Jinja environment of the page fragments: the package's templates, under a site's overrides.

The fragments ship inside the package (`knowledge_cards/templates/`). A site overrides any one of them
by putting a file of the same name in its theme's `custom_dir/kcards/`, as Material's plugins allow.
"""

from __future__ import annotations

from html import escape as html_escape
from importlib.resources import files
from pathlib import Path

import jinja2
import markupsafe

PACKAGE_TEMPLATES = Path(str(files("knowledge_cards") / "templates"))


def md_text(text: object) -> str:
    """Plain text made inert in Markdown and HTML: punctuation becomes numeric entities."""
    return "".join(ch if ch.isalnum() or ch == " " else f"&#{ord(ch)};" for ch in str(text).replace("\n", " "))


def template_dirs(override_dirs: list[Path]) -> list[Path]:
    """Where fragments are looked up, first match wins: the site's overrides, then the package's own."""
    return [d for d in override_dirs if d.is_dir()] + [PACKAGE_TEMPLATES]


def make_environment(override_dirs: list[Path] = []) -> jinja2.Environment:  # noqa: B006 - never mutated
    """A Jinja environment over the site's override folders and then the package's templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(override_dirs)]),
        # Markdown templates (*.md.j2) send text through the `md` filter; HTML ones autoescape.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # one environment per build: no stat() of the template per page part
    )
    env.globals["cards_folder"] = "cards/"  # where instructors add cards, as they see it: the adapter sets it
    env.filters["md"] = md_text
    # Code in <pre><code>: only <, > and & escaped, as Markdown writes code blocks.
    env.filters["code"] = lambda text: markupsafe.Markup(html_escape(str(text), quote=False))
    return env
