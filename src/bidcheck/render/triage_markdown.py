"""``triage --format markdown``: the ranked tenders as one Markdown table, for a bid panel's papers.

Every value from a tender is escaped (:func:`bidcheck.render.as_markdown.text`), so a title
holding ``|``, ``*`` or ``<b>`` prints as written and never breaks the table.
"""

from __future__ import annotations

from typing import Any

from bidcheck import __version__
from bidcheck.display import inert_lines
from bidcheck.render.as_markdown import code, text
from bidcheck.render.triage_table import HEADINGS, RowReport, cells, showing
from bidcheck.triage import Ranking
from bidcheck.wording import number_of


class Report(RowReport):
    def write(self, ranking: Ranking[Any], summary: Any) -> None:
        lines = [
            "# bidcheck: triage\n",
            f"Prepared with bidcheck {__version__} as of {self.options.as_of.isoformat()}: {showing(ranking)}.\n",
        ]
        ranked = ranking.ranked()
        if ranked:
            lines.append("| " + " | ".join(HEADINGS) + " |")
            lines.append("|" + "|".join("---:" if heading == "#" else "---" for heading in HEADINGS) + "|")
            lines.extend("| " + " | ".join(text(cell) for cell in cells(row, fit)) + " |" for row, fit in ranked)
        checked = [f"{count} {verdict.value}" for verdict, count in summary.verdicts.items() if count]
        lines.append(f"\n{number_of(summary.tenders, 'tender')} checked: {', '.join(checked) or 'nothing to check'}.")
        problems = ranking.problems
        if problems:
            lines.append("\n## Not checked, or checked incompletely\n")
            lines.extend(f"- {code(f'{p.file}:{p.line}:{p.column}' if p.line else p.file)}: {text(p.message)}" for p in problems)
        self.out.write(inert_lines("\n".join(lines) + "\n"))
