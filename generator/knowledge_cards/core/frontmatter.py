"""Split a card into front matter and body, and read YAML keeping line numbers.

Diagnostics must point at the line an instructor wrote, so YAML is composed
into nodes (which carry marks) and turned into plain data alongside a map from
key paths to 1-based line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

# A front matter fence: three dashes alone on a line (trailing spaces allowed).
_FENCE = re.compile(r"^---[ \t]*$")

KeyPath = tuple[Any, ...]


@dataclass(frozen=True)
class Split:
    """A card file cut in two; lines are 1-based positions in the file."""

    yaml_text: str | None
    yaml_line: int
    body: str
    body_line: int
    unclosed: bool = False
    """The file opens front matter with `---` but never closes it."""


def split_front_matter(text: str) -> Split:
    """Cut `---` YAML `---` off the top of a card; None when there is no block."""
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return Split(None, 1, text, 1)
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r\n")):
            return Split(
                yaml_text="".join(lines[1:index]),
                yaml_line=2,
                body="".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    return Split(None, 1, text, 1, unclosed=True)


class YamlError(Exception):
    """YAML that does not parse, with the 1-based line where the parser gave up."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class LocatedYaml:
    """Plain data from YAML plus where each key and item was written."""

    data: Any
    lines: dict[KeyPath, int]
    duplicates: tuple[tuple[KeyPath, int], ...] = ()
    """Keys written twice in one mapping, with the line of the second one (its value wins)."""

    def line_of(self, *path: Any, default: int = 1) -> int:
        """The line of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return default


# libyaml's parser when PyYAML has it (about 5x faster on thousands of cards), else pure Python.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader that keeps dates and number-like text as written: cards are prose, not typed records
    (`title: 3.10` stays "3.10", `12:30` is not 750, `010` is not 8). Only plain decimal integers are numbers."""


_INT = "tag:yaml.org,2002:int"
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float", _INT)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "-+0123456789":
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).append((_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")))


def load_yaml(text: str, first_line: int = 1) -> LocatedYaml:
    """Parse one YAML document; raise YamlError with a file line on failure."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An unclosed bracket or quote is only noticed lines later;
        # the line where it was opened is the one to fix.
        if exc.context_mark and exc.context and ("flow" in exc.context or "quoted" in exc.context):
            mark = exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        raise YamlError(line, problem) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        raise YamlError(first_line, str(exc).splitlines()[0]) from None
    lines: dict[KeyPath, int] = {}
    duplicates: list[tuple[KeyPath, int]] = []
    if node is None:
        return LocatedYaml(None, lines)
    loader = _Loader("")
    try:
        data = _convert(node, (), lines, loader, first_line, duplicates)
    except yaml.YAMLError as exc:
        raise YamlError(first_line, str(exc).splitlines()[0]) from None
    finally:
        loader.dispose()
    return LocatedYaml(data, lines, tuple(duplicates))


def _convert(
    node: yaml.Node,
    path: KeyPath,
    lines: dict[KeyPath, int],
    loader: _Loader,
    first: int,
    duplicates: list[tuple[KeyPath, int]],
) -> Any:
    """Node tree to plain data, recording the line of every path."""
    lines.setdefault(path, first + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = str(key)
            if key in result:
                duplicates.append((path + (key,), first + key_node.start_mark.line))
            lines[path + (key,)] = first + key_node.start_mark.line
            result[key] = _convert(value_node, path + (key,), lines, loader, first, duplicates)
            lines[path + (key,)] = first + key_node.start_mark.line
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), lines, loader, first, duplicates) for i, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value  # most values: text, as written (a third of `kcards check` went to constructing them)
    if node.tag == _INT:
        return int(node.value)  # only plain decimal integers resolve to int here
    return loader.construct_object(node, deep=True)


_STR = "tag:yaml.org,2002:str"
