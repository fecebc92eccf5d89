"""Places as bid teams and notices write them, answered by one gazetteer (SPEC §1.1).

"Hackney", "London Borough of Hackney", ``TLI41`` (ITL 2021 and 2025), ``UKI41`` (NUTS 2016)
and "London" are places of one gazetteer built from the ONS lookups shipped in
``bidcheck/data/places/`` (Open Government Licence v3.0). Every rule and filter that reads
places asks :func:`covers` (or :func:`presence`, built on it). The data loads on first use,
once per process, so commands that never compare places never pay for it.

A name the gazetteer does not know still matches itself (ignoring case, spacing and
punctuation) and nothing else; :func:`unknown` lists such names so they can be reported.
Postcodes are not placed in the gazetteer: a postcode is covered by itself, its outward code
("NW1") and its area letters ("NW").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Optional

from bidcheck.places.names import authority_candidates, code_key, name_key, normalise, postcode_covers, postcode_key

if TYPE_CHECKING:
    from bidcheck.places.gazetteer import Gazetteer, Place

__all__ = ["covers", "describe", "local_authority", "normalise", "present_in", "presence", "unknown"]


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:  # imported here to keep the data off the start-up path
    from bidcheck.places.gazetteer import load

    return load()


@functools.lru_cache(maxsize=65536)
def _readings(area: str) -> tuple[Place, ...]:
    """What ``area`` may mean: a code's readings, else a name's, else a council name's; () when unknown."""
    gazetteer = _gazetteer()
    code = code_key(area)
    if code is not None:
        return gazetteer.by_code.get(code, ())
    for key in authority_candidates(area):  # the whole name first
        found = gazetteer.by_name.get(key)
        if found:
            return found
    return ()


@functools.lru_cache(maxsize=65536)
def covers(ours: str, theirs: str) -> bool:
    """Does the area we deliver in (``ours``) cover the tender's area (``theirs``)?

    True when both name the same place, or ``ours`` contains ``theirs``: "North West" covers
    ``TLD33`` covers "Manchester"; "London" covers "Camden"; ``TLI`` covers ``UKI31``; ``TLI31``
    (ITL 2021, Camden and City of London) covers ``TLI36`` (ITL 2025, Camden) but not the other
    way round. Understood: local authority names (with or without "London Borough of",
    "Council" and the like), ITL1-3 codes of the 2021 and 2025 editions, NUTS 2016 codes at any
    level, region and country names, postcodes (covered by their outward code or area letters).

    The two ITL editions renumbered rather than reused codes (TLC11 became TLC31, Wales moved
    to TLL3-TLL5), so each code has one reading; a code that named different areas in the two
    editions would be read both ways, and covering must hold for every reading (of a name,
    too): we claim presence only where it is certain. Case, spacing and punctuation never
    matter; a name the gazetteer does not know covers only itself. Never raises on any text.
    """
    if name_key(ours) == name_key(theirs) or postcode_covers(ours, theirs):
        return True
    mine, their_readings = _readings(ours), _readings(theirs)
    return bool(mine and their_readings) and all(a.contains(b) for a in mine for b in their_readings)


def present_in(our_areas: Iterable[str], area: str) -> bool:
    """Are we present in ``area``: does one of our areas cover it (:func:`covers`)?

    Judged area by area (SPEC §1.1): Hackney covers Hackney and TLI41's Hackney part, not the
    whole of London.
    """
    return any(covers(mine, area) for mine in our_areas)


def presence(our_areas: Iterable[str], tender_areas: Iterable[str]) -> list[str]:
    """The tender's areas we are present in (:func:`present_in`), in the tender's order."""
    ours = list(our_areas)
    return [area for area in tender_areas if present_in(ours, area)]


def unknown(areas: Iterable[str]) -> list[str]:
    """The areas the gazetteer does not know, each once as first written ("Narnia" and "narnia" are
    one name), in order; postcodes are not unknown."""
    found: dict[str, str] = {}
    for area in areas:
        if not _readings(area) and postcode_key(area) is None:
            found.setdefault(name_key(area), area)
    return list(found.values())


def local_authority(name: str) -> Optional[str]:
    """The local authority a buyer's name is, by its gazetteer name; None when it is not one.

    "London Borough of Camden" and "Camden Council" -> "Camden"; "Manchester City Council" ->
    "Manchester"; "Glasgow City Council" -> "Glasgow City"; "The Highland Council" ->
    "Highland"; "Kent County Council" -> "Kent" (a county: its ITL area). "NHS England",
    "Ministry of Justice", a region ("London") -> None.
    """
    gazetteer = _gazetteer()
    for index, key in enumerate(authority_candidates(name)):
        for place in gazetteer.by_name.get(key, ()):
            if place.level == "local authority" or (index > 0 and place.level not in ("region", "ITL1", "NUTS1")):
                return place.name
    return None


def describe(area: str) -> Optional[str]:
    """What the gazetteer reads ``area`` as, with the edition of each reading; None when unknown.

    "UKI31" -> "Camden and City of London (NUTS 2016)"; "TLI36" -> "Camden (ITL 2025)";
    "Hackney" -> "Hackney (local authority E09000012, in TLI41 Hackney and Newham, ITL 2025)";
    "London" -> "London (TLI, ITL 2021 and 2025)"; "NW1 2DB" -> "NW1 2DB (postcode)".
    """
    if code_key(area) is None and postcode_key(area) is not None:
        return f"{area.strip().upper()} (postcode)"
    readings = _readings(area)
    if not readings:
        return None
    by_code = code_key(area) is not None
    return "; ".join(_describe_place(place, by_code) for place in readings)


def _describe_place(place: Place, by_code: bool) -> str:
    if place.level == "local authority":
        return f"{place.name} (local authority {place.code}, in {place.within}, ITL 2025)"
    if by_code:
        return f"{place.name} ({place.edition})"
    if place.level == "region":
        return f"{place.name} (region: {place.within})"
    return f"{place.name} ({place.code}, {place.edition})"
