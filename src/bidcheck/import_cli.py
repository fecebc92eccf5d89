"""``bidcheck import ocds``: the command line of the OCDS importer (the work is in ``bidcheck.ocds``).

Like ``cli``, this is a place that prints and chooses exit statuses: 0 when every input was
read (whatever was skipped), 2 for a usage error, an input that is not JSON or not OCDS, or
a file that could not be written. The summary and warnings go to stderr, so stdout stays
free for whatever runs next in a pipeline. Imports stay inside the command: ``bidcheck
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
        help="OCDS release packages, record packages or releases: JSON, or JSON Lines (.jsonl); - for stdin.",
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the tender files (created if missing)."),
    force: bool = typer.Option(False, "--force", help="Replace tender files that already exist (your edits are lost)."),
    include_planning: bool = typer.Option(False, "--include-planning", help="Also import planning (early engagement) notices."),
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

    The latest release of each notice is imported when it is at the tender stage; award
    notices, superseded releases and notices outside the selection are skipped and counted.
    Existing files are kept unless --force. Triage in one line:

        bidcheck import ocds notices.json -o tenders/ && bidcheck check tenders/ --format csv
    """
    from bidcheck import ocds as importer
    from bidcheck.problems import ProblemsFound

    notice_filter = _notice_filter(cpv, area, min_value, max_value, suitable_vcse, since, importer)
    if output.exists() and not output.is_dir():
        _error(f"{output}:1:1: not a folder; -o names the folder to write tender files into")
        raise typer.Exit(EXIT_ERROR)

    inputs: list[tuple[str, bytes]] = []
    problems = []
    for name in files:
        try:
            inputs.append(importer.read_input(name, sys.stdin.buffer.read))
        except ProblemsFound as error:
            problems.extend(error.problems)

    with _progress_bar() as progress:
        plan = importer.plan_import(inputs, notice_filter, include_planning, progress=progress("Importing notices"))
        problems.extend(plan.problems)
        written, kept, failure = _write_all(plan.tenders, output, force, progress("Writing tender files"), importer)

    for problem in problems:
        _error(str(problem))
    for skip in plan.skips:
        if skip.reason is importer.SkipReason.MALFORMED:
            _error(f"warning: {skip}")
        elif verbose:
            _error(str(skip))
    if verbose:
        for skip in kept:
            _error(str(skip))
    if failure:
        _error(failure)
    _error(_summary(plan, len(inputs), written, kept, output))
    raise typer.Exit(EXIT_ERROR if problems or failure else EXIT_OK)


def _notice_filter(  # type: ignore[no-untyped-def]
    cpv: list[str],
    area: list[str],
    min_value: Optional[str],
    max_value: Optional[str],
    suitable_vcse: bool,
    since: Optional[str],
    importer,
):
    import datetime
    import re

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
    since_date = None
    if since is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since.strip()):
                raise ValueError
            since_date = datetime.date.fromisoformat(since.strip())
        except ValueError:
            raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {since!r}", param_hint="--since") from None
    return importer.NoticeFilter(
        cpv_prefixes=prefixes,
        areas=tuple(part.strip() for value in area for part in value.split(",") if part.strip()),
        min_value=amounts.get("--min-value"),
        max_value=amounts.get("--max-value"),
        suitable_vcse=suitable_vcse,
        since=since_date,
    )


def _write_all(tenders, output: Path, force: bool, progress: Callable[[int, int], None], importer):  # type: ignore[no-untyped-def]
    """Write every tender; stop at the first file that cannot be written (a full disk repeats)."""
    written = 0
    kept = []
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return written, kept, f"{output}:1:1: cannot create the folder: {error.strerror or error}"
    for done, tender in enumerate(tenders, start=1):
        try:
            skip = importer.write_tender(tender, output, force)
        except OSError as error:
            return written, kept, f"{output / tender.file_name}:1:1: cannot write: {error.strerror or error}"
        if skip is None:
            written += 1
        else:
            kept.append(skip)
        progress(done, len(tenders))
    return written, kept, None


def _summary(plan, inputs: int, written: int, kept: list, output: Path) -> str:  # type: ignore[no-untyped-def]
    files = "file" if inputs == 1 else "files"
    lines = [f"read {plan.releases_read} releases from {inputs} {files}; wrote {written} tender files to {output}"]
    if kept:
        lines.append(f"kept {len(kept)} existing files unchanged (--force replaces them)")
    counts = plan.skip_counts()
    if counts:
        parts = ", ".join(f"{reason.value}: {counts[reason]}" for reason in type(next(iter(counts))) if counts[reason])
        lines.append(f"skipped {sum(counts.values())}: {parts}")
    return "\n".join(lines)


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
