"""``portfolio --format html``: the trustees' portfolio as one self-contained, printable page (SPEC §5).

Every figure of :class:`~bidcheck.ledger.portfolio.Portfolio` (the same value as ``--format json``)
is a table with header cells; two figures are also drawn as inline SVG, where a picture says
more than a table: the value of the tenders by verdict, month by month (stacked bars), and the
payment-by-results exposure against free reserves (two bars on one scale). Each chart has a
``<title>`` and an ``aria-label``, and its numbers are in the table beside it.
"""

from __future__ import annotations

import io
from typing import Any

from bidcheck.ledger.portfolio import VERDICTS, Portfolio
from bidcheck.render.html_page import write_page

# Chart geometry, in SVG user units (the drawing scales to the page's width).
_PLOT_HEIGHT = 160
_BAR_WIDTH = 36
_BAR_GAP = 24
_LEFT = 12
_TOP = 12
_LABEL_ROOM = 22
_EXPOSURE_WIDTH = 480
_EXPOSURE_BAR = 26
_EXPOSURE_LABELS = 110  # room left of the bars for their names


def portfolio_html(portfolio: Portfolio) -> str:
    """The page as text; money in pounds, shown as :func:`bidcheck.money.format_money` shows it."""
    out = io.StringIO()
    record = portfolio.as_record()
    write_page(
        out,
        "portfolio.html.j2",
        as_of=record["as_of"],
        figures=record,
        verdicts=VERDICTS,
        months_chart=_months_chart(record["value_by_verdict_by_month"]),
        exposure_chart=_exposure_chart(record["results_exposure"]),
    )
    return out.getvalue()


def _months_chart(months: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One stacked bar per month: a rectangle per verdict with value, its height in proportion to the
    largest month's value. None when no month has a known value (the table says so)."""
    largest = max((sum(month["by_verdict"].values()) for month in months), default=0)
    if not largest:
        return None
    bars = []
    for index, month in enumerate(months):
        x = _LEFT + index * (_BAR_WIDTH + _BAR_GAP)
        base = _TOP + _PLOT_HEIGHT
        pieces = []
        for verdict in VERDICTS:
            value = month["by_verdict"][verdict]
            if value:
                height = value / largest * _PLOT_HEIGHT
                base -= height
                pieces.append({"verdict": verdict, "value": value, "y": round(base, 2), "height": round(height, 2)})
        bars.append({"month": month["month"], "x": x, "pieces": pieces})
    return {
        "bars": bars,
        "bar_width": _BAR_WIDTH,
        "label_y": _TOP + _PLOT_HEIGHT + 16,
        "axis_y": _TOP + _PLOT_HEIGHT,
        "width": _LEFT * 2 + len(months) * (_BAR_WIDTH + _BAR_GAP),
        "height": _TOP + _PLOT_HEIGHT + _LABEL_ROOM,
    }


def _exposure_chart(exposure: dict[str, Any]) -> dict[str, Any] | None:
    """Two bars on one scale: the value at risk on payment by results and the free reserves.
    None when the reserves are not recorded (nothing to compare with)."""
    reserves = exposure["free_reserves"]
    if not reserves:
        return None
    largest = max(reserves, exposure["value_at_risk"])
    scale = (_EXPOSURE_WIDTH - _EXPOSURE_LABELS - _LEFT) / largest
    bars = [
        {"label": "at risk", "value": exposure["value_at_risk"], "y": _TOP},
        {"label": "free reserves", "value": reserves, "y": _TOP + _EXPOSURE_BAR + 12},
    ]
    for bar in bars:
        bar["width"] = round(bar["value"] * scale, 2)
    return {"bars": bars, "bar_height": _EXPOSURE_BAR, "left": _EXPOSURE_LABELS, "width": _EXPOSURE_WIDTH, "height": _TOP * 2 + 2 * _EXPOSURE_BAR + 12}
