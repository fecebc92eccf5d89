"""``--format markdown``: a go/no-go paper per tender, for a board or bid panel.

Each tender is written as it arrives: what it is, the verdict bidcheck reached, the
conditions or questions that verdict depends on, the findings grouped by the guidance they
come from, the waivers already granted, and blank sign-off lines for the people who decide.
A short run summary follows the last tender.

Everything that came from a tender or config file is escaped, so a title containing ``|``,
``*`` or ``<b>`` prints as written and never breaks a table.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import TextIO

from bidcheck import __version__
from bidcheck.decide import TenderResult
from bidcheck.display import inert_lines, printable
from bidcheck.evaluate import Reason
from bidcheck.models import Severity, Verdict
from bidcheck.money import format_money
from bidcheck.problems import Problem
from bidcheck.render import (
    SUMMARY_ROWS,
    RenderOptions,
    Summary,
    finding_counts,
    reading_order,
)
from bidcheck.wording import number_of

VERDICT_LABEL = {
    Verdict.NO_BID: "NO BID",
    Verdict.NEEDS_INFO: "NEEDS INFO",
    Verdict.BID_WITH_CONDITIONS: "BID WITH CONDITIONS",
    Verdict.BID: "BID",
}
VERDICT_MEANING = {
    Verdict.NO_BID: "at least one finding blocks this bid.",
    Verdict.NEEDS_INFO: "bidcheck cannot decide until the questions below are answered.",
    Verdict.BID_WITH_CONDITIONS: "bid only if the conditions below are met.",
    Verdict.BID: "nothing found that argues against bidding.",
}
SIGN_OFF = ("Decision", "Name", "Role", "Date")

# The characters that start emphasis, code, links, HTML, entities, strikethrough or a table
# cell anywhere in a line; a backslash makes each literal. (User text never starts a line,
# so line-start markers such as "#", "-" or "1." need no escape.)
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.problems: list[Problem] = []
        self.rows: list[tuple[str, str, str, int, int, int]] = []
        out.write(f"# bidcheck: bid/no-bid papers\n\nPrepared with bidcheck {__version__}. One paper per tender; the run summary is at the end.\n")

    def result(self, result: TenderResult) -> None:
        tender = result.tender.tender
        lines = [f"\n## {text(tender.id)}: {text(tender.title)}\n", "| | |", "|---|---|"]
        if tender.buyer:
            lines.append(f"| Buyer | {text(tender.buyer)} |")
        if tender.value is not None:
            lines.append(f"| Value | {format_money(tender.value)} |")
        lines.append(f"| File | {code(result.file, in_table=True)} |")
        lines.append(f"| Rules checked | {len(result.checked)} |")
        lines.append(f"\n**Verdict: {VERDICT_LABEL[result.verdict]}** ({result.verdict.value}): {VERDICT_MEANING[result.verdict]}")
        lines.append(f"\nFindings: {finding_counts(result) or 'none'}.")

        if result.problems:
            lines.append("\n### Incomplete: rules that failed\n")
            lines.append("The verdict cannot be better than needs-info until these rules run cleanly.\n")
            lines.extend(f"- {text(problem.message)}" for problem in result.problems)

        if result.verdict is Verdict.BID_WITH_CONDITIONS and result.conditions:
            lines.append("\n### Conditions of bidding\n")
            lines.extend(f"{number}. {text(condition)}" for number, condition in enumerate(result.conditions, 1))

        if result.verdict is Verdict.NEEDS_INFO and result.questions:
            lines.append("\n### Questions to answer before deciding\n")
            lines.extend(f"- {code(name)}: {text(question)}" for name, question in result.questions)

        if result.what_it_would_take:
            lines.append("\n### What it would take\n")
            lines.extend(f"- {text(proposal.describe())}" for proposal in result.what_it_would_take)

        if result.reasons:
            lines.append("\n### Findings")
            ordered = sorted(result.reasons, key=reading_order)
            for (name, citation), reasons in groupby(ordered, key=lambda r: (r.rule.recommendation.name, r.rule.recommendation.citation)):
                lines.append(f"\n#### {text(name)}\n")
                lines.append(f"Guidance: {text(citation)}\n")
                lines.append("| Severity | Rule | Finding | Action | Where |")
                lines.append("|---|---|---|---|---|")
                lines.extend(_finding_row(reason) for reason in reasons)

        waived = [reason for reason in result.reasons if reason.waiver is not None]
        if waived:
            lines.append("\n### Waivers\n")
            lines.append("| Rule | Waived finding | Reason | Approved by | Expires |")
            lines.append("|---|---|---|---|---|")
            for reason in waived:
                waiver = reason.waiver
                assert waiver is not None
                expires = waiver.expires.isoformat() if waiver.expires else "no expiry"
                lines.append(
                    f"| {text(reason.rule.id)} | {text(reason.severity.value)}: {text(reason.message)} | {text(waiver.reason)} "
                    f"| {text(waiver.approved_by or 'not recorded')} | {expires} |"
                )

        if result.warnings:
            lines.append("\n### Warnings\n")
            lines.extend(f"- {code(f'{w.file}:{w.line}')}: {text(w.message)}" for w in result.warnings)

        lines.append("\n### Sign-off\n")
        lines.append(f"bidcheck recommends **{result.verdict.value}**. The decision is the panel's.\n")
        lines.append("| | |")
        lines.append("|---|---|")
        lines.extend(f"| {label} | |" for label in SIGN_OFF)
        self.out.write(inert_lines("\n".join(lines) + "\n"))

        if len(self.rows) < SUMMARY_ROWS:
            blockers, concerns, unknowns = (result.count(severity) for severity in (Severity.BLOCKER, Severity.CONCERN, Severity.UNKNOWN))
            self.rows.append((tender.id, tender.title, result.verdict.value, blockers, concerns, unknowns))

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def finish(self, summary: Summary) -> None:
        tenders = summary.tenders
        lines = ["\n## Run summary\n", f"{number_of(tenders, 'tender')} checked.\n"]
        lines.append("| Verdict | Tenders |")
        lines.append("|---|---:|")
        lines.extend(f"| {verdict} | {count} |" for verdict, count in summary.as_record().items() if verdict != "errors")
        lines.append(f"| errors (files not checked, rules that failed) | {summary.errors} |")
        if self.rows and tenders > 1:
            lines.append("\n| Tender | Title | Verdict | Blockers | Concerns | Unknowns |")
            lines.append("|---|---|---|---:|---:|---:|")
            lines.extend(
                f"| {text(tender_id)} | {text(title)} | {verdict} | {blockers} | {concerns} | {unknowns} |"
                for tender_id, title, verdict, blockers, concerns, unknowns in self.rows
            )
            if tenders > len(self.rows):
                lines.append(f"\n... and {tenders - len(self.rows)} more tenders.")
        if self.problems:
            lines.append("\n### Files that could not be checked\n")
            lines.extend(f"- {code(_where(problem))}: {text(problem.message)}" for problem in self.problems)
        self.out.write(inert_lines("\n".join(lines) + "\n"))


def text(value: object) -> str:
    """User text as literal Markdown on one line: no emphasis, links, HTML, table breaks or
    control characters (line breaks become spaces; any other is shown as an escape)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(_LINE_BREAKS.sub(" ", str(value)).strip()))


def code(value: object, *, in_table: bool = False) -> str:
    """A file name or field as inline code; in a table, ``|`` is escaped so the row holds."""
    literal = printable(_LINE_BREAKS.sub(" ", str(value)).strip())
    if in_table:
        literal = literal.replace("|", "\\|")  # GFM drops this backslash inside code in a table
    fence = "`" * (max((len(run) for run in re.findall(r"`+", literal)), default=0) + 1)
    padding = " " if literal.startswith("`") or literal.endswith("`") else ""
    return f"{fence}{padding}{literal}{padding}{fence}"


def _finding_row(reason: Reason) -> str:
    severity = reason.severity.value + (" (waived)" if reason.waived else "")
    where = reason.location
    return (
        f"| {severity} | {text(reason.rule.id)} {text(reason.rule.title)} | {text(reason.message)} "
        f"| {text(reason.finding.action)} | {code(f'{where.file}:{where.line}', in_table=True)} |"
    )


def _where(problem: Problem) -> str:
    return f"{problem.file}:{problem.line}:{problem.column}" if problem.line else problem.file
