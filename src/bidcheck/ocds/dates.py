"""OCDS dates, read one way for the whole importer: the calendar date a notice names, and
the instant a release was published (for ordering a procurement's releases)."""

from __future__ import annotations

import datetime
import re
from typing import Any, Optional

EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
_DATE_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<zone>Z|z|[+-]\d{2}:?\d{2})?$"
)


def instant(value: Any) -> datetime.datetime:
    """An OCDS date-time as an aware datetime for ordering; undated (or unreadable) sorts first."""
    match = _DATE_TIME.match(value.strip()) if isinstance(value, str) else None
    day = date_part(value)
    if match is None or day is None:
        return EARLIEST
    hour, minute, second = (int(match[part] or 0) for part in ("hour", "minute", "second"))
    zone = match["zone"] or "Z"
    offset = datetime.timedelta(0)
    if zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        moment = datetime.datetime(day.year, day.month, day.day, min(hour, 23), min(minute, 59), min(second, 59))
        return moment.replace(tzinfo=datetime.timezone(offset))
    except (ValueError, OverflowError):
        return EARLIEST


def instant_key(value: Any) -> str:
    """:func:`instant` as UTC text that sorts as the instants do (the notice store orders by it)."""
    moment: Optional[datetime.datetime] = None
    if isinstance(value, str) and len(value) >= 20:  # the usual "2026-08-10T21:49:54+01:00": the C parser, fast
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
    if moment is None:
        moment = instant(value)
    if moment == EARLIEST:
        return ""
    try:
        return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
    except OverflowError:  # past the calendar's ends once in UTC: year 1 sorts first, year 9999 last
        return "0000" if moment.year == 1 else "9999-99"


def date_part(value: Any) -> Optional[datetime.date]:
    """The calendar date an OCDS date-time names, as written (local to its offset)."""
    match = _DATE_TIME.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return datetime.date.fromisoformat(match["date"])
    except ValueError:
        return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months (negative: back), clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    year = min(max(year, 1), 9999)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month
