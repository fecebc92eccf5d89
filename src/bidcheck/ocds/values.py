"""``import ocds``, mapping: reading one OCDS value (money, dates, periods, text) the way every step needs it.

Each reader takes any JSON value and returns a usable value or None: a publisher's odd
shapes (amounts as text, dates with or without a time or offset) are read; anything else
is "not given", never an exception.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from typing import Any, Optional

from bidcheck.ocds.dates import date_part
from bidcheck.ocds.read import as_dict, as_text

AVERAGE_MONTH_DAYS = 30.4375  # 365.25 / 12: periods in days become months with this

# --- money -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """An amount of a currency; ``includes_vat`` when it is the notice's gross (VAT-inclusive) amount."""

    amount: float
    currency: Optional[str]
    includes_vat: bool = False

    @property
    def is_gbp(self) -> bool:
        return (self.currency or "").upper() == "GBP"

    def __str__(self) -> str:
        vat = " including VAT" if self.includes_vat else ""
        if self.is_gbp:
            return format_pounds(self.amount) + vat
        amount = format_pounds(self.amount).removeprefix("£")
        return (f"{self.currency} {amount}" if self.currency else f"{amount} (currency not stated)") + vat


def money(value: Any) -> Optional[Money]:
    """An OCDS Value: the net ``amount``, else the gross ``amountGross`` (``includes_vat``); None when neither is usable.

    Amounts may be JSON numbers or text (``"968792.00"``, ``"1,210,990"``); zero or less
    means "not given" in this data.
    """
    value = as_dict(value)
    currency = as_text(value.get("currency"))
    currency = currency.upper() if currency else None
    for key, includes_vat in (("amount", False), ("amountGross", True)):
        amount = number(value.get(key))
        if amount is not None and math.isfinite(amount) and 0 < amount < 1e15:
            return Money(round(amount, 2), currency, includes_vat)
    return None


def gross(value: Any) -> Optional[Money]:
    """The VAT-inclusive ``amountGross`` of an OCDS Value, when it is usable."""
    found = money({**as_dict(value), "amount": None})
    return found if found is not None and found.includes_vat else None


_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f](?=\d{3}(?!\d))")  # "1 250 000": spaces grouping thousands


def number(amount: Any) -> Optional[float]:
    """An amount as a number: a JSON number, or text some publishers send (``"1250000.00"``, ``"1,250,000"``)."""
    from bidcheck.money import parse_money

    if isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
        return None
    if isinstance(amount, str):
        amount = _GROUP_SPACE.sub("", amount)
    try:
        found = parse_money(amount) if isinstance(amount, str) else float(amount)
    except (ValueError, OverflowError):
        return None
    return found if isinstance(found, float) and math.isfinite(found) else None


def format_pounds(amount: float) -> str:
    """Exact, so a range reads as published: £8,275,000."""
    text = f"£{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def plain_number(amount: float) -> str:
    """``968792`` or ``1250.5``: a YAML number without grouping."""
    text = f"{amount:.2f}"
    return text[:-3] if text.endswith(".00") else text


# --- contract periods ------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A contract period in months: the initial term and the most it may be extended by; ``note`` says what was left out."""

    months: Optional[int] = None
    extension_months: Optional[int] = None
    start: Optional[datetime.date] = None
    note: Optional[str] = None

    @property
    def given(self) -> bool:
        return self.months is not None or self.note is not None


MAX_MONTHS = 1200


def term(period: Any) -> Term:
    """An OCDS Period (``contractPeriod``) as months: ``durationInDays`` or ``startDate`` to ``endDate``;
    ``maxExtentDate`` (Find a Tender: the end with every extension) beyond the end gives ``extension_months``.
    """
    period = as_dict(period)
    start, end = date_part(period.get("startDate")), date_part(period.get("endDate"))
    days = period.get("durationInDays")
    months: Optional[int] = None
    if not isinstance(days, bool) and isinstance(days, (int, float)) and math.isfinite(days) and days > 0:
        # Scottish and Welsh notices give months as 30-day blocks (720 = 24 months).
        months = int(days // 30) if days % 30 == 0 else round(days / AVERAGE_MONTH_DAYS)
        if end is None and start is not None and days < 1e6:
            end = start + datetime.timedelta(days=int(days) - 1)
    elif start is not None and end is not None:
        if end < start:
            return Term(start=start, note=f"Contract period {start} to {end} ends before it starts; term left out.")
        months = _months_between(start, end)
    if months is not None and not 1 <= months <= MAX_MONTHS:
        return Term(start=start, note=f"Contract period of about {months} months is out of range; term left out.")
    extension, note = _extension(end, date_part(period.get("maxExtentDate")))
    return Term(months, extension, start, note)


def _extension(end: Optional[datetime.date], max_extent: Optional[datetime.date]) -> tuple[Optional[int], Optional[str]]:
    if end is None or max_extent is None:
        return None, None
    if max_extent < end:
        return None, f"The contract may run to {max_extent}, before its initial end {end}; extension left out."
    months = round((max_extent - end).days / AVERAGE_MONTH_DAYS)  # both ends inclusive: the days after the end
    if months > MAX_MONTHS:
        return None, f"Extensions of about {months} months are out of range; extension left out."
    return months, None


def _months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to an inclusive ``end``: 2027-02-01 to 2030-01-31 is 36."""
    return round(((end - start).days + 1) / AVERAGE_MONTH_DAYS)


# --- codes and text --------------------------------------------------------------------


def cpv(value: Any) -> Optional[str]:
    """``"85300000-2"`` -> ``"85300000"``; a number that lost its leading zero gets it back."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    digits = str(value).strip().split("-")[0]
    if not digits.isdigit() or len(digits) > 8 or not digits.isascii():
        return None
    return digits.zfill(8)


# Characters YAML would read as line breaks or refuse, and other invisible control characters.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def clean_line(value: Any) -> Optional[str]:
    """Text for a one-line field: control characters and runs of spaces become one space."""
    text = as_text(value)
    if text is None or not isinstance(value, str):
        return text
    if text.isascii() and text.isprintable() and "  " not in text:
        return text  # the common case: already one clean line (as_text stripped it)
    cleaned = re.sub(r"\s+", " ", CONTROL.sub(" ", text)).strip()
    return cleaned or None


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def yes_no(flag: Any) -> str:
    if flag is True:
        return "yes"
    return "no" if flag is False else "not stated"
