"""What the importer's stages hand each other: a lot's facts, the likely incumbent, the deadline.

Mapping (``bidcheck.ocds.map``) turns a compiled procurement into tender files; the notice
store (``bidcheck.ocds.store``) and incumbent matching (``bidcheck.ocds.incumbent``) look up
award history. They meet here, so neither needs the other's internals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Optional

from bidcheck.ocds.dates import date_part  # one date reading for the whole importer


@dataclass(frozen=True)
class LotFacts:
    """What incumbent matching needs to know of one tender file (a notice, or one of its lots).

    ``buyer_ids`` are party identifiers (``GB-PPON-...``), ``buyer_names`` the names as
    published, lead buyer first; ``cpv`` 8-digit CPV codes; ``start`` the contract's start
    date when the notice gives one.
    """

    ocid: str
    title: str
    buyer_ids: tuple[str, ...] = ()
    buyer_names: tuple[str, ...] = ()
    cpv: tuple[str, ...] = ()
    start: Optional[datetime.date] = None


@dataclass(frozen=True)
class IncumbentGuess:
    """The likely incumbent, inferred from an earlier award or contract (SPEC §4.1).

    ``years_delivering`` counts from the award's contract start to the new contract's start
    (or to the import's as-of date); ``source`` names the award notice and how it matched,
    for the tender file's ``incumbent.source``.
    """

    name: str
    source: str
    vcse: Optional[bool] = None
    scale: Optional[str] = None  # the notice's supplier scale: "sme", "large"...
    years_delivering: Optional[float] = None
    annual_income: Optional[float] = None  # pounds, where the notice gives it (rarely)


def first_deadline(tender: Any) -> Optional[datetime.date]:
    """The first date a bidder must meet (SPEC §4.1), or None when the notice gives none.

    ``tender`` is an OCDS ``tender`` object. An expression-of-interest deadline comes
    before the tender period's end; questions (``enquiryPeriod``) are optional, so they
    do not count.
    """
    if not isinstance(tender, dict):
        return None
    period = tender.get("tenderPeriod")
    candidates = [
        date_part(tender.get("expressionOfInterestDeadline")),
        date_part(period.get("endDate")) if isinstance(period, dict) else None,
    ]
    dates = [date for date in candidates if date is not None]
    return min(dates) if dates else None
