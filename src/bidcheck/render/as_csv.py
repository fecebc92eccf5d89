"""``--format csv``: one row per tender, for spreadsheets and batch reviews. Streams row by row.

Columns: file, id, title, buyer, value (GBP, a plain number), verdict, the counted blockers,
concerns, unknowns and info, the waived findings, the ids of the rules that fired (waived
ones included; space-separated) and the questions to answer (joined by " | "). A file that
could not be checked is a row with verdict ``error`` and the problem in ``questions``; a
rule that failed on a tender is reported in that tender's ``questions`` ("incomplete: ...").

Text from a tender that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
``@``, tab or CR) is prefixed with ``'``, so opening the file cannot execute anything.
Lines end with ``\\n``; quoting follows the ``csv`` module's defaults.
"""

from __future__ import annotations

import csv
from typing import TextIO

from bidcheck.decide import TenderResult
from bidcheck.models import Severity
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary
from bidcheck.render.as_json import result_record

HEADER = ("file", "id", "title", "buyer", "value", "verdict", "blockers", "concerns", "unknowns", "info", "waived", "rules", "questions")
ERROR_VERDICT = "error"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(HEADER)

    def result(self, result: TenderResult) -> None:
        record = result_record(result)
        tender = record["tender"]
        fired = dict.fromkeys(finding["rule"] for finding in record["findings"])
        questions = [question["question"] for question in record["questions"]]
        questions += [f"incomplete: {problem.message}" for problem in result.problems]
        self.writer.writerow(
            (
                _literal(record["file"]),
                _literal(tender["id"]),
                _literal(tender["title"]),
                _literal(tender["buyer"] or ""),
                _number(tender["value"]),
                record["verdict"],
                *(result.count(severity) for severity in (Severity.BLOCKER, Severity.CONCERN, Severity.UNKNOWN, Severity.INFO)),
                sum(1 for finding in record["findings"] if finding["waived"]),
                " ".join(fired),
                _literal(" | ".join(questions)),
            )
        )

    def problem(self, problem: Problem) -> None:
        self._error_row(problem)

    def finish(self, summary: Summary) -> None:
        pass  # every row is already written

    def _error_row(self, problem: Problem) -> None:
        where = f"{problem.line}:{problem.column}: " if problem.line else ""
        self.writer.writerow((_literal(problem.file), "", "", "", "", ERROR_VERDICT, "", "", "", "", "", "", _literal(where + problem.message)))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _literal(text: str) -> str:
    """Text a spreadsheet shows as written instead of evaluating it."""
    return "'" + text if text.startswith(_FORMULA_START) else text
