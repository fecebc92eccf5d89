"""``portfolio --format html`` in a real browser (the harness of tests/test_html_browser.py).

A ledger of the examples and a hostile tender: the page must load with no console errors or
requests, its figure tables must hold the figures of ``portfolio --format json`` of the same
ledger, it must have its headings, and the hostile tender id must render as text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser import open_browser, read_page, why_no_browser
from tests.conftest import EXAMPLES, stderr_text, stdout_text
from tests.html_reports import AS_OF, HOSTILE

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))

READ_PAGE = """() => {
  const text = (node) => node ? node.textContent.trim() : null;
  const tables = {};
  for (const table of document.querySelectorAll('table.figure')) {
    tables[table.id] = [...table.tBodies[0].rows].map((row) => [...row.cells].map(text));
  }
  return {
    headings: [...document.querySelectorAll('h1, h2')].map((h) => text(h)),
    tables,
    charts: [...document.querySelectorAll('svg')].map((svg) => [svg.getAttribute('aria-label'), text(svg.querySelector('title'))]),
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img').length,
  };
}"""


@pytest.fixture(scope="module")
def ledger_folder(tmp_path_factory) -> Path:
    """The examples, one with the hostile text as its id, recorded; two outcomes said."""
    import subprocess

    from tests.conftest import console_script

    folder = tmp_path_factory.mktemp("portfolio")
    shutil.copy(EXAMPLES / "bidcheck.yaml", folder / "bidcheck.yaml")
    tenders = shutil.copytree(EXAMPLES / "tenders", folder / "tenders")
    hackney = (tenders / "hackney-young-peoples-substance-misuse.yaml").read_text(encoding="utf-8")
    (tenders / "hostile.yaml").write_text(hackney.replace("id: HCK-2026-031", "id: '" + HOSTILE + "'"), encoding="utf-8")
    env = {**__import__("os").environ, "NO_COLOR": "1", "BIDCHECK_LEDGER": ""}
    for command in (
        ["ledger", "record", "tenders", "--as-of", AS_OF],
        ["ledger", "outcome", "GMCA-2027-WW-003", "won"],
        ["ledger", "outcome", HOSTILE, "bid"],
    ):
        process = subprocess.run([console_script(), *command], cwd=folder, capture_output=True, text=True, env=env)
        assert process.returncode == 0, process.stderr
    return folder


def _portfolio(folder: Path, output_format: str) -> str:
    """``bidcheck portfolio --format FORMAT`` on the folder's ledger, through the installed console script."""
    import os
    import subprocess

    from tests.conftest import console_script

    env = {**os.environ, "NO_COLOR": "1", "BIDCHECK_LEDGER": ""}
    process = subprocess.run([console_script(), "portfolio", "--as-of", AS_OF, "--format", output_format], cwd=folder, capture_output=True, env=env)
    assert process.returncode == 0, stderr_text(process)
    return stdout_text(process)


def _open(page_file: Path) -> tuple[dict[str, Any], list[str]]:
    with open_browser() as browser:
        return read_page(browser, page_file, READ_PAGE)


@pytest.fixture(scope="module")
def seen(ledger_folder) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    page_file = ledger_folder / "portfolio.html"
    page_file.write_text(_portfolio(ledger_folder, "html"), encoding="utf-8")
    figures = json.loads(_portfolio(ledger_folder, "json"))
    return (*_open(page_file), figures)


def test_the_portfolio_page_loads_in_chromium_with_no_console_errors_and_fetches_nothing(seen):
    page, faults, _ = seen
    assert faults == [] and page["scripts"] == 0 and page["images"] == 0


def test_the_portfolio_tables_hold_the_figures_of_the_json(seen):
    from bidcheck.money import format_money

    page, _, figures = seen
    tables = page["tables"]
    assert figures["tenders"] == len(list((EXAMPLES / "tenders").glob("*.yaml"))) + 1  # the examples and the hostile copy
    assert dict(tables["figure-value-bid-for"]) == {
        "Bids": str(figures["value_bid_for"]["tenders"]),
        "Contract value": format_money(figures["value_bid_for"]["value"]),
        "Our share": format_money(figures["value_bid_for"]["our_share"]),
        "Bids of unknown value": str(figures["value_bid_for"]["value_unknown"]),
    }
    assert [row[1] for row in tables["figure-decided"]] == [str(n) for n in figures["decided"]["by_verdict"].values()]
    exposure = dict(tables["figure-results-exposure"])
    assert exposure["Value at risk"] == format_money(figures["results_exposure"]["value_at_risk"])
    assert exposure["Free reserves"] == format_money(figures["results_exposure"]["free_reserves"])
    assert [(row[0], row[1], row[2]) for row in tables["figure-policies"]] == [
        (p["policy"], "yes" if p["adopted"] else "no", str(p["bids_stopped"])) for p in figures["policies"]
    ]
    assert [row[1:] for row in tables["figure-outcomes-by-verdict"]] == [[str(c["won"]), str(c["lost"])] for c in figures["outcomes_by_verdict"].values()]
    assert tables["figure-value-by-verdict-by-month"] == [
        [m["month"], *(format_money(v) for v in m["by_verdict"].values()), str(m["tenders"]), str(m["value_unknown"])]
        for m in figures["value_by_verdict_by_month"]
    ]
    assert dict(tables["figure-bids-against-no-bid"])["Bids"] == str(figures["bids_against_no_bid"]["tenders"])
    assert dict(tables["figure-waivers"])["Granted"] == str(figures["waivers"]["granted"])


def test_the_portfolio_page_has_its_headings_and_labelled_charts(seen):
    page, _, _ = seen
    assert page["headings"][0] == "bidcheck: portfolio"
    for heading in ("Tenders decided", "Value bid for", "Payment-by-results exposure against free reserves", "Outcomes by verdict"):
        assert heading in page["headings"]
    assert len(page["charts"]) == 2 and all(label and title for label, title in page["charts"])


def test_a_hostile_tender_id_in_the_ledger_renders_as_text(seen):
    page, faults, figures = seen
    assert HOSTILE in figures["bids_against_no_bid"]["ids"] or HOSTILE in json.dumps(figures)
    shown = [cell for rows in page["tables"].values() for row in rows for cell in row]
    assert any(HOSTILE in cell for cell in shown)
    assert page["scripts"] == 0 and page["images"] == 0 and faults == []
