"""``triage --format json``: ``check``'s JSON (schema 2) with ``results`` in ranked order.

Each result carries ``fit``: ``{"service": "yes"|"unknown"|"no", "areas":
"all"|"some"|"unknown"|"none", "days_left": N|null, "rank": N}`` (rank 1 is the best).
``summary`` counts every tender checked, and adds ``shown`` (results listed: at most
``--top``) and ``ranked`` (tenders ranked).
"""

from __future__ import annotations

from typing import Any, TextIO

from bidcheck.decide import TenderResult
from bidcheck.render import RenderOptions
from bidcheck.render.as_json import Report as JsonReport
from bidcheck.render.as_json import result_record
from bidcheck.triage import Fit, Ranking


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.options = options

    def keep(self, result: TenderResult, fit: Fit) -> dict[str, Any]:
        return result_record(result, self.options.as_of)

    def write(self, ranking: Ranking[dict[str, Any]], summary: Any) -> None:
        report = JsonReport(self.out, self.options)
        for record, fit in ranking.ranked():
            report.record({**record, "fit": fit.record()}, [])
        for problem in ranking.problems:
            report.problem(problem)
        report.finish(summary, {"shown": ranking.shown, "ranked": ranking.seen})
