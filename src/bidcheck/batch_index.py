"""What a batch remembers about the tenders already met, in memory that stays flat.

``check`` and ``triage`` stream: each tender is read, judged and reported, then forgotten. Two
facts must outlive it for the whole batch: the files already met (one file named twice is one
tender) and the first file with each tender id (a reused id is a warning). Kept in Python
dictionaries they grow by a few hundred bytes per tender, which at 100,000 tenders is most of
the run's memory; so past ``SPILL_AT`` keys they move to a private temporary SQLite database
(the standard library's ``sqlite3``; on disk, with a small page cache), and memory stays near
what a batch of ``SPILL_AT`` tenders needs.
"""

from __future__ import annotations

from typing import Any

SPILL_AT = 5_000  # keys kept in memory; a bigger batch moves them to SQLite


class FirstSeen:
    """``first(key, value)``: the value first given with ``key`` in this batch (``value`` itself the
    first time). Keys and values are text; nothing is ever removed."""

    def __init__(self, spill_at: int = SPILL_AT) -> None:
        self._memory: dict[str, str] | None = {}
        self._spill_at = spill_at
        self._db: Any = None
        self._added = 0

    def first(self, key: str, value: str) -> str:
        if self._memory is not None:
            found = self._memory.setdefault(key, value)
            if len(self._memory) > self._spill_at:
                self._spill()
            return found
        row = self._db.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return row[0]
        self._db.execute("INSERT INTO seen (key, value) VALUES (?, ?)", (key, value))
        return value

    def is_new(self, key: str) -> bool:
        """True the first time ``key`` is met in this batch, False after."""
        self._added += 1
        mark = str(self._added)
        return self.first(key, mark) == mark

    def _spill(self) -> None:
        import sqlite3  # off the start-up path: most batches never spill

        assert self._memory is not None
        # "" is a private temporary database on disk, deleted when closed; no journal is needed
        # for data that only lives as long as this run.
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        self._db.execute("BEGIN")  # one transaction for the run: nothing here must survive it
        self._db.executemany("INSERT INTO seen (key, value) VALUES (?, ?)", self._memory.items())
        self._memory = None

    def __len__(self) -> int:
        if self._memory is not None:
            return len(self._memory)
        return self._db.execute("SELECT count(*) FROM seen").fetchone()[0]
