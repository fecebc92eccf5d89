"""Stage 1, read: YAML text -> plain data, with the line and column of every key and value.

Only safe YAML is read. Every scalar stays text (``no`` stays ``"no"``, ``0123`` stays
``"0123"``) and the typed models decide what it means, so YAML 1.1's guesses never turn a
typo into a value. Nulls are the one exception: a plain ``~``/``null``/empty value is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from bidcheck.problems import Problem, ProblemsFound

try:  # libyaml is several times faster; pure Python is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple[Union[str, int], ...]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000  # after alias expansion; a real tender has a few hundred

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Document:
    """A YAML file read into plain data, with where each part of it was written."""

    file: str
    data: Any
    # Where each path's key was written (for list items: where the item starts).
    key_positions: dict[PathKey, Position] = field(default_factory=dict)
    # Where each path's value starts.
    value_positions: dict[PathKey, Position] = field(default_factory=dict)

    def position_of(self, path: PathKey) -> Position:
        """The key position of ``path``, or of its nearest ancestor that was written."""
        for end in range(len(path), 0, -1):
            found = self.key_positions.get(tuple(path[:end]))
            if found:
                return found
        return self.value_positions.get((), Position(1, 1))

    def value_position_of(self, path: PathKey) -> Position:
        return self.value_positions.get(tuple(path)) or self.position_of(path)


def read_file(path: Path, display_name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one YAML file; raise :class:`ProblemsFound` with located problems if it is not usable."""
    name = display_name or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _whole_file(name, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; not read")
        raw = path.read_bytes()
    except OSError as error:
        raise _whole_file(name, f"cannot read file: {error.strerror or error}") from None
    return read_bytes(raw, name, max_bytes)


def read_bytes(raw: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    if len(raw) > max_bytes:
        raise _whole_file(name, f"input is {len(raw):,} bytes, over the {max_bytes:,}-byte limit; not read")
    return read_text(_decode(raw, name), name)


def read_text(text: str, name: str) -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise ProblemsFound([_yaml_problem(name, error, text)]) from None
    except yaml.YAMLError as error:
        raise _whole_file(name, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    if root is None:
        raise _whole_file(name, "file is empty; expected a YAML mapping")
    document = Document(file=name, data=None)
    document.data = _Builder(document).build(root, (), 0)
    return document


class _Builder:
    """Turns composed YAML nodes into plain data while recording positions."""

    def __init__(self, document: Document):
        self.document = document
        self.nodes_seen = 0

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            raise self._problem(node, f"document expands to more than {MAX_NODES:,} values (alias expansion?); refused")
        if depth > MAX_DEPTH:
            raise self._problem(node, f"nesting deeper than {MAX_DEPTH} levels; refused")
        if node.tag not in _ALLOWED_TAGS and not node.tag.startswith("tag:yaml.org,2002:merge"):
            raise self._problem(node, f"YAML tag {node.tag!r} is not allowed; tenders hold plain values only")
        self.document.value_positions[path] = _position(node)
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.tag == _TAG + "null":  # plain style is None or "" (libyaml)
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.document.key_positions[path + (index,)] = _position(item)
                items.append(self.build(item, path + (index,), depth + 1))
            return items
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._problem(key_node, "a key must be plain text, not a list or mapping")
            key = key_node.value
            if key in mapping:
                first = self.document.key_positions[path + (key,)]
                raise self._problem(key_node, f"duplicate key {key!r}; it was first given at line {first.line}")
            self.document.key_positions[path + (key,)] = _position(key_node)
            mapping[key] = self.build(value_node, path + (key,), depth + 1)
        return mapping

    def _problem(self, node: yaml.Node, message: str) -> ProblemsFound:
        where = _position(node)
        return ProblemsFound([Problem(self.document.file, where.line, where.column, message)])


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:8192]:
        raise _whole_file(name, "binary file (contains NUL bytes); expected UTF-8 YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ProblemsFound(
            [Problem(name, line, column, f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8")]
        ) from None


def _yaml_problem(name: str, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = error.problem or "invalid YAML"
    lines = text.splitlines()
    if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        message = "tab character in indentation; YAML indents with spaces"
    elif error.context and error.context not in message:
        message = f"{message} ({error.context})"
    if "expected a single document" in message:
        message = "more than one YAML document in the file; a tender file holds one"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, line, column, f"invalid YAML: {message}")


def _whole_file(name: str, message: str) -> ProblemsFound:
    return ProblemsFound([Problem(name, 1, 1, message)])
