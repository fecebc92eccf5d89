"""``--format sarif``: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).

One run. ``tool.driver.rules`` lists every rule that ran on any tender, once, sorted by id;
each result points at its rule by ``ruleId`` and ``ruleIndex`` and at the YAML line it is
about. Waived findings are kept as results with an external suppression, so code scanning
shows them as dismissed with the waiver's reason. Files that could not be read or validated,
and rules that failed, are tool execution notifications; either makes
``executionSuccessful`` false. Warnings (an expired or unused waiver, a tender id already
used in the batch) are notifications at level ``note``, located in the tender. Each tender's verdict is in the run's ``properties``.

This format cannot stream: ``ruleIndex`` needs the final, sorted list of rules, which is
known only after the last tender. Results and verdicts wait as JSON text in a temporary
file (see ``spool``), not in memory, and ``finish`` writes the log around them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO
from urllib.parse import quote

from bidcheck import __version__
from bidcheck.api import Rule
from bidcheck.decide import TenderResult
from bidcheck.models import Severity
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary
from bidcheck.render.as_json import problem_record, result_record
from bidcheck.render.spool import Spool
from bidcheck.wording import without_markup

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
LEVEL = {
    Severity.BLOCKER: "error",
    Severity.CONCERN: "warning",
    Severity.INFO: "note",
    Severity.UNKNOWN: "note",  # not a defect in the bid: a question the bid team must answer
}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.as_of = options.as_of
        self.rules: dict[str, Rule] = {}
        self.results = Spool()
        self.notifications: list[dict[str, Any]] = []
        self.verdicts = Spool()
        self.failed = False

    def result(self, result: TenderResult) -> None:
        for rule in result.checked:
            self.rules.setdefault(rule.id, rule)
        record = result_record(result, self.as_of)
        tender_id = record["tender"]["id"]
        verdict = {"file": record["file"], "tender": tender_id, "title": record["tender"]["title"], "verdict": record["verdict"], "complete": record["complete"]}
        verdict["what_it_would_take"] = record["what_it_would_take"]
        self.verdicts.add(_compact(verdict))
        seen: dict[tuple[str, str], int] = {}
        for reason, finding in zip(result.reasons, record["findings"]):
            self.rules.setdefault(reason.rule.id, reason.rule)  # a rule may report without being listed as checked
            key = (finding["rule"], finding["field"])
            occurrence = seen[key] = seen.get(key, -1) + 1  # one rule may fire twice on one field
            sarif_result: dict[str, Any] = {
                "ruleId": finding["rule"],
                "level": LEVEL[reason.severity],
                "message": {"text": f"{finding['message']} → {finding['action']}"},
                "locations": [_location(reason.location.file, reason.location.line, reason.location.column)],
                "partialFingerprints": {
                    "bidcheckFinding/v1": _fingerprint(record["file"], tender_id, finding["rule"], finding["field"], occurrence)
                },
                "properties": {
                    "tender": tender_id,
                    "severity": finding["severity"],
                    "field": finding["field"],
                    "recommendation": finding["recommendation"],
                    "evidence": finding["evidence"],
                },
            }
            waiver = finding.get("waiver")
            if waiver is not None:
                sarif_result["suppressions"] = [
                    {
                        "kind": "external",
                        "status": "accepted",
                        "justification": waiver["reason"],
                        "properties": {
                            name: value
                            for name, value in (("approvedBy", waiver["approved_by"]), ("expires", waiver["expires"]))
                            if value is not None
                        },
                    }
                ]
            self.results.add(_compact(sarif_result))
        for problem in result.problems:  # a rule that failed: this tender's check is incomplete
            self.failed = True
            self.notifications.append(_notification(problem, "error"))
        for warning in result.warnings:  # shown, never counted: a note
            self.notifications.append(_notification(warning, "note"))

    def problem(self, problem: Problem) -> None:
        self.failed = True
        self.notifications.append(_notification(problem, "error"))

    def finish(self, summary: Summary) -> None:
        rule_ids = sorted(self.rules)
        index = {rule_id: position for position, rule_id in enumerate(rule_ids)}

        def indexed(results: Spool) -> Iterator[dict[str, Any]]:
            for text in results:
                sarif_result = json.loads(text)
                sarif_result["ruleIndex"] = index[sarif_result["ruleId"]]
                yield sarif_result
        driver: dict[str, Any] = {
            "name": "bidcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_descriptor(self.rules[rule_id]) for rule_id in rule_ids],
        }
        homepage = _homepage()
        if homepage:
            driver["informationUri"] = homepage
        log = {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [
                {
                    "tool": {"driver": driver},
                    "invocations": [{"executionSuccessful": not self.failed, "toolExecutionNotifications": self.notifications}],
                    "columnKind": "unicodeCodePoints",
                    "results": _RESULTS,
                    "properties": {"verdicts": _VERDICTS, "summary": summary.as_record()},
                }
            ],
        }
        # The log as json.dumps(log, indent=2) would write it, with the spooled lists streamed in.
        # Only the notifications before the results hold text from the input, hence rsplit.
        before_results, after_results = _dumps(log).rsplit(_dumps(_RESULTS), 1)
        before_verdicts, after_verdicts = after_results.split(_dumps(_VERDICTS), 1)
        self.out.write(before_results)
        _write_list(self.out, indexed(self.results), depth=_indent_of_last_line(before_results) // 2)
        self.out.write(before_verdicts)
        _write_list(self.out, (json.loads(text) for text in self.verdicts), depth=_indent_of_last_line(before_verdicts) // 2)
        self.out.write(after_verdicts + "\n")
        self.results.close()
        self.verdicts.close()


# Stand-ins for the spooled lists while the rest of the log is laid out.
_RESULTS = "\x00results"
_VERDICTS = "\x00verdicts"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _indent_of_last_line(text: str) -> int:
    line = text.rsplit("\n", 1)[-1]
    return len(line) - len(line.lstrip(" "))


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _write_list(out: TextIO, items: Iterable[Any], depth: int) -> None:
    """A list as json.dumps(indent=2) lays it out ``depth`` levels down, one item at a time."""
    inner = "\n" + "  " * (depth + 1)
    separator = "["
    for item in items:
        out.write(separator + inner + _dumps(item).replace("\n", inner))
        separator = ","
    out.write("[]" if separator == "[" else "\n" + "  " * depth + "]")


def artifact_uri(path: str) -> str:
    """A file name as a SARIF ``artifactLocation.uri``: forward slashes, relative as given.

    Absolute paths become ``file://`` URIs, as SARIF asks of absolute locations.
    """
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    if _WINDOWS_DRIVE.match(posix):
        return "file:///" + quote(posix, safe="/:")
    if posix.startswith("//"):  # a UNC path: //server/share/...
        return "file:" + quote(posix, safe="/")
    if posix.startswith("/"):  # e.g. a config found above the tender's folder
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")  # also keeps a ":" from being read as a URI scheme


def _location(file: str, line: int, column: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file)}}
    if line > 0:  # line 0: the problem concerns the whole file
        physical["region"] = {"startLine": line, "startColumn": max(column, 1)}
    return {"physicalLocation": physical}


def _notification(problem: Problem, level: str) -> dict[str, Any]:
    record = problem_record(problem)
    notification: dict[str, Any] = {
        "level": level,
        "message": {"text": record["message"]},
        "locations": [_location(record["file"], record["line"], record["column"])],
    }
    if "rule" in record:
        notification["associatedRule"] = {"id": record["rule"]}
    if "tender" in record:
        notification["properties"] = {"tender": record["tender"]}
    return notification


def _descriptor(rule: Rule) -> dict[str, Any]:
    recommendation = rule.recommendation
    rationale = without_markup(rule.rationale) or rule.title
    guidance = f"Recommendation: {recommendation.name}. {recommendation.summary}\nGuidance: {recommendation.citation}"
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": re.sub(r"[^0-9A-Za-z]+", " ", rule.title).title().replace(" ", ""),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rationale},
        "help": {"text": f"{rationale}\n\n{guidance}"},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "recommendation": recommendation.name,
            "source": recommendation.source,
            "citation": recommendation.citation,
            "tags": ["bidcheck", recommendation.name],
        },
    }
    if rule.policy:
        descriptor["properties"]["policy"] = rule.policy
    return descriptor


def _fingerprint(*parts: object) -> str:
    """Stable across runs and line moves, so code scanning tracks one alert per finding."""
    return hashlib.sha256("\x00".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:32]


def _homepage() -> str | None:
    """The project's home page from the installed package's metadata, when it declares one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("bidcheck")
    except PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository") and url.strip():
            return url.strip()
    home_page = meta.get_all("Home-page") or []
    return str(home_page[0]) if home_page else None
