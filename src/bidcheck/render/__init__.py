"""Stage 5, render: results -> the format asked for, streamed one tender at a time.

Each format lives in its own module and is imported only when asked for, so a JSON run in
CI never pays for the terminal renderer's imports.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from bidcheck.decide import TenderResult
from bidcheck.evaluate import Reason
from bidcheck.models import Severity, Verdict
from bidcheck.problems import Problem
from bidcheck.wording import number_of

SUMMARY_ROWS = 500  # a run's summary table lists this many tenders, then counts the rest
# Findings are grouped in this order; any other recommendation follows, alphabetically.
GROUP_ORDER = ("Calculate the impact on communities and beneficiaries", "Recognise your power")
SEVERITY_ORDER = (Severity.BLOCKER, Severity.UNKNOWN, Severity.CONCERN, Severity.INFO)


def finding_counts(result: TenderResult) -> str:
    """"2 blockers, 1 concern, 1 waived"; empty when there are no findings."""
    words = []
    for severity in (Severity.BLOCKER, Severity.CONCERN, Severity.UNKNOWN, Severity.INFO):
        count = result.count(severity)
        if count:
            words.append(number_of(count, severity.value, "info" if severity is Severity.INFO else None))
    waived = sum(1 for reason in result.reasons if reason.waived)
    if waived:
        words.append(f"{waived} waived")
    return ", ".join(words)


def reading_order(reason: Reason) -> tuple[int, str, bool, int, str]:
    """Impact first, then power, then the rest; within a group, waived last and the most serious first."""
    name = reason.rule.recommendation.name
    rank = GROUP_ORDER.index(name) if name in GROUP_ORDER else len(GROUP_ORDER)
    return (rank, name, reason.waived, SEVERITY_ORDER.index(reason.severity), reason.rule.id)


@dataclass(frozen=True)
class RenderOptions:
    color: bool | None = None  # None: decide from the terminal and NO_COLOR
    fail_on: frozenset[Verdict] = frozenset({Verdict.NO_BID})  # verdicts that fail the run (JUnit failures)
    as_of: datetime.date = field(default_factory=datetime.date.today)  # --as-of: the day days left count from


@dataclass
class Summary:
    """Counts for the whole run, in SPEC §4's ``summary`` shape."""

    verdicts: dict[Verdict, int] = field(default_factory=lambda: {verdict: 0 for verdict in Verdict})
    errors: int = 0
    warnings: int = 0

    def add(self, result: TenderResult) -> None:
        self.verdicts[result.verdict] += 1
        self.warnings += len(result.warnings)

    @property
    def tenders(self) -> int:
        return sum(self.verdicts.values())

    def as_record(self) -> dict[str, int]:
        record = {verdict.value: self.verdicts[verdict] for verdict in (Verdict.BID, Verdict.BID_WITH_CONDITIONS, Verdict.NEEDS_INFO, Verdict.NO_BID)}
        record["errors"] = self.errors
        return record


class Renderer(Protocol):
    def result(self, result: TenderResult) -> None: ...

    def problem(self, problem: Problem) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def renderer_for(format_name: str, out: TextIO, options: RenderOptions = RenderOptions()) -> Renderer:
    """The renderer for ``format_name``, writing to ``out``."""
    module = importlib.import_module(f"bidcheck.render.as_{format_name}")
    return module.Report(out, options)  # type: ignore[no-any-return]


class Fanout:
    """Several reports fed from one run, so the text can go to the terminal and SARIF to a file."""

    def __init__(self, renderers: list[Renderer]):
        self.renderers = renderers

    def result(self, result: TenderResult) -> None:
        for renderer in self.renderers:
            renderer.result(result)

    def problem(self, problem: Problem) -> None:
        for renderer in self.renderers:
            renderer.problem(problem)

    def finish(self, summary: Summary) -> None:
        for renderer in self.renderers:
            renderer.finish(summary)
