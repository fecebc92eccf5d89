"""Located problems: how every stage reports bad input, as values, until the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass

EXCERPT_LIMIT = 40  # characters of a value a message may quote


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input, a config or a rule, pinned to a place in a file.

    ``line`` and ``column`` are 1-based; 0 means the problem concerns the whole file.
    """

    file: str
    line: int
    column: int
    message: str
    rule: str | None = None
    tender: str | None = None

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{self.file}: {self.message}"


def missing_file(path: str) -> Problem:
    """``path: no such file or folder``: about the whole path, so no line or column (0)."""
    return Problem(path, 0, 0, "no such file or folder")


def unreadable(path: str, error: OSError) -> Problem:
    """Why the file at ``path`` could not be read: missing (:func:`missing_file`) or the system's reason."""
    if isinstance(error, FileNotFoundError):
        return missing_file(path)
    return Problem(path, 1, 1, f"cannot read file: {error.strerror or error}")


class ProblemsFound(Exception):
    """Raised inside a stage to abandon one input; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def excerpt(value: object, limit: int = EXCERPT_LIMIT, *, quoted: bool = True) -> str:
    """A short, escaped quotation of a value from a tender, config or argument, for messages.

    Text comes in quotes as Python's ``repr`` writes it (``quoted=False``: the same without the
    quotes, for text that is itself a message, such as a rule's exception), so control
    characters, line breaks and other non-printables are escaped (``\\n``, ``\\x1b``,
    ``\\u2028``) and can never start a line of their own. Text longer than ``limit`` characters
    is cut, ending with ``…``. Every message that quotes input uses this: a long value, or a
    secret in a file a link pointed to, is never echoed whole.
    """
    if not isinstance(value, str):  # a number or structure: as Python writes it, unquoted
        written = repr(value)
        return written if len(written) <= limit else written[:limit] + "…"
    cut = len(value) > limit
    written = repr(value[:limit] if cut else value)
    body, quote = written[1:-1], written[0]
    ending = "…" if cut else ""
    return f"{quote}{body}{ending}{quote}" if quoted else f"{body}{ending}"
