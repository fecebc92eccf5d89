"""``portfolio --format html`` parsed with html5lib, and the month-by-month figure it draws recomputed by hand.

The browser test (tests/test_html_browser_portfolio.py) opens the page in Chromium; these need no browser.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import html5lib

from tests.conftest import stderr_text, stdout_text
from tests.ledger_helpers import AS_OF, CONFIG, record, rows, tender, write_tenders
from tests.test_portfolio import TENDERS, ledger  # noqa: F401 - the module's ledger fixture, shared

HOSTILE = "<script>alert(1)</script></td>\"><img src=x onerror=alert(1)>"
SVG = "{http://www.w3.org/2000/svg}"  # html5lib keeps inline SVG in its own namespace
VALUES = {"A-1": 1e6, "B-1": 2e6, "C-1": 3e6, "D-1": 5e5, "E-1": 7e5, "F-1": 9e6}  # TENDERS' values in pounds


def _portfolio(run_cli, path: Path, output_format: str) -> str:
    process = run_cli("portfolio", "--ledger", str(path), "--as-of", AS_OF, "--format", output_format)
    assert process.returncode == 0, stderr_text(process)
    return stdout_text(process)


def _page(run_cli, path: Path):
    return html5lib.parse(_portfolio(run_cli, path, "html"), namespaceHTMLElements=False)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_value_by_verdict_by_month_recomputed_by_hand(run_cli, ledger):  # noqa: F811
    path, verdicts = ledger
    assert set(VALUES) == {data["tender"]["id"] for data in TENDERS.values()}
    days = dict(rows(path, "SELECT tender_id, day FROM versions"))
    expected: dict[str, dict] = defaultdict(lambda: {"tenders": 0, "value_unknown": 0, "by_verdict": dict.fromkeys(("no-bid", "needs-info", "bid-with-conditions", "bid"), 0)})
    for tender_id, day in sorted(days.items(), key=lambda item: item[1]):
        month = expected[day[:7]]
        month["tenders"] += 1
        month["by_verdict"][verdicts[tender_id]] += VALUES[tender_id]
    figures = json.loads(_portfolio(run_cli, path, "json"))
    assert figures["value_by_verdict_by_month"] == [{"month": month, **counts} for month, counts in sorted(expected.items())]
    assert [month["month"] for month in figures["value_by_verdict_by_month"]][:3] == ["2026-08", "2026-10", "2026-11"]


def test_every_figure_of_the_json_is_a_table_with_header_cells(run_cli, ledger):  # noqa: F811
    path, _ = ledger
    document = _page(run_cli, path)
    tables = {table.get("id"): table for table in document.iter("table")}
    figures = json.loads(_portfolio(run_cli, path, "json"))
    for figure in set(figures) - {"bidcheck", "since", "until", "as_of", "tenders"}:
        assert "figure-" + figure.replace("_", "-") in tables, figure  # each figure's table is named by its JSON key
    assert "figure-incumbents" in tables and "figure-waivers-by" in tables
    for table in tables.values():
        assert table.find("caption") is not None
        for row in table.find("tbody").iter("tr"):
            assert row.find("th") is not None, _text(row)
    incumbents = [[_text(cell) for cell in row] for row in tables["figure-incumbents"].find("tbody").iter("tr")]
    assert incumbents == [[item["tender"], item["name"], "£400k"] for item in figures["against_smaller"]["incumbents"]]
    assert document.find(".//script") is None and document.find(".//img") is None and document.find(".//link") is None


def test_each_chart_has_a_title_and_a_label_and_its_numbers_are_in_a_table(run_cli, ledger):  # noqa: F811
    path, _ = ledger
    document = _page(run_cli, path)
    charts = list(document.iter(SVG + "svg"))
    assert len(charts) == 2
    for chart in charts:
        assert chart.get("role") == "img" and chart.get("aria-label")
        assert chart.find(SVG + "title") is not None and _text(chart.find(SVG + "title"))
        assert chart.find(f".//{SVG}rect") is not None
    exposure = json.loads(_portfolio(run_cli, path, "json"))["results_exposure"]
    assert "£1m" in _text(charts[1].find(SVG + "title")) and exposure["free_reserves"] == 1e6


def test_an_empty_ledger_gives_a_page_of_tables_and_no_chart(run_cli, tmp_path):
    document = _page(run_cli, tmp_path / "none.sqlite")
    assert document.find(f".//{SVG}svg") is None
    assert _text(document.find(".//h1")) == "bidcheck: portfolio"
    assert document.find(".//table[@id='figure-value-bid-for']") is not None


def test_a_hostile_incumbent_name_in_the_ledger_is_text_in_the_page(run_cli, tmp_path):
    hostile = tender(
        "H-1",
        tender_fields={"value": "£1m"},
        incumbent={"name": HOSTILE, "annual_income": "£400k", "local": True},
        bid={"role": "sole", "incumbent_approach": "compete", "decision": {"by": "Board", "on": "2026-10-05"}},
    )
    folder = write_tenders(tmp_path / "tenders", {"h.yaml": hostile}, CONFIG)
    path = tmp_path / "ledger.sqlite"
    record(run_cli, path, ".", cwd=folder)
    document = _page(run_cli, path)
    assert document.find(".//script") is None and document.find(".//img") is None
    incumbents = document.find(".//table[@id='figure-incumbents']")
    assert HOSTILE in _text(incumbents)
