"""What every ``triage`` format shares: the row kept of each tender, its cells as people read them.

A triage renderer module (``triage_<format>``) has a ``Report(out, options)`` with
``keep(result, fit)`` (what to hold of a tender among the best so far) and
``write(ranking, summary)`` (the ranked tenders, once the batch is checked).
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol, TextIO

from bidcheck.decide import TenderResult
from bidcheck.money import format_money
from bidcheck.render import RenderOptions
from bidcheck.tender_facts import tender_facts
from bidcheck.triage import Fit, Ranking, TriageRow, triage_row
from bidcheck.wording import number_of

# The columns people read, in order (text and Markdown).
HEADINGS = ("#", "id", "title", "buyer", "value", "deadline", "areas", "fit", "verdict", "blockers", "likely incumbent", "first question")
NOT_KNOWN = "—"


class TriageReport(Protocol):
    def keep(self, result: TenderResult, fit: Fit) -> Any: ...

    def write(self, ranking: Ranking[Any], summary: Any) -> None: ...


def triage_report_for(format_name: str, out: TextIO, options: RenderOptions) -> TriageReport:
    """The triage renderer for ``format_name`` (text, markdown, csv, json), writing to ``out``."""
    module = importlib.import_module(f"bidcheck.render.triage_{format_name}")
    return module.Report(out, options)  # type: ignore[no-any-return]


class RowReport:
    """Base of the formats that show rows (text, Markdown, CSV): they keep a :class:`TriageRow`."""

    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.options = options

    def keep(self, result: TenderResult, fit: Fit) -> TriageRow:
        return triage_row(result, tender_facts(result.tender.tender, self.options.as_of))


def cells(row: TriageRow, fit: Fit) -> tuple[str, ...]:
    """A row's cells under :data:`HEADINGS`, as plain text (not yet escaped for any format)."""
    facts = row.facts
    return (
        str(fit.rank),
        facts["id"],
        facts["title"],
        facts["buyer"] or NOT_KNOWN,
        value_text(facts["value"], facts["value_includes_vat"]),
        deadline_text(facts["deadline"], fit.days_left),
        "; ".join(facts["areas"]) or NOT_KNOWN,
        fit_text(fit),
        row.verdict,
        " ".join(row.blockers) or NOT_KNOWN,
        incumbent_text(row),
        row.first_question or NOT_KNOWN,
    )


def value_text(value: float | None, includes_vat: bool | None) -> str:
    if value is None:
        return NOT_KNOWN
    return format_money(value) + (" incl. VAT" if includes_vat else "")


def deadline_text(deadline: str | None, days: int | None) -> str:
    """"2026-09-01 (17 days left)", "... (today)", "... (closed 3 days ago)", or "no deadline"."""
    if deadline is None or days is None:
        return "no deadline"
    if days == 0:
        return f"{deadline} (today)"
    if days < 0:
        return f"{deadline} (closed {number_of(-days, 'day')} ago)"
    return f"{deadline} ({number_of(days, 'day')} left)"


def fit_text(fit: Fit) -> str:
    return f"service {fit.service}, areas {fit.areas}"


def incumbent_text(row: TriageRow) -> str:
    """The likely incumbent's name, "(inferred)" when it came from an award notice; "not known" when not given."""
    if row.incumbent is None:
        return "not known"
    return row.incumbent + (" (inferred)" if row.incumbent_source else "")


def showing(ranking: Ranking[Any]) -> str:
    """"showing 50 of 100,000 tenders, best fit first" (or "3 tenders ranked, best fit first")."""
    if ranking.shown < ranking.seen:
        return f"showing {ranking.shown:,} of {ranking.seen:,} tenders, best fit first"
    return f"{number_of(ranking.seen, 'tender')} ranked, best fit first"
