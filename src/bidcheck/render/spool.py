"""A place on disk for the parts of a report that can only be written at the end.

SARIF needs its final rule list before the results and JUnit its counts before the test
cases, so those reports cannot stream. Keeping each part as text in a temporary file, not
as objects in memory, keeps their memory flat however big the batch is.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

_END = "\x00"  # never inside a part: JSON escapes it and XML 1.0 cannot carry it
_READ_SIZE = 1 << 16


class Spool:
    def __init__(self) -> None:
        # Parts come back exactly as written, "\r" and lone surrogates too; the file goes when closed.
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogatepass", newline="")
        self.count = 0

    def add(self, part: str) -> None:
        if _END in part:
            raise ValueError("a spooled part cannot contain NUL")
        self._file.write(part + _END)
        self.count += 1

    def __iter__(self) -> Iterator[str]:
        """Every part, in the order added."""
        self._file.seek(0)
        pending = ""
        while chunk := self._file.read(_READ_SIZE):
            *parts, pending = (pending + chunk).split(_END)
            yield from parts

    def close(self) -> None:
        self._file.close()
