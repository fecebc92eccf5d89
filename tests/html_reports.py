"""A batch for the HTML report tests: every example, one that cannot be read, one that warns, one hostile.

Shared by tests/test_html_report.py (parsed with html5lib) and tests/test_html_browser.py
(opened in Chromium); each compares the page with ``--format json`` of the same run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLES, stdout_text

AS_OF = "2026-11-01"
# Closes a table cell, opens a script, breaks out of an attribute: each must show as text.
HOSTILE = "<script>alert(1)</script></td>\"><img src=x onerror=alert(1)>"
HOSTILE_ID = "HOSTILE-1"


def make_batch(folder: Path) -> Path:
    """``folder/tenders`` under the examples' config: the examples; ``bad.yaml`` (an error at a
    line and column); ``leeds-again.yaml`` (an id already used: a warning); ``hostile.yaml``
    (the hostile text as title, buyer and incumbent, so it reaches facts, findings and evidence)."""
    shutil.copy(EXAMPLES / "bidcheck.yaml", folder / "bidcheck.yaml")
    tenders = shutil.copytree(EXAMPLES / "tenders", folder / "tenders")
    (tenders / "bad.yaml").write_text("tender:\n  id: BAD-1\n  title: [unclosed\n", encoding="utf-8")
    shutil.copy(tenders / "leeds-mental-health-peer-support-alliance.yaml", tenders / "leeds-again.yaml")
    hackney = (tenders / "hackney-young-peoples-substance-misuse.yaml").read_text(encoding="utf-8")
    quoted = "'" + HOSTILE + "'"
    hostile = (
        hackney.replace("id: HCK-2026-031", f"id: {HOSTILE_ID}")
        .replace("title: Young people's substance misuse service", f"title: {quoted}")
        .replace("buyer: London Borough of Hackney", f"buyer: {quoted}")
        .replace("name: Clapton Youth Recovery Collective", f"name: {quoted}")
    )
    assert hostile.count(HOSTILE) == 3, "the Hackney example changed: the hostile tender needs its title, buyer and incumbent"
    (tenders / "hostile.yaml").write_text(hostile, encoding="utf-8")
    return folder


def run_report(run_cli, batch: Path, command: str, output_format: str) -> str:
    """``bidcheck COMMAND tenders --format FORMAT`` on the batch, as of :data:`AS_OF`: its stdout."""
    process = run_cli(command, "tenders", "--format", output_format, "--as-of", AS_OF, "--fail-on", "never", cwd=batch)
    assert process.returncode == 2, process.stderr  # bad.yaml is an error of the run; the rest are checked
    return stdout_text(process)


def json_report(run_cli, batch: Path, command: str) -> dict[str, Any]:
    return json.loads(run_report(run_cli, batch, command, "json"))


def verdict_label(verdict: str) -> str:
    """How a page shows a verdict: "bid-with-conditions" -> "BID WITH CONDITIONS"."""
    return verdict.replace("-", " ").upper()


def where(problem: dict[str, Any]) -> str:
    """An error or warning's place as the page shows it: ``file:line:column`` (the file alone at line 0)."""
    return f"{problem['file']}:{problem['line']}:{problem['column']}" if problem["line"] else problem["file"]


def expected_tenders(report: dict[str, Any]) -> list[dict[str, Any]]:
    """What each tender section must hold, from the JSON: id, title, verdict, findings, warnings."""
    return [
        {
            "id": result["tender"]["id"],
            "title": result["tender"]["title"],
            "verdict": verdict_label(result["verdict"]),
            "findings": sorted(
                (f["rule"], f["severity"] + (" (waived)" if f["waived"] else ""), f["message"], f["action"]) for f in result["findings"]
            ),
            "warnings": sorted((where(w), w["message"]) for w in result["warnings"]),
        }
        for result in report["results"]
    ]
