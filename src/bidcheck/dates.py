"""Dates as bid teams write them (``01/12/2026``, ``1 Dec 2026``), for "did you mean" hints.

bidcheck reads only ISO dates (``YYYY-MM-DD``): any other form is refused, never guessed.
What this module guesses is only ever offered as a suggestion in that refusal, and it
reads numeric dates day first, as they are written in the UK.
"""

from __future__ import annotations

import datetime
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_IGNORED_WORDS = {"st", "nd", "rd", "th", "of", "the", "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday",
                  "thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}")
_NUMERIC = re.compile(r"^(\d{1,4})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_iso_date(value: object) -> datetime.date:
    """Only an ISO date (``YYYY-MM-DD``), for every date bidcheck reads: tender fields and options.

    Raises ValueError saying what was expected, with the date another form most likely means
    (``01/12/2026``: did you mean 2026-12-01?); a bare number is never a date counted from 1970.
    """
    from bidcheck.problems import excerpt

    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{excerpt(value)} is not a real date") from None
    meant = suggest_iso_date(value) if isinstance(value, str) else None
    hint = f"; did you mean {meant.isoformat()} ({meant.day} {meant:%B %Y})?" if meant else ""
    raise ValueError(f"expected a date as YYYY-MM-DD, got {excerpt(value)}{hint}")


def suggest_iso_date(text: str) -> datetime.date | None:
    """The date ``text`` most likely means, or None when it does not look like one date.

    Numeric dates are read day first (``01/12/2026`` is 1 December 2026), unless only the
    month-first reading is a real date (``12/31/2026``); two-digit years are 20xx; month
    names may be short or long, with or without ordinals and weekdays (``Tue 1st Dec 2026``).
    """
    text = text.strip()
    with_time = _ISO_WITH_TIME.match(text)
    if with_time:
        return _date(*(int(part) for part in with_time[1].split("-")))
    compact = _COMPACT.match(text)
    if compact:
        return _date(int(compact[1]), int(compact[2]), int(compact[3]))
    numeric = _NUMERIC.match(text)
    if numeric:
        first, second, third = numeric.groups()
        if len(first) == 4:
            return _date(int(first), int(second), int(third))
        if len(third) == 3:
            return None
        year = _year(third)
        return _date(year, int(second), int(first)) or _date(year, int(first), int(second))
    return _with_month_name(text)


def _with_month_name(text: str) -> datetime.date | None:
    words = [word for word in re.findall(r"[A-Za-z]+|\d+", text.lower()) if word not in _IGNORED_WORDS]
    months = [_MONTHS[word] for word in words if word in _MONTHS]
    numbers = [word for word in words if word.isdigit()]
    if len(months) != 1 or len(numbers) != 2 or len(words) != 3:
        return None
    first, second = numbers
    if len(first) <= 2 and len(second) in (2, 4):
        day, year = first, second
    elif len(first) == 4 and len(second) <= 2:
        year, day = first, second
    else:
        return None
    return _date(_year(year), months[0], int(day))


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) <= 2 else int(text)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
