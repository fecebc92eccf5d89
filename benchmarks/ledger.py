"""Issue 14's measurements of the decision ledger: ``ledger record`` against ``check``, and ``portfolio``.

``ledger record`` of the generated tenders into a fresh ledger each round, against
``check --format json`` of the same tenders (target: at most 1.5×); then ``portfolio
--format json`` over a ledger holding them all (target: at most 2 seconds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generate import ensure_tenders
from measure import BenchmarkError, compare, require_options, timed
from scale import CHECKED, _fresh

NEEDS_LEDGER = "the ledger measurements need `bidcheck ledger record --ledger` and `bidcheck portfolio` (issue 14)"
RECORD, CHECK, PORTFOLIO = "bidcheck ledger record", "bidcheck check", "bidcheck portfolio"


def preflight_ledger(bidcheck: str) -> None:
    require_options(bidcheck, ["ledger", "record"], ["--ledger"], NEEDS_LEDGER)
    require_options(bidcheck, ["portfolio"], ["--ledger", "--format"], NEEDS_LEDGER)


def measure_ledger(bin_dir: Path, data: Path, tenders: int, rounds: int) -> tuple[dict[str, Any], dict[str, float], dict[str, float]]:
    """(figures, ratios, absolute): record / check over ``tenders`` tenders, and portfolio's seconds over them."""
    bidcheck = str(bin_dir / "bidcheck")
    folder = ensure_tenders(data / f"n{tenders}", tenders)
    ledger = data / f"ledger-{tenders}.sqlite"
    record = [bidcheck, "ledger", "record", ".", "--ledger", str(ledger)]
    check = [bidcheck, "check", ".", "--format", "json", "--fail-on", "never"]

    def before(name: str) -> None:
        if name == RECORD:
            _fresh(*(ledger.with_name(ledger.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")))

    seconds = compare({RECORD: record, CHECK: check}, folder, rounds, CHECKED, before)
    before(RECORD)
    timed(record, folder, CHECKED)  # the ledger portfolio reads: every tender once
    if not ledger.is_file():
        raise BenchmarkError(f"`{' '.join(record)}` left no ledger at {ledger}")
    seconds[PORTFOLIO] = compare({PORTFOLIO: [bidcheck, "portfolio", "--ledger", str(ledger), "--format", "json"]}, folder, rounds, (0,))[PORTFOLIO]
    figures = {"tenders": tenders, "seconds": seconds}
    return figures, {"ledger_record_vs_check": seconds[RECORD] / seconds[CHECK]}, {"portfolio_seconds": seconds[PORTFOLIO]}
