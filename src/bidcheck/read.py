"""Stage 1, read: YAML text -> plain data, with the line and column of every key and value.

Only safe YAML is read. Every scalar stays text (``no`` stays ``"no"``, ``0123`` stays
``"0123"``) and the typed models decide what it means, so YAML 1.1's guesses never turn a
typo into a value. Nulls are the one exception: a plain ``~``/``null``/empty value is ``None``.

Anchors, aliases and YAML 1.1 merge keys work: ``<<: *base`` (or ``<<: [*a, *b]``) copies the
keys of those mappings that the mapping does not give itself (keys written in the mapping win,
then earlier mappings over later ones), and the copied keys keep the positions where they
were written, so an error in one points at the anchored mapping.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Union

import yaml

from bidcheck.decoding import decode_utf8
from bidcheck.problems import Problem, ProblemsFound, excerpt, unreadable

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


class EmptyFile(ProblemsFound):
    """The file holds no YAML document at all (nothing, or only comments)."""


class Position(NamedTuple):  # a tuple: a tender records a hundred of these, so it must be cheap
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
    """Read one YAML file; raise :class:`ProblemsFound` with located problems if it is not usable.

    See :func:`read_limited` for what is read, and how much.
    """
    name = display_name or str(path)
    return read_bytes(read_limited(path, name, max_bytes), name, max_bytes)


def read_limited(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, never more than ``max_bytes`` + 1 of them.

    A device, FIFO or socket is refused before it is opened (reading ``/dev/zero`` would never
    end, a FIFO would wait for a writer). The size ``stat`` gives is only a first look: files in
    ``/proc`` say 0 and a file may grow while it is read, so the read itself stops one byte past
    the limit. Raises :class:`ProblemsFound` (whole-file problem, named ``name``).
    """
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise _whole_file(name, "is a folder, not a file; not read")
        if not stat.S_ISREG(mode):
            raise _whole_file(name, "not a regular file (a device, pipe or socket); not read")
        # Non-blocking: a FIFO swapped in after the first look is refused, not waited on.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)), "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise _whole_file(name, "not a regular file (a device, pipe or socket); not read")
            if status.st_size > max_bytes:
                raise _over_limit(name, max_bytes)
            raw = file.read(max_bytes + 1)
    except OSError as error:
        raise ProblemsFound([unreadable(name, error)]) from None
    if len(raw) > max_bytes:
        raise _over_limit(name, max_bytes)
    return raw


def read_bytes(raw: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read YAML from bytes already read (stdin: read at most ``max_bytes`` + 1 of them)."""
    if len(raw) > max_bytes:
        raise _over_limit(name, max_bytes)
    return read_text(decode_utf8(raw, name), name)


def _over_limit(name: str, max_bytes: int) -> ProblemsFound:
    return _whole_file(name, f"over the {max_bytes:,}-byte limit (--max-file-size); not read")


def read_text(text: str, name: str) -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]
    document = Document(file=name, data=None)
    loader = _Loader(text)
    try:
        document.data = _Builder(document, loader).build()
    except yaml.MarkedYAMLError as error:
        raise ProblemsFound([_yaml_problem(name, error, text)]) from None
    except yaml.YAMLError as error:
        raise _whole_file(name, f"not valid YAML: {excerpt(str(error), 120)}") from None
    finally:
        loader.dispose()
    return document


_NULLS = {"", "~", "null", "Null", "NULL"}


class _Frame:
    """A mapping or list being built, and where it is in the document."""

    __slots__ = ("value", "path", "key", "key_event", "size", "anchor", "start", "merge_event", "merge_value")

    def __init__(self, value: Any, path: PathKey, anchor: str | None, start: int):
        self.value = value
        self.path = path
        self.key: str | None = None  # a mapping's key, waiting for its value
        self.key_event: Any = None
        self.size = 1  # values inside, counting alias expansion
        self.anchor = anchor
        self.start = start  # where this value's paths begin in _Builder.written
        self.merge_event: Any = None  # the `<<` key, when the mapping has one
        self.merge_value: Any = None


class _Builder:
    """Builds plain data from the parser's events, recording positions as it goes.

    Working from events with an explicit stack (not libyaml's recursive composer) keeps deep
    nesting from exhausting the C stack; aliases share the anchored value but count their
    full size against ``MAX_NODES``, so an alias bomb is refused before anything expands.
    """

    def __init__(self, document: Document, loader: Any):
        self.document = document
        self.loader = loader
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        # Every path given a position, in document order: a mapping's paths are one slice of it.
        self.written: list[PathKey] = []
        # id(mapping) -> (mapping, its path, its slice of ``written``): where merged keys were written.
        self.mappings: dict[int, tuple[Any, PathKey, int, int]] = {}

    def build(self) -> Any:
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            raise EmptyFile([Problem(self.document.file, 1, 1, "file is empty; expected a YAML mapping")])
        loader.get_event()  # DocumentStart
        stack: list[_Frame] = []
        root: Any = None
        next_event = loader.get_event
        while True:
            event = next_event()
            kind = type(event)
            if kind is yaml.DocumentEndEvent:
                break
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                if kind is yaml.MappingEndEvent:
                    if frame.merge_event is not None:
                        self._merge(frame)
                    self.mappings[id(frame.value)] = (frame.value, frame.path, frame.start, len(self.written))
                if frame.anchor:
                    self.anchors[frame.anchor] = (frame.value, frame.size)
                if stack:
                    stack[-1].size += frame.size
                else:
                    root = frame.value
                continue
            if stack and stack[-1].key is None and type(stack[-1].value) is dict:
                self._take_key(stack[-1], event)
                continue
            path = self._child_path(stack, event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._check_tag(event)
                self._count(event, 1)
                if len(stack) > MAX_DEPTH:
                    raise self._problem(event, f"nesting deeper than {MAX_DEPTH} levels; refused")
                self.document.value_positions[path] = _position(event)
                frame = _Frame({} if kind is yaml.MappingStartEvent else [], path, event.anchor, len(self.written))
                self._attach(stack, frame.value)
                stack.append(frame)
                continue
            value, size = self._leaf(event, path)
            if stack:
                self._attach(stack, value)
                stack[-1].size += size
            else:
                root = value
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise self._problem(event, "more than one YAML document in the file; a tender file holds one")
        return root

    def _take_key(self, frame: _Frame, event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise self._problem(event, "a key must be plain text, not a list, mapping or alias")
        key = event.value
        if key == "<<" and not event.style and event.implicit[0]:  # YAML 1.1's merge key (quoted, it is a plain key)
            if frame.merge_event is not None:
                raise self._problem(event, f"merge key (<<) given twice in one mapping; list the mappings instead: <<: [*a, *b] (first at line {_position(frame.merge_event).line})")
            frame.merge_event = frame.key_event = event
            frame.key = key
            return
        if key in frame.value:
            first = self.document.key_positions[frame.path + (key,)]
            raise self._problem(event, f"duplicate key {excerpt(key)}; it was first given at line {first.line}")
        frame.key, frame.key_event = key, event
        self.document.key_positions[frame.path + (key,)] = _position(event)
        self.written.append(frame.path + (key,))

    def _child_path(self, stack: list[_Frame], event: Any) -> PathKey:
        if not stack:
            return ()
        parent = stack[-1]
        if isinstance(parent.value, dict):
            return parent.path + (parent.key,)  # type: ignore[operator]
        path = parent.path + (len(parent.value),)
        self.document.key_positions[path] = _position(event)
        self.written.append(path)
        return path

    @staticmethod
    def _attach(stack: list[_Frame], value: Any) -> None:
        if not stack:
            return
        parent = stack[-1]
        if isinstance(parent.value, dict):
            if parent.key_event is parent.merge_event:
                parent.merge_value = value  # merged when the mapping ends, so its own keys win
            else:
                parent.value[parent.key] = value
            parent.key = None
        else:
            parent.value.append(value)

    def _merge(self, frame: _Frame) -> None:
        """Copy into ``frame``'s mapping the keys of the mappings its ``<<`` names that it lacks."""
        value = frame.merge_value
        sources = value if isinstance(value, list) else [value]
        if not sources or not all(isinstance(source, dict) for source in sources):
            raise self._problem(
                frame.merge_event,
                "merge key (<<) expects a mapping or an alias to one (<<: *base), or a list of them (<<: [*a, *b])",
            )
        target, positions = frame.value, self.document
        for source in sources:  # earlier mappings win over later ones
            taken = {key for key in source if key not in target}
            for key in taken:
                target[key] = source[key]
            _, source_path, start, end = self.mappings[id(source)]
            depth = len(source_path)
            for path in self.written[start:end]:  # only this mapping's paths: the cost is its size
                if len(path) > depth and path[depth] in taken:
                    copied = frame.path + path[depth:]
                    positions.key_positions[copied] = positions.key_positions[path]
                    if path in positions.value_positions:
                        positions.value_positions[copied] = positions.value_positions[path]
                    self.written.append(copied)

    def _leaf(self, event: Any, path: PathKey) -> tuple[Any, int]:
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self._problem(event, f"alias {excerpt('*' + event.anchor)} refers to an anchor that is not defined (or not finished)")
            value, size = self.anchors[event.anchor]
            self._count(event, size)
            self.document.value_positions[path] = _position(event)
            return value, size
        if not isinstance(event, yaml.ScalarEvent):  # pragma: no cover - the parser yields nothing else here
            raise self._problem(event, "unexpected YAML structure")
        self._check_tag(event)
        self._count(event, 1)
        self.document.value_positions[path] = _position(event)
        plain = not event.style and event.implicit[0]
        value = None if plain and event.tag is None and event.value in _NULLS else event.value
        if event.tag == _TAG + "null":
            value = None
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        return value, 1

    def _check_tag(self, event: Any) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in _ALLOWED_TAGS:
            return
        raise self._problem(event, f"YAML tag {excerpt(tag)} is not allowed; tenders hold plain values only")

    def _count(self, event: Any, size: int) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise self._problem(event, f"document expands to more than {MAX_NODES:,} values (alias expansion?); refused")

    def _problem(self, event: Any, message: str) -> ProblemsFound:
        where = _position(event)
        return ProblemsFound([Problem(self.document.file, where.line, where.column, message)])


def _position(event: Any) -> Position:
    return Position(event.start_mark.line + 1, event.start_mark.column + 1)


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
    elif "nesting depth" in message:  # newer libyaml scanners stop deep flow nesting before our builder sees it
        message = f"nesting deeper than {MAX_DEPTH} levels; refused"
        return Problem(name, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, line, column, f"invalid YAML: {message}")


def _whole_file(name: str, message: str) -> ProblemsFound:
    return ProblemsFound([Problem(name, 1, 1, message)])
