"""The `knowledge-cards` plugin's options (schema only; see plugin.py for behaviour)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CardsConfig(base.Config):
    """Options under `plugins: - knowledge-cards:` in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (the site then has only the raw cards)."""

    cards_dir = c.Type(str, default="")
    """The folder inside docs_dir that holds the cards (default: all of docs_dir). Every Markdown page in
    it is a card; pages outside it are the site's ordinary pages, published as written. The generated
    pages (home, My progress, Cards to write, Tags, Knowledge map) and placeholders go in it too."""

    cards_nav_title = c.Type(str, default="")
    """With a `cards_dir`, the title of the cards' section in the generated nav (default: from the
    folder's name, as MkDocs titles folders)."""

    quizzes_dir = c.Type(str, default="quizzes")
    """Folder of `<slug>.yml` quiz files, relative to mkdocs.yml."""

    paths_file = c.Type(str, default="paths.yml")
    """The learning paths, relative to mkdocs.yml; without it, one path is derived from the graph."""

    graph_json = c.Type(str, default="graph.json")
    """Where the whole knowledge graph is published, relative to the site root."""

    home = c.Type(bool, default=True)
    """Generate the home page (index.md) listing every concept."""

    progress_page = c.Type(bool, default=True)
    """Generate "My progress" (progress.md), listing every quiz with the learner's results."""

    to_write_page = c.Type(bool, default=True)
    """Generate "Cards to write" (to-write.md): placeholders and stubs ranked by demand, for instructors."""

    map_page = c.Type(bool, default=True)
    """Generate the "Knowledge map" (map.md): the whole graph as an interactive view."""

    background_pages = c.Type(int, default=100)
    """`mkdocs build` of at least this many card and placeholder pages renders their generated sections
    in a second process while MkDocs converts Markdown (same output, on the machine's other core);
    0 never does."""

    link_resolution = c.Choice(("shortest", "relative", "absolute"), default="shortest")
    """How a link that names a note (`[[Note Name]]`, `[[folder/Note]]`) finds it, as Obsidian and
    Quartz name the ways: `shortest` (the note of that name wherever it is; a path only where two share
    a name), `relative` (from the linking note's folder), `absolute` (from the notes' root)."""

    editor_markdown = c.Type(bool, default=False)
    """Read lists and line breaks as Obsidian's and Foam's editors show them: a list right after a
    paragraph line is a list, lists nest by 2 spaces, a line break is a break. On for notes brought in
    with `kcards init --from`; off for cards written for the site (standard Markdown)."""

    keys_namespace = c.Type(str, default="")
    """Read the card keys (`status`, `related`, ...) from this mapping of the front matter instead of
    its top level (`kcards: {status: draft}` with `keys_namespace: kcards`), so that notes whose own
    `status:` or `related:` mean something else keep them. Default: the top level."""

    own_keys = c.ListOfItems(c.Type(str), default=[])
    """Front-matter keys the site's notes use for themselves: accepted without a warning."""
