"""``--format html``: one self-contained, printable page for a board paper (SPEC §5, "HTML").

The verdicts first (a table of every tender), then each tender: its facts, the decision
(conditions, questions, rules that failed), its findings grouped by recommendation, its
warnings; then the errors of the run. The page holds what ``--format json`` holds. A page
is written whole, so the run is held until its end (use ``json`` or ``csv`` to stream).
"""

from __future__ import annotations

from typing import Any, TextIO

from bidcheck.decide import TenderResult
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary
from bidcheck.render.as_json import problem_record
from bidcheck.render.html_page import tender_record, write_page


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.as_of = options.as_of
        self.results: list[dict[str, Any]] = []
        self.errors: list[Problem] = []

    def result(self, result: TenderResult) -> None:
        self.results.append(tender_record(result, self.as_of))
        self.errors.extend(result.problems)  # a rule that failed is an error of the run, as in JSON

    def problem(self, problem: Problem) -> None:
        self.errors.append(problem)

    def finish(self, summary: Summary) -> None:
        write_page(
            self.out,
            "check.html.j2",
            as_of=self.as_of.isoformat(),
            results=self.results,
            errors=[problem_record(problem) for problem in self.errors],
            summary=summary.as_record(),
            tenders=summary.tenders,
        )
