"""bidcheck's config inside ``pyproject.toml``: detected by parsing the TOML, read with positions.

A ``pyproject.toml`` holds a bidcheck config when its parsed data has a ``tool.bidcheck`` key,
however the TOML spells it: a ``[tool.bidcheck]`` table, an inline table
(``[tool]`` then ``bidcheck = {...}``) or dotted keys (``bidcheck.rules.select = [...]``).
``[tool.bidcheck-extras]`` is another tool's table, not bidcheck's.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

from bidcheck.problems import Problem, ProblemsFound, unreadable
from bidcheck.read import DEFAULT_MAX_BYTES, MAX_DEPTH, Document, PathKey, Position

TABLE = ("tool", "bidcheck")


def holds_bidcheck_config(path: Path) -> bool:
    """Whether ``path`` is a pyproject.toml with a ``tool.bidcheck`` key.

    A file that cannot be parsed counts when it mentions bidcheck at all, so that loading it
    reports its syntax error instead of silently passing over a broken config.
    """
    try:
        _, data = _parse(path)
    except ProblemsFound:
        try:
            with open(path, "rb") as file:
                return b"bidcheck" in file.read(DEFAULT_MAX_BYTES + 1)
        except OSError:
            return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "bidcheck" in tool


def _depth(data: object) -> int:
    """How deeply tables and arrays nest in parsed TOML, counted without recursing."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _deepest(text: str) -> tuple[int, int]:
    """Roughly where TOML nests deepest (line, column): brackets and dotted-key parts counted per line."""
    best, where, depth = -1, (1, 1), 0
    steps = {"[": 1, "{": 1, "]": -1, "}": -1}
    for number, line in enumerate(text.splitlines(), start=1):
        dots = line.count(".")
        for column, character in enumerate(line, start=1):
            depth += steps.get(character, 0)
            if depth + dots > best:
                best, where = depth + dots, (number, column)
    return where


def read_pyproject(path: Path) -> Document:
    """``tool.bidcheck`` as a Document whose positions point into the TOML; raises ProblemsFound."""
    text, data = _parse(path)
    tool = data.get("tool")
    document = Document(file=str(path), data=tool.get("bidcheck", {}) if isinstance(tool, dict) else {})
    try:
        _Positions(text, document).scan()
    except (IndexError, ValueError):  # TOML the scanner does not follow: the data stands, less precisely located
        pass
    return document


def _parse(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    name = str(path)
    try:
        with open(path, "rb") as file:
            raw = file.read(DEFAULT_MAX_BYTES + 1)  # never more than the limit, whatever the file is
        if len(raw) > DEFAULT_MAX_BYTES:
            raise ProblemsFound([Problem(name, 1, 1, f"file is larger than {DEFAULT_MAX_BYTES} bytes; not read")])
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
        if _depth(data) > MAX_DEPTH:
            raise RecursionError
        return text, data
    except RecursionError:  # the parser recurses per level: the same bound as YAML, before it or Python gives out
        line, column = _deepest(text)
        raise ProblemsFound([Problem(name, line, column, f"nesting deeper than {MAX_DEPTH} levels; refused")]) from None
    except OSError as error:
        raise ProblemsFound([unreadable(name, error)]) from None
    except UnicodeDecodeError:
        raise ProblemsFound([Problem(name, 1, 1, "not UTF-8 text; save the file as UTF-8")]) from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(found[1]), int(found[2])) if found else (1, 1)
        raise ProblemsFound([Problem(name, line, column, f"invalid TOML: {str(error).split(' (at')[0]}")]) from None


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class _Positions:
    """Records where each part of ``tool.bidcheck`` is written, scanning TOML already parsed.

    Only valid TOML reaches it (tomllib parsed it first), so it need not report errors: it
    follows tables, dotted keys, inline tables and arrays (an array's items get positions,
    so a bad ``rules.paths`` entry is located on its own line).
    """

    def __init__(self, text: str, document: Document):
        self.text = text
        self.at = 0
        self.document = document
        self.line_starts = [0] + [match.end() for match in re.finditer(r"\n", text)]

    def scan(self) -> None:
        table: PathKey = ()
        while self._skip_blank():
            if self.text[self.at] == "[":
                start = self._position()
                closing = "]]" if self.text.startswith("[[", self.at) else "]"
                self.at += len(closing)
                table = tuple(self._key())
                self.at = self.text.index(closing, self.at) + len(closing)
                self._record(table, start, start)
            else:
                self._key_value(table)

    def _key_value(self, table: PathKey) -> None:
        key_start = self._position()
        path = table + tuple(self._key())
        self._skip_spaces()
        self.at += 1  # "="
        self._skip_spaces()
        self._record(path, key_start, self._position())
        self._value(path)

    def _value(self, path: PathKey) -> None:
        opening = self.text[self.at]
        if opening in "[{":
            self.at += 1
            index = 0
            while self._skip_blank() and self.text[self.at] not in "]}":
                if opening == "{":
                    self._key_value(path)
                else:
                    where = self._position()
                    self._record(path + (index,), where, where)
                    self._value(path + (index,))
                    index += 1
                self._skip_blank()
                if self.text[self.at] == ",":
                    self.at += 1
            self.at += 1
        elif opening in "\"'":
            self._string()
        else:
            found = _SCALAR_END.search(self.text, self.at)
            self.at = found.start() if found else len(self.text)

    def _key(self) -> list[str]:
        parts = []
        while True:
            self._skip_spaces()
            if self.text[self.at] in "\"'":
                parts.append(self._string())
            else:
                match = _BARE_KEY.match(self.text, self.at)
                parts.append(match[0] if match else "")
                self.at = match.end() if match else self.at + 1
            self._skip_spaces()
            if self.text[self.at] != ".":
                return parts
            self.at += 1

    def _string(self) -> str:
        quote = self.text[self.at]
        delimiter = quote * 3 if self.text.startswith(quote * 3, self.at) else quote
        start = self.at + len(delimiter)
        end = start
        while end < len(self.text) and not self.text.startswith(delimiter, end):
            end += 2 if quote == '"' and self.text[end] == "\\" else 1
        while self.text.startswith(quote, end + len(delimiter)) and len(delimiter) == 3:
            end += 1  # a multi-line string may end with up to two quotes of its own
        self.at = end + len(delimiter)
        return self.text[start:end]

    def _skip_spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t":
            self.at += 1

    def _skip_blank(self) -> bool:
        """Skip whitespace, newlines and comments; False at the end of the text."""
        while self.at < len(self.text):
            if self.text[self.at] in " \t\r\n":
                self.at += 1
            elif self.text[self.at] == "#":
                newline = self.text.find("\n", self.at)
                self.at = len(self.text) if newline < 0 else newline
            else:
                return True
        return False

    def _position(self) -> Position:
        line = bisect.bisect_right(self.line_starts, self.at)
        return Position(line, self.at - self.line_starts[line - 1] + 1)

    def _record(self, path: PathKey, key: Position, value: Position) -> None:
        if path[: len(TABLE)] == TABLE:
            inner = path[len(TABLE) :]
            self.document.key_positions.setdefault(inner, key)
            self.document.value_positions.setdefault(inner, value)
