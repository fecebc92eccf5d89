"""``ledger record``: each checked tender's entry written as a new version when it changed.

A :class:`Recorder` takes results as a renderer does (``result``, ``problem``, ``finish``)
and writes them in transactions of :data:`BATCH` tenders: a version and its findings are
written together or not at all, so a run killed mid-write leaves whole versions only. Inside
each transaction the latest version's hash is read again, so two processes recording the
same tender at once add it once.
"""

from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from bidcheck.decide import TenderResult
from bidcheck.ledger.database import insert_version, latest_hash, retried, transaction
from bidcheck.ledger.entry import content_hash, day_of, ledger_entry
from bidcheck.problems import Problem

BATCH = 200  # tenders per transaction: few commits, and another process waits at most one batch


@dataclass
class Recorded:
    """What a run did to the ledger: versions added, tenders unchanged, tenders not recorded (and why)."""

    added: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)


class Recorder:
    """Writes results into an open ledger; ``finish`` writes what is still pending."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.done = Recorded()
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._files_by_id: dict[str, str] = {}

    def result(self, result: TenderResult) -> None:
        tender_id = result.tender.tender.id
        first = self._files_by_id.setdefault(tender_id, result.file)
        if first != result.file:  # one id is one tender: the first file in the run speaks for it
            message = f"not recorded: tender id {tender_id} was recorded from {first} in this run; give each tender its own id"
            self.done.skipped.append(Problem(result.file, result.id_at.line, result.id_at.column, message))
            return
        self._pending.append((tender_id, ledger_entry(result)))
        if len(self._pending) >= BATCH:
            self.flush()

    def problem(self, problem: Problem) -> None:
        """A file that could not be checked is not recorded (the run says why on stderr)."""

    def finish(self, summary: object) -> None:
        self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        added, unchanged = retried(lambda: self._write(pending))
        self.done.added += added
        self.done.unchanged += unchanged

    def _write(self, pending: list[tuple[str, dict[str, Any]]]) -> tuple[int, int]:
        recorded = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")
        added = 0
        with transaction(self.db) as db:
            for tender_id, record in pending:
                digest = content_hash(record)
                if latest_hash(db, tender_id) == digest:
                    continue
                insert_version(db, tender_id, recorded, day_of(record, recorded), digest, record)
                added += 1
        return added, len(pending) - added
