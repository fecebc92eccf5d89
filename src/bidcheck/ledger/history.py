"""``ledger history`` and ``ledger outcome``: a tender's versions read back, and what happened to it.

:func:`history` gives SPEC §5's JSON shape; :func:`history_text` says, version by version,
how the verdict and the findings moved.
"""

from __future__ import annotations

import datetime
import difflib
import json
import sqlite3
from typing import Any

from bidcheck.ledger.database import insert_outcome, latest_version, retried, tender_ids, transaction, version_count, versions_of
from bidcheck.problems import Problem, ProblemsFound, excerpt

OUTCOMES = ("bid", "not-bid", "won", "lost", "withdrawn")


def unknown_tender(db: sqlite3.Connection | None, tender_id: str, where: str) -> ProblemsFound:
    """The error for an id the ledger does not hold, with the closest recorded id as a hint."""
    known = tender_ids(db) if db is not None else []
    close = difflib.get_close_matches(tender_id, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else f"{len(known)} tenders are recorded; `bidcheck ledger history` lists them"
    return ProblemsFound([Problem(where, 0, 0, f"no tender {excerpt(tender_id)} in the ledger ({hint})")])


def history(db: sqlite3.Connection | None, tender_id: str | None) -> dict[str, Any]:
    """``{"tenders": [{"id", "versions": [{"recorded", "verdict", "findings", "outcome"}]}]}``, oldest version first.

    ``outcome`` is the last outcome said while that version was the latest (status, winner,
    note, recorded), else None. Raises :class:`ProblemsFound` for an id the ledger does not hold.
    """
    tenders: dict[str, list[dict[str, Any]]] = {}
    rows = versions_of(db, tender_id) if db is not None else iter(())
    for found_id, _, recorded, record_text, outcome_text in rows:
        record = json.loads(record_text)
        tenders.setdefault(found_id, []).append(
            {
                "recorded": recorded,
                "verdict": record["verdict"],
                "findings": record["findings"],
                "outcome": json.loads(outcome_text) if outcome_text else None,
            }
        )
    return {"tenders": [{"id": found_id, "versions": versions} for found_id, versions in tenders.items()]}


def history_text(document: dict[str, Any]) -> str:
    """Each tender, then each version: when, the verdict, and what moved since the version before."""
    lines: list[str] = []
    for tender in document["tenders"]:
        lines.append(f"{tender['id']}: {len(tender['versions'])} version{'s' if len(tender['versions']) != 1 else ''}")
        before: dict[str, Any] | None = None
        for number, version in enumerate(tender["versions"], start=1):
            verdict = version["verdict"] if before is None or before["verdict"] == version["verdict"] else f"{before['verdict']} -> {version['verdict']}"
            lines.append(f"  {number}. {version['recorded'][:16].replace('T', ' ')}  {verdict}")
            lines.extend(f"       {change}" for change in _finding_changes(before, version))
            outcome = version["outcome"]
            if outcome:
                extra = "".join(f"; {name} {outcome[name]}" for name in ("winner", "note") if outcome.get(name))
                lines.append(f"       outcome: {outcome['status']}{extra}")
            before = version
    return "\n".join(lines) + "\n" if lines else "the ledger holds no tenders yet (`bidcheck ledger record PATH...` adds them)\n"


def _finding_changes(before: dict[str, Any] | None, version: dict[str, Any]) -> list[str]:
    """"+ PWR001 blocker", "- PWR002 blocker", "PWR003 concern -> waived": by rule, in rule order."""
    now = {finding["rule"]: _state(finding) for finding in version["findings"]}
    if before is None:
        return [f"  {rule} {state}" for rule, state in sorted(now.items())]
    then = {finding["rule"]: _state(finding) for finding in before["findings"]}
    changes = []
    for rule in sorted(now.keys() | then.keys()):
        if rule not in then:
            changes.append(f"+ {rule} {now[rule]}")
        elif rule not in now:
            changes.append(f"- {rule} {then[rule]}")
        elif now[rule] != then[rule]:
            changes.append(f"~ {rule} {then[rule]} -> {now[rule]}")
    return changes or ["  findings unchanged"]


def _state(finding: dict[str, Any]) -> str:
    return f"{finding['severity']} (waived)" if finding["waived"] else finding["severity"]


def record_outcome(db: sqlite3.Connection | None, tender_id: str, status: str, winner: str | None, note: str | None, where: str) -> int:
    """Say what happened to ``tender_id`` (one of :data:`OUTCOMES`), against its latest version; how many versions it has.

    Raises :class:`ProblemsFound` for an id the ledger does not hold (with a "did you mean").
    """
    version = latest_version(db, tender_id) if db is not None else None
    if db is None or version is None:
        raise unknown_tender(db, tender_id, where)
    recorded = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")

    def write() -> None:
        with transaction(db):
            insert_outcome(db, tender_id, version, status, winner, note, recorded)

    retried(write)
    return version_count(db, tender_id)
