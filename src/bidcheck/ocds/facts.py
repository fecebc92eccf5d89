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


# What selection reads as not open before it reads the deadline. "unsuccessful" is not among
# them: selection calls a tender closed once its deadline has passed, whatever that status says
# (bidcheck.ocds.select._closed), so its deadline is still the store's to judge.
_CLOSING_STATUSES = frozenset({"cancelled", "complete", "withdrawn"})


def own_deadline_fields(data: dict[str, Any]) -> Optional[tuple[Optional[str], Optional[str]]]:
    """One release's deadline fields as given (``expressionOfInterestDeadline``,
    ``tenderPeriod.endDate``; None where absent), when nothing else in it can close its
    procurement before its deadline does: no awards or contracts, no tender status
    ``cancelled``, ``complete`` or ``withdrawn``, and no ``null``
    or non-text among these fields (a ``null`` removes a field when releases are compiled).

    None otherwise. When every release of a procurement gives these, the compiled release's
    first deadline is :func:`first_deadline` of the latest value of each field, so the notice
    store can tell a closed tender without compiling it (``bidcheck.ocds.select``'s answer).
    """
    tender = data.get("tender", {})
    if data.get("awards") or data.get("contracts") or not isinstance(tender, dict):
        return None
    period = tender.get("tenderPeriod", {})
    status = tender.get("status")
    if not isinstance(period, dict) or (isinstance(status, str) and status.strip() in _CLOSING_STATUSES):
        return None
    fields = (tender.get("expressionOfInterestDeadline", _ABSENT), period.get("endDate", _ABSENT))
    if not all(field is _ABSENT or isinstance(field, str) for field in fields):
        return None
    return tuple(None if field is _ABSENT else field for field in fields)  # type: ignore[return-value]


_ABSENT: Any = object()
