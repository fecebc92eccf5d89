"""The commented templates ``bidcheck init`` writes: a tender, or (``--config``) a config."""

from __future__ import annotations

import inspect
import json
import re
import textwrap
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from bidcheck.money import format_money

if TYPE_CHECKING:
    from bidcheck.loader import Catalogue

TENDER_TEMPLATE = """\
# A tender for bidcheck. Fill in what you know; leave the rest commented out.
# `bidcheck check THIS_FILE` says what is missing and which questions to answer.
# Format: money as "£1.2m", "£450k" or 1200000; percentages as 30 or "30%"; dates YYYY-MM-DD.

tender:
  id: CHANGE-ME-001                 # required: your reference
  title: Name of the service        # required
  # buyer: London Borough of Example
  # service: substance-misuse       # matched against organisation.services in bidcheck.yaml
  # cpv: ["85312300"]              # with no service, matched against your services' CPV prefixes
  # value: "£1.2m"                  # total over the initial term, excluding VAT
  # term_months: 36
  # extension_months: 24
  # areas: [Hackney]                # place names or ITL codes
  # published: 2026-11-01
  # deadline: 2026-12-15
  # results_pct: 0                  # share of the price paid on results
  # award_weights: {price: 40, quality: 50, social_value: 10}   # COM001: price above 50 favours the cheapest
  # light_touch: true               # the Procurement Act light-touch regime
  # reserved_for: [sme, vcse]       # a competition the buyer reserved for these
  # participation_fee_pct: 0.6      # a fee the winner pays on the contract value

# Who delivers the service now? Leave out while unknown; `incumbent: none` for a new service.
# incumbent:
#   name: Current Provider
#   annual_income: "£420k"          # from their latest accounts
#   local: true                     # rooted in the delivery area
#   user_led: false                 # run by people with lived experience
#   performance: good               # outstanding | good | adequate | poor | unknown
#   years_delivering: 8
#   staff: 14                       # staff who would transfer (TUPE) or be lost

# bid:
#   role: prime                     # sole | prime | subcontractor | consortium-member | joint-venture | alliance
#   price: "£1.15m"
#   full_cost: "£1.23m"             # full cost of delivery incl. overheads, same term as price
#   mission_fit: strong             # strong | partial | weak | none
#   mission_rationale: Why this fits our mission
#   coproduction: planned           # done | planned | none
#   growth_driven: false
#   incumbent_approach: partner     # partner | support | compete | not-contacted
#   transition_plan: true
#   decision: {by: Board of trustees, on: 2026-11-10}   # who decided to bid, and when (GOV001)

# partners:
#   - name: Local Partner
#     annual_income: "£90k"
#     local: true
#     role: subcontractor           # subcontractor | consortium-member | joint-venture | lead
#     value_pct: 15
#     delivers: outreach and group work
#     management_fee_pct: 8
#     results_pct: 0
#     exclusivity: false
#     agreement: signed             # signed | draft | none
#     shaped_bid: true
#     consented: true
#     engaged: before-publication   # before-publication | after-publication

# waivers:                          # a recorded decision to proceed despite a finding
#   - rule: PWR002
#     reason: Incumbent is withdrawing from the service; confirmed in writing
#     approved_by: Board, 2026-11-10
#     expires: 2027-01-31
"""


@dataclass(frozen=True)
class Starter:
    """What ``bidcheck init`` writes, and the step it suggests next."""

    content: str
    next_step: str


def starter_for(target: Path, *, config: bool) -> Starter:
    """The tender template, or (``config``) a config with every key at its default, for ``target``.

    Raises ValueError when ``target``'s name must not hold it: a tender under a config's name
    would break every check in its folder, and a YAML config cannot go into ``pyproject.toml``.
    """
    from bidcheck.config_search import CONFIG_NAMES, PYPROJECT

    if config and target.name == PYPROJECT:
        raise ValueError("--config writes YAML; name it bidcheck.yaml, or write a [tool.bidcheck] table in pyproject.toml yourself")
    if not config and target.name in (*CONFIG_NAMES, PYPROJECT):
        raise ValueError(
            f"{target.name} is where bidcheck looks for its config, so a tender there would break every "
            f"check in this folder; for a config run: bidcheck init --config {target}"
        )
    if not config:
        return Starter(TENDER_TEMPLATE, f"fill it in, then run: bidcheck check {target}")
    from bidcheck.loader import load_catalogue

    content = config_template(load_catalogue())
    if target.name in CONFIG_NAMES:
        return Starter(content, f"fill in your organisation and policies, then see what is in effect: bidcheck config --config {target}")
    return Starter(content, f"bidcheck only finds configs named {', '.join(CONFIG_NAMES)}, so pass it as: --config {target}")


def config_template(catalogue: Catalogue) -> str:
    """A commented ``bidcheck.yaml`` with every key the config model has, for ``bidcheck init --config``.

    Generated from the models (keys, defaults, descriptions, examples) and from the rules'
    metadata (the policies they apply, the thresholds they declare with their defaults), so it
    cannot drift from what bidcheck reads. Every value is the default: the file changes nothing
    until it is edited.
    """
    from bidcheck.models import ConfigFile

    policy_rules: dict[str, list[str]] = {}
    for loaded in catalogue.rules:
        if loaded.rule.policy:
            policy_rules.setdefault(loaded.rule.policy, []).append(f"{loaded.rule.id} ({loaded.rule.title})")
    lines = [
        "# bidcheck config: who you are and what you have committed to.",
        "# bidcheck finds it by walking up from each tender's folder (or use --config PATH).",
        "# Every value below is the default: fill in your organisation, adopt your policies.",
        '# Money as "£1.2m", "£450k" or 1200000; percentages as 30 or "30%".',
        "# `bidcheck config` shows what is in effect and where each value came from.",
    ]
    for name, info in ConfigFile.model_fields.items():
        lines.append("")
        if name == "thresholds":
            lines += _threshold_lines(catalogue, info.description or "")
            continue
        model = _model_of(info.annotation)
        if model is None:  # pragma: no cover - every top-level key is a mapping today
            lines += [*_notes(info.description, 0), f"{name}: {_yaml_value(_default(info))}"]
            continue
        lines += [*_notes(inspect.cleandoc(model.__dict__.get("__doc__") or ""), 0), f"{name}:"]
        for key, field in model.model_fields.items():
            note = field.description or ""
            applied = policy_rules.get(key, []) if name == "policies" else []
            if applied:
                note += f" Adopted, {' and '.join(applied)} {'blocks' if len(applied) == 1 else 'block'} instead of being a concern."
            if field.examples:
                note += f" For example: {_yaml_value(field.examples[0])}"
            lines += [*_notes(note, 2), f"  {key}: {_yaml_value(_default(field))}".rstrip()]
    return "\n".join(lines) + "\n"


def _threshold_lines(catalogue: Catalogue, description: str) -> list[str]:
    lines = [*_notes(f"{description} The defaults are shown: delete a line to follow future defaults.", 0), "thresholds:"]
    for threshold, reader in catalogue.thresholds.values():
        default = threshold.default
        value = _yaml_value(format_money(default)) if threshold.unit == "£" else f"{default:g}"
        lines += [*_notes(f"{reader}: {threshold.description}", 2), f"  {threshold.name}: {value}"]
    return lines


def _notes(text: str | None, indent: int) -> list[str]:
    if not text:
        return []
    prefix = " " * indent + "# "
    return textwrap.wrap(" ".join(text.split()), 92, initial_indent=prefix, subsequent_indent=prefix)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _default(field: FieldInfo) -> Any:
    return field.get_default(call_default_factory=True)


def _yaml_value(value: Any) -> str:
    """A value as YAML flow text that bidcheck reads back as the same value (None: empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_yaml_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml_value(item) for item in value) + "]"
    text = str(value)
    return text if re.fullmatch(r"[A-Za-z][\w .-]*", text) else json.dumps(text, ensure_ascii=False)
