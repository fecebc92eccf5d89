"""Two `ledger record` processes at once lose nothing; one killed mid-record leaves a readable, consistent ledger (SPEC §5)."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import yaml

from tests.conftest import console_script, stderr_text
from tests.ledger_helpers import AS_OF, CONFIG, rows, tender, write_tenders

MANY = 250  # tenders per process: more than one transaction's worth (bidcheck.ledger.recorder.BATCH)


def _batch(folder: Path, prefix: str, count: int) -> Path:
    """``count`` tenders, every third one loss-making, so versions carry findings of several kinds."""
    bid = {"role": "sole", "price": "£900k", "full_cost": "£1m"}
    return write_tenders(folder, {f"{prefix}-{n:04}.yaml": tender(f"{prefix}-{n:04}", **({"bid": bid} if n % 3 == 0 else {})) for n in range(count)}, config=None)


def _start(folder: Path, ledger: Path) -> subprocess.Popen:
    command = [console_script(), "ledger", "record", str(folder), "--ledger", str(ledger), "--as-of", AS_OF, "--jobs", "1"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})


def _consistent(ledger: Path) -> None:
    """Integrity holds, and every version has exactly the findings its record lists: none half-written."""
    assert rows(ledger, "PRAGMA integrity_check") == [("ok",)]
    written = dict(rows(ledger, "SELECT version, count(*) FROM findings GROUP BY version"))
    for version, record in rows(ledger, "SELECT version, record FROM versions"):
        assert written.get(version, 0) == len(json.loads(record)["findings"]), version
    assert rows(ledger, "SELECT count(*) FROM findings WHERE version NOT IN (SELECT version FROM versions)") == [(0,)]


def _write_config(root: Path) -> None:
    (root / "bidcheck.yaml").write_text(yaml.safe_dump(CONFIG), encoding="utf-8")


def test_two_processes_recording_different_tenders_at_once_lose_nothing(tmp_path):
    _write_config(tmp_path)
    first, second = _batch(tmp_path / "north", "N", MANY), _batch(tmp_path / "south", "S", MANY)
    ledger = tmp_path / "ledger.sqlite"
    processes = [_start(first, ledger), _start(second, ledger)]
    for process in processes:
        _, error = process.communicate(timeout=600)
        assert process.returncode == 0, error.decode()
    expected = sorted([f"N-{n:04}" for n in range(MANY)] + [f"S-{n:04}" for n in range(MANY)])
    assert [tender_id for (tender_id,) in rows(ledger, "SELECT tender_id FROM versions ORDER BY tender_id")] == expected
    _consistent(ledger)


def test_two_processes_recording_the_same_tenders_at_once_add_each_version_once(tmp_path):
    _write_config(tmp_path)
    folder = _batch(tmp_path / "tenders", "T", MANY)
    ledger = tmp_path / "ledger.sqlite"
    processes = [_start(folder, ledger), _start(folder, ledger)]
    for process in processes:
        _, error = process.communicate(timeout=600)
        assert process.returncode == 0, error.decode()
    assert rows(ledger, "SELECT count(*), count(DISTINCT tender_id) FROM versions") == [(MANY, MANY)]
    _consistent(ledger)


def _versions_now(ledger: Path) -> int:
    try:
        with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM versions").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def test_a_record_killed_while_writing_leaves_the_ledger_readable_and_consistent(run_cli, tmp_path):
    _write_config(tmp_path)
    folder = _batch(tmp_path / "tenders", "K", MANY * 2)
    ledger = tmp_path / "ledger.sqlite"
    process = _start(folder, ledger)
    while process.poll() is None and _versions_now(ledger) == 0:  # the first transaction has committed
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"

    _consistent(ledger)
    history = run_cli("ledger", "history", "--format", "json", "--ledger", str(ledger))
    assert history.returncode == 0, stderr_text(history)
    kept = len(json.loads(history.stdout)["tenders"])
    assert 0 < kept < MANY * 2
    again = run_cli("ledger", "record", str(folder), "--ledger", str(ledger), "--as-of", AS_OF)  # the rest, once each
    assert again.returncode == 0, stderr_text(again)
    assert rows(ledger, "SELECT count(*), count(DISTINCT tender_id) FROM versions") == [(MANY * 2, MANY * 2)]
    _consistent(ledger)


KILLED_MID_TRANSACTION = """
import os, sys
from pathlib import Path
from bidcheck.ledger.database import insert_version, open_ledger
db = open_ledger(Path(sys.argv[1]), create=False)
db.execute("BEGIN IMMEDIATE")
record = {"tender": {"id": "HALF-1"}, "verdict": "no-bid", "findings": [
    {"rule": "PWR001", "severity": "blocker", "waived": False, "field": "bid.price", "evidence": {}}]}
insert_version(db, "HALF-1", "2026-11-20T09:00:00+00:00", "2026-11-20", "0" * 64, record)
os._exit(9)  # killed after the version's row, before its commit
"""


def test_a_version_cut_off_before_its_commit_is_not_in_the_ledger(run_cli, tmp_path):
    folder = write_tenders(tmp_path / "t", {"a.yaml": tender("A-1")})
    ledger = tmp_path / "ledger.sqlite"
    assert run_cli("ledger", "record", ".", "--ledger", str(ledger), cwd=folder).returncode == 0
    python = Path(console_script()).with_name("python")
    cut = subprocess.run([str(python), "-c", KILLED_MID_TRANSACTION, str(ledger)], capture_output=True)
    assert cut.returncode == 9, cut.stderr.decode()
    history = run_cli("ledger", "history", "--format", "json", "--ledger", str(ledger))
    assert [t["id"] for t in json.loads(history.stdout)["tenders"]] == ["A-1"]
    _consistent(ledger)


def _open_new_ledger(path: str, outcomes) -> None:
    from bidcheck.ledger.database import open_ledger
    from bidcheck.problems import ProblemsFound

    try:
        open_ledger(Path(path), create=True).close()
        outcomes.put("opened")
    except ProblemsFound as error:
        outcomes.put(str(error.problems[0]))


def test_two_processes_opening_a_new_ledger_at_the_same_moment_both_open_it(tmp_path):
    """The race CI once lost: both processes switch the new ledger to WAL at once (one in four
    such races failed with "database is locked" before the switch was retried)."""
    context = multiprocessing.get_context("fork")
    outcomes = context.Queue()
    for attempt in range(40):
        path = str(tmp_path / f"ledger-{attempt}.sqlite")
        processes = [context.Process(target=_open_new_ledger, args=(path, outcomes)) for _ in range(2)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
        assert [outcomes.get(timeout=5) for _ in processes] == ["opened", "opened"]
