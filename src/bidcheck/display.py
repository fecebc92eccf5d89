"""Text as people and CI logs will see it, whatever a tender file holds.

- :func:`printable`: control characters shown as escapes, so a value is one line and
  cannot move the cursor, colour the terminal or reorder text (bidi controls).
- :func:`inert_lines`: a line that a CI runner would read as a workflow command
  (``::error::``, ``::stop-commands::``, ``##[error]``) is escaped, in each format's own way.
- :func:`carry_any_text`: a stream whose encoding cannot carry a character (``cp1252``,
  ``ascii``) gets an ASCII mark or ``?`` instead of raising ``UnicodeEncodeError``.
- :func:`terminal_width`: the width to wrap to on a terminal; ``None`` when not one.

Only the standard library: the CLI calls :func:`carry_any_text` before any command runs.
"""

from __future__ import annotations

import codecs
import re
import shutil
from collections.abc import Callable
from typing import TextIO

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi controls
# that reorder what a reader sees (the "Trojan Source" characters).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with each control character written as an escape (``\\n``, ``\\x1b``, ``\\u202e``).

    The result holds no line break and nothing a terminal acts on; other text is unchanged.
    """
    return _CONTROL.sub(_escape_control, text)


def _escape_control(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# The GitHub Actions runner reads a line as a command when, after leading whitespace, it
# starts "::" (or the older "##["); it splits lines at "\n" and at a lone "\r".
_WORKFLOW_COMMAND = re.compile(r"(?:^|(?<=[\r\n]))([^\S\r\n]*)(?=::|##\[)(.)", re.MULTILINE)


def backslash(character: str) -> str:
    """``\\:``: how text and Markdown write a character literally."""
    return "\\" + character


def character_reference(character: str) -> str:
    """``&#58;``: the character, as XML and HTML readers will read it, but not as a CI log line starts."""
    return f"&#{ord(character)};"


def inert_lines(text: str, escape: Callable[[str], str] = backslash) -> str:
    """``text`` with every line that would read as a workflow command made inert.

    The first character of the command marker is replaced by ``escape(character)``: a
    backslash in text and Markdown, a character reference in XML. Any other line is unchanged.
    """
    return _WORKFLOW_COMMAND.sub(lambda match: match[1] + escape(match[2]), text)


class InertLines:
    """A text stream that passes on whole lines, each through :func:`inert_lines`.

    For renderers that lay text out themselves (rich wraps lines anywhere): whatever ends up
    at the start of a line, no line of the report reads as a workflow command.
    """

    def __init__(self, out: TextIO, escape: Callable[[str], str] = backslash):
        self.out = out
        self.escape = escape
        self.pending = ""

    def write(self, text: str) -> int:
        whole, newline, self.pending = (self.pending + text).rpartition("\n")
        if newline:
            self.out.write(inert_lines(whole + newline, self.escape))
        return len(text)

    def flush(self) -> None:
        """Flush the stream below; a part line waits for its end, to be checked whole."""
        self.out.flush()

    def close_line(self) -> None:
        """Write out a last line that has no newline."""
        if self.pending:
            self.out.write(inert_lines(self.pending, self.escape))
            self.pending = ""
        self.out.flush()

    def __getattr__(self, name: str) -> object:  # isatty, encoding, fileno: the stream's own
        return getattr(self.out, name)


def terminal_width(out: TextIO) -> int | None:
    """Columns to wrap to when ``out`` is a terminal (``COLUMNS`` wins, as everywhere); else None.

    Piped or redirected output is never cut or wrapped to an assumed width.
    """
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return None
    return shutil.get_terminal_size().columns


# What each mark becomes where the output's encoding cannot carry it; anything else is "?".
ASCII_MARKS = {
    "✖": "x",
    "▲": "!",
    "→": "->",
    "·": "-",
    "—": "-",
    "–": "-",
    "…": "...",
    "£": "GBP ",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
}
_ASCII_HANDLER = "bidcheck-ascii-marks"


def _ascii_marks(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(ASCII_MARKS.get(c, "?") for c in error.object[error.start : error.end]), error.end


def carry_any_text(*streams: TextIO) -> None:
    """Let each stream write any text: where its encoding cannot carry a character, an ASCII
    mark (``✖`` -> ``x``, ``→`` -> ``->``) or ``?`` is written instead of raising an error."""
    codecs.register_error(_ASCII_HANDLER, _ascii_marks)
    for stream in streams:
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not encoding.startswith("utf"):
            reconfigure(errors=_ASCII_HANDLER)


def layout_table(
    rows: list[tuple[str, ...]], *, width: int | None = None, right: frozenset[int] = frozenset(), wrap: frozenset[int] = frozenset()
) -> list[list[str]]:
    """Rows of cells laid out in columns: each output line as its cells, padded to the column.

    Nothing is ever cut. Without ``width`` every column takes its widest cell. With a
    ``width`` too narrow for that, the columns in ``wrap`` give way (down to 8 characters)
    and their cells continue on more lines, broken at spaces or hyphens, or anywhere in a
    long word; if even that is too wide, lines are simply longer than ``width``.
    Columns in ``right`` are right-aligned. Columns are meant to be joined with two spaces.
    """
    import textwrap

    if not rows:
        return []
    columns = len(rows[0])
    widths = [max(len(row[column]) for row in rows) for column in range(columns)]
    if width is not None and wrap:
        _give_way(widths, wrap, sum(widths) + 2 * (columns - 1) - width)
    lines: list[list[str]] = []
    for row in rows:
        cells = [
            textwrap.wrap(cell, max(widths[column], 1), break_on_hyphens=True) or [""] if column in wrap else [cell]
            for column, cell in enumerate(row)
        ]
        for number in range(max(len(parts) for parts in cells)):
            line = []
            for column, parts in enumerate(cells):
                part = parts[number] if number < len(parts) else ""
                line.append(part.rjust(widths[column]) if column in right else part.ljust(widths[column]))
            lines.append(line)
    return lines


_NARROWEST = 8


def _give_way(widths: list[int], wrap: frozenset[int], excess: int) -> None:
    """Narrow the widest of the ``wrap`` columns together, level by level, by ``excess`` in all."""
    while excess > 0:
        top = max(widths[column] for column in wrap)
        if top <= _NARROWEST:
            return
        widest = [column for column in wrap if widths[column] == top]
        below = max([widths[column] for column in wrap if widths[column] < top] + [_NARROWEST])
        step = min(top - below, -(-excess // len(widest)))
        for column in widest:
            widths[column] -= step
        excess -= step * len(widest)
