"""Numbers, money and percentages as people write them in tenders: ``"£1.2m"``, ``"£450k"``, ``"30%"``.

One rule for digits grouped with underscores, in every number field (money, percentages,
whole numbers, config thresholds): ``1_000_000`` is read as 1000000, like ``1,000,000``;
any other underscore (``24_0``, ``1__000``, ``0.5_0``) is an error, never a guess.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from bidcheck.problems import excerpt

_SCALE = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
# An optional £ or GBP, digits (optionally grouped with commas), an optional scale word.
_MONEY = re.compile(
    r"^(?:£|gbp)?\s*(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:e(?P<exponent>[+-]?\d{1,3}))?"
    r"\s*(?P<scale>k|thousand|mn|m|million|bn|billion)?$",
    re.IGNORECASE | re.ASCII,
)
_LARGEST = Decimal(10) ** 15  # a thousand trillion pounds: beyond any contract
# A run of digits and underscores: grouped correctly only when every group after the first has three digits.
_DIGIT_RUN = re.compile(r"(?<![0-9_])[0-9_]*_[0-9_]*")
_GROUPED = re.compile(r"[0-9]{1,3}(?:_[0-9]{3})+")
GROUPED_DIGITS_PATTERN = r"[0-9]{1,3}(?:_[0-9]{3})+"  # for the JSON Schema
MONEY_EXAMPLES = '1200000, "£1.2m", "£450k", "1,200,000" or "£1.2 million"'


def parse_money(value: object) -> float:
    """An amount in pounds, rounded to the penny. Raises ValueError saying what was expected."""
    if isinstance(value, bool):
        raise ValueError(f"expected an amount of money such as {MONEY_EXAMPLES}")
    if isinstance(value, int) and value > _LARGEST:  # before float(), which overflows
        raise ValueError(f"amount {excerpt(value)} is implausibly large for a contract")
    if isinstance(value, (int, float)):
        amount = float(value)
    elif isinstance(value, str):
        amount = _parse_money_text(value.strip())
    else:
        raise ValueError(f"expected an amount of money such as {MONEY_EXAMPLES}")
    if math.isnan(amount) or math.isinf(amount):
        raise ValueError("expected a finite amount of money")
    if amount < 0:
        raise ValueError("expected an amount of money of zero or more")
    if amount > _LARGEST:
        raise ValueError(f"amount {excerpt(value)} is implausibly large for a contract")
    return round(amount, 2)


def ungroup_digits(text: str) -> str:
    """``"1_000_000"`` -> ``"1000000"``: underscores allowed only between groups of three digits.

    Applies to every run of digits in ``text`` (so ``"£1_200k"`` -> ``"£1200k"``); raises
    ValueError, saying what was expected, for any other underscore (``"24_0"``, ``"0.000_5"``),
    and for digits other than 0-9 (Python would read ``"٣٦"`` or a full-width ``"３６"`` as 36 in
    some fields and not others: one rule everywhere).
    """
    if not text.isascii() and any(character.isdigit() for character in text if not character.isascii()):
        raise ValueError(f"write numbers with the digits 0-9; got {excerpt(text)}")
    if "_" not in text:
        return text

    def ungrouped(run: re.Match[str]) -> str:
        after_point = run.start() > 0 and text[run.start() - 1] == "."
        if after_point or not _GROUPED.fullmatch(run[0]):
            raise ValueError(
                f"underscores may only group whole-number digits in threes, such as 1_000_000; got {excerpt(text)}"
            )
        return run[0].replace("_", "")

    return _DIGIT_RUN.sub(ungrouped, text)


def ungroup_number(value: object) -> object:
    """Text of a number with its digit grouping checked and removed; other values unchanged."""
    return ungroup_digits(value.strip()) if isinstance(value, str) else value


def parse_number(value: object) -> float:
    """A plain number from a number or its text (``"24"``, ``"1_000"``, ``"0.5"``). Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(ungroup_digits(value.strip()))
        except ValueError as error:
            if "_" in value:
                raise
            raise ValueError(f"expected a number, got {excerpt(value)}") from None
    raise ValueError("expected a number")


def _parse_money_text(text: str) -> float:
    match = _MONEY.match(ungroup_digits(text))
    if not match:
        hint = ""
        if text[:1] in ("$", "€") or text[:3].upper() in ("USD", "EUR"):
            hint = "; bidcheck works in pounds sterling (GBP)"
        elif text.startswith("-"):
            hint = "; money cannot be negative"
        raise ValueError(f"expected an amount of money such as {MONEY_EXAMPLES}, got {excerpt(text)}{hint}")
    number = Decimal(match["number"].replace(",", ""))
    if match["exponent"]:
        number = number.scaleb(int(match["exponent"]))
    number *= _SCALE[(match["scale"] or "").lower()]
    if number > _LARGEST:
        raise ValueError(f"amount {excerpt(text)} is implausibly large for a contract")
    try:
        return float(number.quantize(Decimal("0.01")))
    except InvalidOperation:  # pragma: no cover - guarded by _LARGEST
        raise ValueError(f"expected an amount of money, got {excerpt(text)}") from None


def parse_percentage(value: object) -> float:
    """A percentage 0-100 from ``30``, ``30.5`` or ``"30%"``. Raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError('expected a percentage from 0 to 100, such as 30 or "30%"')
    if isinstance(value, str):
        text = ungroup_digits(value.strip().removesuffix("%").strip())
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f'expected a percentage from 0 to 100, such as 30 or "30%", got {excerpt(value)}') from None
    elif isinstance(value, int):
        number = float(value) if -1000 < value < 1000 else math.inf  # float() overflows on huge ints
    elif isinstance(value, float):
        number = value
    else:
        raise ValueError('expected a percentage from 0 to 100, such as 30 or "30%"')
    if math.isnan(number) or not 0 <= number <= 100:
        raise ValueError(f"expected a percentage from 0 to 100, got {excerpt(value)}")
    return number


def format_money(amount: float) -> str:
    """Short and readable: £1.2m, £420k, £950."""
    if amount >= 1_000_000_000:
        return f"£{_trim(amount / 1_000_000_000)}bn"
    if amount >= 1_000_000:
        return f"£{_trim(amount / 1_000_000)}m"
    if amount >= 10_000:
        return f"£{_trim(amount / 1_000, 1)}k"
    if amount == int(amount):
        return f"£{int(amount):,}"
    return f"£{amount:,.2f}"


def format_percentage(value: float) -> str:
    return f"{_trim(value, 1)}%"


def _trim(number: float, places: int = 2) -> str:
    text = f"{number:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
