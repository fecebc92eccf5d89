"""The HTML reports in a real browser: Debian's Chromium, driven by Playwright (tests/browser.py).

Each page is opened from a file as a person would open it: it must load with no console
errors, its tables must hold the tenders, verdicts, findings, warnings and errors of the
JSON of the same run (read from the DOM the browser built), and a hostile title must show
as text, creating no element and firing no dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser import open_browser, read_page, why_no_browser
from tests.html_reports import (
    HOSTILE,
    HOSTILE_ID,
    expected_tenders,
    json_report,
    make_batch,
    run_report,
    verdict_label,
    where,
)

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))

# What the page shows, read from the DOM: the rows of its first table (the verdicts or the
# ranking), each tender section's facts, verdict, findings and warnings, and the run's errors.
READ_PAGE = """() => {
  const text = (node) => node ? node.textContent.trim() : null;
  const rows = (table) => table ? [...table.tBodies[0].rows].map((row) => [...row.cells].map(text)) : [];
  const problems = (table) => table ? [...table.tBodies[0].rows].map(
      (row) => [text(row.querySelector('th.where')), text(row.querySelector('span.message'))]) : [];
  const fact = (section, name) => {
    const header = [...section.querySelectorAll('table.facts th[scope=row]')].find((th) => text(th) === name);
    return header ? text(header.nextElementSibling) : null;
  };
  return {
    headings: [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => [h.tagName, text(h)]),
    first_table: rows(document.querySelector('main table')),
    first_table_caption: text(document.querySelector('main table caption')),
    tenders: [...document.querySelectorAll('section.tender')].map((section) => ({
      id: fact(section, 'Id'),
      title: fact(section, 'Title'),
      verdict: text(section.querySelector('h3.verdict .badge')),
      findings: [...section.querySelectorAll('table.findings tbody tr')].map((row) => [
        text(row.querySelector('.rule')), text(row.querySelector('td.severity')),
        text(row.querySelector('td.message')), text(row.querySelector('span.action'))]),
      warnings: problems(section.querySelector('table.problems')),
    })),
    errors: problems(document.querySelector('#errors-heading + table')),
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img').length,
  };
}"""


@pytest.fixture(scope="module")
def browser():
    with open_browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    return make_batch(tmp_path_factory.mktemp("html"))


def _open(browser, page_file: Path) -> tuple[dict[str, Any], list[str]]:
    """The page read from the DOM, and everything that went wrong loading it (console errors,
    uncaught exceptions, dialogs, requests for anything but the page itself)."""
    return read_page(browser, page_file, READ_PAGE)


def _page(run_cli, batch: Path, command: str, tmp_path: Path) -> Path:
    page_file = tmp_path / f"{command}.html"
    page_file.write_text(run_report(run_cli, batch, command, "html"), encoding="utf-8")
    return page_file


def _sections(seen: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**tender, "findings": sorted(map(tuple, tender["findings"])), "warnings": sorted(map(tuple, tender["warnings"]))} for tender in seen["tenders"]]


@pytest.mark.parametrize("command", ["check", "triage"])
def test_the_page_loads_in_chromium_with_no_console_errors_and_fetches_nothing(run_cli, batch, browser, command, tmp_path):
    _, faults = _open(browser, _page(run_cli, batch, command, tmp_path))
    assert faults == []


@pytest.mark.parametrize("command", ["check", "triage"])
def test_each_tender_section_holds_the_json_tenders_verdicts_findings_and_warnings(run_cli, batch, browser, command, tmp_path):
    seen, _ = _open(browser, _page(run_cli, batch, command, tmp_path))
    report = json_report(run_cli, batch, command)
    examples = len(list((batch / "tenders").glob("*.yaml"))) - 1  # bad.yaml is an error, not a result
    assert len(report["results"]) == examples  # the examples, the one with a reused id, the hostile one
    assert any(result["warnings"] for result in report["results"])
    assert _sections(seen) == [
        {**tender, "findings": sorted(tender["findings"]), "warnings": sorted(tender["warnings"])} for tender in expected_tenders(report)
    ]


@pytest.mark.parametrize("command", ["check", "triage"])
def test_the_errors_table_holds_each_json_error_at_file_line_and_column(run_cli, batch, browser, command, tmp_path):
    seen, _ = _open(browser, _page(run_cli, batch, command, tmp_path))
    report = json_report(run_cli, batch, command)
    assert report["errors"], "bad.yaml should be an error of the run"
    assert seen["errors"] == [[where(error), error["message"]] for error in report["errors"]]
    assert all(place.count(":") == 2 for place, _ in seen["errors"])  # tenders/bad.yaml:3:10


def test_check_page_opens_with_the_verdict_of_every_tender_in_the_order_checked(run_cli, batch, browser, tmp_path):
    seen, _ = _open(browser, _page(run_cli, batch, "check", tmp_path))
    report = json_report(run_cli, batch, "check")
    assert seen["first_table_caption"].startswith("Each tender's verdict")
    assert [(row[0], row[2]) for row in seen["first_table"]] == [
        (result["tender"]["id"], verdict_label(result["verdict"])) for result in report["results"]
    ]
    # Verdicts first: the verdicts section comes before any tender's.
    headings = [text for _, text in seen["headings"]]
    assert headings.index("Verdicts") < min(headings.index(f"{r['tender']['id']}: {r['tender']['title']}") for r in report["results"])


def test_triage_page_ranks_the_tenders_as_the_json_does_with_every_column(run_cli, batch, browser, tmp_path):
    seen, _ = _open(browser, _page(run_cli, batch, "triage", tmp_path))
    report = json_report(run_cli, batch, "triage")
    ranked = [
        (str(r["fit"]["rank"]), r["tender"]["id"], r["tender"]["title"], r["tender"]["deadline"] or "no deadline", verdict_label(r["verdict"]))
        for r in report["results"]
    ]
    assert [(row[0], row[1], row[2], row[5], row[9]) for row in seen["first_table"]] == ranked
    assert [row[0] for row in seen["first_table"]] == [str(rank) for rank in range(1, len(ranked) + 1)]  # reading order
    assert all(len(row) == 13 for row in seen["first_table"])
    for row, result in zip(seen["first_table"], report["results"]):
        days = result["fit"]["days_left"]
        assert row[6] == ("—" if days is None else str(days))
        blockers = sorted({f["rule"] for f in result["findings"] if f["severity"] == "blocker" and not f["waived"]})
        assert sorted(row[10].split()) == (blockers or ["—"])


@pytest.mark.parametrize("command", ["check", "triage"])
def test_every_report_has_a_title_heading_a_heading_per_tender_and_a_verdict_heading_per_tender(run_cli, batch, browser, command, tmp_path):
    seen, _ = _open(browser, _page(run_cli, batch, command, tmp_path))
    report = json_report(run_cli, batch, command)
    levels = [level for level, _ in seen["headings"]]
    assert levels[0] == "H1" and levels.count("H1") == 1
    texts = [text for _, text in seen["headings"]]
    for result in report["results"]:
        assert f"{result['tender']['id']}: {result['tender']['title']}" in texts
    # Announced as text, not colour: each verdict is a heading a screen reader lists.
    verdict_headings = [text for level, text in seen["headings"] if level == "H3" and text.startswith("Verdict: ")]
    assert verdict_headings == [f"Verdict: {verdict_label(r['verdict'])}" for r in report["results"]]


@pytest.mark.parametrize("command", ["check", "triage"])
def test_a_hostile_title_buyer_and_incumbent_render_as_text_creating_no_element_and_no_dialog(run_cli, batch, browser, command, tmp_path):
    seen, faults = _open(browser, _page(run_cli, batch, command, tmp_path))
    assert faults == []
    assert seen["scripts"] == 0 and seen["images"] == 0
    (hostile,) = [tender for tender in seen["tenders"] if tender["id"] == HOSTILE_ID]
    assert hostile["title"] == HOSTILE  # the DOM's textContent holds it verbatim
    assert [HOSTILE_ID, HOSTILE] in [row[1:3] for row in seen["first_table"]] or [HOSTILE_ID, HOSTILE] in [row[0:2] for row in seen["first_table"]]
    assert any(HOSTILE in message for _, _, message, _ in hostile["findings"])  # the incumbent's name, in a finding
    assert f"{HOSTILE_ID}: {HOSTILE}" in [text for _, text in seen["headings"]]
