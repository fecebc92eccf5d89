"""Matching places and services as bid teams write them."""

from __future__ import annotations

import re
from collections.abc import Iterable

_CODE = re.compile(r"^(?:TL|UK)[A-Z0-9]{0,3}$")  # ITL (TL...) and NUTS (UK...) region codes


def normalise(name: str) -> str:
    """Case, spacing and hyphens do not matter: "Substance Misuse" == "substance-misuse"."""
    return re.sub(r"[\s_-]+", " ", name.strip().lower())


def covers(ours: str, theirs: str) -> bool:
    """Does the area we deliver in (``ours``) cover the tender's area (``theirs``)?

    Names match ignoring case and spacing. Region codes match by prefix, so delivering
    across ``TLI`` (London) covers ``TLI41``.
    """
    if normalise(ours) == normalise(theirs):
        return True
    ours_code, theirs_code = ours.strip().upper(), theirs.strip().upper()
    return bool(_CODE.match(ours_code) and _CODE.match(theirs_code) and theirs_code.startswith(ours_code))


def presence(our_areas: Iterable[str], tender_areas: Iterable[str]) -> list[str]:
    """The tender's areas where we already deliver."""
    ours = list(our_areas)
    return [area for area in tender_areas if any(covers(mine, area) for mine in ours)]
