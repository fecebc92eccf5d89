"""The gazetteer: every place bidcheck knows, built once from the shipped ONS data.

A place is a set of *atoms*, the smallest pieces both ITL editions agree on: a local
authority (LAU) row of the ONS April 2025 lookup, split where it straddles two ITL3 2021
areas (Cumberland lies in both West and East Cumbria). Every place, whatever its edition or
level, is a union of atoms, so "contains" is one rule for all of them: ``ours`` covers
``theirs`` when its atoms include all of theirs. TLI31 (2021, Camden and City of London)
covers TLI36 (2025, Camden); TLI36 does not cover TLI31.

A code both editions use for the same area is one place ("ITL 2021 and 2025"); a code they
used for different areas would have one reading per edition (:func:`bidcheck.places.covers`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import Optional

from bidcheck.places.names import aliases, name_key

ITL_2021, ITL_2025, BOTH_ITL, NUTS_2016, NUTS_2021 = "ITL 2021", "ITL 2025", "ITL 2021 and 2025", "NUTS 2016", "NUTS 2021"


@dataclass(frozen=True)
class Place:
    """One reading of a place name or code.

    ``level``: "local authority", "ITL1"-"ITL3", "NUTS1"-"NUTS3" or "region"; ``edition``:
    "ITL 2021", "ITL 2025", "ITL 2021 and 2025" (a code both editions give the same area),
    "NUTS 2016", or "April 2025" (local authorities); ``within``: for a local authority, its
    ITL3 2025 area ("TLI41 Hackney and Newham"); for a region, its ITL1 codes.
    """

    name: str
    level: str
    edition: str
    atoms: frozenset[int]
    code: Optional[str] = None
    within: str = ""

    def contains(self, other: Place) -> bool:
        return self.atoms >= other.atoms


@dataclass(frozen=True)
class Gazetteer:
    """Places by code (upper-case) and by name key (:func:`~bidcheck.places.names.name_key`)."""

    by_code: dict[str, tuple[Place, ...]]
    by_name: dict[str, tuple[Place, ...]]


def _rows(file_name: str) -> list[dict[str, str]]:
    text = resources.files("bidcheck").joinpath("data", "places", file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def load() -> Gazetteer:
    """Build the gazetteer from ``bidcheck/data/places/`` (see its SOURCES.md).

    Raises ValueError if the data is inconsistent (an ITL3 2025 area drawing on several ITL3
    2021 areas without its local authorities placed in ``lau_itl3_2021_splits.csv``).
    """
    successors: dict[str, set[str]] = defaultdict(set)  # ITL3 2025 -> the ITL3 2021 areas it draws on
    names_2021: dict[str, str] = {}
    for row in _rows("itl3_2021_2025.csv"):
        successors[row["ITL325CD"]].add(row["ITL321CD"])
        names_2021[row["ITL321CD"]] = row["ITL321NM"]
    splits = {row["LAU125CD"]: row["ITL321CD"].split(";") for row in _rows("lau_itl3_2021_splits.csv")}

    atoms_of: dict[tuple[str, str], set[int]] = defaultdict(set)  # (kind, key) -> atoms
    names: dict[tuple[str, str], str] = {}
    within: dict[str, dict[str, None]] = defaultdict(dict)  # local authority -> its ITL3 2025 areas, in order
    atom = 0
    for row in _rows("lad_itl2025.csv"):
        in_2021 = splits.get(row["LAU125CD"]) or sorted(successors[row["ITL325CD"]])
        if len(in_2021) != 1 and row["LAU125CD"] not in splits:
            raise ValueError(f"{row['LAU125NM']} ({row['ITL325CD']}) is not placed in ITL 2021")
        for itl3_2021 in in_2021:
            atom += 1
            for kind, key in (
                ("lad", row["LAD25CD"]), ("lau", row["LAU125CD"]), ("2025", row["ITL325CD"]), ("2025", row["ITL225CD"]),
                ("2025", row["ITL125CD"]), ("2021", itl3_2021), ("2021", itl3_2021[:4]), ("2021", itl3_2021[:3]),
            ):  # fmt: skip
                atoms_of[(kind, key)].add(atom)
        names[("lad", row["LAD25CD"])] = row["LAD25NM"]
        names[("lau", row["LAU125CD"])] = row["LAU125NM"]
        for code in (row["LAD25CD"], row["LAU125CD"]):
            within[code][f"{row['ITL325CD']} {row['ITL325NM']}"] = None  # North Ayrshire lies in two
        for level in "123":
            names[("2025", row[f"ITL{level}25CD"])] = row[f"ITL{level}25NM"]
    for row in _rows("nuts2016_itl2021.csv"):
        names[("2021", row["itl2021_code"])] = names_2021.get(row["itl2021_code"], row["itl2021_name"])

    builder = _Builder()
    for (kind, key), atoms in atoms_of.items():
        if kind in ("lad", "lau"):
            builder.add_code(Place(names[(kind, key)], "local authority", "April 2025", frozenset(atoms), key, "; ".join(within[key])))
    codes_2025 = {key for kind, key in atoms_of if kind == "2025"}
    codes_2021 = {key for kind, key in atoms_of if kind == "2021"}
    for code in sorted(codes_2025 | codes_2021):
        level = f"ITL{len(code) - 2}"
        editions = [(ITL_2021, "2021")] * (code in codes_2021) + [(ITL_2025, "2025")] * (code in codes_2025)
        readings = [Place(names[(kind, code)], level, edition, frozenset(atoms_of[(kind, code)]), code) for edition, kind in editions]
        if len(readings) == 2 and readings[0].atoms == readings[1].atoms:
            readings = [Place(readings[1].name, level, BOTH_ITL, readings[1].atoms, code)]
        for place in readings:
            builder.add_code(place)
    for row in _rows("nuts2016_itl2021.csv"):
        itl = [place for place in builder.by_code[row["itl2021_code"]] if place.edition in (ITL_2021, BOTH_ITL)]
        builder.add_code(Place(row["nuts2016_name"], f"NUTS{row['level']}", NUTS_2016, itl[0].atoms, row["nuts2016_code"]))
    for code in sorted(codes_2021):
        # NUTS 2021 is ITL 2021 with "UK" for "TL" (ITL 2021 was made from it); only where it differs
        # from NUTS 2016 is it a code of its own: Dorset's UKK24/UKK25, Northern Ireland's UKN0A-UKN0G.
        nuts = "UK" + code[2:]
        if nuts not in builder.by_code:
            itl = [place for place in builder.by_code[code] if place.edition in (ITL_2021, BOTH_ITL)]
            builder.add_code(Place(itl[0].name, f"NUTS{len(code) - 2}", NUTS_2021, itl[0].atoms, nuts))
    for row in _rows("region_itl1.csv"):
        codes = row["itl1_codes"].split(";")
        atoms = frozenset().union(*(atoms_of[("2025", code)] for code in codes))
        builder.add_name(Place(row["region_name"], "region", BOTH_ITL, atoms, None, ", ".join(codes)))
    return builder.gazetteer()


class _Builder:
    """Collects readings; a name's aliases never displace a place that has that name itself."""

    def __init__(self) -> None:
        self.by_code: dict[str, list[Place]] = defaultdict(list)
        self.named: dict[str, list[Place]] = defaultdict(list)
        self.aliased: dict[str, list[Place]] = defaultdict(list)

    def add_code(self, place: Place) -> None:
        _add(self.by_code[place.code or ""], place)
        self.add_name(place)

    def add_name(self, place: Place) -> None:
        _add(self.named[name_key(place.name)], place)
        for alias in aliases(place.name):
            _add(self.aliased[name_key(alias)], place)

    def gazetteer(self) -> Gazetteer:
        by_name = {key: _preferred(places) for key, places in self.aliased.items()}
        by_name.update((key, _preferred(places)) for key, places in self.named.items())
        return Gazetteer({code: tuple(places) for code, places in self.by_code.items()}, by_name)


def _add(readings: list[Place], place: Place) -> None:
    """One reading per distinct area: the same area under two names or levels is one answer."""
    if all(reading.atoms != place.atoms for reading in readings):
        readings.append(place)


_NAME_PREFERENCE = {"local authority": 0, "region": 1}  # then ITL and NUTS area names


def _preferred(readings: list[Place]) -> tuple[Place, ...]:
    """A name's readings of the most likely kind: "North Yorkshire" is the council, not ITL2 TLE2
    (which adds York); "West Midlands" the region, not ITL2 TLG3. Readings of one kind all stay
    ("Highlands and Islands" is TLM6 in ITL 2021 and TLM2 in 2025)."""
    best = min(_NAME_PREFERENCE.get(place.level, 2) for place in readings)
    return tuple(place for place in readings if _NAME_PREFERENCE.get(place.level, 2) == best)
