"""``bidcheck triage``: the tenders checked as ``check`` checks them, ranked by fit (SPEC §4.1).

Like ``cli``, a place that prints and chooses exit statuses. The checking is ``check``'s
own run (:func:`bidcheck.batch_cli.run_reported`); the ranking is :mod:`bidcheck.triage`;
the formats are ``bidcheck.render.triage_*``.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from bidcheck.cli import FailOn
from bidcheck.cli_help import as_of_option, choice_option, no_plugins_option


class TriageFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


def triage(
    paths: Optional[list[str]] = typer.Argument(
        None, metavar="PATH", help="Tender files, folders (searched recursively), globs, or - for stdin, as for check."
    ),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this config instead of searching for bidcheck.yaml."),
    top: Optional[int] = typer.Option(
        None, "--top", metavar="N", help="Show only the best N (1 or more); the others are counted, not kept (memory stays flat)."
    ),
    output_format: TriageFormat = choice_option(TriageFormat.text, "--format", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", metavar="FILE", help="Write the ranking to this file (replaced whole at the end; links are refused)."),
    as_of: Optional[str] = as_of_option(),
    fail_on: FailOn = choice_option(
        FailOn.never, "--fail-on", help="Exit 1 when any tender's verdict is this or worse (default never: a triage is a ranking)."
    ),
    rules: list[str] = typer.Option([], "--rules", metavar="PATH", help="Extra rules: a .py file, a folder of them, or a module (repeatable)."),
    select: Optional[list[str]] = typer.Option(None, "--select", metavar="IDS", help="Only these rule ids or prefixes (comma-separated)."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="IDS", help="Skip these rule ids or prefixes (comma-separated)."),
    max_file_size: str = typer.Option("5MB", "--max-file-size", metavar="SIZE", help="Refuse larger tender files unread (bytes, or with kB/MB)."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Force colour on or off (default: on a terminal)."),
    jobs: str = typer.Option("auto", "--jobs", metavar="N|auto", help="Processes checking a batch, as for check. The output is the same."),
    no_plugins: bool = no_plugins_option(),
) -> None:
    """Rank tenders by fit for your organisation: service, areas, time to respond, deadline, id.

    Each row shows the tender's facts, its fit, the verdict, the blockers, the likely
    incumbent and the first question to answer.
    """
    from bidcheck.batch_cli import check_options, failing_verdicts, given_paths, run_reported
    from bidcheck.cli import refuse_unsafe_destinations, report_destination
    from bidcheck.render import RenderOptions
    from bidcheck.render.triage_table import triage_report_for
    from bidcheck.triage import Ranking

    if top is not None and top < 1:
        raise typer.BadParameter(f"expected a number of tenders to show (1 or more), got {top}", param_hint="--top")
    paths = given_paths("triage", paths, config)
    refuse_unsafe_destinations(output, [], paths, config, rules)
    options = check_options(config, rules, select, ignore, max_file_size, jobs, no_plugins, as_of)
    failing = failing_verdicts(fail_on)
    color = False if output is not None or (os.environ.get("NO_COLOR") and color is None) else color
    with report_destination(output) as out:
        report = triage_report_for(output_format.value, out, RenderOptions(color, failing, options.today))
        ranking = Ranking(options.today, top, report.keep, report.write)
        exit_status = run_reported(paths, options, ranking, failing)
    raise typer.Exit(exit_status)
