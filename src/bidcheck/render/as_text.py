"""``--format text``: for people. The verdict first, then why, grouped by recommendation.

Colour on a terminal; plain text when piped or when ``NO_COLOR`` is set (rich decides).
Everything from a tender is passed as ``Text``, never as markup, so a title containing
``[bold]`` prints as written.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bidcheck.decide import TenderResult
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

VERDICT_STYLE = {
    Verdict.NO_BID: ("NO BID", "bold white on red"),
    Verdict.NEEDS_INFO: ("NEEDS INFO", "bold black on magenta"),
    Verdict.BID_WITH_CONDITIONS: ("BID WITH CONDITIONS", "bold black on yellow"),
    Verdict.BID: ("BID", "bold black on green"),
}
SEVERITY_STYLE = {
    Severity.BLOCKER: ("✖", "bold red"),
    Severity.CONCERN: ("▲", "yellow"),
    Severity.UNKNOWN: ("?", "magenta"),
    Severity.INFO: ("i", "blue"),
}


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.console = Console(
            file=out,
            force_terminal=options.color,
            no_color=(options.color is False) or None,
            highlight=False,
            soft_wrap=True,
            emoji=False,
        )
        self.rows: list[tuple[str, ...]] = []

    def result(self, result: TenderResult) -> None:
        print_ = self.console.print
        tender = result.tender.tender
        heading = Text()
        heading.append(result.file, style="bold")
        heading.append(f"  {tender.id} · {tender.title}")
        details = [part for part in (tender.buyer, format_money(tender.value) if tender.value is not None else None) if part]
        if details:
            heading.append(" · " + " · ".join(details), style="dim")
        print_(heading)

        label, style = VERDICT_STYLE[result.verdict]
        verdict_line = Text("  ")
        verdict_line.append(f" {label} ", style=style)
        verdict_line.append("  " + (finding_counts(result) or "no findings"), style="dim")
        print_(verdict_line)
        for problem in result.problems:
            print_(Text(f"  incomplete: {problem.message}", style="bold red"))

        if result.verdict is Verdict.BID_WITH_CONDITIONS and result.conditions:
            print_(Text("  Conditions:", style="bold"))
            for condition in result.conditions:
                print_(Text(f"    - {condition}"))

        for recommendation, reasons in groupby(sorted(result.reasons, key=reading_order), key=lambda r: r.rule.recommendation):
            print_(Text(f"\n  {recommendation.name}", style="bold underline"))
            print_(Text(f"  guidance: {recommendation.citation}", style="dim"))  # once for the findings below
            for reason in reasons:
                self._reason(reason)

        if result.verdict is Verdict.NEEDS_INFO and result.questions:
            print_(Text("\n  Questions to answer before deciding:", style="bold magenta"))
            for name, question in result.questions:
                line = Text("    - ")
                line.append(name, style="magenta")
                line.append(f": {question}")
                print_(line)
        for warning in result.warnings:
            print_(Text(f"  warning: {warning}", style="yellow"))
        print_()
        if len(self.rows) < SUMMARY_ROWS:
            value = format_money(tender.value) if tender.value is not None else "—"
            counts = (str(result.count(severity)) for severity in (Severity.BLOCKER, Severity.CONCERN, Severity.UNKNOWN))
            self.rows.append((tender.id, value, result.verdict.value, *counts))

    def _reason(self, reason: Reason) -> None:
        symbol, style = SEVERITY_STYLE[reason.severity]
        where = reason.location
        line = Text("    ")
        if reason.waived:
            line.append(f"{symbol} {reason.severity.value} (waived)", style="dim")
        else:
            line.append(f"{symbol} {reason.severity.value}", style=style)
        line.append(f"  {reason.rule.id}  ", style="bold")
        line.append(reason.rule.title)
        line.append(f"  {where.file}:{where.line}:{where.column}", style="dim")
        self.console.print(line)
        self.console.print(Text(f"      {reason.message}", style="dim" if reason.waived else ""))
        self.console.print(Text(f"      → {reason.finding.action}", style="dim" if reason.waived else "cyan"))
        if reason.waiver is not None:
            waiver = reason.waiver
            who = f", approved by {waiver.approved_by}" if waiver.approved_by else ""
            until = f", until {waiver.expires}" if waiver.expires else ""
            self.console.print(Text(f"      waived: {waiver.reason}{who}{until}", style="italic"))

    def problem(self, problem: Problem) -> None:
        pass  # the CLI reports problems on stderr as file:line:column

    def finish(self, summary: Summary) -> None:
        if summary.tenders > 1:
            self._summary_table(summary)
        parts = [f"{count} {verdict.value}" for verdict, count in summary.verdicts.items() if count]
        if summary.errors:
            parts.append(f"{summary.errors} error{'s' if summary.errors != 1 else ''}")
        tenders = summary.tenders
        self.console.print(
            Text(f"{tenders} tender{'s' if tenders != 1 else ''} checked: " + (", ".join(parts) or "nothing to check"), style="bold")
        )


    def _summary_table(self, summary: Summary) -> None:
        from rich.table import Table

        table = Table(box=None, pad_edge=False, header_style="bold")
        for heading in ("tender", "value", "verdict", "blockers", "concerns", "unknowns"):
            table.add_column(heading, justify="right" if heading in ("value", "blockers", "concerns", "unknowns") else "left")
        for tender_id, value, verdict, *counts in self.rows:
            _, style = VERDICT_STYLE[Verdict(verdict)]
            table.add_row(Text(tender_id), value, Text(verdict, style=style.replace("bold ", "")), *counts)
        self.console.print(table)
        if summary.tenders > len(self.rows):
            self.console.print(Text(f"... and {summary.tenders - len(self.rows)} more tenders", style="dim"))
        self.console.print()


