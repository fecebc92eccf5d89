"""Why a release, or one tender file, is not imported: a reason to count and a detail to show."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Optional


class SkipReason(str, Enum):
    """Why a release, or one lot of it, did not become a tender file.

    The closed reasons (closed, cancelled, withdrawn, unsuccessful, awarded, terminated) are
    the procurement's state; ``--include-closed`` keeps those. History (award and contract
    notices) and planning notices are what a notice *is*, not its state.
    """

    AWARD = "award or contract notice"  # history: UK5/UK6/UK7 and award/contract tags
    PLANNING = "planning notice"
    CLOSED = "closed"  # the first deadline has passed
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"
    UNSUCCESSFUL = "unsuccessful"
    AWARDED = "awarded"
    TERMINATED = "terminated"  # a UK12 procurement termination notice
    NOT_TENDER = "not a tender notice"
    SUPERSEDED = "superseded by a later release"
    DUPLICATE = "duplicate release"
    FILTERED = "filtered out"  # the only reason that concerns one tender file (a lot), not a whole release
    MALFORMED = "malformed"


CLOSED_REASONS = frozenset(
    {SkipReason.CLOSED, SkipReason.CANCELLED, SkipReason.WITHDRAWN, SkipReason.UNSUCCESSFUL, SkipReason.AWARDED, SkipReason.TERMINATED}
)


@dataclass(frozen=True)
class Skip:
    """A release (or one lot) left out, and why; ``detail`` says more for people."""

    reason: SkipReason
    detail: str
    where: str
    ocid: Optional[str] = None
    release_id: Optional[str] = None

    def __str__(self) -> str:
        who = f" {self.ocid}" if self.ocid else ""
        return f"{self.where}:{who} {self.reason.value}: {self.detail}" if self.detail else f"{self.where}:{who} {self.reason.value}"
