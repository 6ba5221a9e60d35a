"""One typed problem record shared by the build, `kcards check` and the tests."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    """How bad a problem is: errors stop a strict build, warnings only inform."""

    ERROR = "error"
    WARNING = "warning"


class Code(enum.Enum):
    """Every kind of problem the generator reports; the value is its stable name."""

    DECODE = "decode"
    """The file is not valid UTF-8."""
    EMPTY = "empty"
    """The file holds nothing at all."""
    NO_FRONT_MATTER = "no-front-matter"
    """The card does not start with a `---` front matter block."""
    YAML = "yaml"
    """The front matter is not valid YAML."""
    NOT_MAPPING = "not-mapping"
    """The front matter (or a quiz) is YAML but not a mapping of keys to values."""
    MISSING_KEY = "missing-key"
    """A required key (title, summary) is absent or empty."""
    BAD_VALUE = "bad-value"
    """A key holds a value of the wrong shape or an unknown choice."""
    DUPLICATE_KEY = "duplicate-key"
    """A key written twice in one mapping; the later value silently wins in YAML."""
    UNKNOWN_KEY = "unknown-key"
    """A key the format does not know; probably a typo."""
    INVALID_SLUG = "invalid-slug"
    """A file name or link target is not a valid slug."""
    DUPLICATE_SLUG = "duplicate-slug"
    """Two card files share one slug."""
    CYCLE = "cycle"
    """Parents or prerequisites form a cycle."""
    LOOP = "loop"
    """The loop diagram names a stage it does not define."""
    QUIZ = "quiz"
    """A quiz question that cannot be asked as written (no right answer, too few items, ...)."""
    QUIZ_ORPHAN = "quiz-orphan"
    """A quiz file whose card does not exist."""
    PATH = "path"
    """A learning path step that is repeated, missing, or out of prerequisite order."""
    GIFT = "gift"
    """GIFT that cannot be imported as written: a syntax error or an unsupported feature."""
    SELF_LINK = "self-link"
    """A card names itself as parent or prerequisite."""
    CONFIG = "config"
    """The site's config file, as the engine validates it: a bad value, an unknown setting, a nav entry
    naming no file."""
    ENGINE_LINK = "engine-link"
    """A Markdown link or anchor the engine's link validation reports (a missing file, image or anchor)."""
    UNSAFE_FILE = "unsafe-file"
    """A file that is not published: a symbolic link out of the folder, a dangling link, or a special
    file (a FIFO would hang the build)."""


@dataclass(frozen=True)
class Problem:
    """A problem at a place in a source file, printed as `path:line:col: severity: message`."""

    path: str
    line: int
    column: int
    severity: Severity
    code: Code
    message: str

    def format(self) -> str:
        """The one-line form editors and CI annotate."""
        return f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form for tools."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code.value,
            "message": self.message,
        }


def error(path: str, line: int, code: Code, message: str, column: int = 1) -> Problem:
    """An error problem (stops a strict build)."""
    return Problem(path, line, column, Severity.ERROR, code, message)


def warning(path: str, line: int, code: Code, message: str, column: int = 1) -> Problem:
    """A warning problem (reported, never fatal unless --strict)."""
    return Problem(path, line, column, Severity.WARNING, code, message)


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    """Report order: by file, then position."""
    return (problem.path, problem.line, problem.column, problem.message)
