"""``triage --format html``: the ranked table, then each tender as ``check --format html`` shows it.

The table has a row per tender in ranked order (rank, id, title, buyer, value, deadline, days
left, areas, fit, verdict, blockers, likely incumbent, first question); the page holds what
``triage --format json`` holds.
"""

from __future__ import annotations

from typing import Any, TextIO

from bidcheck.decide import TenderResult
from bidcheck.render import RenderOptions
from bidcheck.render.as_json import problem_record
from bidcheck.render.html_page import tender_record, write_page
from bidcheck.render.triage_table import NOT_KNOWN, fit_text, incumbent_text, showing, value_text
from bidcheck.triage import Fit, Ranking, TriageRow, triage_row


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.as_of = options.as_of

    def keep(self, result: TenderResult, fit: Fit) -> tuple[dict[str, Any], TriageRow]:
        record = tender_record(result, self.as_of)
        return record, triage_row(result, record["tender"])

    def write(self, ranking: Ranking[tuple[dict[str, Any], TriageRow]], summary: Any) -> None:
        results, rows = [], []
        for (record, row), fit in ranking.ranked():
            results.append({**record, "fit": fit.record()})
            rows.append(_row_cells(row, fit))
        write_page(
            self.out,
            "triage.html.j2",
            as_of=self.as_of.isoformat(),
            showing=showing(ranking),
            results=results,
            rows=rows,
            errors=[problem_record(problem) for problem in ranking.problems],
            summary=summary.as_record(),
            tenders=summary.tenders,
        )


def _row_cells(row: TriageRow, fit: Fit) -> dict[str, Any]:
    """One ranked row's cells as people read them (the verdict stays a value, for its badge)."""
    facts = row.facts
    return {
        "rank": fit.rank,
        "id": facts["id"],
        "title": facts["title"],
        "buyer": facts["buyer"] or NOT_KNOWN,
        "value": value_text(facts["value"], facts["value_includes_vat"]),
        "deadline": facts["deadline"] or "no deadline",
        "days_left": NOT_KNOWN if fit.days_left is None else fit.days_left,
        "areas": "; ".join(facts["areas"]) or NOT_KNOWN,
        "fit": fit_text(fit),
        "verdict": row.verdict,
        "blockers": " ".join(row.blockers) or NOT_KNOWN,
        "incumbent": incumbent_text(row),
        "first_question": row.first_question or NOT_KNOWN,
    }
