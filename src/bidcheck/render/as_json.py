"""``--format json``: stable and versioned (SPEC §4). Results are written as they arrive."""

from __future__ import annotations

import json
from typing import Any, TextIO

from bidcheck import __version__
from bidcheck.decide import TenderResult
from bidcheck.evaluate import Reason
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary

SCHEMA_VERSION = 1


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


def result_record(result: TenderResult) -> dict[str, Any]:
    tender = result.tender.tender
    return {
        "file": result.file,
        "tender": {"id": tender.id, "title": tender.title, "buyer": tender.buyer, "value": tender.value},
        "verdict": result.verdict.value,
        "findings": [reason_record(reason, result.file) for reason in result.reasons],
        "conditions": result.conditions,
        "questions": [{"field": name, "question": question} for name, question in result.questions],
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
        self.errors: list[Problem] = []
        self.first = True
        out.write(f'{{"bidcheck": {json.dumps(__version__)}, "schema": {SCHEMA_VERSION},\n "results": [')

    def result(self, result: TenderResult) -> None:
        self.errors.extend(result.problems)  # a rule that failed is an error of the run (exit 2)
        self.out.write(("\n  " if self.first else ",\n  ") + _dumps(result_record(result)))
        self.first = False

    def problem(self, problem: Problem) -> None:
        self.errors.append(problem)

    def finish(self, summary: Summary) -> None:
        errors = ",\n  ".join(_dumps(problem_record(problem)) for problem in self.errors)
        self.out.write(f'],\n "errors": [{errors}],\n "summary": {_dumps(summary.as_record())}}}\n')


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
