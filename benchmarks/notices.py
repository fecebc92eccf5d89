"""A year of notices for the import benchmarks: the real UK notices replayed, as JSON Lines.

`python benchmarks/notices.py OUT.jsonl --mb 200` (or `--releases N`). Every release in
`../shared/data/ocds/` (780 Contracts Finder, Public Contracts Scotland and Sell2Wales
releases, and 955 Find a Tender releases in `fts/`) is replayed round after round, one bare
release per line, until the file reaches its size:

- each round gives every procurement a fresh ocid and every release a fresh id, so
  (ocid, id) is unique across the file and a procurement's releases (tender, update,
  award, contract) stay together under one ocid, in date order;
- each round replays the procurements in a shuffled (seeded) order, so a file that stops
  part-way through a round keeps the real mix of tenders, awards and contracts;
- every date in a procurement moves by one number of days, so periods keep their
  lengths: a procurement with a deadline is open as of ``as_of`` (deadline on or after it)
  with probability ``open_share``, its deadline 1-60 days after ``as_of`` (never
  published after it when the notice allows), otherwise its deadline falls in the
  ``span_days`` before; one without a deadline is published in those days.

The same arguments give the same bytes. Needs only the standard library: the benchmark's
driver runs it without bidcheck installed.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
REAL_NOTICES = ROOT.parent / "shared" / "data" / "ocds"  # beside the checkout, as the tests find it
AS_OF = datetime.date(2026, 8, 15)  # the fixed date the benchmark judges "open" by (--as-of)
OPEN_SHARE = 0.1  # of procurements with a deadline: a year of notices seen at its end
SPAN_DAYS = 365
MB = 1_000_000

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})((?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)")
_TEXT_KEYS = frozenset({"title", "description"})  # free text that happens to look like a date stays as published


class RealNoticesMissing(Exception):
    """The real notices to replay are not where the benchmark looks for them."""


@dataclass
class NoticeFile:
    """What a generated file holds: its size in bytes, releases, procurements (ocids), the
    releases by tag (joined with ","), and how many procurements give a deadline and how
    many of those are open as of ``as_of``."""

    path: Path
    as_of: datetime.date
    bytes: int = 0
    releases: int = 0
    procurements: int = 0
    tags: Counter = field(default_factory=Counter)
    with_deadline: int = 0
    open: int = 0


def real_releases(source: Path = REAL_NOTICES) -> list[dict[str, Any]]:
    """Every release in ``source`` (packages unwrapped), files in name order, ``fts/`` last.

    Raises RealNoticesMissing when ``source`` has no notices."""
    paths = sorted(source.glob("*.json*")) + sorted(source.glob("fts/*.json*"))
    if not paths:
        raise RealNoticesMissing(
            f"{source}: no OCDS notices here; the notice benchmarks replay ../shared/data/ocds beside the checkout"
        )
    releases: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            documents = [json.loads(line) for line in lines if line.strip()] if path.suffix == ".jsonl" else [json.load(lines)]
        for document in documents:
            releases.extend(document["releases"] if "releases" in document else [document])
    return releases


def procurements(releases: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The releases grouped by ocid, each group in date order, groups in order of first sight."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for release in releases:
        groups.setdefault(release["ocid"], []).append(release)
    return [sorted(group, key=lambda release: str(release.get("date", ""))) for group in groups.values()]


def shift_date(text: str, days: int) -> str:
    """``text`` moved by ``days`` when it is an ISO date or date-time (the time and zone are
    kept); anything else, or a date that would leave the calendar, is returned as it is."""
    match = _DATE.fullmatch(text)
    if not match:
        return text
    try:
        moved = datetime.date(int(match[1]), int(match[2]), int(match[3])) + datetime.timedelta(days=days)
    except (ValueError, OverflowError):
        return text
    return moved.isoformat() + match[4]


def _shifted(value: Any, days: int) -> Any:
    if isinstance(value, dict):
        return {key: item if key in _TEXT_KEYS else _shifted(item, days) for key, item in value.items()}
    if isinstance(value, list):
        return [_shifted(item, days) for item in value]
    if isinstance(value, str):
        return shift_date(value, days)
    return value


def _date(value: Any) -> Optional[datetime.date]:
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        return None


def first_deadline(release: dict[str, Any]) -> Optional[datetime.date]:
    """The first date a bidder must meet, as bidcheck reads it (SPEC §4.1): the earlier of the
    expression-of-interest deadline and the tender period's end; None when neither is given.

    A copy of ``bidcheck.ocds.facts.first_deadline``, because the driver runs without bidcheck;
    tests/test_benchmark_data.py checks that the two agree on every generated notice."""
    tender = release.get("tender")
    if not isinstance(tender, dict):
        return None
    period = tender.get("tenderPeriod")
    dates = [_date(tender.get("expressionOfInterestDeadline")), _date(period.get("endDate") if isinstance(period, dict) else None)]
    found = [date for date in dates if date is not None]
    return min(found) if found else None


def _days_to_shift(
    group: list[dict[str, Any]], rng: random.Random, as_of: datetime.date, open_share: float, span_days: int
) -> tuple[int, Optional[datetime.date]]:
    """How far to move a procurement's dates, and its deadline once moved (None without one)."""
    deadline = next((found for release in reversed(group) if (found := first_deadline(release))), None)
    published = _date(group[0].get("date")) or as_of
    if deadline is None:
        return (as_of - datetime.timedelta(days=rng.randrange(span_days)) - published).days, None
    if rng.random() < open_share:
        notice_days = (deadline - published).days  # published at most that long before its deadline
        target = as_of + datetime.timedelta(days=rng.randint(1, max(1, min(60, notice_days))))
    else:
        target = as_of - datetime.timedelta(days=rng.randint(1, span_days))
    return (target - deadline).days, target


def _fresh_ocid(ocid: str, label: str) -> str:
    parts = ocid.split("-", 2)  # "ocds-h6vhtk-05a1b2": the prefix says which portal published it
    return f"{parts[0]}-{parts[1]}-{label}-{parts[2]}" if len(parts) == 3 else f"{ocid}-{label}"


def generate_notices(
    path: Path,
    *,
    target_bytes: Optional[int] = None,
    releases: Optional[int] = None,
    seed: int = 2026,
    as_of: datetime.date = AS_OF,
    open_share: float = OPEN_SHARE,
    span_days: int = SPAN_DAYS,
    namespace: str = "b",
    source: Path = REAL_NOTICES,
) -> NoticeFile:
    """Write JSON Lines of replayed real releases to ``path``: ``target_bytes`` (stopping
    before the procurement that would pass it) or exactly ``releases`` lines.

    ``namespace`` goes into every fresh ocid (``ocds-h6vhtk-b0003-05a1b2`` is round 3 of
    ``b``), so files made with different namespaces can go into one store. Raises
    RealNoticesMissing when ``source`` has no notices, ValueError without a size."""
    if (target_bytes is None) == (releases is None):
        raise ValueError("give exactly one of target_bytes and releases")
    groups = procurements(real_releases(source))
    rng = random.Random(seed)
    made = NoticeFile(path=path, as_of=as_of)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for round_ in itertools.count():
            order = list(range(len(groups)))
            rng.shuffle(order)
            for source_index in order:
                group = groups[source_index]
                days, deadline = _days_to_shift(group, rng, as_of, open_share, span_days)
                label = f"{namespace}{round_:04d}"
                lines = []
                for number, release in enumerate(group):
                    replayed = _shifted(release, days)
                    replayed["ocid"] = _fresh_ocid(release["ocid"], label)
                    replayed["id"] = f"{release['id']}-{label}" if release.get("id") else f"{label}-{source_index}-{number}"
                    lines.append((json.dumps(replayed, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
                if releases is not None:
                    lines = lines[: releases - made.releases]
                elif made.bytes + sum(map(len, lines)) > target_bytes:
                    return made
                out.writelines(lines)
                made.bytes += sum(map(len, lines))
                made.releases += len(lines)
                made.procurements += 1
                made.tags.update(",".join(release.get("tag", [])) for release in group[: len(lines)])
                if deadline is not None:
                    made.with_deadline += 1
                    made.open += deadline >= as_of
                if releases is not None and made.releases >= releases:
                    return made
    raise AssertionError("unreachable: the rounds go on until the file is full")


def main(argv: Optional[list[str]] = None) -> int:
    """``notices.py OUT.jsonl (--mb N | --releases N) [--seed S] [--as-of DATE] [--open-share P]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, metavar="OUT.jsonl")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--mb", type=float, help="size of the file in MB (1,000,000 bytes)")
    size.add_argument("--releases", type=int, help="number of releases (lines)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=AS_OF, help=f"the date 'open' is judged by (default {AS_OF})")
    parser.add_argument("--open-share", type=float, default=OPEN_SHARE, help=f"share of procurements with a deadline left open (default {OPEN_SHARE})")
    parser.add_argument("--source", type=Path, default=REAL_NOTICES, help="the real notices to replay (default ../shared/data/ocds)")
    options = parser.parse_args(argv)
    try:
        made = generate_notices(
            options.path,
            target_bytes=round(options.mb * MB) if options.mb else None,
            releases=options.releases,
            seed=options.seed,
            as_of=options.as_of,
            open_share=options.open_share,
            source=options.source,
        )
    except RealNoticesMissing as missing:
        print(f"notices.py: {missing}", file=sys.stderr)
        return 2
    print(f"{made.path}: {made.bytes:,} bytes, {made.releases:,} releases, {made.procurements:,} procurements, {made.open:,} of {made.with_deadline:,} with a deadline open as of {made.as_of}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
