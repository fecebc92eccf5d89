"""The notice store's writing: releases taken one at a time, written a batch at a time.

One import reads tens of thousands of releases; a statement or three per release, each
through the ``sqlite3`` module, cost more than the rows. A :class:`Batch` keeps the rows of
up to :data:`bidcheck.ocds.store.BATCH` releases (and their awards' facts) and writes them
with one ``executemany`` per table, after one query each for the keys already known: read
earlier in this import (a duplicate), or stored by an earlier import. What is written is
what writing each release in turn wrote: the first copy of a release read twice is kept,
a later notice of the same award replaces what was known of it, index rows and all.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from bidcheck.ocds.dates import instant_key
from bidcheck.ocds.facts import own_deadline_fields
from bidcheck.ocds.history import AwardFact, award_facts
from bidcheck.ocds.json_codec import compact
from bidcheck.ocds.notice_types import notice_type, release_kind, release_tags, tags_text
from bidcheck.ocds.read import Release

NEW, STORED, DUPLICATE = "new", "stored", "duplicate"  # what adding a release did
_KEYS_PER_QUERY = 500  # well under SQLite's limit on a statement's parameters
_INSERT_RELEASE = (
    "INSERT INTO releases (key, ocid, release_id, published, tags, notice_type, kind, where_read, publisher, package_uri, data)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_AWARD_COLUMNS = 16


@dataclass(frozen=True)
class Added:
    """What adding one release did (NEW, STORED or DUPLICATE), and which release it was."""

    outcome: str
    where: str
    ocid: str
    release_id: Optional[str]


@dataclass
class _Taken:
    row: tuple[object, ...]  # the releases row, the key first
    read_order: int
    deadline_fields: Optional[tuple[Optional[str], Optional[str]]]  # facts.own_deadline_fields
    where: str
    release_id: Optional[str]
    awards: list[AwardFact]

    def run_row(self) -> tuple[object, ...]:
        """The run_releases row: key, ocid, read order, and the deadline fields when they can judge "closed"."""
        eoi, end = self.deadline_fields or (None, None)
        return (self.row[0], self.row[1], self.read_order, self.deadline_fields is not None, eoi, end)


@dataclass
class Batch:
    """Releases taken and not yet written, first copy of each key only, in the order read."""

    taken: dict[str, _Taken] = field(default_factory=dict)
    duplicates: list[Added] = field(default_factory=list)  # read twice within this batch

    @property
    def waiting(self) -> int:
        return len(self.taken) + len(self.duplicates)

    def take(self, release: Release, read_order: int) -> int:
        """Keep one release for the next write; returns how many releases wait."""
        data = release.data
        key = release_key(release)
        if key in self.taken:
            self.duplicates.append(Added(DUPLICATE, release.where, release.ocid, release.release_id))
            return self.waiting
        kind, tags = notice_type(data), release_tags(data)
        row = (
            key, release.ocid, release.release_id, instant_key(data.get("date")), tags_text(data, tags), kind,
            release_kind(data, kind, tags), release.where, release.package_publisher, release.package_uri,
            release.text or json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        )  # fmt: skip
        self.taken[key] = _Taken(row, read_order, own_deadline_fields(data), release.where, release.release_id, list(award_facts(data, kind)))
        return self.waiting

    def write(self, db: sqlite3.Connection) -> list[Added]:
        """Write the batch (the caller commits); what adding did to each release, in the order read."""
        keys = list(self.taken)
        read_before = set(_known(db, "SELECT key FROM run_releases WHERE key IN ({})", keys))
        fresh = [key for key in keys if key not in read_before]
        stored = set(_known(db, "SELECT key FROM releases WHERE key IN ({})", fresh))
        db.executemany("INSERT INTO run_releases VALUES (?, ?, ?, ?, ?, ?)", (self.taken[key].run_row() for key in fresh))
        db.executemany("UPDATE releases SET where_read = ? WHERE key = ?", ((self.taken[key].where, key) for key in fresh if key in stored))
        new = [key for key in fresh if key not in stored]
        db.executemany(_INSERT_RELEASE, (self.taken[key].row for key in new))
        _write_awards(db, (fact for key in new for fact in self.taken[key].awards))
        outcomes = {key: DUPLICATE for key in read_before} | {key: STORED for key in stored} | {key: NEW for key in new}
        added = [Added(outcomes[key], taken.where, str(taken.row[1]), taken.release_id) for key, taken in self.taken.items()]
        added += self.duplicates
        self.taken, self.duplicates = {}, []
        return added


def release_key(release: Release) -> str:
    """How the store knows a release: its ocid and id, or its ocid and date when it has no id."""
    return f"{release.ocid}\x1f{release.release_id or 'date:' + str(release.data.get('date'))}"


def _in_chunks(db: sqlite3.Connection, statement: str, keys: Sequence[str]) -> Iterator[sqlite3.Cursor]:
    """``statement`` (whose ``IN ({})`` takes the keys) run for every key, a chunk of keys at a time."""
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        yield db.execute(statement.format(", ".join("?" * len(chunk))), chunk)


def _rows_for(db: sqlite3.Connection, query: str, keys: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` (:func:`_in_chunks`) for every key."""
    for cursor in _in_chunks(db, query, keys):
        yield from cursor


def _known(db: sqlite3.Connection, query: str, keys: Sequence[str]) -> Iterator[str]:
    return (key for (key,) in _rows_for(db, query, keys))


def award_key(fact: AwardFact) -> str:
    return f"{fact.ocid}\x1f{fact.award_id}\x1f{fact.supplier_id or fact.supplier_name}"


# An award's index rows, worked out by SQLite from its row (buyer keys x CPV classes x end
# dates, as JSON lists and columns): in C, and in key order, which measured three times
# faster than binding each row from Python (0.3 s against 1.0 s for the 89,670 rows of 200 MB).
_INDEX_ROWS = (
    "SELECT buyer.value, cpv.value, ends.value, a.award_key FROM awards AS a, json_each(a.buyer_keys) AS buyer,"
    " json_each(a.cpv_classes) AS cpv, json_each(json_array(a.end_date, a.max_extent_date)) AS ends"
    " WHERE ends.value IS NOT NULL AND {which}"
)


def _write_awards(db: sqlite3.Connection, facts: Iterable[AwardFact]) -> None:
    """Each award's row and its index rows (buyer key x CPV class x end date); a later notice
    of an award known already (an awardUpdate, a contract notice) replaces what was known."""
    latest = {award_key(fact): fact for fact in facts}  # the last notice read of each award wins
    if not latest:
        return
    replaced = _INDEX_ROWS.format(which="a.award_key IN ({})")  # the index rows of the awards replaced, from their old rows
    for cursor in _in_chunks(db, f"DELETE FROM award_keys WHERE (buyer_key, cpv_class, ends, award_key) IN ({replaced})", list(latest)):
        cursor.close()
    (written_after,) = db.execute("SELECT coalesce(max(rowid), 0) FROM awards").fetchone()
    db.executemany(f"INSERT OR REPLACE INTO awards VALUES ({', '.join('?' * _AWARD_COLUMNS)})", (_award_row(key, fact) for key, fact in latest.items()))
    # A row inserted (or replaced) takes a rowid past the largest before it: these are the batch's awards.
    db.execute(f"INSERT OR IGNORE INTO award_keys {_INDEX_ROWS.format(which='a.rowid > ?')} ORDER BY 1, 2, 3, 4", (written_after,))


def _award_row(key: str, fact: AwardFact) -> tuple[object, ...]:
    return (
        key, fact.ocid, fact.award_id, fact.supplier_name, fact.supplier_id,
        None if fact.vcse is None else int(fact.vcse), fact.scale, compact(fact.titles),
        compact(fact.buyer_keys), compact(fact.cpv_classes), _iso(fact.start), _iso(fact.end),
        _iso(fact.max_extent), fact.notice_id, fact.notice_url, fact.notice_type,
    )  # fmt: skip


def _iso(day: Optional[datetime.date]) -> Optional[str]:
    return day.isoformat() if day else None
