"""``bidcheck import ocds``: the command line of the OCDS importer (the work is in ``bidcheck.ocds``).

Like ``cli``, this is a place that prints and chooses exit statuses: 0 when every input was
read (whatever was skipped), 2 for a usage error, an input (or a JSON Lines line) that is not
JSON or not OCDS, a file that could not be written, or a notice store (``--store``) that cannot
be used, which stops the import before anything is read; as in ``check``, the rest of the
batch is still imported. The summary and warnings go to stderr, so stdout stays free for whatever
runs next in a pipeline. Imports stay inside the command: ``bidcheck
check`` does not pay for them.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Optional

import typer

from bidcheck.cli_help import PlainHelp

import_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Import tenders from procurement data (OCDS).",
)

EXIT_OK, EXIT_ERROR = 0, 2
PROGRESS_FROM = 500  # releases; smaller imports finish before a bar is worth drawing


@import_app.callback()
def _import() -> None:
    """Import tenders from procurement data, one tender file per notice (or per lot)."""


@import_app.command("ocds", cls=PlainHelp)
def ocds(
    files: list[str] = typer.Argument(
        ...,
        metavar="FILE...",
        help="OCDS release packages, record packages or releases: JSON, or JSON Lines (.jsonl); folders of them; - for stdin.",
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the tender files (created if missing)."),
    force: bool = typer.Option(
        False, "--force", help="Also write the notice beside files you edited when it has not changed (NAME.amended.yaml); edited files are never replaced."
    ),
    include_planning: bool = typer.Option(False, "--include-planning", help="Also import planning (early engagement) notices."),
    include_closed: bool = typer.Option(
        False, "--include-closed", help="Also import closed notices: deadline passed, cancelled, withdrawn, unsuccessful or awarded."
    ),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="Judge which notices are open as of this date (default today)."),
    config: Optional[Path] = typer.Option(
        None, "--config", metavar="PATH", help="The organisation's bidcheck.yaml (default: found upward from the output folder): fills service from its CPV prefixes."
    ),
    store: Optional[Path] = typer.Option(
        None, "--store", metavar="PATH", help="The notice store (SQLite) that keeps award history; default .bidcheck/notices.sqlite beside the output folder."
    ),
    cpv: list[str] = typer.Option([], "--cpv", metavar="PREFIX", help="Only notices with a CPV code starting PREFIX, e.g. 853 (repeatable)."),
    area: list[str] = typer.Option(
        [], "--area", help="Only notices delivered in this area: a region name, NUTS/ITL code or postcode (repeatable)."
    ),
    min_value: Optional[str] = typer.Option(None, "--min-value", help='Only notices worth at least this, e.g. "£100k".'),
    max_value: Optional[str] = typer.Option(None, "--max-value", help='Only notices worth at most this, e.g. "£2m".'),
    suitable_vcse: bool = typer.Option(False, "--suitable-vcse", help="Only notices the buyer marks suitable for VCSEs."),
    since: Optional[str] = typer.Option(None, "--since", metavar="YYYY-MM-DD", help="Only notices released (published or amended) on or after this date."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every notice skipped, and why."),
) -> None:
    """Write a tender file for each open notice in OCDS data, ready for `bidcheck check`.

    Every release read is kept in the notice store; each procurement's releases are merged
    into its current state, which is imported when it is an open tender (or, with
    --include-closed, a closed one). Award notices, closed notices and notices outside the
    selection are skipped and counted. Earlier awards in the store give the likely incumbent.
    A re-import updates the files you have not edited; where you have, an amended notice is
    written beside your file as NAME.amended.yaml. Triage in one line:

        bidcheck import ocds notices.json -o tenders/ && bidcheck check tenders/ --format csv
    """
    from bidcheck import ocds as importer
    from bidcheck.ocds.store import NoticeStore, default_store_path
    from bidcheck.ocds.write import Outcome, write_tenders
    from bidcheck.problems import ProblemsFound

    notice_filter = _notice_filter(cpv, area, min_value, max_value, suitable_vcse, since, importer)
    as_of_date = _date_option(as_of, "--as-of")
    organisation = _organisation(config, output)
    if output.exists() and not output.is_dir():
        _error(f"{output}: not a folder; -o names the folder to write tender files into")
        raise typer.Exit(EXIT_ERROR)
    try:
        notices = NoticeStore.open(store if store is not None else default_store_path(output), files)
    except ProblemsFound as error:
        for problem in error.problems:
            _error(str(problem))
        raise typer.Exit(EXIT_ERROR) from None

    with notices, _progress_bar() as progress:
        try:
            plan = importer.plan_import(
                files, notice_filter, include_planning, as_of=as_of_date, include_closed=include_closed, store=notices, organisation=organisation,
                read_stdin=sys.stdin.buffer.read, keep_skips=verbose, progress=progress("Importing notices"),
            )  # fmt: skip
        except ProblemsFound as error:
            for problem in error.problems:
                _error(str(problem))
            raise typer.Exit(EXIT_ERROR) from None
        problems = plan.problems
        report = write_tenders(plan.tenders, output, force, progress("Writing tender files"))

    for problem in problems:
        _error(str(problem))
    for skip in plan.skips:
        if skip.reason is importer.SkipReason.MALFORMED:
            _error(f"warning: {skip}")
        elif verbose:
            _error(str(skip))
    if verbose:
        for tender in plan.value_not_known:
            _error(f"{tender.where}: {tender.tender_id} kept: no value in GBP, so --min-value and --max-value cannot judge it")
    for written in report.written:
        if written.outcome in (Outcome.AMENDED, Outcome.WAITING):
            _error(f"warning: {written}")  # the team must look: never only a count
        elif written.outcome is Outcome.UPDATED or verbose:
            _error(str(written))
    if report.problem:
        _error(str(report.problem))
    _error(_summary(plan, report, output, as_of_date))
    raise typer.Exit(EXIT_ERROR if problems or report.problem else EXIT_OK)


def _notice_filter(  # type: ignore[no-untyped-def]
    cpv: list[str],
    area: list[str],
    min_value: Optional[str],
    max_value: Optional[str],
    suitable_vcse: bool,
    since: Optional[str],
    importer,
):
    from bidcheck.money import parse_money

    prefixes = tuple(part.strip().split("-")[0] for value in cpv for part in value.split(",") if part.strip())
    for prefix in prefixes:
        if not prefix.isdigit() or len(prefix) > 8:
            raise typer.BadParameter(f"expected the digits a CPV code starts with, such as 853, got {prefix!r}", param_hint="--cpv")
    amounts = {}
    for hint, text in (("--min-value", min_value), ("--max-value", max_value)):
        if text is not None:
            try:
                amounts[hint] = parse_money(text)
            except ValueError as error:
                raise typer.BadParameter(str(error), param_hint=hint) from None
    since_date = _date_option(since, "--since")
    return importer.NoticeFilter(
        cpv_prefixes=prefixes,
        areas=tuple(part.strip() for value in area for part in value.split(",") if part.strip()),
        min_value=amounts.get("--min-value"),
        max_value=amounts.get("--max-value"),
        suitable_vcse=suitable_vcse,
        since=since_date,
    )


def _organisation(config: Optional[Path], output: Path):  # type: ignore[no-untyped-def]
    """The organisation of the config named, or found upward from the output folder (trusted as ``check`` trusts it).

    Only the organisation is read: no rule is loaded, so a config's ``rules.paths`` runs no code here.
    """
    from bidcheck.config import load_config
    from bidcheck.config_search import search_config
    from bidcheck.problems import ProblemsFound

    path = config
    if path is None:
        folder = output.absolute()
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent  # the output folder may not exist yet
        found = search_config(folder)
        for warning in found.warnings:
            _error(f"warning: {warning}")
        path = found.path
    if path is None:
        return None
    if path.is_dir():
        _error(f"{path}: a folder; --config names a bidcheck.yaml or pyproject.toml")
        raise typer.Exit(EXIT_ERROR)
    try:
        return load_config(path).model.organisation
    except (ProblemsFound, OSError) as error:
        for problem in getattr(error, "problems", None) or [f"{path}: cannot be read: {error}"]:
            _error(str(problem))
        raise typer.Exit(EXIT_ERROR) from None


def _date_option(text: Optional[str], hint: str):  # type: ignore[no-untyped-def]
    """An ISO date option, or a usage error naming it."""
    from bidcheck.dates import parse_iso_date

    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=hint) from None


def _summary(plan, report, output: Path, as_of) -> str:  # type: ignore[no-untyped-def]
    """Four lines: releases read, tender files made and selected, files written, and what the
    selection and the notice store found (notices with no deadline, incumbents, the store)."""
    from bidcheck.ocds import SkipReason
    from bidcheck.ocds.write import LEFT, WROTE

    skipped = plan.release_skip_counts()
    reasons = ", ".join(f"{reason.value}: {skipped[reason]}" for reason in SkipReason if skipped[reason])
    releases = (
        f"read {_count(plan.releases_read, 'release')} from {_count(plan.inputs, 'file')}: "
        f"{_count(plan.notices, 'notice')} imported, {_count(sum(skipped.values()), 'release')} skipped"
        + (f" ({reasons})" if reasons else "")
    )
    files = (
        f"{_count(plan.tender_files, 'tender file')} from the {_count(plan.notices, 'notice')} "
        f"(one per lot where the lots carry their own values): {len(plan.tenders)} selected, "
        f"{plan.skip_counts()[SkipReason.FILTERED]} filtered out"
    )
    if plan.value_not_known:
        files += f", {len(plan.value_not_known)} kept with no value in GBP (--min-value and --max-value cannot judge them)"
    wrote = f"wrote {_count(report.count(*WROTE), 'tender file')} to {output}" + _breakdown(report, WROTE)
    if report.count(*LEFT):
        wrote += f"; left {report.count(*LEFT)} as they were" + _breakdown(report, LEFT)
    when = f"as of {as_of.isoformat()}" if as_of else "today"
    found = f"open {when}: {_count(plan.no_deadline, 'notice')} with no deadline kept"
    if plan.closed_kept:
        found += f", {plan.closed_kept} closed kept (--include-closed)"
    found += (
        f"; {_count(plan.incumbents, 'likely incumbent')} found; "
        f"notice store {_shown_path(plan.store_path)}: {_count(plan.store_releases, 'release')} ({plan.new_releases} new)"
    )
    return "\n".join([releases, files, wrote, found])


def _shown_path(path: str) -> str:
    """A path under the working folder as relative (``.bidcheck/notices.sqlite``); others as given."""
    import os

    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return path if relative.startswith("..") else relative


def _breakdown(report, outcomes) -> str:  # type: ignore[no-untyped-def]
    parts = [f"{outcome.value}: {report.count(outcome)}" for outcome in outcomes if report.count(outcome)]
    return f" ({', '.join(parts)})" if parts else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[str], Callable[[int, int], None]]]:
    """Progress on a terminal for large inputs; nothing at all otherwise (pipes, CI, tests)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda description: _ignore
        return
    from rich.progress import Progress

    with Progress(console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def stage(description: str) -> Callable[[int, int], None]:
            def advance(done: int, total: int) -> None:
                if total < PROGRESS_FROM:
                    return
                if description not in tasks:
                    tasks[description] = bar.add_task(description, total=total)
                bar.update(tasks[description], completed=done)

            return advance

        yield stage


def _ignore(done: int, total: int) -> None:
    pass


def _error(message: str) -> None:
    typer.echo(message, err=True)
