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
    except RecursionError:
        raise YamlError(first_line, f"nested more than {MAX_DEPTH} levels deep") from None
    lines: dict[KeyPath, int] = {}
    duplicates: list[tuple[KeyPath, int]] = []
    if node is None:
        return LocatedYaml(None, lines)
    loader = _Loader("")
    try:
        data = _convert(node, (), lines, loader, first_line, duplicates, [MAX_VALUES])
    except yaml.YAMLError as exc:
        raise YamlError(first_line, str(exc).splitlines()[0]) from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of more than 4,300 digits
        raise YamlError(first_line, f"a value that cannot be read: {str(exc).splitlines()[0]}") from None
    finally:
        loader.dispose()
    return LocatedYaml(data, lines, tuple(duplicates))


MAX_DEPTH = 64
"""Mappings and lists nested deeper than this are an error: no card, quiz or path needs them."""
MAX_DIGITS = 4_000
"""Longer numbers are an error (Python itself refuses to read integers of more than 4,300 digits)."""
MAX_VALUES = 100_000
"""At most this many values in one YAML document, aliases expanded: a few nested aliases of a 430-byte
card otherwise expand to billions (95 s and 2.8 GB of `kcards check`)."""


def _convert(
    node: yaml.Node,
    path: KeyPath,
    lines: dict[KeyPath, int],
    loader: _Loader,
    first: int,
    duplicates: list[tuple[KeyPath, int]],
    budget: list[int],
) -> Any:
    """Node tree to plain data, recording the line of every path; bounded in depth and in values."""
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlError(first + node.start_mark.line, f"more than {MAX_VALUES:,} values (aliases expanded)")
    if len(path) > MAX_DEPTH:
        raise YamlError(first + node.start_mark.line, f"nested more than {MAX_DEPTH} levels deep")
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
            result[key] = _convert(value_node, path + (key,), lines, loader, first, duplicates, budget)
            lines[path + (key,)] = first + key_node.start_mark.line
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (i,), lines, loader, first, duplicates, budget) for i, item in enumerate(node.value)
        ]
    if node.tag == _STR:
        return node.value  # most values: text, as written (a third of `kcards check` went to constructing them)
    line = first + node.start_mark.line
    if node.tag == _INT and isinstance(node.value, str):
        if len(node.value) > MAX_DIGITS:
            raise YamlError(line, f"a number of more than {MAX_DIGITS:,} digits")
        if node.value.lstrip("+-").isdigit():
            return int(node.value)  # plain decimal integers resolve to int here; `!!int 0x10` is PyYAML's
    if node.tag == _BINARY:
        raise YamlError(line, "binary data (!!binary) is not text a card, quiz or path can show")
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, TypeError, AttributeError) as exc:  # PyYAML constructors on odd text
        raise YamlError(
            line, f"cannot read this {node.tag.rsplit(':', 1)[-1]} value: {str(exc).splitlines()[0]}"
        ) from None
    # A date is shown as written (`!!timestamp 2024-05-01T10:00:00Z`), not as Python prints it.
    return node.value if node.tag == _TIMESTAMP else value


_STR = "tag:yaml.org,2002:str"
_BINARY = "tag:yaml.org,2002:binary"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
