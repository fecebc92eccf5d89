"""Thresholds: the named numbers rules read, each overridable under ``thresholds:`` (SPEC §1).

Most are declared by the rule that reads them. The ones here are read by bidcheck's shared
judgements and by more than one rule: "smaller" (every rule about power over another
organisation) and the response window (triage, COL001, COM001).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bidcheck.money import format_money, format_percentage

Unit = Literal["%", "£", "months", "days", "years", "count", "ratio"]


@dataclass(frozen=True)
class Threshold:
    """A number a rule reads, overridable under ``thresholds:`` in the config.

    ``unit`` says how it is written and shown: percent 0-100, pounds, months, days, years, a
    count, or a ratio from 0 to 1. ``at_least`` names another threshold (of this rule or any
    loaded one) this one must never be below, such as a blocker level and its concern level: a
    config that inverts them is a located error naming both, instead of a level that silently
    never fires.
    """

    name: str
    default: float
    description: str
    unit: Unit = "%"
    at_least: str | None = None

    def format(self, value: float) -> str:
        if self.unit == "%":
            return format_percentage(value)
        if self.unit == "£":
            return format_money(value)
        if self.unit in ("count", "ratio"):
            return f"{value:g}"
        return f"{value:g} {self.unit}"


MIN_RESPONSE_DAYS = Threshold(
    "min_response_days",
    30,
    "Fewer days than this from publication (or from --as-of, in triage) to the deadline is a short window: "
    "smaller organisations cannot respond well in it.",
    unit="days",
)
SMALLER_INCOME_RATIO = Threshold(
    "smaller_income_ratio",
    0.5,
    'Another organisation is "smaller" than us when its annual income is at most this share of ours (0 to 1): '
    "size is relative (organisations of £5m or £50m still feel the power of bigger ones).",
    unit="ratio",
)
# Read by bidcheck itself, whichever rules are loaded.
BIDCHECK_THRESHOLDS = (MIN_RESPONSE_DAYS, SMALLER_INCOME_RATIO)
