"""Organisation size by the NCVO Almanac income bands (cited in SPEC §1 and guidance/README.md)."""

from __future__ import annotations

from enum import IntEnum


class IncomeBand(IntEnum):
    """Ordered, so ``IncomeBand.SMALL < IncomeBand.MAJOR``."""

    MICRO = 0  # under £10k
    SMALL = 1  # £10k to £100k
    MEDIUM = 2  # £100k to £1m
    LARGE = 3  # £1m to £10m
    MAJOR = 4  # £10m to £100m
    SUPER_MAJOR = 5  # over £100m

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


_LOWER_BOUNDS = (
    (100_000_000, IncomeBand.SUPER_MAJOR),
    (10_000_000, IncomeBand.MAJOR),
    (1_000_000, IncomeBand.LARGE),
    (100_000, IncomeBand.MEDIUM),
    (10_000, IncomeBand.SMALL),
)


def income_band(annual_income: float) -> IncomeBand:
    for lower_bound, band in _LOWER_BOUNDS:
        if annual_income >= lower_bound:
            return band
    return IncomeBand.MICRO
