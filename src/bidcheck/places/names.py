"""How places are written: names, ITL and NUTS codes, postcodes, and council names.

Pure text handling, no data: the gazetteer (:mod:`bidcheck.places.gazetteer`) looks up what
these functions produce.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

_CODE = re.compile(r"^(?:(?:TL|UK)[A-Z0-9]{1,3}|[ENSW][0-9]{8})$")  # ITL (TL...), NUTS (UK...) levels 1-3; ONS (GSS) area codes
_POSTCODE = re.compile(r"^([A-Z]{1,2})[0-9][A-Z0-9]?[0-9][A-Z]{2}$")  # spaces removed

# Words around a council's place name, as buyers and bid teams write them. Stripped one at a
# time, so "City of London" is tried whole before "London" (a region) could be reached.
_PREFIXES = (
    "the ", "london borough of ", "royal borough of ", "metropolitan borough of ", "borough of ",
    "council of the ", "city and county of ", "county borough of ", "county of ", "city of ",
)  # fmt: skip
_SUFFIXES = (
    " metropolitan borough council", " metropolitan district council", " county borough council",
    " city and district council", " borough council", " district council", " county council",
    " city council", " council", " corporation", " city", " cc",
)  # fmt: skip


def normalise(name: str) -> str:
    """Case, spacing and hyphens do not matter: "Substance Misuse" == "substance-misuse"."""
    return re.sub(r"[\s_-]+", " ", name.strip().lower())


def name_key(text: str) -> str:
    """A place name as the gazetteer indexes it: case, spacing, punctuation and "&"/"and" do not matter.

    "Yorkshire & the Humber" and "yorkshire and the humber", "Stockton-on-Tees" and
    "Stockton on Tees", "North East (England)" and "north east england" give one key.
    """
    key = text.casefold().replace("&", " and ")
    key = re.sub(r"['\u2019]", "", key)  # "King's Lynn" == "Kings Lynn"
    return re.sub(r"[\W_]+", " ", key).strip()


def code_key(text: str) -> Optional[str]:
    """An ITL, NUTS or local authority (GSS) code written any way ("ukd 33", "TLI36", "e09000007"), upper-case
    without spaces; None otherwise."""
    compact = re.sub(r"\s+", "", text).upper()
    return compact if _CODE.match(compact) else None


def postcode_key(text: str) -> Optional[str]:
    """A full UK postcode upper-case without spaces ("NW1 2DB" -> "NW12DB"); None otherwise."""
    compact = re.sub(r"\s+", "", text).upper()
    return compact if _POSTCODE.match(compact) else None


def postcode_covers(ours: str, theirs: str) -> bool:
    """Does ``ours`` (a postcode, its outward code "NW1" or its area letters "NW") contain the postcode ``theirs``?"""
    postcode = postcode_key(theirs)
    if postcode is None:
        return False
    area = _POSTCODE.match(postcode)[1]  # type: ignore[index]
    return re.sub(r"\s+", "", ours).upper() in (postcode, postcode[:-3], area)


def authority_candidates(text: str) -> Iterator[str]:
    """Name keys a council's name may stand for, most literal first.

    "London Borough of Camden" -> "london borough of camden", "camden";
    "Manchester City Council" -> ..., "manchester city", "manchester";
    "The Highland Council" -> ..., "highland". Each affix is stripped in turn (breadth first),
    so the whole name is always tried before any shorter one.
    """
    seen: set[str] = set()
    queue = [name_key(text)]
    while queue:
        key = queue.pop(0)
        if not key or key in seen:
            continue
        seen.add(key)
        yield key
        queue += [key[len(prefix) :] for prefix in _PREFIXES if key.startswith(prefix)]
        queue += [key[: -len(suffix)] for suffix in _SUFFIXES if key.endswith(suffix)]


def aliases(name: str) -> list[str]:
    """Other ways ONS names are written: "Bristol, City of" -> "City of Bristol", "Bristol";
    "Devon CC" -> "Devon"; "Glasgow City" -> "Glasgow"; "City of Edinburgh" -> "Edinburgh"."""
    found = []
    match = re.fullmatch(r"(.+), (City|County) of", name)
    if match:
        found += [f"{match[2]} of {match[1]}", match[1]]
    for pattern in (r"(.+) CC", r"(.+) City", r"City of (.+)"):
        match = re.fullmatch(pattern, name)
        if match:
            found.append(match[1])
    return found
