"""Small builders the ledger and portfolio tests share: tender files, a folder of them, the ledger read back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import yaml

from tests.conftest import stderr_text, stdout_text

AS_OF = "2026-11-20"
CONFIG = {
    "organisation": {"name": "Camden Carers Trust", "annual_income": "£10m", "services": ["carers-support"], "areas": ["Camden"], "free_reserves": "£1m"},
    "policies": {"no_compete_with_smaller": True, "refuse_loss_making_bids": True},
}


def tender(tender_id: str, **sections) -> dict:
    """A tender file's data: a carers' service in Camden with no incumbent, unless ``sections`` say otherwise.

    ``sections`` replaces whole top-level sections (``bid=...``, ``incumbent=...``); ``tender_fields``
    adds to the ``tender`` section.
    """
    fields = {"id": tender_id, "title": f"Tender {tender_id}", "service": "carers-support", "areas": ["Camden"], "deadline": "2026-12-30"}
    fields.update(sections.pop("tender_fields", {}))
    data = {"tender": fields, "incumbent": "none"}
    data.update(sections)
    return data


def write_tenders(folder: Path, tenders: dict[str, dict], config: dict | None = CONFIG) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (folder / "bidcheck.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, data in tenders.items():
        (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def record(run_cli, ledger: Path, *paths: str, cwd: Path, expect: int = 0):
    process = run_cli("ledger", "record", *paths, "--ledger", str(ledger), "--as-of", AS_OF, cwd=cwd)
    assert process.returncode == expect, stderr_text(process)
    return process


def history_json(run_cli, ledger: Path, *tender_id: str) -> dict:
    process = run_cli("ledger", "history", *tender_id, "--format", "json", "--ledger", str(ledger))
    assert process.returncode == 0, stderr_text(process)
    return json.loads(stdout_text(process))


def rows(ledger: Path, query: str, *parameters) -> list[tuple]:
    with sqlite3.connect(ledger) as db:
        return db.execute(query, parameters).fetchall()
