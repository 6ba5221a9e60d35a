"""Import a Moodle GIFT question bank as a quiz file (`kcards import-gift`).

GIFT is described at https://docs.moodle.org/en/GIFT_format. Reading follows
Moodle's own importer (question/format/gift/format.php) so a bank means here
what it means in Moodle: questions are separated by blank lines, lines starting
with `//` are comments, `::Title::` opens a question, the first `{...}` holds
the answers, `####` starts the general feedback, `#` an answer's feedback, and
a backslash escapes `~ = # { } :` (`\\n` is a line break, `\\\\` a backslash).

What a quiz can ask (single, multiple, true_false, reflect) is converted; what
it cannot is reported as a warning on the question's line and left out, and
GIFT that Moodle itself rejects (or that would import as garbage) is an error.
Nothing is dropped silently. Texts become inline Markdown, never HTML.

parse.py reads the syntax, text.py turns texts into Markdown, convert.py makes
quiz questions of them and quiz_file.py writes the file.
"""

from .convert import GiftQuestion, parse_gift, read_gift
from .quiz_file import import_gift, to_quiz_yaml

__all__ = ["GiftQuestion", "import_gift", "parse_gift", "read_gift", "to_quiz_yaml"]
