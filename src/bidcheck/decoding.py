"""Bytes -> text for the reader: UTF-8 only, and anything else named for what it is.

A file in UTF-16 or UTF-32 (with or without a byte-order mark) is named by its encoding, a
Windows-1252 file by the character its first bad byte stands for, binary data as binary; each
says to save the file as UTF-8. A UTF-8 byte-order mark is fine (the reader drops it).
"""

from __future__ import annotations

import re

from bidcheck.problems import Problem, ProblemsFound


def decode_utf8(raw: bytes, name: str, kind: str = "YAML") -> str:
    """``raw`` as text; raise :class:`ProblemsFound` naming the encoding (or the first bad byte) if it is not UTF-8.

    ``kind`` names the text expected (``"YAML"``, ``"JSON"``) in the message for binary data.
    A UTF-8 byte-order mark is kept: each reader drops it.
    """
    encoding = _other_unicode_encoding(raw)
    if encoding:
        raise ProblemsFound([Problem(name, 1, 1, f"{encoding} text; save the file as UTF-8")])
    if b"\x00" in raw[:8192]:
        raise ProblemsFound([Problem(name, 1, 1, f"binary file (contains NUL bytes); expected UTF-8 {kind} text")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1  # in characters
        bad = raw[error.start : error.start + 1]
        try:  # the usual culprit: a file saved as Windows-1252 ("ANSI"), where 0xa3 is "£"
            seen_as = f", which is {bad.decode('cp1252')!r} in Windows-1252 text"
        except UnicodeDecodeError:
            seen_as = ""
        raise ProblemsFound(
            [Problem(name, line, column, f"not UTF-8 text (byte 0x{bad[0]:02x}{seen_as}); save the file as UTF-8")]
        ) from None


_BYTE_ORDER_MARKS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def _other_unicode_encoding(raw: bytes) -> str | None:
    """The name of the UTF-16 or UTF-32 encoding ``raw`` is in, or None.

    Known by its byte-order mark or, without one, as YAML's own encoding detection does: by
    the NUL bytes around its first (ASCII) character, then confirmed by decoding it whole
    into text with no control characters, so binary data is not mistaken for text.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return encoding
    for pattern, codec, encoding in _NUL_PATTERNS:
        head = raw[: len(pattern)]
        if len(head) == len(pattern) and all((byte == 0) == (want == 0) for byte, want in zip(head, pattern)):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                return None
            return None if _CONTROL_CHARACTERS.search(text) else encoding
    return None


# Where the NUL bytes of an ASCII first character fall (0 = NUL, 1 = not), most specific first.
_NUL_PATTERNS = (
    (b"\0\0\0\1", "utf-32-be", "UTF-32 (big-endian, no byte-order mark)"),
    (b"\1\0\0\0", "utf-32-le", "UTF-32 (little-endian, no byte-order mark)"),
    (b"\0\1", "utf-16-be", "UTF-16 (big-endian, no byte-order mark)"),
    (b"\1\0", "utf-16-le", "UTF-16 (little-endian, no byte-order mark)"),
)
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
