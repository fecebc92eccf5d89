"""Relative size: whether another organisation is "smaller" than us (SPEC §1, v2).

The guidance's power imbalance is relative: organisations of £5m or even £50m feel the power
of bigger ones (Lloyds Bank Foundation, "Rebalancing the Relationship", "Recognise your power").
So "smaller" compares incomes, not NCVO bands: £11m is smaller than £95m, and £9.8m, £10.2m and
£11m are peers. Every rule that asks "smaller?" asks it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bidcheck.money import format_money, format_percentage
from bidcheck.thresholds import SMALLER_INCOME_RATIO


@dataclass(frozen=True)
class RelativeSize:
    """Their annual income against ours (pounds), and the share of ours (0 to 1) at or below which
    they count as smaller."""

    theirs: float | None
    ours: float | None
    limit: float = SMALLER_INCOME_RATIO.default

    @property
    def ratio(self) -> float | None:
        """Their income as a share of ours (0.5 = half); None when either is unknown or ours is zero."""
        if self.theirs is None or not self.ours:
            return None
        return self.theirs / self.ours

    @property
    def smaller(self) -> bool | None:
        """True when their income is at most ``limit`` of ours; None when either income is unknown."""
        if self.theirs is None or self.ours is None:
            return None
        if self.ours == 0:
            return False  # nobody is smaller than an organisation with no income
        return self.theirs <= self.limit * self.ours

    @property
    def evidence(self) -> dict[str, Any]:
        """Both incomes (pounds), the ratio and the limit, for a finding's evidence."""
        ratio = self.ratio
        return {
            "their_income": self.theirs,
            "our_income": self.ours,
            "income_ratio": None if ratio is None else round(ratio, 4),
            "smaller_income_ratio": self.limit,
        }

    def describe(self) -> str:
        """"£420k, 0.9% of your £45m income: smaller (at most 50% of yours)", or what is unknown."""
        if self.theirs is None or self.ours is None:
            missing = "their income" if self.theirs is None else "your income"
            return f"size not known ({missing} is not given)"
        ratio = self.ratio
        share = f"{format_percentage(ratio * 100)} of" if ratio is not None else "against"
        judged = "smaller" if self.smaller else "not smaller"
        return (
            f"{format_money(self.theirs)}, {share} your {format_money(self.ours)} income: "
            f"{judged} (smaller is at most {format_percentage(self.limit * 100)} of yours)"
        )


def relative_size(their_income: float | None, our_income: float | None, limit: float = SMALLER_INCOME_RATIO.default) -> RelativeSize:
    """Compare their annual income with ours (pounds); ``limit`` is ``smaller_income_ratio`` (0 to 1)."""
    return RelativeSize(their_income, our_income, limit)
