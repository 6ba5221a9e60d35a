"""What a strict build refuses beyond the cards' own checks, found without building: the config, the
nav's files, and every Markdown link and anchor the engine validates on a page.

`kcards check` gives the build's verdict (one verdict). The config is validated by the engine's own
schema (`MkDocsConfig.validate`, plugins' options included); a link's target by the engine's own
resolver (`_RelativePathTreeprocessor.path_to_url`, internals.py item 8), with its messages and the
levels the site's `validation:` sets. What it cannot call alone is done as the engine does it: links
are found in the Markdown as Python-Markdown reads it (code is code), and an anchor is looked for among
the ids the page will have (its headings through the site's `toc` slugify, explicit `{#id}` and
`id="..."`, footnotes, the quiz, and the sections the plugin adds).
"""

from __future__ import annotations

import bisect
import logging
import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.code_regions import code_regions
from ..core.frontmatter import split_front_matter
from ..core.knowledge_base import KnowledgeBase, display_path
from ..core.links import Places
from ..core.load import read_text
from ..core.names import is_anchor_id
from ..core.problems import Code, Problem, Severity
from ..render.headings import HeadingStyle
from ..render.sections import TAIL_HEADINGS
from .internals import link_resolver
from .navigation import SITE_PAGES

_ENGINE_LOGGERS = ("mkdocs", "properdocs")
MAX_LINK_PROBLEMS = 200
"""Link problems listed per page: a page of thousands of broken links needs the first ones fixed, not
a thousand lines (and checking them all would take the engine's time for each)."""

# `](url` after a link's or image's text, on one line: the URL in `<...>` or up to a space or `)`.
_INLINE_URL = re.compile(r"\]\([^\S\n]*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
# A reference definition: up to 3 spaces, `[label]:`, the URL.
_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)([^\[\]\n]+)\]:[^\S\n]*(<[^<>\n]*>|\S+)", re.MULTILINE)
# Where a definition is used: `[text][label]`, `[label][]`, or `[label]` alone.
_REFERENCE = re.compile(r"\]\[([^\[\]\n]*)\]|\[([^\[\]\n]+)\](?![(:\[])")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_ATTR_ID = re.compile(r"\{:?[^{}\n]*#([\w:.-]+)[^{}\n]*\}")
_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"'<>]+)["']""")
_TRAILING_ATTRS = re.compile(r"\{:?[^{}\n]*\}[ \t]*$")


@dataclass(frozen=True)
class _Page:
    """One Markdown page as the check reads it."""

    src_uri: str
    shown: str
    body: str
    body_line: int
    slug: str | None = None
    """The card or placeholder it is the page of, if any."""


def engine_problems(kb: KnowledgeBase, config_file: Path | None) -> list[Problem]:
    """Every problem a strict build would stop on that the cards' own checks do not report."""
    if config_file is None:
        return []
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError

    shown = display_path(config_file.resolve(), None)
    config = MkDocsConfig(config_file_path=str(config_file))
    with _quiet_engine():
        try:
            with config_file.open("rb") as stream:
                config.load_file(stream)
        except (ConfigurationError, OSError, yaml.YAMLError) as exc:
            return [Problem(shown, 1, 1, Severity.ERROR, Code.CONFIG, f"the engine cannot read its config: {exc}")]
        errors, warnings = config.validate()
    lines = _config_lines(config_file)
    problems = [
        Problem(
            shown, *_config_place(lines, name, str(message)), severity, Code.CONFIG, f"config value '{name}': {message}"
        )
        for found, severity in ((errors, Severity.ERROR), (warnings, Severity.WARNING))
        for name, message in found
    ]
    if errors:
        return problems  # without a valid config there are no files to check links against
    return problems + _nav_and_link_problems(kb, config, shown, lines)


def _nav_and_link_problems(
    kb: KnowledgeBase, config: object, config_shown: str, lines: dict[str, tuple[int, int]]
) -> list[Problem]:
    from mkdocs.structure.files import File, Files, InclusionLevel, get_files

    with _quiet_engine():
        files: Files = get_files(config)  # type: ignore[arg-type]
    docs_dir = Path(config["docs_dir"])  # type: ignore[index]
    prefix = posixpath.relpath(kb.cards_dir.resolve().as_posix(), docs_dir.resolve().as_posix())
    prefix = "" if prefix == "." else prefix + "/"
    pages: dict[str, _Page] = {}
    for file in files.documentation_pages():
        if file.src_uri.startswith(prefix) or file.abs_src_path is None:
            continue  # cards are read below, from the knowledge base
        text = _read(Path(file.abs_src_path))
        if text is not None:
            split = split_front_matter(text)
            body, body_line = (split.body, split.body_line) if split.yaml_text is not None else (text, 1)
            pages[file.src_uri] = _Page(file.src_uri, display_path(Path(file.abs_src_path), None), body, body_line)
    for card in kb.cards:
        text = _read(kb.cards_dir / card.path)
        if text is not None:
            split = split_front_matter(text)
            src = prefix + card.path
            pages[src] = _Page(src, kb.display_paths[card.slug], split.body, split.body_line, card.slug)
    made = [prefix + node.path for node in kb.graph.placeholders]
    made += [prefix + path for path in SITE_PAGES]
    for src in made:
        if files.get_file_from_path(src) is None:
            files.append(
                File(
                    src,
                    src_dir=None,
                    dest_dir=config["site_dir"],  # type: ignore[index]
                    use_directory_urls=config["use_directory_urls"],  # type: ignore[index]
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
    for node in kb.graph.placeholders:
        pages.setdefault(prefix + node.path, _Page(prefix + node.path, "", "", 1, node.slug))
    problems = _nav_problems(config, files, config_shown, lines)
    validation = config["validation"]  # type: ignore[index]
    anchors_level = validation.links.anchors
    style = HeadingStyle.from_toc_config(config["mdx_configs"].get("toc") or {})  # type: ignore[index]
    ids: dict[str, frozenset[str] | None] = {}
    with _engine_records() as records:
        for page in pages.values():
            page_file = files.get_file_from_path(page.src_uri)
            if page_file is None or not page.shown:
                continue
            resolver = link_resolver(page_file, files, config)
            seen: dict[str, list[tuple[int, str]]] = {}  # a URL written again gets the same verdict
            found: list[Problem] = []
            for url, line, column in _engine_links(page, kb):
                if len(found) >= MAX_LINK_PROBLEMS:
                    found.append(
                        Problem(
                            page.shown,
                            page.body_line + line - 1,
                            column,
                            Severity.WARNING,
                            Code.ENGINE_LINK,
                            f"more links are not checked: the first {MAX_LINK_PROBLEMS} problems of a page are listed",
                        )
                    )
                    break
                if url not in seen:
                    del records[:]
                    resolver.path_to_url(url)
                    said = [(record.levelno, record.getMessage()) for record in records]
                    said += _anchor_problems(resolver, page_file, url, pages, ids, kb, style, anchors_level)
                    seen[url] = said
                found += [_problem(page.shown, page.body_line + line - 1, column, *said) for said in seen[url]]
            problems += found
    return problems


def _anchor_problems(
    resolver: object,
    file: object,
    url: str,
    pages: dict[str, _Page],
    ids: dict[str, frozenset[str] | None],
    kb: KnowledgeBase,
    style: HeadingStyle,
    level: int,
) -> list[tuple[int, str]]:
    """The anchor `url` asks of its page, when that page will have no such id (as the engine says it)."""
    said = []
    for target, anchors in resolver.links_to_anchors.items():  # type: ignore[attr-defined]
        if target.src_uri not in ids:
            target_page = pages.get(target.src_uri)
            ids[target.src_uri] = _page_ids(target_page, kb, style) if target_page else None
        present = ids[target.src_uri]
        for anchor in anchors:
            if level < logging.WARNING or present is None or anchor in present or _generated_anchor(anchor):
                continue
            where = (
                "there is no such anchor on this page"
                if target is file
                else f"the doc '{target.src_uri}' does not contain an anchor '#{anchor}'"
            )
            said.append((level, f"a link '{url}', but {where}."))
    resolver.links_to_anchors.clear()  # type: ignore[attr-defined]
    return said


def _engine_links(page: _Page, kb: KnowledgeBase) -> Iterator[tuple[str, int, int]]:
    """Every link of a page that the engine will validate: (URL, line in the body, column)."""
    body = page.body
    if "](" not in body and "]:" not in body and "[[" not in body:
        return
    card = kb.graph.cards.get(page.slug) if page.slug is not None else None
    ours = card.body_links if card is not None else ()  # the links the plugin writes itself
    for link in ours:
        assert card is not None
        # Written as a Markdown link to the anchor: an id the engine checks (a heading's text or a block is
        # checked with the cards); a card not written yet is linked without it.
        if link.anchor and is_anchor_id(link.anchor[1:]) and link.slug in kb.graph.cards:
            target = (
                ""
                if link.slug == card.slug
                else posixpath.relpath(kb.graph.cards[link.slug].path, posixpath.dirname(card.path) or ".")
            )
            yield target + link.anchor, link.line - card.body_line + 1, link.column
    starts, ends = [link.start for link in ours], [link.end for link in ours]  # in order, never overlapping
    text = code_regions(body).blanked(body)
    places = Places(text)
    for match in _INLINE_URL.finditer(text):
        before = bisect.bisect_right(starts, match.start()) - 1
        if before >= 0 and match.start() < ends[before]:
            continue  # a card link: the plugin writes it
        url = match.group(1).strip("<>")
        if url and card is not None:  # a file found by its name, as the page links it
            url = kb.attachments.relinked(url, card.path) or url
        if url:
            yield (url, *places(match.start(1)))
    # A card link (`[[templates#Metadata]]`) is the plugin's: the `[templates#Metadata]` in it uses no
    # definition (Foam writes one for each such link).
    unlinked = "".join(
        " " * (end - start) if index % 2 else text[start:end]
        for index, (start, end) in enumerate(_pieces(len(text), list(zip(starts, ends, strict=True))))
    )
    labels = {_label(m.group(1) if m.group(1) else m.group(2)) for m in _REFERENCE.finditer(unlinked)}
    places = Places(text)  # counts forward: a second pass starts again
    for match in _DEFINITION.finditer(text):
        if _label(match.group(1)) in labels - {""} or match.group(1) == "":
            yield (match.group(2).strip("<>"), *places(match.start(2)))


def _pieces(length: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`0..length` cut at `spans` (in order, apart): outside, span, outside, span, ..., outside."""
    pieces, position = [], 0
    for start, end in spans:
        pieces += [(position, start), (start, end)]
        position = end
    return [*pieces, (position, length)]


def _label(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _page_ids(page: _Page, kb: KnowledgeBase, style: HeadingStyle) -> frozenset[str]:
    """The ids a page will have: its headings' (made unique as the toc extension does), explicit ids,
    and, for a card or placeholder, its title's and the generated sections'."""
    used: set[str] = set()
    text = code_regions(page.body).blanked(page.body) if page.body else ""
    lines = text.split("\n")
    for number, row in enumerate(lines):
        atx = _ATX.match(row)
        if atx:
            title = atx.group(2) or ""
        elif number and re.match(r"^ {0,3}(=+|-+)[ \t]*$", row) and lines[number - 1].strip():
            title = lines[number - 1]
            if re.match(r"^ {0,3}(?:[-*+]|\d+[.)])[ \t]", title) or re.match(r"^ {0,3}([-*_])( *\1){2,}", title):
                continue
        else:
            continue
        explicit = _ATTR_ID.search(title)
        if explicit and _TRAILING_ATTRS.search(title):
            used.add(explicit.group(1))
            continue
        style.heading(2, _plain(title), used)
    used.update(match.group(1) for match in _ATTR_ID.finditer(text))
    used.update(match.group(1) for match in _HTML_ID.finditer(page.body))
    if page.slug is not None:
        node = kb.graph.node(page.slug)
        style.heading(1, node.title, used)
        for _, title in TAIL_HEADINGS.values():
            style.heading(2, title, used)
        quiz = kb.quizzes.get(page.slug)
        if quiz is not None:
            style.heading(2, quiz.title, used)
        style.heading(2, "Write this card", used)
    return frozenset(used)


def _generated_anchor(anchor: str) -> bool:
    """Ids made per item (footnotes, quiz questions) that the check does not list one by one."""
    return anchor.startswith(("fn:", "fnref:", "kcq-"))


def _plain(title: str) -> str:
    """A heading's text as the toc extension slugifies it: inline Markdown's marks dropped."""
    title = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", title)
    title = re.sub(r"\[\[([^\]|]*)\|?([^\]]*)\]\]", lambda m: m.group(2) or m.group(1), title)
    return re.sub(r"[*_`]", "", title).strip()


def _problem(path: str, line: int, column: int, level: int, message: str) -> Problem:
    message = re.sub(r"^Doc file '[^']*' contains ", "", message)
    severity = Severity.ERROR if level >= logging.ERROR else Severity.WARNING
    if level < logging.WARNING:
        severity = Severity.WARNING
    return Problem(path, line, column, severity, Code.ENGINE_LINK, message)


def _read(path: Path) -> str | None:
    """The file's text as the cards are read (read_text); None when it cannot be read: the cards' checks,
    or the build itself, report that."""
    return read_text(path, "")[0]


def _nav_problems(config: object, files: object, shown: str, lines: dict[str, tuple[int, int]]) -> list[Problem]:
    """A nav entry naming a file that is not among the documentation files."""
    level = config["validation"].nav.not_found  # type: ignore[index]
    if level < logging.WARNING:
        return []
    problems = []
    for path in _nav_paths(config["nav"]):  # type: ignore[index]
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/", path) or files.get_file_from_path(path) is not None:  # type: ignore[attr-defined]
            continue
        line, column = lines.get(f"nav:{path}", lines.get("nav", (1, 1)))
        problems.append(
            Problem(
                shown,
                line,
                column,
                Severity.WARNING,
                Code.CONFIG,
                f"the nav names '{path}', which is not found among the documentation files",
            )
        )
    return problems


def _config_place(lines: dict[str, tuple[int, int]], name: str, message: str) -> tuple[int, int]:
    """Where a config problem is: the option it names inside the setting (a plugin's), else the setting."""
    option = re.search(r"option '([^']+)'", message)
    if option and f"{name}:{option.group(1)}" in lines:
        return lines[f"{name}:{option.group(1)}"]
    if name == "theme" and "theme:name" in lines:
        return lines["theme:name"]
    return lines.get(name, (1, 1))


def _nav_paths(nav: object) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)


def _config_lines(config_file: Path) -> dict[str, tuple[int, int]]:
    """Where each top-level key (and each nav entry, as `nav:<path>`) is written in the config file."""
    try:  # composed, not constructed: tags such as `!ENV` or `!!python/name:` need no constructor
        node = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return {}
    found: dict[str, tuple[int, int]] = {}
    if not isinstance(node, yaml.MappingNode):
        return found
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            found[str(key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
            for scalar in _scalars(value, keys=key.value != "nav"):  # nav: its entries; others: their keys
                found.setdefault(
                    f"{key.value}:{scalar.value}", (scalar.start_mark.line + 1, scalar.start_mark.column + 1)
                )
    return found


def _scalars(node: yaml.Node, keys: bool = False) -> Iterator[yaml.ScalarNode]:
    """The scalar values under `node`, or with `keys` the mapping keys under it, in file order."""
    if isinstance(node, yaml.ScalarNode):
        if not keys:
            yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, keys)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if keys and isinstance(key, yaml.ScalarNode):
                yield key
            yield from _scalars(value, keys)


@contextmanager
def _quiet_engine() -> Iterator[None]:
    """The engine logs what it validates; the check reports it as problems instead."""
    loggers = [logging.getLogger(name) for name in _ENGINE_LOGGERS]
    before = [(logger.propagate, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, (propagate, disabled) in zip(loggers, before, strict=True):
            logger.propagate, logger.disabled = propagate, disabled


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.records.append(record)


@contextmanager
def _engine_records() -> Iterator[list[logging.LogRecord]]:
    """What the engine's link resolver logs at warning level or above, kept instead of printed."""
    handler = _Records()
    logger = logging.getLogger("mkdocs.structure.pages")
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level
