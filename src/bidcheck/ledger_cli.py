"""``bidcheck ledger record|outcome|history`` and ``bidcheck portfolio`` (SPEC §5).

Like ``cli``, a place that prints and chooses exit statuses. ``record`` checks as ``check``
does (:func:`bidcheck.batch_cli.run_reported`) and hands each result to the ledger's
:class:`~bidcheck.ledger.recorder.Recorder`; the rest is :mod:`bidcheck.ledger`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Optional

import typer

from bidcheck.cli import EXIT_ERROR, FailOn
from bidcheck.cli_help import PlainHelp, as_of_option, choice_option, choices_metavar, no_plugins_option, one_of

if TYPE_CHECKING:  # kept off the start-up path
    import sqlite3

ledger_app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
    help="Remember each tender's verdict, findings and waivers, and what happened to it.",
)  # fmt: skip


def ledger_option():  # type: ignore[no-untyped-def]
    return typer.Option(
        None, "--ledger", metavar="FILE",
        help="The ledger [default: $BIDCHECK_LEDGER, else .bidcheck/ledger.sqlite in the config's folder, else in the current folder].",
    )  # fmt: skip


@contextmanager
def _ledger(path: Path, *, create: bool) -> Iterator[Optional[sqlite3.Connection]]:
    """The open ledger (None: not there yet and not ``create``); a ledger that cannot be used exits 2."""
    from bidcheck.ledger.database import open_ledger
    from bidcheck.problems import ProblemsFound

    try:
        db = open_ledger(path, create=create)
    except ProblemsFound as error:
        _say_and_exit(error.problems)
    import sqlite3

    try:
        yield db
    except sqlite3.Error as error:  # a full disk, a read-only folder, a ledger another program holds too long
        _say_and_exit([f"{_shown(path)}: cannot use the ledger: {error}"])
    finally:
        if db is not None:
            db.close()


def _error(message: str) -> None:
    from bidcheck.cli import _error as say  # defined after cli.py registers these commands

    say(message)


def _say_and_exit(problems: Sequence[object]) -> NoReturn:
    """Each problem on stderr (``file:line:column: message``), then exit 2."""
    for problem in problems:
        _error(str(problem))
    raise typer.Exit(EXIT_ERROR)


@ledger_app.command("record", cls=PlainHelp)
def record(
    paths: Optional[list[str]] = typer.Argument(None, metavar="PATH", help="Tender files, folders (searched recursively), globs, or - for stdin, as for check."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this config instead of searching for bidcheck.yaml."),
    ledger: Optional[Path] = ledger_option(),
    rules: list[str] = typer.Option([], "--rules", metavar="PATH", help="Extra rules: a .py file, a folder of them, or a module (repeatable)."),
    select: Optional[list[str]] = typer.Option(None, "--select", metavar="IDS", help="Only these rule ids or prefixes (comma-separated)."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="IDS", help="Skip these rule ids or prefixes (comma-separated)."),
    fail_on: FailOn = choice_option(FailOn.never, "--fail-on", help="Exit 1 when any tender's verdict is this or worse (default never: recording is memory, not a gate)."),
    max_file_size: str = typer.Option("5MB", "--max-file-size", metavar="SIZE", help="Refuse larger tender files unread (bytes, or with kB/MB)."),
    jobs: str = typer.Option("auto", "--jobs", metavar="N|auto", help="Processes checking a batch, as for check."),
    no_plugins: bool = no_plugins_option(),
    as_of: Optional[str] = as_of_option(),
) -> None:
    """Check tenders as `check` does and record each one's verdict, findings, waivers and decision.

    An unchanged tender adds nothing; a changed one adds a version. A file that cannot be
    read is reported (exit 2) and the others are still recorded.
    """
    from bidcheck.batch_cli import check_options, failing_verdicts, given_paths, run_reported
    from bidcheck.ledger.location import ledger_path, unsafe_ledger
    from bidcheck.ledger.recorder import Recorder

    paths = given_paths("ledger record", paths, config)
    target = ledger_path(ledger, config, paths)
    problems = unsafe_ledger(target, paths, config, rules)
    if problems:
        _say_and_exit(problems)
    options = check_options(config, rules, select, ignore, max_file_size, jobs, no_plugins, as_of)
    with _ledger(target, create=bool(paths)) as db:
        if db is None:
            raise typer.Exit(0)
        recorder = Recorder(db)
        exit_status = run_reported(paths, options, recorder, failing_verdicts(fail_on))
    for skipped in recorder.done.skipped:
        _error(f"warning: {skipped}")
    done = recorder.done
    typer.echo(f"{_shown(target)}: {done.added} new version{'s' if done.added != 1 else ''}, {done.unchanged} unchanged")
    raise typer.Exit(exit_status)


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is below it, as a person would type it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


class Outcome(str, Enum):
    bid = "bid"
    not_bid = "not-bid"
    won = "won"
    lost = "lost"
    withdrawn = "withdrawn"


@ledger_app.command("outcome", cls=PlainHelp)
def outcome(
    tender_id: str = typer.Argument(..., metavar="ID", help="The tender's id (tender.id)."),
    status: Outcome = typer.Argument(..., parser=one_of(Outcome), metavar=choices_metavar(Outcome), help="What happened."),
    winner: Optional[str] = typer.Option(None, "--winner", metavar="NAME", help="Who won the contract."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="Anything the board should know."),
    ledger: Optional[Path] = ledger_option(),
) -> None:
    """Record what happened to a tender: bid, not-bid, won, lost or withdrawn."""
    from bidcheck.ledger.history import record_outcome
    from bidcheck.ledger.location import ledger_path
    from bidcheck.problems import ProblemsFound

    target = ledger_path(ledger, None)
    with _ledger(target, create=False) as db:
        try:
            versions = record_outcome(db, tender_id, status.value, winner, note, _shown(target))
        except ProblemsFound as error:
            _say_and_exit(error.problems)
    typer.echo(f"{tender_id}: {status.value}, recorded against version {versions} (its latest)")


class HistoryFormat(str, Enum):
    text = "text"
    json = "json"


@ledger_app.command("history", cls=PlainHelp)
def history(
    tender_id: Optional[str] = typer.Argument(None, metavar="ID", help="One tender's id; none: every tender."),
    output_format: HistoryFormat = choice_option(HistoryFormat.text, "--format", help="Output format."),
    ledger: Optional[Path] = ledger_option(),
) -> None:
    """How each tender's verdict and findings moved between its recorded versions, oldest first."""
    import json

    from bidcheck.display import printable
    from bidcheck.ledger.history import history as read_history
    from bidcheck.ledger.history import history_text, unknown_tender
    from bidcheck.ledger.location import ledger_path

    target = ledger_path(ledger, None)
    with _ledger(target, create=False) as db:
        document = read_history(db, tender_id)
        if tender_id is not None and not document["tenders"]:
            _say_and_exit(unknown_tender(db, tender_id, _shown(target)).problems)
    if output_format is HistoryFormat.json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(printable(line) for line in history_text(document).splitlines()))


class PortfolioFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


def portfolio(
    since: Optional[str] = typer.Option(None, "--since", metavar="YYYY-MM-DD", help="Only tenders decided (else recorded) on or after this day."),
    until: Optional[str] = typer.Option(None, "--until", metavar="YYYY-MM-DD", help="Only tenders decided (else recorded) on or before this day."),
    ledger: Optional[Path] = ledger_option(),
    output_format: PortfolioFormat = choice_option(PortfolioFormat.text, "--format", help="Output format."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="Count waivers expiring soon from this day instead of today."),
) -> None:
    """The ledger added up for trustees: value bid for, against smaller organisations, results
    exposure against reserves, policies and the bids they stopped, waivers, outcomes by verdict."""
    from bidcheck.cli_help import parse_as_of
    from bidcheck.display import printable
    from bidcheck.ledger.location import ledger_path
    from bidcheck.ledger.portfolio import portfolio as add_up
    from bidcheck.render.as_portfolio import PORTFOLIO_RENDERERS

    first = None if since is None else parse_as_of(since, "--since")
    last = None if until is None else parse_as_of(until, "--until")
    target = ledger_path(ledger, None)
    with _ledger(target, create=False) as db:
        figures = add_up(db, first, last, parse_as_of(as_of))
    text = PORTFOLIO_RENDERERS[output_format.value](figures)
    if output_format in (PortfolioFormat.text, PortfolioFormat.markdown):  # JSON and HTML escape their own text
        text = "\n".join(printable(line) for line in text.splitlines()) + "\n"
    typer.echo(text, nl=False)
