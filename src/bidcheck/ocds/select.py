"""``import ocds``, selecting: which procurements become tender files (SPEC §4.1).

Two questions, in order. Is the procurement open as of a date? Judged on its compiled
release (:mod:`bidcheck.ocds.compile`): terminated, cancelled, withdrawn and awarded
procurements are not, nor one whose first deadline (``first_deadline``) has passed, nor
an unsuccessful one; a notice that gives no deadline is kept and counted.
``--include-closed`` keeps them all. Then, for each tender file, is it in the selection
the bid team asked for (:class:`NoticeFilter`: CPV, area, value, VCSE suitability, date)?
Award and contract notices are history, never tenders; planning notices join with
``--include-planning``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Optional

from bidcheck.ocds.facts import first_deadline
from bidcheck.ocds.map import ImportedTender
from bidcheck.ocds.notice_types import (
    CANCELLED,
    HISTORY,
    PLANNING,
    TERMINATED,
    notice_type,
    release_kind,
    tags_text,
)
from bidcheck.ocds.read import as_dict, as_list, as_text
from bidcheck.ocds.skips import SkipReason
from bidcheck.ocds.values import format_pounds
from bidcheck.places import covers

_AWARDED_STATUSES = frozenset({"active", "complete"})  # an award that stands


@dataclass(frozen=True)
class Selection:
    """Whether a procurement becomes tender files: ``reason`` None when it does.

    ``deadline`` is its first deadline (None: the notice gives none); ``closed`` says it
    is not open although ``--include-closed`` keeps it.
    """

    reason: Optional[SkipReason]
    detail: str = ""
    deadline: Optional[datetime.date] = None
    closed: Optional[SkipReason] = None


def select_procurement(
    compiled: dict[str, Any],
    as_of: datetime.date,
    *,
    include_planning: bool = False,
    include_closed: bool = False,
) -> Selection:
    """Is this procurement (its compiled release) imported as of ``as_of``, and if not, why not?

    The latest notice says what it is (its notice type, else its tags); the compiled
    state says whether it is still open.
    """
    kind = release_kind(compiled)
    what = _what(compiled)
    if kind == HISTORY:
        return Selection(SkipReason.AWARD, what)
    if kind is None:
        return Selection(SkipReason.NOT_TENDER, what)
    if kind == PLANNING and not include_planning:
        return Selection(SkipReason.PLANNING, "--include-planning imports these")
    tender = as_dict(compiled.get("tender"))
    deadline = first_deadline(tender)
    closed, detail = _closed(compiled, tender, kind, deadline, as_of)
    if closed is not None and not include_closed:
        return Selection(closed, f"{detail}; --include-closed imports these", deadline, closed)
    return Selection(None, "", deadline, closed)


def _what(compiled: dict[str, Any]) -> str:
    kind = notice_type(compiled)
    return f"notice type {kind}" if kind else f"tags {tags_text(compiled)}"


def _closed(
    compiled: dict[str, Any], tender: dict[str, Any], kind: str, deadline: Optional[datetime.date], as_of: datetime.date
) -> tuple[Optional[SkipReason], str]:
    """Why the procurement is not open as of ``as_of`` (a closed reason and a detail), or (None, "")."""
    status = as_text(tender.get("status"))
    if kind == TERMINATED:
        return SkipReason.TERMINATED, f"procurement terminated ({_what(compiled)})"
    if status == "withdrawn":
        return SkipReason.WITHDRAWN, "tender status withdrawn"
    if kind == CANCELLED or status == "cancelled":
        return SkipReason.CANCELLED, f"tender status {status}" if status == "cancelled" else f"tags {tags_text(compiled)}"
    awards = [as_dict(award) for award in as_list(compiled.get("awards"))]
    if status == "complete" or any(as_text(award.get("status")) in _AWARDED_STATUSES for award in awards):
        return SkipReason.AWARDED, "the procurement has an award" if awards else "tender status complete"
    if deadline is not None and deadline < as_of:
        return SkipReason.CLOSED, f"first deadline {deadline.isoformat()} is before {as_of.isoformat()}"
    # After the deadline: legacy Contracts Finder marks old notices unsuccessful when it migrated them.
    if status == "unsuccessful" or (awards and all(as_text(award.get("status")) == "unsuccessful" for award in awards)):
        return SkipReason.UNSUCCESSFUL, "no contract was awarded"
    return None, ""


@dataclass(frozen=True)
class NoticeFilter:
    """The selection: only notices a bid team would triage. Empty means everything."""

    cpv_prefixes: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    min_value: Optional[float] = None
    max_value: Optional[float] = None
    suitable_vcse: bool = False
    since: Optional[datetime.date] = None

    def reason_to_skip(self, tender: ImportedTender) -> Optional[str]:
        """Why ``tender`` is filtered out, or None when it matches every filter."""
        if self.cpv_prefixes and not any(code.startswith(self.cpv_prefixes) for code in tender.cpv):
            codes = ", ".join(tender.cpv) or "none"
            return f"CPV {codes} does not start with {' or '.join(self.cpv_prefixes)}"
        if self.areas and not any(covers(wanted, area) for wanted in self.areas for area in tender.areas):
            where = ", ".join(tender.areas) or "no area given"
            return f"area ({where}) is not in {' or '.join(self.areas)}"
        amount = tender.value if tender.value is not None else tender.value_low
        if self.min_value is not None and amount is not None and amount < self.min_value:
            return f"value {format_pounds(amount)} is below --min-value {format_pounds(self.min_value)}"
        if self.max_value is not None and amount is not None and amount > self.max_value:
            return f"value {format_pounds(amount)} is above --max-value {format_pounds(self.max_value)}"
        if self.suitable_vcse and tender.vcse is not True:
            return "not marked suitable for VCSEs" if tender.vcse is False else "no VCSE suitability flag"
        if self.since is not None and (tender.released is None or tender.released < self.since):
            when = tender.released.isoformat() if tender.released else "an unknown date"
            return f"released {when}, before --since {self.since.isoformat()}"
        return None

    def cannot_judge_value(self, tender: ImportedTender) -> bool:
        """A value filter is set but the notice gives no value in GBP: kept, for people to judge.

        Dropping it would hide a notice that may well be in range; the caller counts these.
        """
        value_filtered = self.min_value is not None or self.max_value is not None
        return value_filtered and tender.value is None and tender.value_low is None
