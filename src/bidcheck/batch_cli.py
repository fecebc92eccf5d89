"""What ``check`` and ``triage`` share on the command line: their options, the run, its exit status.

Like ``cli``, a place that prints (problems and notes, on stderr) and chooses exit statuses.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from bidcheck.cli import EXIT_ERROR, EXIT_FAIL_ON, EXIT_OK, FailOn, _error, _split_ids
from bidcheck.cli_help import load_plugins

if TYPE_CHECKING:  # kept off the start-up path
    from bidcheck.models import Verdict
    from bidcheck.pipeline import CheckOptions
    from bidcheck.render import Renderer


def given_paths(command: str, paths: Optional[list[str]], config: Optional[Path]) -> list[str]:
    """The paths to check; exit 2 when ``--config`` names no file. None given is not an error."""
    from bidcheck.problems import missing_file

    if config is not None and not config.exists():
        _error(str(missing_file(str(config))))
        raise typer.Exit(EXIT_ERROR)
    if not paths:  # e.g. a pre-commit hook when no tender is staged: not an error
        _error(f"nothing checked: no tender files given (usage: bidcheck {command} PATH..., or --help)")
    return paths or []


def check_options(
    config: Optional[Path],
    rules: list[str],
    select: Optional[list[str]],
    ignore: Optional[list[str]],
    max_file_size: str,
    jobs: str,
    no_plugins: bool,
    as_of: Optional[str],
    *,
    no_waivers: bool = False,
) -> CheckOptions:
    """The pipeline's options from the options ``check`` and ``triage`` share; usage errors exit 2."""
    from bidcheck.cli_help import parse_as_of, parse_jobs, parse_size
    from bidcheck.config import Selection
    from bidcheck.pipeline import CheckOptions

    max_bytes = parse_size(max_file_size)
    return CheckOptions(
        config=config,
        selection=Selection(
            select=_split_ids(select), ignore=_split_ids(ignore), rules=tuple(rules), load_plugins=load_plugins(no_plugins)
        ),
        today=parse_as_of(as_of),  # the one "today" of the run: expired waivers and days left alike
        read_stdin=lambda: sys.stdin.buffer.read(max_bytes + 1),  # one byte past the limit tells it was passed
        apply_waivers=not no_waivers,
        max_bytes=max_bytes,
        jobs=parse_jobs(jobs),
    )


def failing_verdicts(fail_on: FailOn) -> frozenset[Verdict]:
    """The verdicts that make the run exit 1 under ``--fail-on``."""
    from bidcheck.decide import VERDICT_ORDER
    from bidcheck.models import Verdict

    return frozenset() if fail_on is FailOn.never else frozenset(VERDICT_ORDER[: VERDICT_ORDER.index(Verdict(fail_on.value)) + 1])


def run_reported(paths: list[str], options: CheckOptions, report: Renderer, failing: frozenset[Verdict]) -> int:
    """Check ``paths``, feeding ``report`` (a Renderer) and saying problems on stderr; the exit status."""
    from bidcheck.decide import TenderResult
    from bidcheck.pipeline import ConfigWarning
    from bidcheck.pipeline import check as run_check
    from bidcheck.render import Summary

    summary = Summary()
    reached_fail_on = False
    said_defaults = False
    for item in run_check(paths, options):
        if isinstance(item, TenderResult):
            if item.config_file is None and not said_defaults:  # once a run: it applies to every such tender
                said_defaults = True
                _error(
                    f"note: using defaults: no organisation, no policies (no bidcheck.yaml found for {item.file}); "
                    "`bidcheck init --config` writes one to start from"
                )
            summary.add(item)
            reached_fail_on = reached_fail_on or item.verdict in failing
            report.result(item)
            for problem in item.problems:  # a rule failed on this tender
                summary.errors += 1
                _error(str(problem))
            for warning in item.warnings:
                _error(f"warning: {warning}")
        elif isinstance(item, ConfigWarning):
            _error(f"warning: {item}")
        else:
            summary.errors += 1
            report.problem(item)
            _error(str(item))
    report.finish(summary)
    if summary.errors:
        return EXIT_ERROR
    return EXIT_FAIL_ON if reached_fail_on else EXIT_OK
