"""``--format junit``: a JUnit XML report for CI test views (GitLab, Jenkins, Azure, GitHub actions).

One ``<testsuite name="bidcheck">`` with a ``<testcase>`` per tender, named by its id and
title and classed by its file. A tender fails when its verdict is one ``--fail-on`` counts;
its findings are the failure's text, and every tender's findings are in ``<system-out>``.
A file that could not be read or validated, or a tender on which a rule failed, is an
``<error>``.

This format cannot stream: the counts are attributes of the opening ``<testsuites>`` and
``<testsuite>`` tags. Each test case waits as XML text in a temporary file (see ``spool``),
not in memory, and ``finish`` writes the document around them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from bidcheck.decide import TenderResult
from bidcheck.display import character_reference, inert_lines, printable
from bidcheck.evaluate import Reason
from bidcheck.problems import Problem
from bidcheck.render import RenderOptions, Summary
from bidcheck.render.spool import Spool
from bidcheck.wording import number_of

SUITE_NAME = "bidcheck"
# Characters XML 1.0 cannot carry, even escaped; YAML's "\x01" escapes can produce them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Report:
    def __init__(self, out: TextIO, options: RenderOptions):
        self.out = out
        self.fail_on = options.fail_on
        self.cases = Spool()
        self.failures = 0
        self.errors = 0

    def result(self, result: TenderResult) -> None:
        tender = result.tender.tender
        case = ET.Element("testcase", classname=_xml(result.file), name=_xml(f"{tender.id}: {tender.title}"))
        findings = _findings_text(result)
        if result.problems:
            message = f"verdict incomplete: {number_of(len(result.problems), 'rule')} failed"
            error = ET.SubElement(case, "error", message=_xml(message), type="rule-error")
            error.text = "\n".join(_xml(str(problem)) for problem in result.problems) + "\n\n" + findings
        elif result.verdict in self.fail_on:
            failure = ET.SubElement(case, "failure", message=f"verdict: {result.verdict.value}", type=result.verdict.value)
            failure.text = findings
        output = ET.SubElement(case, "system-out")
        output.text = f"verdict: {result.verdict.value}\n{findings}"
        if result.what_it_would_take:
            output.text += "\nwhat it would take:\n" + "".join(f"- {_xml(proposal.describe())}\n" for proposal in result.what_it_would_take)
        if result.warnings:  # shown, never counted: not a failure
            ET.SubElement(case, "system-err").text = "\n".join(f"warning: {_xml(str(warning))}" for warning in result.warnings)
        self._add(case)

    def problem(self, problem: Problem) -> None:
        self._add(_error_case(problem))

    def _add(self, case: ET.Element) -> None:
        self.failures += case.find("failure") is not None
        self.errors += case.find("error") is not None
        ET.indent(case, level=_CASE_LEVEL)
        self.cases.add(inert_lines(ET.tostring(case, encoding="unicode"), character_reference))

    def finish(self, summary: Summary) -> None:
        counts = {"tests": str(self.cases.count), "failures": str(self.failures), "errors": str(self.errors)}
        suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
        suite = ET.SubElement(suites, "testsuite", {"name": SUITE_NAME, "skipped": "0", **counts})
        properties = ET.SubElement(suite, "properties")
        fail_on = ",".join(sorted(verdict.value for verdict in self.fail_on)) or "never"
        ET.SubElement(properties, "property", name="fail-on", value=fail_on)
        for verdict, count in summary.as_record().items():
            ET.SubElement(properties, "property", name=verdict, value=str(count))
        if self.cases.count:
            ET.SubElement(suite, _CASES)  # where the spooled cases go
        ET.indent(suites)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        before, _, after = ET.tostring(suites, encoding="unicode").partition(f"<{_CASES} />")
        self.out.write(before)
        between = "\n" + "  " * _CASE_LEVEL
        for number, case in enumerate(self.cases):
            self.out.write((between if number else "") + case)
        self.out.write(after + "\n")
        self.cases.close()


_CASE_LEVEL = 2  # testsuites > testsuite > testcase
_CASES = "bidcheck-spooled-cases"


def _error_case(problem: Problem) -> ET.Element:
    case = ET.Element("testcase", classname=_xml(problem.file), name=_xml(problem.file))
    error = ET.SubElement(case, "error", message=_xml(problem.message), type="rule-error" if problem.rule else "input-error")
    error.text = _xml(str(problem))
    return case


def _findings_text(result: TenderResult) -> str:
    if not result.reasons:
        return "no findings"
    return "\n".join(_finding_text(reason) for reason in result.reasons)  # each line is text from _xml


def _finding_text(reason: Reason) -> str:
    where = reason.location
    severity = reason.severity.value + (" (waived)" if reason.waived else "")
    lines = [
        f"{severity} {reason.rule.id} {reason.rule.title} ({where.file}:{where.line}:{where.column})",
        f"  {reason.message}",
        f"  → {reason.finding.action}",
    ]
    if reason.waiver is not None:
        waiver = reason.waiver
        who = f", approved by {waiver.approved_by}" if waiver.approved_by else ""
        until = f", until {waiver.expires}" if waiver.expires else ""
        lines.append(f"  waived: {waiver.reason}{who}{until}")
    lines.append(f"  guidance: {reason.rule.recommendation.name}; {reason.rule.recommendation.citation}")
    return "\n".join(_xml(line) for line in lines)


def _xml(text: str) -> str:
    """One line of text, as XML 1.0 can carry it and a person can read it: control characters
    shown as escapes (:func:`~bidcheck.display.printable`), and anything else XML forbids
    (lone surrogates, U+FFFE) replaced, since ElementTree escapes markup but not these."""
    return _NOT_XML.sub("\ufffd", printable(text))
