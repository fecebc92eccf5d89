"""Small pieces of English every message is written with, so every message writes them alike.

- :func:`possessive`: "Haven Routes'" and "the incumbent's".
- :func:`number_of`: "1 partner", "3 partners".
- :func:`without_markup`: a docstring's reStructuredText markup taken out, for plain text.
"""

from __future__ import annotations

import re


def possessive(name: str) -> str:
    """``name`` with the possessive ending: ``'s``, or ``'`` alone after a plural-looking ``s``.

    "Haven Routes" -> "Haven Routes'"; "Local Project" -> "Local Project's";
    "the incumbent" -> "the incumbent's"; an acronym keeps ``'s`` ("NHS" -> "NHS's"), but a
    name all in capitals is words, not acronyms ("HAVEN ROUTES" -> "HAVEN ROUTES'"); a name
    already ending so, in either case, is left as it is ("St Mungo's", "ST MUNGO'S").
    """
    stripped = name.rstrip()
    if stripped.endswith(("'", "’")) or stripped[-2:].lower() in ("'s", "’s"):
        return stripped  # already possessive in form: "St Mungo's", "Carers'"
    last_word = stripped.rsplit(None, 1)[-1] if stripped else ""
    acronym = last_word.isupper() and (len(last_word) <= 4 or not stripped.isupper())
    if stripped[-1:] in ("s", "S") and not acronym:
        return stripped + "'"
    return stripped + "'s"


def number_of(count: int, noun: str, plural: str | None = None) -> str:
    """``"1 partner"``, ``"0 partners"``, ``"3 partners"``: a count with its noun agreeing.

    ``plural`` is for nouns that do not just add "s" ("info" -> "info", "body" -> "bodies").
    """
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


# ``literal``, :role:`target`, *emphasis* and **strong**: the markup docstrings use.
_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)
_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`~?([^`<]+?)(?:\s*<[^>]*>)?`")
_STRONG = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])")


def without_markup(text: str) -> str:
    """Docstring text for a terminal: ``literal`` -> literal, :func:`name` -> name,
    **strong** and *emphasis* -> the words alone. Anything else is left as written."""
    for pattern in (_LITERAL, _ROLE, _STRONG, _EMPHASIS):
        text = pattern.sub(r"\1", text)
    return text
