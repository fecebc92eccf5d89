"""Located problems: how every stage reports bad input, as values, until the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass


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


class ProblemsFound(Exception):
    """Raised inside a stage to abandon one input; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
