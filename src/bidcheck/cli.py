"""The command line: the only place that prints, reads stdin or chooses an exit status."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Optional, TextIO

import typer

from bidcheck import __version__
from bidcheck.cli_help import PlainHelp, as_of_option, choice_option, choices_metavar, load_plugins, no_plugins_option, one_of

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
    html = "html"


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


@app.command(cls=PlainHelp)
def check(
    paths: Optional[list[str]] = typer.Argument(
        None,
        metavar="PATH",
        help="Tender files, folders (searched recursively), globs, or - for stdin. None: nothing is checked (exit 0).",
    ),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this config instead of searching for bidcheck.yaml."),
    rules: list[str] = typer.Option([], "--rules", metavar="PATH", help="Extra rules: a .py file, a folder of them, or a module (repeatable)."),
    select: Optional[list[str]] = typer.Option(None, "--select", metavar="IDS", help="Only these rule ids or prefixes (comma-separated)."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="IDS", help="Skip these rule ids or prefixes (comma-separated)."),
    output_format: OutputFormat = choice_option(OutputFormat.text, "--format", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", metavar="FILE", help="Write the report to this file: a regular file is replaced whole at the end; a device or FIFO is written directly; links are refused."),
    reports: list[str] = typer.Option(
        [], "--report", metavar="FORMAT=FILE", help="Also write a report in FORMAT to FILE, e.g. sarif=bidcheck.sarif (repeatable)."
    ),
    fail_on: FailOn = choice_option(FailOn.no_bid, "--fail-on", help="Exit 1 when any tender's verdict is this or worse (any letter case)."),
    no_waivers: bool = typer.Option(False, "--no-waivers", help="Ignore every waiver (for audits)."),
    max_file_size: str = typer.Option("5MB", "--max-file-size", metavar="SIZE", help="Refuse larger tender files unread (bytes, or with kB/MB)."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Force colour on or off (default: on a terminal)."),
    jobs: str = typer.Option(
        "auto", "--jobs", metavar="N|auto", help="Processes checking a batch: a number, or auto (one per CPU from 200 files). The output is the same."
    ),
    no_plugins: bool = no_plugins_option(),
    as_of: Optional[str] = as_of_option(),
) -> None:
    """Check tenders and print a verdict with its reasons."""
    from bidcheck.batch_cli import check_options, failing_verdicts, given_paths, run_reported
    from bidcheck.render import Fanout, RenderOptions, renderer_for

    paths = given_paths("check", paths, config)
    extra_reports = [_parse_report(value) for value in reports]
    refuse_unsafe_destinations(output, extra_reports, paths, config, rules)
    options = check_options(config, rules, select, ignore, max_file_size, jobs, no_plugins, as_of, no_waivers=no_waivers)
    failing = failing_verdicts(fail_on)
    terminal_color = False if (os.environ.get("NO_COLOR") and color is None) else color
    with contextlib.ExitStack() as files:
        main_out = files.enter_context(report_destination(output))
        main_color = False if output is not None else terminal_color
        renderers = [renderer_for(output_format.value, main_out, RenderOptions(main_color, failing, options.today))]
        for format_name, path in extra_reports:
            out = files.enter_context(report_destination(path))
            renderers.append(renderer_for(format_name, out, RenderOptions(False, failing, options.today)))
        exit_status = run_reported(paths, options, Fanout(renderers), failing)
    raise typer.Exit(exit_status)


from bidcheck.triage_cli import triage  # noqa: E402 - after check, so help lists it there

app.command("triage", cls=PlainHelp)(triage)

from bidcheck.ledger_cli import ledger_app, portfolio  # noqa: E402 - after triage, so help lists them there

app.add_typer(ledger_app, name="ledger", help="Remember each tender's verdict, findings and waivers (record, outcome, history).")
app.command("portfolio", cls=PlainHelp)(portfolio)


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


@app.command("rules", cls=PlainHelp)
def list_rules(
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Load rules and thresholds as this config does."),
    rules: list[str] = typer.Option([], "--rules", metavar="PATH", help="Extra rules to load (repeatable)."),
    output_format: RulesFormat = choice_option(RulesFormat.text, "--format", help="Output format."),
    no_plugins: bool = no_plugins_option(),
) -> None:
    """List every loaded rule: id, title, recommendation, default severity, origin.

    `--format markdown` prints the table the README carries.
    """
    from bidcheck.catalogue import describe_catalogue
    from bidcheck.display import terminal_width

    settings = _settings_or_exit(config, rules, no_plugins=no_plugins)
    typer.echo(describe_catalogue(settings, output_format.value, width=terminal_width(sys.stdout)), nl=False)


@app.command(cls=PlainHelp)
def explain(
    rule_id: str = typer.Argument(..., metavar="ID", help="A rule id, such as PWR002, or a CPV code or prefix, such as 85312300 or 853."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Show thresholds as this config sets them."),
    rules: list[str] = typer.Option([], "--rules", metavar="PATH", help="Extra rules to load (repeatable)."),
    no_plugins: bool = no_plugins_option(),
) -> None:
    """A rule's rationale, guidance source, thresholds and examples; or a CPV code's description
    and which of your services it matches."""
    from bidcheck.catalogue import explain_cpv, explain_rule, unknown_id

    settings = _settings_or_exit(config, rules, no_plugins=no_plugins)
    text = explain_rule(settings, rule_id) or explain_cpv(settings, rule_id)
    if text is None:
        _error(unknown_id(settings, rule_id))
        raise typer.Exit(EXIT_ERROR)
    typer.echo(text, nl=False)


class SchemaKind(str, Enum):
    tender = "tender"
    config = "config"


@app.command(cls=PlainHelp)
def schema(
    kind: SchemaKind = typer.Argument(
        ..., parser=one_of(SchemaKind), metavar=choices_metavar(SchemaKind), help="Which file the schema describes."
    ),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Include thresholds of the rules this config loads."),
    rules: list[str] = typer.Option([], "--rules", metavar="PATH", help="Extra rules to load (repeatable)."),
    no_plugins: bool = no_plugins_option(),
) -> None:
    """Print JSON Schema (draft 2020-12) for tender or config files, for editors and other tools."""
    import json

    from bidcheck.schema import config_schema, tender_schema

    if kind is SchemaKind.tender:
        document = tender_schema()
    else:
        document = config_schema(_settings_or_exit(config, rules, no_plugins=no_plugins).catalogue)
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


@app.command("config", cls=PlainHelp)
def show_config(
    path: Optional[Path] = typer.Argument(None, metavar="PATH", help="A tender file or folder: show the config that applies to it."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Show this config instead of searching."),
    rules: list[str] = typer.Option([], "--rules", metavar="PATH", help="Extra rules to load (repeatable)."),
    select: Optional[list[str]] = typer.Option(None, "--select", metavar="IDS", help="As for check."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="IDS", help="As for check."),
    output_format: RulesFormat = choice_option(RulesFormat.text, "--format", help="text or json."),
    no_plugins: bool = no_plugins_option(),
) -> None:
    """Print the effective configuration and where each value came from."""
    from bidcheck.catalogue import describe_settings
    from bidcheck.problems import missing_file

    if path is not None and not os.path.lexists(path):  # a typo must not show another folder's config
        _error(str(missing_file(str(path))))
        raise typer.Exit(EXIT_ERROR)
    start = path or Path.cwd()
    folder = start if start.is_dir() else start.resolve().parent
    settings = _settings_or_exit(
        config, rules, folder=folder, select=_split_ids(select), ignore=_split_ids(ignore), no_plugins=no_plugins
    )
    typer.echo(describe_settings(settings, "json" if output_format is RulesFormat.json else "text"), nl=False)


@app.command(cls=PlainHelp)
def init(
    path: Optional[Path] = typer.Argument(
        None, metavar="PATH", help="Where to write it [default: tender.yaml, or bidcheck.yaml with --config]."
    ),
    config: bool = typer.Option(False, "--config", help="Write a commented config (every key, with its default) instead of a tender."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented tender template that `bidcheck check` accepts, or with --config a config to start from."""
    from bidcheck.report_file import OutputFailed, destination, open_report
    from bidcheck.template import starter_for

    target = path or Path("bidcheck.yaml" if config else "tender.yaml")
    try:
        starter = starter_for(target, config=config)
        refused = destination(target).refused  # as for reports: never through a link a pull request may have committed
        if refused:
            raise OutputFailed(str(target), refused)
        # "x": never replaces a file, even one made meanwhile; --force writes as a report is written (a file whole)
        with open_report(target) if force else open(target, "x", encoding="utf-8") as out:
            out.write(starter.content)
    except ValueError as refused_name:
        _error(f"{target}: {refused_name}")
        raise typer.Exit(EXIT_ERROR) from None
    except OutputFailed as failed:
        _error(f"{target}: cannot write: {failed.reason}")
        raise typer.Exit(EXIT_ERROR) from None
    except FileExistsError:
        _error(f"{target}: already exists; not overwritten (use --force to replace it)")
        raise typer.Exit(EXIT_ERROR) from None
    except OSError as error:
        _error(f"{target}: cannot write: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None
    typer.echo(f"wrote {target}; {starter.next_step}")


def _settings_or_exit(  # type: ignore[no-untyped-def]
    config: Optional[Path],
    rules: list[str],
    *,
    folder: Optional[Path] = None,
    select: Optional[tuple[str, ...]] = None,
    ignore: Optional[tuple[str, ...]] = None,
    no_plugins: bool = False,
):
    from bidcheck.config import Selection, search_config, settle_file
    from bidcheck.problems import ProblemsFound

    plugins = load_plugins(no_plugins)
    try:
        path = config
        if path is None:
            found = search_config(folder or Path.cwd())
            path = found.path
            for warning in found.warnings:
                _error(f"warning: {warning}")
        settings = settle_file(path, Selection(select=select, ignore=ignore, rules=tuple(rules), load_plugins=plugins))
    except ProblemsFound as error:
        for problem in error.problems:
            _error(str(problem))
        raise typer.Exit(EXIT_ERROR) from None
    for warning in settings.warnings:
        _error(f"warning: {warning}")
    return settings


def refuse_unsafe_destinations(
    output: Optional[Path], extra_reports: list[tuple[str, Path]], paths: list[str], config: Optional[Path], rules: list[str]
) -> None:
    """Exit 2 before checking anything if a report would overwrite an input, a config or another report."""
    from bidcheck.destinations import unsafe_destinations

    named = ([("--output", output)] if output is not None else []) + [(f"--report {name}={path}", path) for name, path in extra_reports]
    problems = unsafe_destinations(named, paths, config, rules, stdout_is_a_report=output is None)
    for problem in problems:
        _error(str(problem))
    if problems:
        raise typer.Exit(EXIT_ERROR)


@contextlib.contextmanager
def report_destination(output: Optional[Path]) -> Iterator[TextIO]:
    """stdout or the report file; a failed write raises OutputFailed, which main() reports."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return
    from bidcheck.report_file import open_report

    with open_report(output) as out:
        yield out


def _error(message: str) -> None:
    """One line on stderr, as a person and a CI log should see it (see ``bidcheck.display``)."""
    from bidcheck.display import inert_lines, printable

    typer.echo(inert_lines(printable(message)), err=True)


def main() -> None:
    """Console-script entry point: never lets a traceback reach the user.

    Exit status beyond 0/1/2: 141 when a reader closes the pipe (quietly, as ``head`` expects),
    130 after Ctrl-C, 143 after SIGTERM (128 plus the signal's number, as a shell reports).
    """
    from bidcheck.display import carry_any_text
    from bidcheck.report_file import STDERR, STDOUT, OutputFailed, guarded
    from bidcheck.stopping import BROKEN_PIPE_STATUS, Stopped, discard_output, stop_cleanly_on_signals

    carry_any_text(sys.stdout, sys.stderr)
    if sys.stdout is not None:
        sys.stdout = guarded(sys.stdout, STDOUT)
    if sys.stderr is not None:  # so a closed stderr pipe is told apart too (click would exit 1)
        sys.stderr = guarded(sys.stderr, STDERR)
    stop_cleanly_on_signals()
    try:
        app()
    except OutputFailed as failed:
        standard = {STDOUT: sys.__stdout__, STDERR: sys.__stderr__}.get(failed.destination)
        if failed.broken_pipe:
            if standard is not None:
                discard_output(standard)
            sys.exit(BROKEN_PIPE_STATUS)
        if failed.destination == STDERR:  # nowhere left to say it
            discard_output(standard)
            sys.exit(EXIT_ERROR)
        _error(failed.message)
        sys.exit(EXIT_ERROR)
    except Stopped as stopped:
        _error("interrupted" if stopped.interrupted else "terminated")
        sys.exit(stopped.exit_status)
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(130)
    except Exception as error:  # an internal bug: say so plainly; BIDCHECK_DEBUG=1 shows the traceback
        if os.environ.get("BIDCHECK_DEBUG"):
            raise
        _error(f"bidcheck: internal error: {type(error).__name__}: {error} (set BIDCHECK_DEBUG=1 for details)")
        sys.exit(EXIT_ERROR)
