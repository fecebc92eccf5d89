"""The command line: the only place that prints, reads stdin or chooses an exit status."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Optional, TextIO

import typer

from bidcheck import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Bid/no-bid decisions that count the impact on communities and the power you hold.",
)

EXIT_OK, EXIT_FAIL_ON, EXIT_ERROR = 0, 1, 2

from bidcheck.import_cli import import_app  # noqa: E402 - the sub-app registers after the main one

app.add_typer(import_app, name="import", help="Import tenders from procurement data (OCDS).")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    csv = "csv"


class FailOn(str, Enum):
    no_bid = "no-bid"
    needs_info = "needs-info"
    bid_with_conditions = "bid-with-conditions"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bidcheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """bidcheck reads tender YAML files and says whether to bid, and why."""


def _split_ids(values: Optional[list[str]]) -> Optional[tuple[str, ...]]:
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@app.command()
def check(
    paths: Optional[list[str]] = typer.Argument(
        None, help="Tender files, folders (searched recursively), globs, or - for stdin. None: nothing is checked (exit 0)."
    ),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this config instead of searching for bidcheck.yaml."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rules: a .py file, a folder of them, or a module (repeatable)."),
    select: Optional[list[str]] = typer.Option(None, "--select", help="Only these rule ids or prefixes (comma-separated)."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", help="Skip these rule ids or prefixes (comma-separated)."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the report to this file (atomically)."),
    reports: list[str] = typer.Option(
        [], "--report", metavar="FORMAT=FILE", help="Also write a report in FORMAT to FILE, e.g. sarif=bidcheck.sarif (repeatable)."
    ),
    fail_on: FailOn = typer.Option(FailOn.no_bid, "--fail-on", help="Exit 1 when any tender's verdict is this or worse."),
    no_waivers: bool = typer.Option(False, "--no-waivers", help="Ignore every waiver (for audits)."),
    max_file_size: str = typer.Option("5MB", "--max-file-size", help="Refuse larger tender files unread (bytes, or with kB/MB)."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Force colour on or off (default: on a terminal)."),
    jobs: str = typer.Option(
        "auto", "--jobs", help="Processes checking a batch: a number, or auto (one per CPU from 200 files). The output is the same."
    ),
) -> None:
    """Check tenders and print a verdict with its reasons."""
    from bidcheck.config import Selection
    from bidcheck.decide import VERDICT_ORDER, TenderResult
    from bidcheck.models import Verdict
    from bidcheck.pipeline import CheckOptions
    from bidcheck.pipeline import check as run_check
    from bidcheck.render import Fanout, RenderOptions, Summary, renderer_for

    if config is not None and not config.is_file():
        _error(f"{config}:1:1: config file not found")
        raise typer.Exit(EXIT_ERROR)
    if not paths:  # e.g. a pre-commit hook when no tender is staged: not an error
        _error("nothing checked: no tender files given (usage: bidcheck check PATH..., or --help)")
    extra_reports = [_parse_report(value) for value in reports]
    max_bytes = _parse_size(max_file_size)
    worker_count = _parse_jobs(jobs)
    options = CheckOptions(
        config=config,
        selection=Selection(select=_split_ids(select), ignore=_split_ids(ignore), rules=tuple(rules)),
        read_stdin=sys.stdin.buffer.read,
        apply_waivers=not no_waivers,
        max_bytes=max_bytes,
        jobs=worker_count,
    )
    failing = frozenset() if fail_on is FailOn.never else frozenset(VERDICT_ORDER[: VERDICT_ORDER.index(Verdict(fail_on.value)) + 1])
    terminal_color = False if (os.environ.get("NO_COLOR") and color is None) else color
    summary = Summary()
    reached_fail_on = False
    said_defaults = False
    with contextlib.ExitStack() as files:
        main_out = files.enter_context(_report_destination(output))
        main_color = False if output is not None else terminal_color
        renderers = [renderer_for(output_format.value, main_out, RenderOptions(main_color, failing))]
        for format_name, path in extra_reports:
            out = files.enter_context(_report_destination(path))
            renderers.append(renderer_for(format_name, out, RenderOptions(False, failing)))
        report = Fanout(renderers)
        for item in run_check(paths or [], options):
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
            else:
                summary.errors += 1
                report.problem(item)
                _error(str(item))
        report.finish(summary)
    if summary.errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FAIL_ON if reached_fail_on else EXIT_OK)


def _parse_jobs(value: str) -> Optional[int]:
    """``auto`` (None: the pipeline decides) or a whole number of processes."""
    if value.strip().lower() == "auto":
        return None
    if re.fullmatch(r"\s*[0-9]+\s*", value) and int(value) >= 1:
        return int(value)
    raise typer.BadParameter(f"expected a number of processes (1 or more) or auto, got {value!r}", param_hint="--jobs")


def _parse_size(value: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*(b|kb|k|mb|m)?\s*", value, re.IGNORECASE)
    if not match:
        raise typer.BadParameter(f"expected a size such as 5MB, 500kB or 1000000, got {value!r}", param_hint="--max-file-size")
    scale = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2}[(match[2] or "").lower()]
    return int(match[1]) * scale


def _parse_report(value: str) -> tuple[str, Path]:
    format_name, separator, file_name = value.partition("=")
    if not separator or not file_name or format_name not in OutputFormat.__members__:
        choices = ", ".join(OutputFormat.__members__)
        raise typer.BadParameter(f"expected FORMAT=FILE with FORMAT one of {choices}, got {value!r}", param_hint="--report")
    return format_name, Path(file_name)


class RulesFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("rules")
def list_rules(
    config: Optional[Path] = typer.Option(None, "--config", help="Load rules and thresholds as this config does."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rules to load (repeatable)."),
    output_format: RulesFormat = typer.Option(RulesFormat.text, "--format", help="Output format."),
) -> None:
    """List every loaded rule: id, title, recommendation, default severity, origin.

    `--format markdown` prints the table the README carries.
    """
    from bidcheck.catalogue import describe_catalogue

    settings = _settings_or_exit(config, rules)
    typer.echo(describe_catalogue(settings, output_format.value), nl=False)


@app.command()
def explain(
    rule_id: str = typer.Argument(..., metavar="ID", help="A rule id, such as PWR002."),
    config: Optional[Path] = typer.Option(None, "--config", help="Show thresholds as this config sets them."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rules to load (repeatable)."),
) -> None:
    """A rule's rationale, guidance source, thresholds and examples."""
    from bidcheck.catalogue import explain_rule

    settings = _settings_or_exit(config, rules)
    text = explain_rule(settings, rule_id)
    if text is None:
        _error(f"unknown rule {rule_id!r}; `bidcheck rules` lists them")
        raise typer.Exit(EXIT_ERROR)
    typer.echo(text, nl=False)


class SchemaKind(str, Enum):
    tender = "tender"
    config = "config"


@app.command()
def schema(
    kind: SchemaKind = typer.Argument(..., help="Which file the schema describes."),
    config: Optional[Path] = typer.Option(None, "--config", help="Include thresholds of the rules this config loads."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rules to load (repeatable)."),
) -> None:
    """Print JSON Schema (draft 2020-12) for tender or config files, for editors and other tools."""
    import json

    from bidcheck.schema import config_schema, tender_schema

    if kind is SchemaKind.tender:
        document = tender_schema()
    else:
        document = config_schema(_settings_or_exit(config, rules).catalogue)
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


@app.command("config")
def show_config(
    path: Optional[Path] = typer.Argument(None, help="A tender file or folder: show the config that applies to it."),
    config: Optional[Path] = typer.Option(None, "--config", help="Show this config instead of searching."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rules to load (repeatable)."),
    select: Optional[list[str]] = typer.Option(None, "--select", help="As for check."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", help="As for check."),
    output_format: RulesFormat = typer.Option(RulesFormat.text, "--format", help="text or json."),
) -> None:
    """Print the effective configuration and where each value came from."""
    from bidcheck.catalogue import describe_settings

    start = path or Path.cwd()
    folder = start if start.is_dir() else start.resolve().parent
    settings = _settings_or_exit(config, rules, folder=folder, select=_split_ids(select), ignore=_split_ids(ignore))
    typer.echo(describe_settings(settings, "json" if output_format is RulesFormat.json else "text"), nl=False)


@app.command()
def init(
    path: Optional[Path] = typer.Argument(None, help="Where to write it [default: tender.yaml, or bidcheck.yaml with --config]."),
    config: bool = typer.Option(False, "--config", help="Write a commented config (every key, with its default) instead of a tender."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented tender template that `bidcheck check` accepts, or with --config a config to start from."""
    from bidcheck.config import CONFIG_NAMES

    target = path or Path("bidcheck.yaml" if config else "tender.yaml")
    if config and target.name == "pyproject.toml":
        _error(f"{target}:1:1: --config writes YAML; name it bidcheck.yaml, or write a [tool.bidcheck] table in pyproject.toml yourself")
        raise typer.Exit(EXIT_ERROR)
    if not config and target.name in (*CONFIG_NAMES, "pyproject.toml"):
        _error(
            f"{target}:1:1: {target.name} is where bidcheck looks for its config, so a tender there would break every "
            f"check in this folder; for a config run: bidcheck init --config {target}"
        )
        raise typer.Exit(EXIT_ERROR)
    if config:
        from bidcheck.loader import load_catalogue
        from bidcheck.template import config_template

        content = config_template(load_catalogue())
    else:
        from bidcheck.template import TENDER_TEMPLATE

        content = TENDER_TEMPLATE
    try:
        with open(target, "w" if force else "x", encoding="utf-8") as out:  # "x": never replaces a file, even one made meanwhile
            out.write(content)
    except FileExistsError:
        _error(f"{target}:1:1: already exists; not overwritten (use --force to replace it)")
        raise typer.Exit(EXIT_ERROR) from None
    except OSError as error:
        _error(f"{target}:1:1: cannot write: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None
    if not config:
        typer.echo(f"wrote {target}; fill it in, then run: bidcheck check {target}")
    elif target.name in CONFIG_NAMES:
        typer.echo(f"wrote {target}; fill in your organisation and policies, then see what is in effect: bidcheck config --config {target}")
    else:
        typer.echo(f"wrote {target}; bidcheck only finds configs named {', '.join(CONFIG_NAMES)}, so pass it as: --config {target}")


def _settings_or_exit(  # type: ignore[no-untyped-def]
    config: Optional[Path],
    rules: list[str],
    *,
    folder: Optional[Path] = None,
    select: Optional[tuple[str, ...]] = None,
    ignore: Optional[tuple[str, ...]] = None,
):
    from bidcheck.config import (
        DEFAULT_CONFIG,
        Selection,
        find_config,
        load_config,
        settle,
    )
    from bidcheck.problems import ProblemsFound

    try:
        path = config or find_config(folder or Path.cwd())
        loaded = load_config(path) if path else DEFAULT_CONFIG
        return settle(loaded, Selection(select=select, ignore=ignore, rules=tuple(rules)))
    except ProblemsFound as error:
        for problem in error.problems:
            _error(str(problem))
        raise typer.Exit(EXIT_ERROR) from None


@contextlib.contextmanager
def _report_destination(output: Optional[Path]) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    from bidcheck.report_file import atomic_report

    try:
        with atomic_report(output) as out:
            yield out
    except OSError as error:
        _error(f"{output}:1:1: cannot write report: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None


def _error(message: str) -> None:
    typer.echo(message, err=True)


def main() -> None:
    """Console-script entry point: never lets a traceback reach the user."""
    try:
        app()
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(130)
    except Exception as error:  # an internal bug: say so plainly; BIDCHECK_DEBUG=1 shows the traceback
        if os.environ.get("BIDCHECK_DEBUG"):
            raise
        _error(f"bidcheck: internal error: {type(error).__name__}: {error} (set BIDCHECK_DEBUG=1 for details)")
        sys.exit(EXIT_ERROR)
