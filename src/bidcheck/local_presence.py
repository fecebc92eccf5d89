"""Who is rooted where the service is delivered: us or a local partner, area by area (SPEC §1.1, §2.1 v2).

A tender over four boroughs where we deliver in one leaves three without our presence; a local
partner brings its presence to the areas it is rooted in (``partners[].areas``; left out, all the
tender's areas). Every rule that asks "is someone rooted there?" (IMP005, MIS003) asks here, and
:func:`bidcheck.places.present_in` decides each area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bidcheck.models import TenderFile
from bidcheck.places import present_in


@dataclass(frozen=True)
class AreaPresence:
    """One of the tender's areas: whether we are present in it, and the local partners rooted in it."""

    area: str
    ours: bool
    local_partners: tuple[str, ...] = ()

    @property
    def covered(self) -> bool:
        """True when we, or a local partner, are rooted in the area."""
        return self.ours or bool(self.local_partners)

    @property
    def evidence(self) -> dict[str, Any]:
        """``{"area", "we_are_present", "local_partners"}`` for a finding's evidence."""
        return {"area": self.area, "we_are_present": self.ours, "local_partners": list(self.local_partners)}


def area_presence(our_areas: Iterable[str], tender: TenderFile) -> list[AreaPresence]:
    """Each of ``tender.tender.areas``, in order: are we present (``present_in(our_areas, area)``), and
    which partners with ``local: true`` are rooted there (their ``areas``, or every tender area when
    they give none). Partners whose ``local`` is not known count for nothing here."""
    ours = list(our_areas)
    tender_areas = list(tender.tender.areas)
    local = [(partner.name or f"partners[{index}]", list(partner.areas)) for index, partner in enumerate(tender.partners) if partner.local]
    return [
        AreaPresence(
            area,
            present_in(ours, area),
            tuple(name for name, areas in local if not areas or present_in(areas, area)),
        )
        for area in tender_areas
    ]


def describe_presence(found: Iterable[AreaPresence]) -> str:
    """"Hackney (you), Camden (Camden Forum), Newham (nobody)": each area and who is rooted there."""
    parts = []
    for place in found:
        who = (["you"] if place.ours else []) + list(place.local_partners)
        parts.append(f"{place.area} ({', '.join(who) or 'nobody'})")
    return ", ".join(parts)
