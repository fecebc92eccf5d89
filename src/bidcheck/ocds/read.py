"""``import ocds``, step 1, reading: what the command line names -> OCDS releases.

An input is a file, ``-`` (stdin) or a folder, whose ``*.json``, ``*.jsonl``, ``*.ndjson``
and ``*.jsonlines`` files are read recursively in name order (hidden files and folders
left out), as ``bidcheck check`` reads a folder of tenders. A file holds a release package,
a record package, a record, a release, a JSON array of them, or JSON Lines of any of them.

Faults are located :class:`Problem` values. One that spoils the whole input (not UTF-8,
not JSON, not OCDS) leaves nothing read from it; a JSON Lines line that is not JSON or not
OCDS spoils only itself: the other lines are read. Only ``\\n`` ends a line, because
U+2028, U+0085 and their kind are valid inside JSON strings.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bidcheck.ocds.json_codec import parse
from bidcheck.problems import Problem, ProblemsFound, unreadable

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
OCDS_SUFFIXES = (".json", *JSON_LINES_SUFFIXES)
STDIN = "-"
LINE_PROBLEMS_LISTED = 10  # per file; then one problem counts the rest, so a wrong file cannot flood the terminal
_JSON_SPACE = " \t\r"  # JSON's whitespace besides \n; str.strip() would also take U+2028 and the like
_LINE_SKIPPED = "; this line is skipped, the other lines are read"


@dataclass(frozen=True)
class Release:
    """One OCDS release as read, with where it came from."""

    data: dict[str, Any]
    where: str  # "file:line" or "file: releases[3]", for messages
    package_publisher: Optional[str] = None
    package_uri: Optional[str] = None
    problem: Optional[str] = None  # why it cannot be used at all (not an object, ...)
    text: Optional[str] = None  # the release's JSON as read, when a JSON Lines line is one bare release

    @property
    def ocid(self) -> str:
        return str(self.data["ocid"])

    @property
    def release_id(self) -> Optional[str]:
        return as_text(self.data.get("id"))


def read_inputs(arguments: Iterable[str], read_stdin: Callable[[], bytes]) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The ``(name, bytes)`` of every OCDS file the arguments name, and a problem for each that cannot be read."""
    inputs: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    for argument in arguments:
        for name in _input_files(argument):
            if isinstance(name, Problem):
                problems.append(name)
                continue
            try:
                inputs.append(read_input(name, read_stdin))
            except ProblemsFound as error:
                problems.extend(error.problems)
    return inputs, problems


def _input_files(argument: str) -> Iterator[str | Problem]:
    if argument == STDIN or not os.path.isdir(argument):
        yield argument
        return
    found = False
    for root, folders, files in os.walk(argument):  # does not follow symlinked folders: no loops
        folders[:] = sorted(folder for folder in folders if not folder.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(OCDS_SUFFIXES) and not name.startswith("."):
                found = True
                yield os.path.join(root, name)
    if not found:
        yield Problem(argument, 0, 0, "no OCDS files (*.json, *.jsonl, *.ndjson) in this folder")


def read_input(path: str, read_stdin: Callable[[], bytes]) -> tuple[str, bytes]:
    """The bytes of one input file (``-`` is stdin). Raises :class:`ProblemsFound` when it cannot be read."""
    if path == STDIN:
        return "<stdin>", read_stdin()
    try:
        return path, Path(path).read_bytes()
    except OSError as error:
        raise ProblemsFound([unreadable(path, error)]) from None


def read_releases(raw: bytes, name: str) -> list[Release]:
    """Every release in one input; :class:`ProblemsFound` when any part of it cannot be read.

    The strict form of :func:`releases_and_problems`, for callers that want all or nothing.
    """
    releases, problems = releases_and_problems(raw, name)
    if problems:
        raise ProblemsFound(problems)
    return releases


def releases_and_problems(raw: bytes, name: str) -> tuple[list[Release], list[Problem]]:
    """The releases in one input, and located problems for what could not be read.

    Bad JSON or non-OCDS data gives no releases and one problem; in JSON Lines, a bad line
    gives one problem and the other lines' releases. A release that is there but unusable
    (no ocid, not an object) is still returned when it can be named, so the caller can skip
    it with a warning.
    """
    try:
        text = _decode(raw, name)
        if name.lower().endswith(JSON_LINES_SUFFIXES):
            return _read_json_lines(text, name)
        try:
            document = parse(text)
        except json.JSONDecodeError as error:
            if _is_json_lines(text):
                return _read_json_lines(text, name)  # JSON Lines in a .json file, perhaps with a bad line
            raise ProblemsFound([Problem(name, error.lineno, error.colno, f"invalid JSON: {error.msg}")]) from None
        except RecursionError:
            raise ProblemsFound([Problem(name, 1, 1, "invalid JSON: nested too deeply")]) from None
        if isinstance(document, list):
            releases: list[Release] = []
            for index, item in enumerate(document):
                releases.extend(_releases_in(item, name, 1, f"{name}: [{index}]"))
            return releases, []
        return list(_releases_in(document, name, 1, name)), []
    except ProblemsFound as error:
        return [], error.problems


def _decode(raw: bytes, name: str) -> str:
    from bidcheck.decoding import decode_utf8

    return decode_utf8(raw, name, "JSON").removeprefix("\ufeff")


def _is_json_lines(text: str, looked_at: int = 10) -> bool:
    """Is text that is not one JSON value JSON Lines? Yes when a line among the first few is
    a whole OCDS object: no line of a pretty-printed package is, however it is broken."""
    lines = [line for line in text.split("\n") if line.strip(_JSON_SPACE)][:looked_at]
    for line in lines:
        try:
            value = parse(line)
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(value, dict) and {"ocid", "releases", "records"} & set(value):
            return True
    return False


def _read_json_lines(text: str, name: str) -> tuple[list[Release], list[Problem]]:
    releases: list[Release] = []
    problems: list[Problem] = []
    for found in json_lines(enumerate(text.split("\n"), start=1), name):
        (problems if isinstance(found, Problem) else releases).append(found)
    return releases, problems


def json_lines(lines: Iterable[tuple[int, str | bytes]], name: str) -> Iterator[Release | Problem]:
    """The releases of numbered JSON Lines, one line at a time, and a located problem for each
    line that cannot be read (the first :data:`LINE_PROBLEMS_LISTED`, then one counting the rest).

    Lines may be bytes (read from a file, decoded here one by one) or text.
    """
    bad_lines = 0
    for number, line in lines:
        problem: Optional[Problem] = None
        if isinstance(line, bytes):
            line, problem = _decode_line(line, name, number)
        if problem is None:
            if number == 1:
                line = line.removeprefix("\ufeff")
            if not line or (line[0] in _JSON_SPACE and not line.strip(_JSON_SPACE)):  # blank (strip only then: lines are long)
                continue
            try:
                value = parse(line)
                if isinstance(value, dict) and "ocid" in value and "releases" not in value and "compiledRelease" not in value:
                    yield Release(value, f"{name}:{number}", text=line)  # a bare release: the store keeps its text as read
                else:
                    yield from _releases_in(value, name, number, f"{name}:{number}")
                continue
            except json.JSONDecodeError as error:
                problem = Problem(name, number, error.colno, f"invalid JSON on this line: {error.msg}{_LINE_SKIPPED}")
            except RecursionError:
                problem = Problem(name, number, 1, f"invalid JSON on this line: nested too deeply{_LINE_SKIPPED}")
            except ProblemsFound as error:
                [found] = error.problems
                problem = Problem(name, number, found.column, found.message + _LINE_SKIPPED)
        bad_lines += 1
        if bad_lines <= LINE_PROBLEMS_LISTED:
            yield problem
    if bad_lines > LINE_PROBLEMS_LISTED:
        more = bad_lines - LINE_PROBLEMS_LISTED
        yield Problem(name, 0, 0, f"{more} more lines could not be read and are skipped (the first {LINE_PROBLEMS_LISTED} are listed)")


def _decode_line(raw: bytes, name: str, number: int) -> tuple[str, Optional[Problem]]:
    try:
        return raw.decode("utf-8"), None  # the whole file's encoding was checked when it was opened
    except UnicodeDecodeError:
        pass
    try:
        return _decode(raw, name), None
    except ProblemsFound as error:
        [found] = error.problems
        return "", Problem(name, number, found.column, found.message + _LINE_SKIPPED)


@dataclass(frozen=True)
class InputOpened:
    """Marks the start of one input in :func:`stream_releases`, so callers can count inputs."""

    name: str


def stream_releases(
    sources: Iterable[str | tuple[str, bytes]], read_stdin: Callable[[], bytes]
) -> Iterator[Release | Problem | InputOpened]:
    """Every release the sources hold, in order, with a located problem for what cannot be read.

    A source is a command-line argument (a file, a folder, ``-`` for stdin) or ``(name,
    bytes)`` already read. JSON Lines files are read one line at a time, so memory does not
    grow with the file; other inputs (API pages, stdin) are read whole.
    """
    for source in sources:
        if isinstance(source, tuple):
            yield InputOpened(source[0])
            found, problems = releases_and_problems(source[1], source[0])
            yield from found
            yield from problems
            continue
        for name in _input_files(source):
            if isinstance(name, Problem):
                yield name
                continue
            if name != STDIN and name.lower().endswith(JSON_LINES_SUFFIXES):
                yield from _stream_file(name)
                continue
            try:
                label, raw = read_input(name, read_stdin)
            except ProblemsFound as error:
                yield from error.problems
                continue
            yield InputOpened(label)
            found, problems = releases_and_problems(raw, label)
            del raw
            yield from found
            yield from problems


_ENCODING_LOOKS_AT = 8192  # bytes: enough to see a byte-order mark or UTF-16's NULs


def _encoding_problem(head: bytes, name: str) -> Optional[Problem]:
    """The problem when a file is UTF-16, UTF-32 or binary as a whole (lines split on b"\\n" hide it), else None."""
    try:
        _decode(head, name)
    except ProblemsFound as error:
        [found] = error.problems
        if not found.message.startswith("not UTF-8"):  # a bad byte is one line's problem; a cut character is none
            return found
    return None


def _stream_file(name: str) -> Iterator[Release | Problem | InputOpened]:
    try:
        file = open(name, "rb")  # noqa: SIM115 - closed below, after the last line is read
    except OSError as error:
        yield unreadable(name, error)
        return
    with file:
        yield InputOpened(name)
        try:
            whole_file = _encoding_problem(file.peek(_ENCODING_LOOKS_AT)[:_ENCODING_LOOKS_AT], name)
            if whole_file:
                yield whole_file
                return
            # Binary lines split on b"\n" only, as JSON Lines says (U+2028 and the like stay inside strings).
            yield from json_lines(enumerate(file, start=1), name)
        except OSError as error:
            yield unreadable(name, error)


_NOT_OCDS = (
    "not OCDS: expected a release package (with \"releases\"), a record package (with \"records\"), "
    "a release (with \"ocid\"), or JSON Lines of these"
)


def _releases_in(item: Any, name: str, line: int, where: str) -> Iterator[Release]:
    """The releases in one JSON value: a package, a record package, a record or a release."""
    if not isinstance(item, dict):
        raise ProblemsFound([Problem(name, line, 1, f"{_NOT_OCDS}; got {json_kind(item)}")])
    publisher = as_text(as_dict(item.get("publisher")).get("name"))
    uri = as_text(item.get("uri"))
    if "releases" in item and "ocid" not in item:  # a release package
        releases = item["releases"]
        if not isinstance(releases, list):
            raise ProblemsFound([Problem(name, line, 1, f"not OCDS: \"releases\" should be a list, got {json_kind(releases)}")])
        for index, release in enumerate(releases):
            yield _release(release, f"{where}: releases[{index}]", publisher, uri)
    elif "records" in item:  # a record package
        records = item["records"]
        if not isinstance(records, list):
            raise ProblemsFound([Problem(name, line, 1, f"not OCDS: \"records\" should be a list, got {json_kind(records)}")])
        for index, record in enumerate(records):
            yield from _record_releases(record, f"{where}: records[{index}]", publisher, uri)
    elif "ocid" in item and ("compiledRelease" in item or isinstance(item.get("releases"), list)):  # a record
        yield from _record_releases(item, where, publisher, uri)
    elif "ocid" in item:  # a release
        yield Release(item, where, publisher, uri)
    else:
        raise ProblemsFound([Problem(name, line, 1, _NOT_OCDS)])


def _record_releases(record: Any, where: str, publisher: Optional[str], uri: Optional[str]) -> Iterator[Release]:
    """A record's embedded releases; when it only links to them, its compiled release."""
    record = as_dict(record)
    embedded = [release for release in as_list(record.get("releases")) if isinstance(release, dict) and "ocid" in release]
    if embedded:
        for index, release in enumerate(embedded):
            yield Release(release, f"{where}: releases[{index}]", publisher, uri)
    elif isinstance(record.get("compiledRelease"), dict):
        yield Release(record["compiledRelease"], f"{where}: compiledRelease", publisher, uri)
    else:
        problem = "the record has no embedded releases and no compiledRelease"
        yield Release({"ocid": record.get("ocid")}, where, publisher, uri, problem)


def _release(value: Any, where: str, publisher: Optional[str], uri: Optional[str]) -> Release:
    if isinstance(value, dict):
        return Release(value, where, publisher, uri)
    return Release({}, where, publisher, uri, f"the release is {json_kind(value)}, not an object")


# --- taking JSON values as they come: publishers put anything anywhere ----------------


def json_kind(value: Any) -> str:
    """What a JSON value is, for messages: ``"an object"``, ``"a list"``, ``"a string"``..."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else ``{}``."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a JSON array, else ``[]``."""
    return value if isinstance(value, list) else []


def as_text(value: Any) -> Optional[str]:
    """Non-blank text, stripped, or a number as text; None for anything else."""
    if type(value) is str:  # the common case first: called for almost every field of every release read
        return value.strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
