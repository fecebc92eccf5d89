"""``--format json``: stable and versioned (SPEC §4). Results are written as they arrive.

Schema 2 (SPEC §4, §4.1): every schema 1 key keeps its meaning; each result's ``tender``
holds the tender facts (:mod:`bidcheck.tender_facts`), and ``triage`` adds ``fit``.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, TextIO

from bidcheck import __version__
from bidcheck.decide import TenderResult
from bidcheck.evaluate import Reason
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary
from bidcheck.tender_facts import tender_facts

SCHEMA_VERSION = 2


def reason_record(reason: Reason, tender_file: str) -> dict[str, Any]:
    location: dict[str, Any] = {"line": reason.location.line, "column": reason.location.column}
    if reason.location.file != tender_file:
        location["file"] = reason.location.file  # found in the config, not the tender
    record: dict[str, Any] = {
        "rule": reason.rule.id,
        "severity": reason.severity.value,
        "title": reason.rule.title,
        "message": reason.message,
        "action": reason.finding.action,
        "recommendation": reason.rule.recommendation.name,
        "source": reason.rule.recommendation.source,
        "citation": reason.rule.recommendation.citation,
        "field": reason.finding.field,
        "location": location,
        "evidence": dict(reason.finding.evidence),
        "waived": reason.waived,
    }
    if reason.finding.question:
        record["question"] = reason.finding.question
    if reason.waiver is not None:
        record["waiver"] = {
            "reason": reason.waiver.reason,
            "approved_by": reason.waiver.approved_by,
            "expires": reason.waiver.expires.isoformat() if reason.waiver.expires else None,
        }
    return record


def result_record(result: TenderResult, as_of: datetime.date) -> dict[str, Any]:
    """One result as schema 2 has it; ``as_of`` is the day ``tender.days_left`` counts from."""
    return {
        "file": result.file,
        "tender": tender_facts(result.tender.tender, as_of),
        "verdict": result.verdict.value,
        "findings": [reason_record(reason, result.file) for reason in result.reasons],
        "conditions": result.conditions,
        "questions": [{"field": name, "question": question} for name, question in result.questions],
        "what_it_would_take": [proposal.record() for proposal in result.what_it_would_take],
        "warnings": [problem_record(warning) for warning in result.warnings],
        "complete": not result.problems,
        "checked": [rule.id for rule in result.checked],
    }


def problem_record(problem: Problem) -> dict[str, Any]:
    record: dict[str, Any] = {"file": problem.file, "line": problem.line, "column": problem.column, "message": problem.message}
    if problem.rule:
        record["rule"] = problem.rule
    if problem.tender:
        record["tender"] = problem.tender
    return record


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.as_of = options.as_of
        self.errors: list[Problem] = []
        self.first = True
        out.write(f'{{"bidcheck": {json.dumps(__version__)}, "schema": {SCHEMA_VERSION},\n "results": [')

    def result(self, result: TenderResult) -> None:
        self.record(result_record(result, self.as_of), result.problems)

    def record(self, record: dict[str, Any], problems: list[Problem]) -> None:
        """A result already made a record (``triage`` adds its ``fit``), with the rules that failed on it."""
        self.errors.extend(problems)  # a rule that failed is an error of the run (exit 2)
        self.out.write(("\n  " if self.first else ",\n  ") + _dumps(record))
        self.first = False

    def problem(self, problem: Problem) -> None:
        self.errors.append(problem)

    def finish(self, summary: Summary, more: dict[str, int] | None = None) -> None:
        """The errors and the summary; ``more`` adds counts to the summary (triage's ``shown``)."""
        errors = ",\n  ".join(_dumps(problem_record(problem)) for problem in self.errors)
        self.out.write(f'],\n "errors": [{errors}],\n "summary": {_dumps({**summary.as_record(), **(more or {})})}}}\n')


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
