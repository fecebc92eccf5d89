"""CPV 2008, the Common Procurement Vocabulary notices classify their subject with (SPEC §1.1).

A CPV code is 8 digits and a check digit, ``85312300-2``. Its digits are a hierarchy: the
first two are the division (``85000000`` Health and social work services), the third the
group (``85300000``), the fourth the class (``85310000``), the fifth the category
(``85312000``) and the rest finer categories; trailing zeros only pad. A *prefix* such as
``853`` stands for every code that starts with it.

The English descriptions ship with bidcheck (``data/cpv_2008.csv``, 9,454 codes; provenance
in ``data/cpv_2008.md``) and are read the first time one is asked for, never at start-up.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple, Optional

# A prefix of 1-8 digits, or a full code with its check digit ("85312000-9"), read as its digits.
_CODE = re.compile(r"([0-9]{8})-[0-9]|([0-9]{1,8})")
PREFIX_FORM = "1 to 8 digits such as 853, or a full code such as 85312000-9"
LEVELS = {2: "division", 3: "group", 4: "class", 5: "category"}


class CpvCode(NamedTuple):
    """One code of the CPV 2008 list: ``code`` 8 digits, ``check_digit`` one digit."""

    code: str
    check_digit: str
    description: str

    @property
    def level(self) -> str:
        """division, group, class, category, or subcategory (6 significant digits or more)."""
        return LEVELS.get(max(2, len(self.code.rstrip("0"))), "subcategory")

    def __str__(self) -> str:
        return f"{self.code}-{self.check_digit}"


def digits(text: str) -> Optional[str]:
    """The digits of a CPV code or prefix: ``"853"`` -> ``"853"``, ``" 85312000-9 "`` ->
    ``"85312000"`` (a full code's check digit is dropped, not checked); None when ``text`` is
    not a CPV code or prefix (letters, more than 8 digits, a check digit after fewer than 8)."""
    found = _CODE.fullmatch(text.strip())
    return (found.group(1) or found.group(2)) if found else None


def lookup(code: str) -> Optional[CpvCode]:
    """The CPV code ``code`` names: a full code (``85312300`` or ``85312300-2``), or a prefix
    of 2 digits or more (``853`` -> ``85300000`` Social work and related services, the group
    every code starting 853 belongs to).

    A prefix whose zero-padded code is not in the list (a gap in the hierarchy) names the
    shortest code it matches when there is exactly one. None when ``code`` is not digits, is
    one digit (no division is one digit: ``3`` spans divisions 30 to 39), or matches no code.
    """
    given = digits(code)
    if given is None or len(given) < 2:
        return None
    codes = _codes()
    padded = codes.get(given.ljust(8, "0"))
    if padded is not None:
        return padded
    matching = [entry for key, entry in codes.items() if key.startswith(given)]
    if not matching:
        return None
    shortest = min(len(entry.code.rstrip("0")) for entry in matching)
    candidates = [entry for entry in matching if len(entry.code.rstrip("0")) == shortest]
    return candidates[0] if len(candidates) == 1 else None


def describe(code: str) -> Optional[str]:
    """The English description of a CPV code or prefix (see :func:`lookup`), or None when unknown.

    ``describe("853")`` -> "Social work and related services";
    ``describe("85312300-2")`` -> "Guidance and counselling services".
    """
    found = lookup(code)
    return found.description if found else None


def broader(code: CpvCode) -> list[CpvCode]:
    """The codes ``code`` belongs to, division first: 85312300 -> 85000000, 85300000, 85310000, 85312000."""
    codes = _codes()
    significant = code.code.rstrip("0")
    found = []
    for length in range(2, len(significant)):
        parent = codes.get(significant[:length].ljust(8, "0"))
        if parent is not None and parent.code != code.code and parent not in found:
            found.append(parent)
    return found


def codes() -> list[str]:
    """Every 8-digit code of the CPV 2008 list, in the list's order."""
    return list(_codes())


@functools.cache
def _codes() -> dict[str, CpvCode]:
    """The shipped CPV 2008 list by 8-digit code, read once (9,454 rows, about 25 ms)."""
    import csv

    # Beside this module, as package data; importlib.resources would add its own import time.
    with open(Path(__file__).with_name("data") / "cpv_2008.csv", encoding="utf-8", newline="") as table:
        rows = csv.reader(table)
        next(rows)  # the header: code, check_digit, description_en
        return {code: CpvCode(code, check_digit, description) for code, check_digit, description in rows}
