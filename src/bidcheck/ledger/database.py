"""The ledger's SQLite file: schema, forward migrations, and every SQL statement the ledger runs.

Why SQLite through the standard library's ``sqlite3``: one file beside the config, no server,
nothing to install; transactions, so a killed run leaves whole versions or none; WAL and a
busy timeout, so two processes recording at once wait for each other instead of failing.

The schema's version is ``PRAGMA user_version``. A ledger from an older bidcheck is migrated
forward when it is opened (:data:`MIGRATIONS`), inside one transaction; a newer one is refused.

Tables (schema 2):

- ``versions``: one row per recorded version of a tender (``tender_id`` is ``tender.id``);
  ``record`` is the JSON of what was recorded (:mod:`bidcheck.ledger.entry`), ``content_hash``
  its SHA-256 without the time, ``day`` the date the portfolio's ``--since``/``--until`` use.
- ``findings``: each version's findings (rule, severity, waived, the policy that escalates it,
  field, evidence as JSON), for queries.
- ``outcomes``: what happened (bid, not-bid, won, lost, withdrawn), against the version that
  was latest when it was said.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from bidcheck.problems import Problem, ProblemsFound

SCHEMA_VERSION = 2
BUSY_TIMEOUT = 30  # seconds a statement waits for another process's transaction
RETRIES = 8  # then whole transactions are retried, with a growing random pause
_SQLITE_HEADER = b"SQLite format 3\x00"

_VERSIONS_0 = """
CREATE TABLE versions (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    tender_id TEXT NOT NULL,
    recorded TEXT NOT NULL,  -- UTC, ISO 8601: sortable
    verdict TEXT NOT NULL,
    record TEXT NOT NULL     -- JSON: what was recorded (bidcheck.ledger.entry)
);
"""
_TABLES_1 = """
ALTER TABLE versions ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX versions_by_tender ON versions (tender_id, version);
CREATE TABLE findings (
    version INTEGER NOT NULL REFERENCES versions (version),
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    waived INTEGER NOT NULL,
    policy TEXT,  -- the "Recognise your power" policy that escalates the rule, if any
    field TEXT NOT NULL,
    evidence TEXT NOT NULL  -- JSON
);
CREATE INDEX findings_by_version ON findings (version);
CREATE TABLE outcomes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tender_id TEXT NOT NULL,
    version INTEGER NOT NULL REFERENCES versions (version),
    status TEXT NOT NULL,
    winner TEXT,
    note TEXT,
    recorded TEXT NOT NULL
);
CREATE INDEX outcomes_by_tender ON outcomes (tender_id, seq);
"""
_TABLES_2 = """
ALTER TABLE versions ADD COLUMN day TEXT NOT NULL DEFAULT '';
UPDATE versions SET day = coalesce(json_extract(record, '$.decision.on'), substr(recorded, 1, 10));
CREATE INDEX versions_by_day ON versions (day);
"""

T = TypeVar("T")


def _to_1(db: sqlite3.Connection) -> None:
    """Schema 0 kept versions only: add hashes, findings and outcomes, filled from each record."""
    from bidcheck.ledger.entry import content_hash

    _run(db, _TABLES_1)
    for version, text in db.execute("SELECT version, record FROM versions").fetchall():
        record = json.loads(text)
        db.execute("UPDATE versions SET content_hash = ? WHERE version = ?", (content_hash(record), version))
        db.executemany(insert_findings_sql(), finding_rows(version, record))


def _to_2(db: sqlite3.Connection) -> None:
    """Schema 2 adds the day each version counts for in the portfolio's date range."""
    _run(db, _TABLES_2)


def _run(db: sqlite3.Connection, script: str) -> None:
    """Each statement of ``script`` in the open transaction (``executescript`` would commit it first)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


# MIGRATIONS[n] takes a ledger from schema n to n + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_to_1, _to_2)


def ledger_problem(path: Path) -> Problem | None:
    """Why ``path`` cannot be a ledger (a link, a folder, a file that is not SQLite), or None."""
    text = str(path)
    if os.path.islink(path):
        return Problem(text, 0, 0, "the ledger is a symbolic link; bidcheck never writes through one: name the real file")
    if os.path.isdir(path):
        return Problem(text, 0, 0, "the ledger is a folder; --ledger names a file")
    if os.path.exists(path):
        if not os.path.isfile(path):
            return Problem(text, 0, 0, "the ledger is not a regular file; --ledger names a file")
        try:
            with open(path, "rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except OSError as error:
            return Problem(text, 0, 0, f"cannot read the ledger: {error.strerror or error}")
        if header and header != _SQLITE_HEADER:
            return Problem(text, 0, 0, "not a ledger (not an SQLite database); it is left as it is: give --ledger another file")
    return None


def open_ledger(path: Path, *, create: bool) -> sqlite3.Connection | None:
    """The ledger at ``path``, migrated to :data:`SCHEMA_VERSION`; None when it does not exist and not ``create``.

    Raises :class:`ProblemsFound` when the path cannot be a ledger, or it is another SQLite
    database or a newer bidcheck's ledger (left as it is).
    """
    problem = ledger_problem(path)
    if problem:
        raise ProblemsFound([problem])
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)  # transactions are explicit
        # Readers never wait for a writer; a killed writer's WAL is rolled back. Switching a new
        # ledger to WAL does not wait on the busy timeout when another process opens it at the
        # same moment ("database is locked" in about one race in four): retried like a transaction.
        retried(lambda: db.execute("PRAGMA journal_mode = WAL"))
        db.execute("PRAGMA synchronous = NORMAL")
        retried(lambda: _migrate(db, str(path)))
    except sqlite3.Error as error:
        raise ProblemsFound([Problem(str(path), 0, 0, f"cannot use the ledger: {error}")]) from None
    return db


def _migrate(db: sqlite3.Connection, where: str) -> None:
    with transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and not tables:
            _run(db, _VERSIONS_0)
        elif version == 0 and "versions" not in tables or version > SCHEMA_VERSION:
            what = "a newer bidcheck's ledger" if version > SCHEMA_VERSION else "not a bidcheck ledger"
            raise ProblemsFound([Problem(where, 0, 0, f"{what} (schema {version}); it is left as it is")])
        for migrate in MIGRATIONS[version:]:
            migrate(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


class transaction:  # noqa: N801 - used as a statement: ``with transaction(db):``
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: a version is written whole or not at all."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock between two writers
        return self.db

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")


def retried(attempt: Callable[[], T]) -> T:
    """``attempt()``, again after a pause while another process holds the ledger beyond the busy timeout."""
    for tries in range(RETRIES):
        try:
            return attempt()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error) or tries == RETRIES - 1:
                raise
            time.sleep(random.uniform(0.05, 0.2) * (tries + 1))
    raise AssertionError("unreachable")


def insert_findings_sql() -> str:
    return "INSERT INTO findings (version, rule, severity, waived, policy, field, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)"


def finding_rows(version: int, record: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for finding in record.get("findings", []):
        evidence = json.dumps(finding.get("evidence", {}), ensure_ascii=False, sort_keys=True, default=str)
        yield (version, finding["rule"], finding["severity"], int(finding["waived"]), finding.get("policy"), finding.get("field", ""), evidence)


def latest_hash(db: sqlite3.Connection, tender_id: str) -> str | None:
    row = db.execute("SELECT content_hash FROM versions WHERE tender_id = ? ORDER BY version DESC LIMIT 1", (tender_id,)).fetchone()
    return row[0] if row else None


def insert_version(db: sqlite3.Connection, tender_id: str, recorded: str, day: str, digest: str, record: dict[str, Any]) -> int:
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
    cursor = db.execute(
        "INSERT INTO versions (tender_id, recorded, verdict, record, content_hash, day) VALUES (?, ?, ?, ?, ?, ?)",
        (tender_id, recorded, record["verdict"], text, digest, day),
    )
    version = int(cursor.lastrowid or 0)
    db.executemany(insert_findings_sql(), finding_rows(version, record))
    return version


def tender_ids(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT DISTINCT tender_id FROM versions ORDER BY tender_id")]


def latest_version(db: sqlite3.Connection, tender_id: str) -> int | None:
    row = db.execute("SELECT max(version) FROM versions WHERE tender_id = ?", (tender_id,)).fetchone()
    return row[0]


def version_count(db: sqlite3.Connection, tender_id: str) -> int:
    return int(db.execute("SELECT count(*) FROM versions WHERE tender_id = ?", (tender_id,)).fetchone()[0])


def insert_outcome(db: sqlite3.Connection, tender_id: str, version: int, status: str, winner: str | None, note: str | None, recorded: str) -> None:
    db.execute(
        "INSERT INTO outcomes (tender_id, version, status, winner, note, recorded) VALUES (?, ?, ?, ?, ?, ?)",
        (tender_id, version, status, winner, note, recorded),
    )


def versions_of(db: sqlite3.Connection, tender_id: str | None) -> Iterator[tuple[str, int, str, str, str]]:
    """(tender id, version, recorded, record JSON, latest outcome JSON or None), by tender then oldest first."""
    where = "WHERE v.tender_id = ?" if tender_id is not None else ""
    query = f"""
        SELECT v.tender_id, v.version, v.recorded, v.record,
               (SELECT json_object('status', o.status, 'winner', o.winner, 'note', o.note, 'recorded', o.recorded)
                FROM outcomes o WHERE o.version = v.version ORDER BY o.seq DESC LIMIT 1)
        FROM versions v {where} ORDER BY v.tender_id, v.version"""
    yield from db.execute(query, (tender_id,) if tender_id is not None else ())


def latest_versions(db: sqlite3.Connection, since: str | None, until: str | None) -> Iterator[tuple[str, str, str, str | None]]:
    """(record JSON, recorded, day, the tender's latest outcome JSON or None) for each tender's latest version
    whose day is in the range (``YYYY-MM-DD``, both ends included; None: open). The record holds what the
    portfolio reads: the tender's id, verdict, decision, pipeline facts, organisation, policies, waivers,
    and the findings of rules a policy escalates (policy, severity, waived)."""
    # Only the parts the figures read, taken out by SQLite: parsing every whole record in Python
    # was most of the time over 10,000 tenders.
    query = """
        SELECT json_object(
                   'tender', json_object('id', v.tender_id),
                   'verdict', v.verdict,
                   'decision', json(json_extract(v.record, '$.decision')),
                   'pipeline', json(json_extract(v.record, '$.pipeline')),
                   'organisation', json(json_extract(v.record, '$.organisation')),
                   'policies', json(json_extract(v.record, '$.policies')),
                   'waivers', json(json_extract(v.record, '$.waivers')),
                   'findings', (SELECT json_group_array(json_object('policy', f.policy, 'severity', f.severity, 'waived', f.waived))
                                FROM findings f WHERE f.version = v.version AND f.policy IS NOT NULL)),
               v.recorded, v.day,
               (SELECT json_object('status', o.status, 'winner', o.winner, 'note', o.note, 'recorded', o.recorded)
                FROM outcomes o WHERE o.tender_id = v.tender_id ORDER BY o.seq DESC LIMIT 1)
        FROM versions v
        WHERE v.version = (SELECT max(version) FROM versions WHERE tender_id = v.tender_id)
          AND (? IS NULL OR v.day >= ?) AND (? IS NULL OR v.day <= ?)
        ORDER BY v.tender_id"""
    yield from db.execute(query, (since, since, until, until))
