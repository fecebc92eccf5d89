"""``triage --format csv``: one row per tender, best fit first, for a spreadsheet.

Columns: rank, then the tender facts (SPEC §4.1: id, ocid, title, buyer, value, ...,
days_left, ..., url), the fit (fit_service, fit_areas), verdict, blockers (rule ids,
space-separated), likely_incumbent, incumbent_source (set when inferred from an award
notice), first_question, file. Lists are joined by "; "; cells are written as ``check``'s CSV
writes them (:mod:`bidcheck.render.as_csv`): no formula runs, every row is one line.
"""

from __future__ import annotations

import csv
from typing import Any

from bidcheck.render.as_csv import fact_cell
from bidcheck.render.triage_table import RowReport
from bidcheck.tender_facts import FACT_NAMES
from bidcheck.triage import Ranking

HEADER = ("rank", *FACT_NAMES, "fit_service", "fit_areas", "verdict", "blockers", "likely_incumbent", "incumbent_source", "first_question", "file")


class Report(RowReport):
    def write(self, ranking: Ranking[Any], summary: Any) -> None:
        writer = csv.writer(self.out, lineterminator="\n")  # the first cell is a rank: never a workflow command
        writer.writerow(HEADER)
        for row, fit in ranking.ranked():
            writer.writerow(
                (
                    fit.rank,
                    *(fact_cell(row.facts[name]) for name in FACT_NAMES),
                    fit.service,
                    fit.areas,
                    row.verdict,
                    " ".join(row.blockers),
                    fact_cell(row.incumbent),
                    fact_cell(row.incumbent_source),
                    fact_cell(row.first_question),
                    fact_cell(row.file),
                )
            )
