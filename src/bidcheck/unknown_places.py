"""Warnings for areas the gazetteer does not know (SPEC §1.1: "reported once as unknown").

An unknown name still matches itself, so nothing fails; but a typo ("Hackny") or a place the
ONS data does not hold (a former district, a ward) would silently leave a tender without our
presence, so it is said once: per tender for the tender's own areas, per run for the
config's ``organisation.areas`` (pipeline settles a config once and shows its warnings once).
Warnings are shown, never counted: the verdict and the exit status do not change.
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.models import TenderFile
from bidcheck.problems import Problem, excerpt
from bidcheck.read import Document, PathKey


def unknown_area_warnings(tender: TenderFile, document: Document) -> list[Problem]:
    """One located warning per unknown area named in the tender file (its areas, its own organisation block)."""
    named = [(("tender", "areas", index), area) for index, area in enumerate(tender.tender.areas)]
    if tender.organisation is not None:
        named += [(("organisation", "areas", index), area) for index, area in enumerate(tender.organisation.areas)]
    return list(_warnings(named, document))


def unknown_config_area_warnings(areas: list[str], document: Document | None) -> list[Problem]:
    """One located warning per unknown area in a config's ``organisation.areas`` (no document: no config file, no areas)."""
    if document is None:
        return []
    return list(_warnings([(("organisation", "areas", index), area) for index, area in enumerate(areas)], document))


def _warnings(named: list[tuple[PathKey, str]], document: Document) -> Iterator[Problem]:
    if not named:
        return  # no areas: nothing to load the gazetteer for
    from bidcheck.places import unknown

    for area in unknown(area for _, area in named):  # each once, where first written
        path = next(path for path, written in named if written == area)
        where = document.value_position_of(path)
        message = (
            f"area {excerpt(area)} is unknown to the gazetteer (not a local authority, region, ITL or NUTS code); "
            "it matches only itself"
        )
        yield Problem(document.file, where.line, where.column, message)
