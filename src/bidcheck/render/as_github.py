"""``--format github``: GitHub Actions workflow commands, so findings annotate the YAML.

One line per finding, written as each tender arrives::

    ::error file=tenders/hck.yaml,line=21,col=3,title=PWR002 Competing with a smaller local organisation::message → action

blocker -> ``error``, concern -> ``warning``, unknown and info -> ``notice``; a waived
finding is a ``notice`` ending "(waived: reason)". Each tender then gets a ``notice`` with
its verdict; files that could not be checked and rules that failed are errors, and
expired or unused waivers warnings. File names are written with forward slashes and
without a leading ``./``, as the repository-relative paths annotations need.

Values are escaped as the Actions runner expects: in the message ``%``, CR and LF become
``%25``, ``%0D`` and ``%0A``; in the properties ``:`` and ``,`` also become ``%3A`` and
``%2C``. GitHub shows a limited number of annotations per step (10 errors and 10 warnings
at the time of writing); for large batches upload SARIF as well (``--report sarif=FILE``).
"""

from __future__ import annotations

from typing import TextIO

from bidcheck.decide import TenderResult
from bidcheck.evaluate import Reason
from bidcheck.models import Severity
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary, finding_counts
from bidcheck.wording import number_of

COMMAND = {
    Severity.BLOCKER: "error",
    Severity.CONCERN: "warning",
    Severity.UNKNOWN: "notice",
    Severity.INFO: "notice",
}


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out

    def result(self, result: TenderResult) -> None:
        lines = [_finding(reason) for reason in result.reasons]
        tender = result.tender.tender
        for problem in result.problems:
            lines.append(command("error", problem.message, file=problem.file, line=problem.line, col=problem.column, title="bidcheck rule failed"))
        for warning in result.warnings:
            lines.append(command("warning", warning.message, file=warning.file, line=warning.line, col=warning.column, title="bidcheck warning"))
        counts = finding_counts(result)
        lines.append(
            command(
                "notice",
                f"{tender.id}: {tender.title}: {result.verdict.value}" + (f" ({counts})" if counts else ""),
                file=result.file,
                title=f"bidcheck verdict {tender.id}: {result.verdict.value}",
            )
        )
        lines.extend(
            command("notice", f"{tender.id}: what it would take: {proposal.describe()}", file=result.file, title=f"bidcheck what it would take {tender.id}")
            for proposal in result.what_it_would_take
        )
        self.out.write("".join(line + "\n" for line in lines))

    def problem(self, problem: Problem) -> None:
        title = "bidcheck input error"
        self.out.write(
            command("error", problem.message, file=problem.file, line=problem.line, col=problem.column, title=title) + "\n"
        )

    def finish(self, summary: Summary) -> None:
        parts = [f"{count} {verdict.value}" for verdict, count in summary.verdicts.items() if count]
        if summary.errors:
            parts.append(f"{number_of(summary.errors, 'file')} with errors")
        tenders = summary.tenders
        message = f"{number_of(tenders, 'tender')} checked: " + (", ".join(parts) or "nothing to check")
        self.out.write(command("notice", message, title="bidcheck summary") + "\n")


def command(name: str, message: str, **properties: object) -> str:
    """``::name key=value,...::message``; properties that are None or 0 (whole file) are left out."""
    if isinstance(properties.get("file"), str):
        properties["file"] = _repository_path(str(properties["file"]))
    written = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value not in (None, 0, ""))
    return f"::{name}{' ' + written if written else ''}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _repository_path(path: str) -> str:
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def _finding(reason: Reason) -> str:
    where = reason.location
    message = f"{reason.message} → {reason.finding.action}"
    name = COMMAND[reason.severity]
    if reason.waiver is not None:
        name = "notice"
        message += f" (waived: {reason.waiver.reason})"
    return command(name, message, file=where.file, line=where.line, col=where.column, title=f"{reason.rule.id} {reason.rule.title}")


