"""``--format csv``: one row per tender, for spreadsheets and batch reviews. Streams row by row.

Columns: file, id, title, buyer, value (GBP, a plain number), verdict, the counted blockers,
concerns, unknowns and info, the waived findings, the ids of the rules that fired (waived
ones included; space-separated), the questions to answer, the errors and the warnings
(each list joined by " | "), then the tender facts not already among them (SPEC §4.1):
ocid, value_includes_vat, deadline, days_left (from ``--as-of``, else today), areas, cpv,
service, suitable_for, light_touch, url (lists joined by "; "; true/false; empty when not
known), and last what_it_would_take (each proposal in words, " | "-separated; SPEC §5). A file that could not be checked is a row with verdict
``error`` and the problem, ``line:column: message``, in ``error``; a rule that failed on a
tender is in that tender's ``error`` ("incomplete: ..."). Warnings (an expired or unused
waiver, a tender id already used in the batch) are in ``warnings``, located the same way.

Text from a tender that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
``@``, tab or CR) is prefixed with ``'``, so opening the file cannot execute anything.
Control characters are written as escapes (``\\n``), so every row is one line, and a first
cell that a CI log would read as a workflow command (``::error::``) is quoted.
Lines end with ``\\n``; quoting otherwise follows the ``csv`` module's defaults.
"""

from __future__ import annotations

import csv
import io
from typing import TextIO

from bidcheck.decide import TenderResult
from bidcheck.display import inert_lines, printable
from bidcheck.models import Severity
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary
from bidcheck.render.as_json import result_record
from bidcheck.tender_facts import FACT_NAMES

HEADER = (
    "file", "id", "title", "buyer", "value", "verdict", "blockers", "concerns", "unknowns", "info", "waived", "rules", "questions", "error", "warnings",
)  # fmt: skip
WHAT_IT_WOULD_TAKE = "what_it_would_take"  # after the facts: each proposal in words, " | "-separated
# The tender facts after the columns schema 1 had, so a sheet that reads columns by position still works.
FACT_COLUMNS = tuple(name for name in FACT_NAMES if name not in HEADER)
LIST_JOIN = "; "
ERROR_VERDICT = "error"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_JOIN = " | "


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.row = io.StringIO()
        self.writer = csv.writer(self.row, lineterminator="\n")
        self.as_of = options.as_of
        self._write(HEADER + FACT_COLUMNS + (WHAT_IT_WOULD_TAKE,))

    def result(self, result: TenderResult) -> None:
        record = result_record(result, self.as_of)
        tender = record["tender"]
        fired = dict.fromkeys(finding["rule"] for finding in record["findings"])
        questions = [question["question"] for question in record["questions"]]
        errors = [f"incomplete: {problem.message}" for problem in result.problems]
        self._write(
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
                _literal(_JOIN.join(questions)),
                _literal(_JOIN.join(errors)),
                _literal(_JOIN.join(_located(warning) for warning in result.warnings)),
                *(fact_cell(tender[name]) for name in FACT_COLUMNS),
                _literal(_JOIN.join(proposal.describe() for proposal in result.what_it_would_take)),
            )
        )

    def problem(self, problem: Problem) -> None:
        cells = (_literal(problem.file), "", "", "", "", ERROR_VERDICT, "", "", "", "", "", "", "", _literal(_located(problem)), "")
        self._write(cells + ("",) * (len(FACT_COLUMNS) + 1))

    def finish(self, summary: Summary) -> None:
        pass  # every row is already written

    def _write(self, row: tuple[object, ...]) -> None:
        """One row, as one line: a first cell that would read as a workflow command is quoted."""
        self.writer.writerow(row)
        line = self.row.getvalue()
        self.row.seek(0)
        self.row.truncate()
        if inert_lines(line) != line:  # only an unquoted first cell can start the line
            first, comma, rest = line.partition(",")
            line = '"' + first + '"' + comma + rest
        self.out.write(line)


def _located(problem: Problem) -> str:
    """``line:column: message``, or the message alone when it is about the whole file."""
    return (f"{problem.line}:{problem.column}: " if problem.line else "") + problem.message


def fact_cell(value: object) -> str:
    """A tender fact as a cell: lists joined by "; ", true/false, numbers plain, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return _literal(LIST_JOIN.join(str(item) for item in value))
    if isinstance(value, (int, float)):  # a number bidcheck computed or parsed, never a formula
        return _number(value)
    return _literal(str(value))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _literal(text: str) -> str:
    """Text a spreadsheet shows as written instead of evaluating it, on one line."""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text
