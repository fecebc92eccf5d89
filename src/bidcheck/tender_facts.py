"""The tender facts (SPEC §4.1): what a bid team reads first about a tender, the same in every report.

``check``'s JSON (``tender``) and CSV (columns), and every ``triage`` format, take them from
:func:`tender_facts`, so the reports cannot disagree about a tender.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

from bidcheck.models import Tender

# The facts, in the order reports show them.
FACT_NAMES = (
    "id", "ocid", "title", "buyer", "value", "value_includes_vat", "deadline", "days_left",
    "areas", "cpv", "service", "suitable_for", "light_touch", "url",
)  # fmt: skip


def days_left(deadline: Optional[datetime.date], as_of: datetime.date) -> Optional[int]:
    """Whole days from ``as_of`` to ``deadline``: 0 on the day, negative once it has passed; None without a deadline."""
    return None if deadline is None else (deadline - as_of).days


def tender_facts(tender: Tender, as_of: datetime.date) -> dict[str, Any]:
    """The facts of one tender, by name (:data:`FACT_NAMES`), as JSON values.

    ``value`` is in pounds (a number; excluding VAT unless ``value_includes_vat`` is true);
    ``deadline`` is ``YYYY-MM-DD``; ``days_left`` counts days from ``as_of`` (``--as-of``, else
    today), negative once the deadline has passed; ``areas``, ``cpv`` and ``suitable_for`` are
    lists; ``ocid`` and ``url`` come from ``tender.source`` (an imported notice). A fact the
    tender does not give is None (an empty list for lists).
    """
    source = tender.source
    return {
        "id": tender.id,
        "ocid": source.ocid if source else None,
        "title": tender.title,
        "buyer": tender.buyer,
        "value": tender.value,
        "value_includes_vat": tender.value_includes_vat,
        "deadline": tender.deadline.isoformat() if tender.deadline else None,
        "days_left": days_left(tender.deadline, as_of),
        "areas": list(tender.areas),
        "cpv": list(tender.cpv),
        "service": tender.service,
        "suitable_for": list(tender.suitable_for),
        "light_touch": tender.light_touch,
        "url": source.url if source else None,
    }
