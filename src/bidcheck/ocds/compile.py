"""``import ocds``, compiling: a procurement's releases (one ocid) merged into its current state.

OCDS publishes a procurement as a series of releases (tender, tenderUpdate, award,
contract...), each holding only what it says. The compiled release is what the
procurement is now: the releases in date order, each field taken from the latest release
that gives it; objects merge field by field; arrays of objects with ``id`` merge item by
item by ``id`` (documents, lots, awards, contracts, parties); other arrays are replaced
whole; ``null`` removes a field. These are the OCDS merge rules ocdsmerge implements with
the release schema; this hand-written merge needs no schema, and the README ("Importing
notices") says why it was kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from bidcheck.ocds.dates import instant
from bidcheck.ocds.notice_types import release_tags
from bidcheck.ocds.read import Release, as_text
from bidcheck.ocds.skips import Skip, SkipReason

_RELEASE_ONLY = ("id", "date", "tag")  # what one release says of itself, not of the procurement


def compile_releases(releases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release of one procurement from its releases, oldest first.

    The result keeps the latest release's ``id``, ``date`` and ``tag``, so a tender file
    names the notice it came from and the latest notice still says what it is.
    """
    compiled: dict[str, Any] = {}
    for release in releases:
        merged = {key: value for key, value in release.items() if key not in _RELEASE_ONLY}
        compiled = _merge(compiled, merged)
    if releases:
        for key in _RELEASE_ONLY:
            if key in releases[-1]:
                compiled[key] = releases[-1][key]
            else:
                compiled.pop(key, None)
    return compiled


def _merge(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = _merge(old.get(key), value)
        return merged
    if isinstance(old, list) and isinstance(new, list) and _identified(old) and _identified(new):
        by_id = {_id(item): item for item in old}
        for item in new:
            key = _id(item)
            by_id[key] = _merge(by_id.get(key), item)
        return list(by_id.values())
    return new


def _identified(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) and as_text(item.get("id")) is not None for item in items)


def _id(item: dict[str, Any]) -> str:
    return as_text(item.get("id")) or ""


def latest_releases(releases: Iterable[Release]) -> tuple[list[Release], list[Skip]]:
    """The latest release of each ocid, in first-seen order; the others as skips.

    A release is identified by its ``id``; releases without one (Public Contracts Scotland)
    by ocid and date. The same release seen twice is a duplicate; an older release of an
    ocid is superseded. Releases compare by ``date`` (time zones respected); on a tie the
    one read later wins. (The importer orders a procurement's releases the same way in the
    notice store; this is the in-memory form.)
    """
    seen: set[tuple[str, str]] = set()
    best: dict[str, tuple[tuple[datetime.datetime, int], Release]] = {}
    skips: list[Skip] = []
    for order, release in enumerate(releases):
        ocid = release.ocid
        identity = (ocid, release.release_id or f"date:{release.data.get('date')}")
        if identity in seen:
            skips.append(Skip(SkipReason.DUPLICATE, "the same release was read before", release.where, ocid, release.release_id))
            continue
        seen.add(identity)
        key = (instant(release.data.get("date")), order)
        current = best.get(ocid)
        if current is None:
            best[ocid] = (key, release)
            continue
        older, newer = (current[1], release) if key > current[0] else (release, current[1])
        if newer is release:
            best[ocid] = (key, release)
        skips.append(Skip(SkipReason.SUPERSEDED, f"by {describe_release(newer.data)}", older.where, ocid, older.release_id))
    return [release for _, release in best.values()], skips


def describe_release(data: dict[str, Any]) -> str:
    """``"the tenderAmendment release of 2022-10-19T16:20:52+01:00"``, for messages."""
    tags = "/".join(release_tags(data)) or "untagged"
    date = as_text(data.get("date")) or "undated"
    return f"the {tags} release of {date}"
