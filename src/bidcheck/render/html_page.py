"""What every HTML report shares: one Jinja2 environment, the page's parts, a tender's record.

The templates are package data under ``bidcheck/render/templates/``:

- ``base.html.j2``: the page (inline CSS from ``page.css``, no scripts, nothing fetched);
  a report extends it and fills ``content``;
- ``macros.html.j2``: a verdict badge, a facts table, a findings table, a problems table;
- ``tender.html.j2``: one tender, as the sections named in :data:`TENDER_SECTIONS`, in order.
  A new per-tender section is one template under ``tender/`` and one entry there.

Autoescaping is on for every template, so each value from a tender or config is escaped;
control characters are shown as escapes (:func:`bidcheck.display.printable`), so no tender text
can break a line of the page, and no line reads as a CI workflow command. Jinja2 is imported on
first use, so other formats never load it.
"""

from __future__ import annotations

import datetime
import functools
from itertools import groupby, islice
from typing import TYPE_CHECKING, Any, TextIO

from bidcheck import __version__
from bidcheck.decide import TenderResult
from bidcheck.display import InertLines, character_reference, printable
from bidcheck.models import Severity, Verdict
from bidcheck.money import format_money
from bidcheck.render import finding_counts, reading_order
from bidcheck.render.as_json import problem_record, result_record
from bidcheck.render.as_markdown import VERDICT_LABEL, VERDICT_MEANING

if TYPE_CHECKING:
    import jinja2

# The sections of one tender, in reading order: each a template under templates/tender/.
TENDER_SECTIONS = (
    "tender/verdict.html.j2",
    "tender/facts.html.j2",
    "tender/decision.html.j2",
    "tender/findings.html.j2",
    "tender/warnings.html.j2",
)
_PIECES_PER_WRITE = 512


def write_page(out: TextIO, template: str, **context: Any) -> None:
    """Write the page ``template`` (a file name under ``templates/``), filled with ``context``, to ``out``.

    Streamed as Jinja2 makes it, a few hundred pieces at a time, so a page of thousands of
    tenders is never held whole as text. Raises what ``out.write`` raises (on the CLI's
    streams, :class:`~bidcheck.report_file.OutputFailed`).
    """
    lines = InertLines(out, character_reference)
    pieces = _environment().get_template(template).generate(version=__version__, sections=TENDER_SECTIONS, **context)
    while batch := list(islice(pieces, _PIECES_PER_WRITE)):
        lines.write("".join(batch))
    lines.close_line()


def tender_record(result: TenderResult, as_of: datetime.date) -> dict[str, Any]:
    """What a tender section shows: its JSON record (schema 2, ``as_of`` for days left) and more.

    Added: ``groups`` (the findings by recommendation, in reading order: ``[{"recommendation",
    "citation", "findings": [finding records]}]``), ``counts`` (counted findings by severity),
    ``counts_text`` ("2 blockers, 1 concern"), ``incomplete`` (rules that failed, as problem records) and
    ``what_it_would_take_text`` (each proposal in words).
    """
    record = result_record(result, as_of)
    # The same finding records as the JSON's, in reading order: none is made twice.
    ordered = sorted(zip(result.reasons, record["findings"]), key=lambda pair: reading_order(pair[0]))
    record["groups"] = [
        {"recommendation": name, "citation": citation, "findings": [finding for _, finding in pairs]}
        for (name, citation), pairs in groupby(ordered, key=lambda pair: (pair[0].rule.recommendation.name, pair[0].rule.recommendation.citation))
    ]
    record["counts"] = {severity.value: result.count(severity) for severity in Severity}
    record["counts_text"] = finding_counts(result)
    record["incomplete"] = [problem_record(problem) for problem in result.problems]
    record["what_it_would_take_text"] = [proposal.describe() for proposal in result.what_it_would_take]
    return record


def evidence_text(value: Any) -> str:
    """An evidence value as people read it: lists joined, whole numbers with thousands separators."""
    if isinstance(value, (list, tuple)):
        return ", ".join(evidence_text(item) for item in value)
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "not given"}[value]
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return str(value)


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2
    from markupsafe import Markup

    def shown(value: Any) -> Any:
        """Every value written: None as nothing, text with its control characters as escapes."""
        if value is None:
            return ""
        if isinstance(value, str) and not isinstance(value, Markup):
            return printable(value)
        return value

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("bidcheck.render", "templates"),
        autoescape=True,  # every template, whatever its name: tender text is always escaped
        finalize=shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["money"] = format_money
    environment.filters["evidence"] = evidence_text
    environment.globals["verdict_label"] = {verdict.value: VERDICT_LABEL[verdict] for verdict in Verdict}
    environment.globals["verdict_meaning"] = {verdict.value: VERDICT_MEANING[verdict] for verdict in Verdict}
    return environment
