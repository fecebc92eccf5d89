"""Writing a report: whole or not at all, and never destroying what the path named before.

What a report path names decides how it is written (:func:`destination`):

- nothing yet, or a regular file: the report goes to a temporary file beside it, renamed
  over the path only when complete. A new file honours the umask (0644 under 022); an
  existing file keeps its mode.
- a character device or FIFO (``/dev/null``, a named pipe): written directly, never
  replaced; a rename would swap the device for a file.
- a symbolic link: refused, unless it leads to this process's own stdout or stderr on a
  terminal or pipe (``/dev/stdout``), which is written directly. A link in a checkout can
  point anywhere (a pull request can add ``report.sarif -> ~/.bashrc``, or a link to a
  device or a system FIFO), so bidcheck never writes through one; name the file itself.
  A folder named in a relative path (below the working directory) may not be a link either.
- a folder, a block device or a socket: refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, TextIO, cast

STDOUT = "<stdout>"
STDERR = "<stderr>"


class OutputFailed(Exception):
    """Writing to ``destination`` (a report's path, or ``<stdout>``) failed or was refused.

    ``reason`` is what went wrong, in words; ``errno`` is the operating system's error number
    when there was one (``errno.EPIPE``: the reader went away).
    """

    def __init__(self, destination: str, reason: str, error_number: Optional[int] = None):
        self.destination = destination
        self.reason = reason
        self.errno = error_number
        super().__init__(self.message)

    @classmethod
    def of(cls, destination: str, error: OSError) -> OutputFailed:
        reason = error.strerror or str(error)
        return cls(destination, reason[:1].lower() + reason[1:], error.errno)

    @property
    def broken_pipe(self) -> bool:
        return self.errno == errno.EPIPE

    @property
    def message(self) -> str:
        """``path: cannot write report: why`` (``output`` instead of ``report`` for stdout)."""
        what = "output" if self.destination == STDOUT else "report"
        return f"{self.destination}: cannot write {what}: {self.reason}"


class GuardedStream:
    """A text stream whose write errors say where: :class:`OutputFailed`, never a bare OSError.

    Everything else is the wrapped stream's. Renderers, rich and click see a text stream;
    the CLI sees which destination failed, and a closed pipe is told apart from a full disk.
    """

    def __init__(self, stream: TextIO, destination: str):
        self._stream = stream
        self._destination = destination

    def write(self, text: str) -> int:
        return cast(int, _named(self._destination, self._stream.write, text))

    def writelines(self, lines: Any) -> None:
        _named(self._destination, self._stream.writelines, lines)

    def flush(self) -> None:
        _named(self._destination, self._stream.flush)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guarded(stream: TextIO, destination: str) -> TextIO:
    """``stream``, with write errors raised as :class:`OutputFailed` naming ``destination``."""
    return cast(TextIO, GuardedStream(stream, destination))


@dataclass(frozen=True)
class Destination:
    """What a report path names now, and how a report would be written there."""

    path: Path
    stream: bool = False  # a character device or FIFO: written directly, never replaced
    refused: Optional[str] = None  # why bidcheck will not write here
    identity: Optional[tuple[int, int]] = None  # (st_dev, st_ino) of what is there; None if nothing


def destination(path: Path) -> Destination:
    """Look at ``path`` (without writing) and say how a report may be written to it.

    Never raises: a path that cannot be looked at counts as new, and creating it says why.
    """
    folder_link = _linked_folder(path)
    if folder_link is not None:
        return Destination(path, refused=f"the folder {folder_link} is a symbolic link; bidcheck never writes through one: name the real folder")
    try:
        entry = os.lstat(path)
    except OSError:  # nothing there yet, or a folder that is missing: creating the file says which
        return Destination(path)
    if stat.S_ISLNK(entry.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            target = None
        if target is not None and _is_own_standard_stream(target):
            return Destination(path, stream=True, identity=(target.st_dev, target.st_ino))
        return Destination(path, refused="is a symbolic link; bidcheck never writes through one (a link can point anywhere): name the file itself")
    identity = (entry.st_dev, entry.st_ino)
    if stat.S_ISREG(entry.st_mode):
        return Destination(path, identity=identity)
    if stat.S_ISCHR(entry.st_mode) or stat.S_ISFIFO(entry.st_mode):
        return Destination(path, stream=True, identity=identity)
    kind = "a folder" if stat.S_ISDIR(entry.st_mode) else "a block device" if stat.S_ISBLK(entry.st_mode) else "a socket"
    return Destination(path, refused=f"is {kind}, not a file, character device or FIFO", identity=identity)


def _is_own_standard_stream(target: os.stat_result) -> bool:
    """``/dev/stdout`` and the like: the terminal or pipe this process's stdout or stderr is."""
    if not (stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode)):
        return False
    for descriptor in (1, 2):
        try:
            own = os.fstat(descriptor)
        except OSError:
            continue
        if (own.st_dev, own.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _linked_folder(path: Path) -> Optional[Path]:
    """The first folder in ``path`` below the working directory that is a symbolic link."""
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:  # elsewhere: the folders are the user's own choice
            return None
    folder = Path()
    for part in path.parts[:-1]:
        if part == "..":  # above the working directory from here on
            return None
        folder /= part
        if folder.is_symlink():
            return folder
    return None


@contextlib.contextmanager
def open_report(path: Path) -> Iterator[TextIO]:
    """A text stream for a report at ``path``, written as :func:`destination` describes.

    Raises :class:`OutputFailed` when the path is refused or cannot be written, from the
    start or from any write; a regular file is then left as it was, with no temporary beside it.
    """
    found = destination(path)
    if found.refused:
        raise OutputFailed(str(path), found.refused)
    manager = _write_directly(path) if found.stream else _replace_whole(path, str(path))
    with manager as out:
        yield out


@contextlib.contextmanager
def atomic_report(path: Path) -> Iterator[TextIO]:
    """Write to a temporary file beside ``path`` and rename it over ``path`` on success.

    An interrupted or failed run leaves any earlier file untouched and no partial file.
    A new file honours the umask; an existing one keeps its mode. Raises OSError.
    """
    with _replace_whole(path, None) as out:
        yield out


@contextlib.contextmanager
def _replace_whole(path: Path, name: Optional[str]) -> Iterator[TextIO]:
    """Through a temporary file; OSError becomes OutputFailed naming ``name`` unless it is None."""

    def attempt(step: Callable[..., Any], *args: Any) -> Any:
        return step(*args) if name is None else _named(name, step, *args)

    out, temporary = attempt(_create_beside, path)
    try:
        yield out if name is None else guarded(out, name)
        attempt(out.close)
        attempt(os.replace, temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            out.close()
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _create_beside(path: Path) -> tuple[TextIO, Path]:
    """A new hidden file beside ``path``: the umask's mode, or ``path``'s if it is a regular file."""
    folder = path.parent
    for _ in range(100):
        temporary = folder / f".{path.name}.{os.urandom(4).hex()}.tmp"
        try:
            # 0o666 less the umask, as any program creating a file; O_EXCL never follows a link
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            existing = os.lstat(path)
            if stat.S_ISREG(existing.st_mode):
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(handle)
            os.unlink(temporary)
            raise
        return os.fdopen(handle, "w", encoding="utf-8", newline=""), temporary
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


@contextlib.contextmanager
def _write_directly(path: Path) -> Iterator[TextIO]:
    """A character device or FIFO, opened as it is: never created, truncated or replaced."""
    name = str(path)
    # A FIFO waits here for its reader, as a shell redirection does.
    handle = _named(name, os.open, path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    kind = os.fstat(handle).st_mode
    if not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):  # swapped for something else since it was looked at
        os.close(handle)
        raise OutputFailed(name, "changed while being opened; not written")
    out = os.fdopen(handle, "w", encoding="utf-8", newline="")
    try:
        yield guarded(out, name)
        _named(name, out.flush)
    finally:
        with contextlib.suppress(OSError):
            out.close()


def _named(destination: str, step: Callable[..., Any], *args: Any) -> Any:
    try:
        return step(*args)
    except OSError as error:
        raise OutputFailed.of(destination, error) from None
