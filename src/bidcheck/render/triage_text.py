"""``triage --format text``: the ranked tenders as a table a person reads in a terminal.

One line per tender (rank, days left, fit, verdict, id, title), with what to know next on
the lines below it: buyer, value, deadline and areas; blockers and the likely incumbent;
the first question to answer. Colour and wrapping as ``check``'s text (see
:mod:`bidcheck.render.as_text`): every value from a tender is shown through
:func:`~bidcheck.display.printable` as ``Text``, never markup, and no line reads as a CI
workflow command.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from bidcheck.display import InertLines, inert_lines, layout_table, printable, terminal_width
from bidcheck.models import Verdict
from bidcheck.render.as_text import VERDICT_STYLE, console_for
from bidcheck.render.triage_table import NOT_KNOWN, RowReport, cells, showing
from bidcheck.triage import Ranking
from bidcheck.wording import number_of

TABLE_HEADINGS = ("#", "days left", "service", "areas", "verdict", "id", "title")
_WRAPPED = frozenset({6})  # on a narrow terminal the title gives way; nothing is cut
_RIGHT = frozenset({0, 1})
_DETAIL_INDENT = 6


class Report(RowReport):
    def write(self, ranking: Ranking[Any], summary: Any) -> None:
        width = terminal_width(self.out)
        out = InertLines(self.out)
        console = console_for(out, self.options.color, width)

        def say(text: Text, indent: int = 0) -> None:
            lines = [text] if width is None else text.wrap(console, max(width - indent, 1), overflow="fold")
            for line in lines:
                line.rstrip()
                console.print(Text(" " * indent) + line if indent else line)

        ranked = ranking.ranked()
        say(Text(f"Triage as of {self.options.as_of.isoformat()}: {showing(ranking)}", style="bold"))
        if ranked:
            rows = [TABLE_HEADINGS]
            details = []
            for row, fit in ranked:
                shown = tuple(inert_lines(printable(cell)) for cell in cells(row, fit))
                rank, identifier, title, buyer, value, deadline, areas, _, verdict, blockers, incumbent, question = shown
                days = NOT_KNOWN if fit.days_left is None else str(fit.days_left)
                rows.append((rank, days, fit.service, fit.areas, verdict, identifier, title))
                details.append(
                    [
                        f"{buyer} · {value} · deadline {deadline} · areas {areas}",
                        f"blockers: {blockers} · likely incumbent: {incumbent}",
                        f"first question: {question}",
                    ]
                )
            say(Text())
            self._table(say, rows, details, width)
        checked = [f"{count} {verdict.value}" for verdict, count in summary.verdicts.items() if count]
        if summary.errors:
            checked.append(number_of(summary.errors, "error"))
        say(Text(f"{number_of(summary.tenders, 'tender')} checked: " + (", ".join(checked) or "nothing to check"), style="bold"))
        out.close_line()

    def _table(self, say: Any, rows: list[tuple[str, ...]], details: list[list[str]], width: int | None) -> None:
        """Each tender's line, then its details indented below it; the heading line first."""
        lines = layout_table(rows, width=width, right=_RIGHT, wrap=_WRAPPED)
        row_number = -1
        for number, line_cells in enumerate(lines):
            starts_row = bool(line_cells[0].strip())  # a continuation of a wrapped title has no rank
            row_number += 1 if starts_row else 0
            line = Text()
            for column, cell in enumerate(line_cells):
                if column:
                    line.append("  ")
                if row_number == 0:
                    line.append(cell, style="bold")
                elif column == 4 and cell.strip():
                    line.append(cell, style=VERDICT_STYLE[Verdict(cell.strip())][1].replace("bold ", ""))
                else:
                    line.append(cell)
            line.rstrip()
            say(line)
            last_line_of_row = number + 1 == len(lines) or bool(lines[number + 1][0].strip())
            if row_number > 0 and last_line_of_row:
                for detail in details[row_number - 1]:
                    say(Text(detail, style="dim"), _DETAIL_INDENT)
                say(Text())
