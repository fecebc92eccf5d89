"""``--format text``: for people. The verdict first, then why, grouped by recommendation.

Colour on a terminal; plain text when piped or when ``NO_COLOR`` is set; ``--color`` and
``--no-color`` win over both (and over ``FORCE_COLOR``). On a terminal, long lines wrap to
its width; piped or redirected, no line is cut or wrapped. Everything from a tender goes
through :func:`~bidcheck.display.printable` and is passed as ``Text``, never as markup, so a
title containing ``[bold]`` or an escape sequence prints as written, and no line of the
report reads as a CI workflow command (:class:`~bidcheck.display.InertLines`).
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bidcheck.decide import TenderResult
from bidcheck.display import InertLines, inert_lines, layout_table, printable, terminal_width
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
SUMMARY_HEADINGS = ("tender", "value", "verdict", "blockers", "concerns", "unknowns")
_INITIALS = ("B", "C", "U")
_UNWRAPPED = 1 << 20  # the width rich is given when lines must not wrap; rich itself never wraps them then


def console_for(out: TextIO, color: bool | None, width: int | None) -> Console:
    """A rich console on ``out``: colour forced on or off when ``color`` says so, else rich decides
    (terminal, ``NO_COLOR``, ``FORCE_COLOR``); wrapping at ``width``, or never when None."""
    common = dict(file=out, highlight=False, emoji=False, markup=False, width=width or _UNWRAPPED, soft_wrap=width is None)
    if color is True:
        return Console(force_terminal=True, no_color=False, color_system="standard", **common)  # type: ignore[arg-type]
    if color is False:
        return Console(force_terminal=False, no_color=True, color_system=None, **common)  # type: ignore[arg-type]
    return Console(**common)  # type: ignore[arg-type]


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.width = terminal_width(out)
        self.out = InertLines(out)
        self.console = console_for(self.out, options.color, self.width)
        self.rows: list[tuple[str, ...]] = []

    def _print(self, text: Text | str = "", indent: int = 0) -> None:
        """One line (wrapped, with a hanging indent, on a terminal)."""
        if isinstance(text, str):
            text = Text(text)
        if self.width is None:
            self.console.print(Text(" " * indent) + text if indent else text)
            return
        for line in text.wrap(self.console, max(self.width - indent, 1), overflow="fold"):
            line.rstrip()
            self.console.print(Text(" " * indent) + line if indent else line)

    def result(self, result: TenderResult) -> None:
        print_ = self._print
        tender = result.tender.tender
        heading = Text()
        heading.append(printable(result.file), style="bold")
        heading.append(f"  {printable(tender.id)} · {printable(tender.title)}")
        details = [printable(part) for part in (tender.buyer, format_money(tender.value) if tender.value is not None else None) if part]
        if details:
            heading.append(" · " + " · ".join(details), style="dim")
        print_(heading)

        label, style = VERDICT_STYLE[result.verdict]
        verdict_line = Text()
        verdict_line.append(f" {label} ", style=style)
        verdict_line.append("  " + (finding_counts(result) or "no findings"), style="dim")
        print_(verdict_line, 2)
        for problem in result.problems:
            print_(Text(f"incomplete: {printable(problem.message)}", style="bold red"), 2)

        if result.verdict is Verdict.BID_WITH_CONDITIONS and result.conditions:
            print_(Text("Conditions:", style="bold"), 2)
            for condition in result.conditions:
                print_(f"- {printable(condition)}", 4)

        for recommendation, reasons in groupby(sorted(result.reasons, key=reading_order), key=lambda r: r.rule.recommendation):
            print_()
            print_(Text(printable(recommendation.name), style="bold underline"), 2)
            print_(Text(f"guidance: {printable(recommendation.citation)}", style="dim"), 2)  # once for the findings below
            for reason in reasons:
                self._reason(reason)

        if result.verdict is Verdict.NEEDS_INFO and result.questions:
            print_()
            print_(Text("Questions to answer before deciding:", style="bold magenta"), 2)
            for name, question in result.questions:
                line = Text("- ")
                line.append(printable(name), style="magenta")
                line.append(f": {printable(question)}")
                print_(line, 4)
        if result.what_it_would_take:
            print_()
            print_(Text("What it would take:", style="bold"), 2)
            for proposal in result.what_it_would_take:
                print_(f"- {printable(proposal.describe())}", 4)
        for warning in result.warnings:
            print_(Text(f"warning: {printable(str(warning))}", style="yellow"), 2)
        print_()
        if len(self.rows) < SUMMARY_ROWS:
            value = format_money(tender.value) if tender.value is not None else "—"
            counts = (str(result.count(severity)) for severity in (Severity.BLOCKER, Severity.CONCERN, Severity.UNKNOWN))
            # made inert here, not only by InertLines, so the column is as wide as the id shown
            self.rows.append((inert_lines(printable(tender.id)), value, result.verdict.value, *counts))

    def _reason(self, reason: Reason) -> None:
        symbol, style = SEVERITY_STYLE[reason.severity]
        where = reason.location
        line = Text()
        if reason.waived:
            line.append(f"{symbol} {reason.severity.value} (waived)", style="dim")
        else:
            line.append(f"{symbol} {reason.severity.value}", style=style)
        line.append(f"  {reason.rule.id}  ", style="bold")
        line.append(printable(reason.rule.title))
        line.append(f"  {printable(where.file)}:{where.line}:{where.column}", style="dim")
        self._print(line, 4)
        self._print(Text(printable(reason.message), style="dim" if reason.waived else ""), 6)
        self._print(Text(f"→ {printable(reason.finding.action)}", style="dim" if reason.waived else "cyan"), 6)
        if reason.waiver is not None:
            waiver = reason.waiver
            who = f", approved by {waiver.approved_by}" if waiver.approved_by else ""
            until = f", until {waiver.expires}" if waiver.expires else ""
            self._print(Text(printable(f"waived: {waiver.reason}{who}{until}"), style="italic"), 6)

    def problem(self, problem: Problem) -> None:
        pass  # the CLI reports problems on stderr as file:line:column

    def finish(self, summary: Summary) -> None:
        if summary.tenders > 1:
            self._summary_table(summary)
        parts = [f"{count} {verdict.value}" for verdict, count in summary.verdicts.items() if count]
        if summary.errors:
            parts.append(number_of(summary.errors, "error"))
        checked = f"{number_of(summary.tenders, 'tender')} checked: " + (", ".join(parts) or "nothing to check")
        self._print(Text(checked, style="bold"))
        self.out.close_line()

    def _summary_table(self, summary: Summary) -> None:
        """Every id and verdict whole: on a narrow terminal a long id continues on the next line."""
        verdict_column = SUMMARY_HEADINGS.index("verdict")
        layout = {"width": self.width, "right": frozenset({1, 3, 4, 5}), "wrap": frozenset({0})}
        lines = layout_table([SUMMARY_HEADINGS, *self.rows], **layout)  # type: ignore[arg-type]
        narrow = self.width is not None and max(len("  ".join(cells)) for cells in lines) > self.width
        if narrow:  # the counts' headings shrink to initials, explained below the table
            lines = layout_table([SUMMARY_HEADINGS[:3] + _INITIALS, *self.rows], **layout)  # type: ignore[arg-type]
        row_number = 0
        for cells in lines:
            starts_row = bool(cells[verdict_column].strip())  # a continuation line has no verdict
            line = Text()
            for column, cell in enumerate(cells):
                if column:
                    line.append("  ")
                if row_number == 0 and starts_row:
                    line.append(cell, style="bold")
                elif column == verdict_column and cell.strip():
                    _, style = VERDICT_STYLE[Verdict(cell.strip())]
                    line.append(cell, style=style.replace("bold ", ""))
                else:
                    line.append(cell)
            line.rstrip()
            self._print(line)
            row_number += 1 if starts_row else 0
        if narrow:
            self._print(Text(", ".join(f"{initial}: {name}" for initial, name in zip(_INITIALS, SUMMARY_HEADINGS[3:])), style="dim"))
        if summary.tenders > len(self.rows):
            self._print(Text(f"... and {number_of(summary.tenders - len(self.rows), 'more tender')}", style="dim"))
        self._print()
