"""The notice store: every release ``import ocds`` reads, kept in SQLite so that award
history builds up across imports (SPEC §4.1).

One file, ``.bidcheck/notices.sqlite`` beside the output folder by default. ``releases``
holds each release once (by release id within its ocid, or ocid and date when it has none),
as published; ``awards`` and ``award_keys`` hold the facts of each award and contract
(:mod:`bidcheck.ocds.history`), indexed by buyer key and CPV class, so that incumbent
matching asks an index rather than reading the history. Writes go in transactions of
:data:`BATCH` releases. The schema's version is ``PRAGMA user_version``.

A temporary table remembers what one import read (each release's key and ocid, in order), so
the import can compile each procurement it touched without holding anything per release
in memory.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bidcheck.ocds.facts import first_deadline
from bidcheck.ocds.history import AwardFact
from bidcheck.ocds.json_codec import parse
from bidcheck.ocds.notice_types import TENDER
from bidcheck.ocds.read import Release
from bidcheck.ocds.store_batch import Added, Batch
from bidcheck.problems import Problem, ProblemsFound

SCHEMA_VERSION = 1
LOCK_WAIT = 60  # seconds to wait for another import writing the same store
BATCH = 5000  # releases per transaction: one commit per batch (5,000: measured 9% faster at 200 MB than 1,000, peak memory 117 MB instead of 81 MB)
STORE_FOLDER, STORE_NAME = ".bidcheck", "notices.sqlite"
_SQLITE_HEADER = b"SQLite format 3\x00"

# 16 KiB pages (set before the first table): most releases (about 5 KB each) then fit in
# one page instead of a chain of overflow pages, which measured faster to write.
_SCHEMA = """
PRAGMA page_size = 16384;
CREATE TABLE releases (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    ocid TEXT NOT NULL,
    release_id TEXT,
    published TEXT NOT NULL,  -- UTC, sortable; '' when undated
    tags TEXT NOT NULL,
    notice_type TEXT,
    kind TEXT,  -- what the release is (bidcheck.ocds.notice_types.release_kind)
    where_read TEXT NOT NULL,
    publisher TEXT,  -- the package's publisher name and uri, which a release does not carry
    package_uri TEXT,
    data TEXT NOT NULL
);
CREATE INDEX releases_by_ocid ON releases (ocid, published, seq);
CREATE TABLE awards (
    award_key TEXT PRIMARY KEY,
    ocid TEXT NOT NULL,
    award_id TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    supplier_id TEXT,
    vcse INTEGER,
    scale TEXT,
    titles TEXT NOT NULL,  -- JSON list
    buyer_keys TEXT NOT NULL,  -- JSON list
    cpv_classes TEXT NOT NULL,  -- JSON list
    start_date TEXT,
    end_date TEXT,
    max_extent_date TEXT,
    notice_id TEXT,
    notice_url TEXT,
    notice_type TEXT
);
CREATE TABLE award_keys (  -- one row per buyer key, CPV class and end date (the contract's end, its latest extension)
    buyer_key TEXT NOT NULL,
    cpv_class TEXT NOT NULL,
    ends TEXT NOT NULL,
    award_key TEXT NOT NULL,
    PRIMARY KEY (buyer_key, cpv_class, ends, award_key)
) WITHOUT ROWID;
"""  # a store an earlier bidcheck made also has an index award_keys_by_award: kept, no longer needed
# One import's bookkeeping: in memory (a few bytes per release read), with a page cache of
# 16 MB so that index updates rarely wait on the disk; the journal stays SQLite's default
# (rollback journal, not WAL): one file to copy or delete, and one writer at a time is all
# an import needs. ``synchronous`` stays SQLite's default (FULL): an import is CPU-bound
# (synchronous=OFF measured no faster), and FULL keeps a committed batch, and the store
# whole, through a power cut as well as a crash; an interrupted batch rolls back.
# By the award_keys primary key, a range of end dates within each (buyer, CPV class): never a
# scan of the history, and only the awards ending in the window are read.
AWARDS_BY_BUYER_AND_CPV = (
    "SELECT DISTINCT a.* FROM award_keys AS k JOIN awards AS a ON a.award_key = k.award_key"
    " WHERE k.buyer_key IN ({keys}) AND k.cpv_class = ? AND k.ends BETWEEN ? AND ? AND a.ocid != ?"
)
_RUN = """
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -16000;
CREATE TEMP TABLE run_releases (
    key TEXT PRIMARY KEY, ocid TEXT NOT NULL, read_order INTEGER NOT NULL,
    plain INTEGER NOT NULL, eoi_deadline TEXT, period_end TEXT  -- bidcheck.ocds.facts.own_deadline_fields
) WITHOUT ROWID;
"""


def default_store_path(output: Path) -> Path:
    """``.bidcheck/notices.sqlite`` in the output folder's parent folder."""
    return Path(os.path.abspath(output)).parent / STORE_FOLDER / STORE_NAME


def store_problem(path: Path, inputs: Sequence[str] = ()) -> Optional[Problem]:
    """Why ``path`` cannot be the notice store, or None when it can.

    Never a symlink (it could point anywhere), a folder, a file that is not SQLite, or one
    of the inputs: the store is written, and nothing bidcheck does may change an input or a
    file it did not make.
    """
    text = str(path)
    if os.path.islink(path):
        return Problem(text, 0, 0, "the notice store is a symbolic link; give --store the real path (it is never followed)")
    if os.path.isdir(path):
        return Problem(text, 0, 0, "the notice store is a folder; --store names a file")
    for name in inputs:
        if name != "-" and os.path.exists(name) and os.path.exists(path) and os.path.samefile(name, path):
            return Problem(text, 0, 0, "the notice store is one of the inputs; give --store another file")
    if os.path.exists(path):
        try:
            with open(path, "rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except OSError as error:
            return Problem(text, 0, 0, f"cannot read the notice store: {error.strerror or error}")
        if header != _SQLITE_HEADER:
            return Problem(text, 0, 0, "not a notice store (not an SQLite database); it is left as it is: give --store another file")
    return None


@dataclass(frozen=True)
class Outline:
    """A procurement as the store's columns give it: its latest release's kind and id, and,
    when every release of it was read by this import and is a tender notice whose only
    closing fact can be its deadline (:func:`~bidcheck.ocds.facts.own_deadline_fields`), its
    compiled first deadline (``plain_tender`` True; ``deadline`` None when it gives none)."""

    kind: Optional[str]
    release_id: Optional[str]
    plain_tender: Optional[bool]
    deadline: Optional[datetime.date] = None


def _outline(rows: list[tuple[Any, ...]]) -> Outline:
    """A procurement's :class:`Outline` from its releases' ``(kind, release_id, plain, eoi, end)``, oldest first."""
    kind, release_id = rows[-1][0], rows[-1][1]
    fields: dict[str, Optional[str]] = {}
    for row_kind, _, plain, eoi, end in rows:
        if row_kind != TENDER or not plain:  # read by an earlier import (NULL), or more than a tender's dates
            return Outline(kind, release_id, None)
        fields.update({name: value for name, value in (("eoi", eoi), ("end", end)) if value is not None})
    tender = {"expressionOfInterestDeadline": fields.get("eoi"), "tenderPeriod": {"endDate": fields.get("end")}}
    return Outline(kind, release_id, True, first_deadline(tender))


@dataclass(frozen=True)
class StoredRelease:
    """A release as the store gives it back, and whether this import read it."""

    release: Release
    read_now: bool


class NoticeStore:
    """An open notice store. Use as a context manager; :meth:`open` checks the path first."""

    def __init__(self, path: str):
        self.path = path
        self._connection: Optional[sqlite3.Connection] = None
        self._order = 0
        self._batch = Batch()  # releases taken, written together
        self._added: list[Added] = []  # written, not yet returned by flush

    @classmethod
    def open(cls, path: Path | str, inputs: Sequence[str] = ()) -> NoticeStore:
        """The store at ``path``; ``":memory:"`` for one that is not kept.

        A store that does not exist yet is created when the first release is added, so an
        import that reads nothing leaves no file and no folder behind. Raises
        :class:`ProblemsFound` when ``path`` cannot be the store (:func:`store_problem`), or
        is another SQLite database or a newer store's schema.
        """
        text = str(path)
        if text != ":memory:":
            problem = store_problem(Path(text), inputs)
            if problem:
                raise ProblemsFound([problem])
        store = cls(text)
        if text == ":memory:" or os.path.exists(text):
            store.connection  # noqa: B018 - an existing store is checked now, before anything is read
        return store

    @property
    def connection(self) -> sqlite3.Connection:
        """The database, opened (and the store created) on first use."""
        if self._connection is None:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            try:
                self._connection = sqlite3.connect(self.path, timeout=LOCK_WAIT)
                self._prepare()
            except sqlite3.Error as error:
                raise ProblemsFound([Problem(self.path, 0, 0, f"cannot use the notice store: {error}")]) from None
        return self._connection

    def _prepare(self) -> None:
        assert self._connection is not None
        version = self._connection.execute("PRAGMA user_version").fetchone()[0]
        tables = self._connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables == 0:
            with self._connection:
                self._connection.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
        elif version != SCHEMA_VERSION:
            self._connection.close()
            self._connection = None
            what = "a newer bidcheck's notice store" if version > SCHEMA_VERSION else "not a bidcheck notice store"
            raise ProblemsFound([Problem(self.path, 0, 0, f"{what} (schema {version}); it is left as it is")])
        self._connection.executescript(_RUN)

    def __enter__(self) -> NoticeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit what is pending and close."""
        if self._connection is None:
            return
        self._write_batch()
        self._connection.close()
        self._connection = None

    # -- writing ------------------------------------------------------------------------

    def add(self, release: Release) -> list[Added]:
        """Take one release read by this import; written with its batch (:data:`BATCH` releases).

        Returns what adding did to each release of a batch written now (usually none, as
        the batch fills): NEW, STORED (already kept by an earlier import) or DUPLICATE (read
        twice in this import: not counted again); :meth:`flush` returns the rest.
        """
        self._order += 1  # the procurements read are grouped from run_releases once reading is done
        if self._batch.take(release, self._order) >= BATCH:
            return self.flush()
        return []

    def _write_batch(self) -> None:
        """Write what waits and commit: the releases, their awards and the awards' index rows in one transaction."""
        if self._batch.waiting:
            self._added += self._batch.write(self.connection)
            self.connection.commit()

    def flush(self) -> list[Added]:
        """Write and commit the releases taken so far; what adding did to each not yet returned."""
        self._write_batch()
        added, self._added = self._added, []
        return added

    # -- reading ------------------------------------------------------------------------

    def procurements_read(self) -> Iterator[tuple[str, int]]:
        """``(ocid, releases of it read by this import)`` for each procurement, in the order first read."""
        if self._connection is None:
            return
        cursor = self._connection.execute("SELECT ocid, count(*) FROM run_releases GROUP BY ocid ORDER BY min(read_order)")
        while rows := cursor.fetchmany(500):
            yield from rows

    def procurement_count(self) -> int:
        """Procurements this import read releases of."""
        if self._connection is None:
            return 0
        return int(self.connection.execute("SELECT count(DISTINCT ocid) FROM run_releases").fetchone()[0])

    def outlines_of(self, ocids: Sequence[str]) -> dict[str, Outline]:
        """What the store's columns tell of each of ``ocids`` (each holding a release) without
        reading its releases back, in one query."""
        rows = self.connection.execute(
            "SELECT r.ocid, r.kind, r.release_id, t.plain, t.eoi_deadline, t.period_end"
            " FROM releases AS r LEFT JOIN run_releases AS t ON t.key = r.key"
            f" WHERE r.ocid IN ({', '.join('?' * len(ocids))}) ORDER BY r.ocid, r.published, r.seq",
            list(ocids),
        ).fetchall()
        grouped: dict[str, list[tuple[Any, ...]]] = {}
        for ocid, *rest in rows:
            grouped.setdefault(ocid, []).append(tuple(rest))
        return {ocid: _outline(releases) for ocid, releases in grouped.items()}

    def releases_of(self, ocid: str) -> list[StoredRelease]:
        """Every stored release of one procurement, oldest first (ties: first stored first)."""
        rows = self.connection.execute(
            "SELECT data, where_read, publisher, package_uri, key IN (SELECT key FROM run_releases)"
            " FROM releases WHERE ocid = ? ORDER BY published, seq",
            (ocid,),
        ).fetchall()
        return [StoredRelease(Release(parse(data), where, publisher, uri), bool(now)) for data, where, publisher, uri, now in rows]

    def release_count(self) -> int:
        """Releases the store holds."""
        if self._connection is None:
            return 0
        return int(self.connection.execute("SELECT count(*) FROM releases").fetchone()[0])

    def awards_for(
        self, keys: Sequence[str], classes: Sequence[str], ending: tuple[datetime.date, datetime.date], other_than: str
    ) -> list[AwardFact]:
        """Awards by any of these buyers (:func:`~bidcheck.ocds.history.buyer_keys`) in any of
        these CPV classes, whose contract ends (or may be extended to end) within ``ending``
        (first and last day), outside procurement ``other_than``: one index range per class."""
        found: dict[str, AwardFact] = {}
        if self._connection is None or not keys:
            return []
        self._write_batch()
        query = AWARDS_BY_BUYER_AND_CPV.format(keys=", ".join("?" * len(keys)))
        for cpv in classes:
            rows = self._connection.execute(query, (*keys, cpv, ending[0].isoformat(), ending[1].isoformat(), other_than))
            for row in rows:
                found.setdefault(row[0], _fact(row))
        return list(found.values())

def _date(text: Optional[str]) -> Optional[datetime.date]:
    return datetime.date.fromisoformat(text) if text else None


def _fact(row: Sequence[Any]) -> AwardFact:
    (_, ocid, award_id, name, supplier_id, vcse, scale, titles, keys, classes, start, end, extent, notice, url, kind) = row
    return AwardFact(
        ocid=ocid, award_id=award_id, supplier_name=name, supplier_id=supplier_id,
        vcse=None if vcse is None else bool(vcse), scale=scale, titles=tuple(parse(titles)),
        buyer_keys=tuple(parse(keys)), cpv_classes=tuple(parse(classes)), start=_date(start),
        end=_date(end), max_extent=_date(extent), notice_id=notice, notice_url=url, notice_type=kind,
    )  # fmt: skip
