"""Docs from the rules' own metadata: ``bidcheck rules``, ``bidcheck explain`` and the
README's rule table all come from here, so they cannot drift from the code."""

from __future__ import annotations

import json
import textwrap

from bidcheck.config import Settings
from bidcheck.display import layout_table, printable
from bidcheck.loader import LoadedRule, closest_rule_id
from bidcheck.wording import without_markup


def severity_label(loaded: LoadedRule) -> str:
    rule = loaded.rule
    if rule.policy:
        return f"blocker under {rule.policy}, else concern"
    if rule.can_block and rule.severity.value != "blocker":
        return f"{rule.severity.value} / blocker"
    return rule.severity.value


def rule_record(loaded: LoadedRule) -> dict[str, object]:
    rule = loaded.rule
    return {
        "id": rule.id,
        "title": rule.title,
        "recommendation": rule.recommendation.name,
        "source": rule.recommendation.source,
        "citation": rule.recommendation.citation,
        "severity": rule.severity.value,
        "policy": rule.policy,
        "can_block": rule.can_block or rule.severity.value == "blocker" or bool(rule.policy),
        "thresholds": [{"name": t.name, "default": t.default, "unit": t.unit} for t in rule.thresholds],
        "origin": loaded.origin,
    }


def describe_catalogue(settings: Settings, format_name: str, width: int | None = None) -> str:
    """``bidcheck rules`` in ``format_name`` (text, json or markdown).

    Text is a table; given a terminal's ``width``, long cells wrap onto more lines (an id
    never does); without one, each rule is one line, however long.
    """
    rules = settings.catalogue.rules
    if format_name == "json":
        return json.dumps([rule_record(loaded) for loaded in rules], indent=2, ensure_ascii=False) + "\n"
    if format_name == "markdown":
        return markdown_table(settings)
    rows = [("ID", "TITLE", "RECOMMENDATION", "SEVERITY", "ORIGIN")]
    rows += [tuple(printable(cell) for cell in (l.rule.id, l.rule.title, l.rule.recommendation.name, severity_label(l), l.origin)) for l in rules]
    lines = layout_table(rows, width=width, wrap=frozenset({1, 2, 3, 4}))
    return "".join("  ".join(cells).rstrip() + "\n" for cells in lines)


def markdown_table(settings: Settings) -> str:
    """The README's rule table."""
    lines = ["| id | title | recommendation | default severity | guidance |", "|---|---|---|---|---|"]
    for loaded in settings.catalogue.rules:
        rule = loaded.rule
        lines.append(
            f"| {rule.id} | {rule.title} | {rule.recommendation.name} | {severity_label(loaded)} | "
            f"{rule.recommendation.citation} |"
        )
    return "\n".join(lines) + "\n"


def guidance_table(settings: Settings) -> str:
    """The README's guidance table: a row per document and section the rules cite, as they cite it."""
    from bidcheck.guidance import GUIDANCE_DOCUMENTS

    cited: dict[tuple[str, str], dict[str, None]] = {}  # (file, section) -> recommendation names
    for loaded in settings.catalogue.rules:
        recommendation = loaded.rule.recommendation
        for passage in recommendation.passages:
            cited.setdefault(passage, {})[f"*{recommendation.name}*"] = None
    lines = ["| document | by | year | section | recommendations the rules implement | file |", "|---|---|---|---|---|---|"]
    for document in GUIDANCE_DOCUMENTS.values():
        sections = sorted(section for file, section in cited if file == document.file) or [document.part or "whole"]
        for section in sections:
            names = ", ".join(cited.get((document.file, section), {})) or "background to the rules' rationale"
            lines.append(f"| *{document.title}* | {document.by} | {document.year} | {section} | {names} | `{document.file}` |")
    return "\n".join(lines) + "\n"


def explain_rule(settings: Settings, rule_id: str) -> str | None:
    loaded = settings.catalogue.get(rule_id.upper())
    if loaded is None:
        return None
    rule = loaded.rule
    out = [
        f"{rule.id}: {rule.title}",
        "",
        f"Recommendation: {rule.recommendation.name}",
        f"Guidance:       {rule.recommendation.citation}",
        f"Severity:       {severity_label(loaded)}",
        f"Origin:         {loaded.origin}",
    ]
    if rule.policy:
        adopted = getattr(settings.config.model.policies, rule.policy)
        out.append(f"Policy:         {rule.policy} ({'adopted' if adopted else 'not adopted'} in your config)")
    out += ["", textwrap.indent(without_markup(rule.rationale), "  ") if rule.rationale else "  (no rationale given)"]
    if rule.thresholds:
        out += ["", "Thresholds (name: current value, default; meaning):"]
        for threshold in rule.thresholds:
            current = settings.thresholds.get(threshold.name, threshold.default)
            at_least = f"; at least {threshold.at_least}" if threshold.at_least else ""
            out.append(f"  {threshold.name}: {threshold.format(current)} (default {threshold.format(threshold.default)}{at_least})")
            out.append(textwrap.indent(textwrap.fill(without_markup(threshold.description), 84), "      "))
    if rule.reads or rule.clears:
        out += ["", f"Reads: {', '.join(rule.reads) or '(not declared)'}", "Cleared by (what it would take proposes):"]
        out += [f"  {' and '.join(_step_words(step) for step in clear.steps)}" for clear in rule.clears] or ["  (nothing declared)"]
    if rule.examples:
        out += ["", "Examples:"]
        for example in rule.examples:
            outcome = example.expect.value if example.expect else "holds"
            out.append(f"  {without_markup(example.description)} -> {outcome}")
            out.append(textwrap.indent(example.tender.strip(), "      "))
            if example.config.strip():
                out.append("    with config:")
                out.append(textwrap.indent(example.config.strip(), "      "))
    return "\n".join(out) + "\n"


def _step_words(step) -> str:  # type: ignore[no-untyped-def]
    if step.remove:
        return f"remove {step.field}"
    value = "a value computed from the tender" if callable(step.value) else json.dumps(step.value)
    return f"add to {step.field[:-2]}: {value}" if step.field.endswith("[]") else f"set {step.field} to {value}"


def explain_cpv(settings: Settings, code: str) -> str | None:
    """``bidcheck explain 85312300`` (or a prefix, ``853``): the CPV code's description, the codes
    it belongs to, and which of our services (``organisation.services`` in the config in use) it
    matches. None when ``code`` is not a CPV code or prefix of 2 digits or more in the list."""
    from bidcheck import cpv
    from bidcheck.services import service_match

    given, found = cpv.digits(code), cpv.lookup(code)
    if given is None or found is None:
        return None
    if len(given) == 8:
        out = [f"CPV {found}: {found.description} ({found.level})"]
    else:
        count = sum(1 for other in cpv.codes() if other.startswith(given))
        out = [f"CPV prefix {given}: {found.description} ({found.level} {found}; {count} codes start with {given})"]
    broader = cpv.broader(found)
    if broader:
        out += ["", "Within:", *(f"  {parent}  {parent.description} ({parent.level})" for parent in broader)]
    services = settings.organisation_for(None).services
    where = f" ({settings.config.path})" if settings.config.path else ""
    out += ["", f"Your services{where}:"]
    if not services:
        out.append("  none listed: give organisation.services in bidcheck.yaml, each with its CPV prefixes")
    for service in services:
        match = service_match([service], None, [given])
        if match.status == "yes":
            out.append(f"  {service.name}: matches (CPV prefix {match.prefix})")
        elif not service.cpv:
            out.append(f"  {service.name}: no CPV prefixes, so matched by name only")
        else:
            within = [prefix for prefix in service.cpv if prefix.startswith(given)]
            part = f"; part of it is ({', '.join(within)})" if within else ""
            out.append(f"  {service.name}: does not match (CPV prefixes {', '.join(service.cpv)}){part}")
    return "\n".join(out) + "\n"


def unknown_id(settings: Settings, given: str) -> str:
    """Why ``bidcheck explain`` cannot explain ``given``: neither a loaded rule nor a CPV code."""
    from bidcheck import cpv
    from bidcheck.problems import excerpt

    close = closest_rule_id(given, settings.catalogue.ids)
    hint = f"did you mean {close}?" if close else "`bidcheck rules` lists the rules"
    if cpv.digits(given) is not None:
        hint = "not a CPV 2008 code, nor a prefix of one of 2 digits or more (a division, such as 85)"
    return f"unknown rule or CPV code {excerpt(given)}; {hint}"


def describe_settings(settings: Settings, format_name: str) -> str:
    """``bidcheck config``: every effective setting and where it came from."""
    rows = list(_setting_rows(settings))
    if format_name == "json":
        record = {
            "config_file": str(settings.config.path) if settings.config.path else None,
            "settings": [{"key": key, "value": value, "source": source} for key, value, source in rows],
            "selected_rules": [loaded.rule.id for loaded in settings.selected],
        }
        return json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n"
    where = str(settings.config.path) if settings.config.path else "none found (defaults)"
    lines = [f"config file: {where}", ""]
    width = max(len(key) for key, _, _ in rows)
    for key, value, source in rows:
        shown = json.dumps(value, ensure_ascii=False, default=str)
        lines.append(f"{key.ljust(width)}  {shown}  ({source})")
    selected = " ".join(loaded.rule.id for loaded in settings.selected)
    lines += ["", f"rules that run ({len(settings.selected)} of {len(settings.catalogue.rules)}): {selected}"]
    return "\n".join(lines) + "\n"


def _setting_rows(settings: Settings):  # type: ignore[no-untyped-def]
    model = settings.config.model
    document = settings.config.document

    def source(*path: object) -> str:
        if document is not None and tuple(path) in document.key_positions:
            position = document.key_positions[tuple(path)]
            return f"{document.file}:{position.line}"
        return "default"

    organisation = model.organisation
    for name in ("name", "annual_income", "services", "areas", "free_reserves"):
        value = getattr(organisation, name) if organisation else None
        if name == "services" and value:
            value = [service.as_written() for service in value]
        yield f"organisation.{name}", value, source("organisation", name) if organisation else "not set"
    for name in type(model.policies).model_fields:
        yield f"policies.{name}", getattr(model.policies, name), source("policies", name)
    declared = settings.catalogue.thresholds
    for name in sorted(declared):
        threshold, rule_id = declared[name]
        origin = source("thresholds", name)
        if origin == "default":
            origin = f"default of {rule_id}"
        yield f"thresholds.{name}", settings.thresholds[name], origin
    for name in ("select", "ignore", "severity", "paths"):
        yield f"rules.{name}", getattr(model.rules, name), source("rules", name)
