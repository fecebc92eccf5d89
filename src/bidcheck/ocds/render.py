"""``import ocds``, mapping's last step: one tender file's YAML text, with its comments, read back and validated.

The YAML is written line by line: every text is a double-quoted scalar that any YAML reader
reads back exactly (:func:`quote`), so titles such as ``- "no": yes # not a comment`` stay
text. Comments carry what the tender model has no field for. README "Importing notices"
says why this is not ruamel.yaml.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from bidcheck.ocds.values import CONTROL, Money, plain_number

if TYPE_CHECKING:
    from bidcheck.ocds.facts import IncumbentGuess
    from bidcheck.ocds.notice import Notice

QUESTIONS = (
    "# What OCDS cannot say. Answer these questions, then add the answers to this file",
    "# (`bidcheck init` writes a template with every key; `bidcheck check` asks what is missing):",
    "# - service: which of our services is this? (matched against organisation.services)",
    "# - incumbent: who delivers this service now, or `incumbent: none` if it is new? Their annual",
    "#   income, how well they perform, are they local or user-led, how long have they delivered it,",
    "#   and how many staff would transfer (TUPE)?",
    "# - bid: are we sole, prime or a partner? Our price and the full cost of delivery? How well does",
    "#   it fit our mission? Did people who will use it shape our bid? Will we partner with, support",
    "#   or compete with the incumbent, and how do we keep continuity for current service users?",
    "# - partners: who would deliver with us, on what share of the value, fees and terms? Have they",
    "#   agreed to be named, and did they shape the bid?",
)
_INCUMBENT_GUESSED = (
    "# - incumbent: the block below was inferred from award history; check it against the award notice.",
    "#   How well do they perform, are they local or user-led, and how many staff would transfer (TUPE)?",
)


@dataclass
class Draft:
    """One tender file being assembled: its fields (SPEC §1, in that order) and comments."""

    tender_id: str
    title: str
    notice: Notice
    lot: Optional[str] = None  # the lot's id, for one file per lot
    service: Optional[str] = None
    cpv: list[str] = field(default_factory=list)
    value: Optional[Money] = None
    value_low: Optional[Money] = None
    term_months: Optional[int] = None
    extension_months: Optional[int] = None
    areas: list[str] = field(default_factory=list)
    award_weights: dict[str, float] = field(default_factory=dict)
    light_touch: Optional[bool] = None
    suitable_for: list[str] = field(default_factory=list)
    reserved_for: list[str] = field(default_factory=list)
    participation_fee_pct: Optional[float] = None
    incumbent: Optional[IncumbentGuess] = None
    start: Optional[datetime.date] = None  # the contract's start, for incumbent matching
    vcse: Optional[bool] = None  # the buyer's VCSE flag for the selection: true, an explicit false, or not stated
    comments: list[str] = field(default_factory=list)

    def gbp_value(self) -> Optional[Money]:
        """The value the file gives (GBP, not a lower bound alone); None when it gives none."""
        return self.value if self.value is not None and self.value.is_gbp else None


def render(draft: Draft) -> str:
    """The tender file's text: header, comments, ``tender:`` (and ``incumbent:``), then the questions."""
    notice = draft.notice
    fields: list[tuple[str, str]] = [("id", quote(draft.tender_id)), ("title", quote(draft.title))]
    if notice.buyer:
        fields.append(("buyer", quote(notice.buyer)))
    if notice.co_buyers:
        fields.append(("co_buyers", flow(notice.co_buyers)))
    if draft.service:
        fields.append(("service", quote(draft.service)))
    if draft.cpv:
        fields.append(("cpv", flow(draft.cpv)))
    comments = list(draft.comments)
    fields += _value_fields(draft, comments)
    if draft.term_months is not None:
        fields.append(("term_months", str(draft.term_months)))
    if draft.extension_months is not None and draft.term_months is not None:
        fields.append(("extension_months", str(draft.extension_months)))
    if draft.areas:
        fields.append(("areas", flow(draft.areas)))
    if notice.published:
        fields.append(("published", notice.published.isoformat()))
    if notice.deadline:
        fields.append(("deadline", notice.deadline.isoformat()))
    if draft.award_weights:
        weights = ", ".join(f"{key}: {plain_number(weight)}" for key, weight in draft.award_weights.items())
        fields.append(("award_weights", "{" + weights + "}"))
    if draft.light_touch is not None:
        fields.append(("light_touch", "true" if draft.light_touch else "false"))
    if draft.suitable_for:
        fields.append(("suitable_for", flow(draft.suitable_for)))
    if draft.reserved_for:
        fields.append(("reserved_for", flow(draft.reserved_for)))
    if draft.participation_fee_pct is not None:
        fields.append(("participation_fee_pct", f"{draft.participation_fee_pct:.4f}".rstrip("0").rstrip(".")))
    lines = [
        notice.header(),
        *[f"# {clean_comment(line)}" for line in notice.comments + comments],
        "tender:",
        *[f"  {key}: {text}" for key, text in fields],
        "  source:",
        *[f"    {key}: {quote(text)}" for key, text in notice.source_fields()],
        *_incumbent_lines(draft.incumbent),
        "",
        *(QUESTIONS[:3] + _INCUMBENT_GUESSED + QUESTIONS[6:] if draft.incumbent else QUESTIONS),
    ]
    return "\n".join(lines) + "\n"


def _value_fields(draft: Draft, comments: list[str]) -> list[tuple[str, str]]:
    value, low = draft.value, draft.value_low
    if value is not None and not value.is_gbp:
        comments.append(f"Value: {value}; not converted to GBP, so `value` is left out.")
        value = None
    elif value is None and low is not None:
        comments.append(f"Value: at least {low} (the notice gives only a lower bound), so `value` is left out.")
    if value is None:
        return []
    note = ""
    if low is not None and low.is_gbp and low.amount < value.amount:
        note = f"upper bound: the notice gives {low} to {value}"
    elif low is not None and low.amount > value.amount:
        note = f"the notice's minimum, {low}, is above this value"
    fields = [("value", plain_number(value.amount) + (f"  # {note}" if note else ""))]
    if value.includes_vat:
        fields.append(("value_includes_vat", "true  # the notice gives only the value including VAT"))
    return fields


def _incumbent_lines(guess: Optional[IncumbentGuess]) -> list[str]:
    """``incumbent:`` from the likely incumbent found in award history, marked as inferred."""
    if guess is None:
        return []
    lines = ["# The incumbent below was inferred from award history, not stated by this notice: check it.", "incumbent:"]
    lines.append(f"  name: {quote(guess.name)}")
    if guess.vcse is not None:
        lines.append(f"  vcse: {'true' if guess.vcse else 'false'}")
    if guess.years_delivering is not None:
        lines.append(f"  years_delivering: {plain_number(max(0.0, round(guess.years_delivering, 1)))}")
    if guess.annual_income is not None:
        lines.append(f"  annual_income: {plain_number(guess.annual_income)}")
    if guess.scale:
        lines.insert(1, f"# The award notice gives its size as: {clean_comment(guess.scale)}.")
    lines.append(f"  source: {quote(guess.source)}")
    return lines


def clean_comment(text: str) -> str:
    """Text safe inside a ``#`` comment line: no line breaks, no trailing spaces."""
    return re.sub(r"[ \t]+$", "", CONTROL.sub(" ", text))


def quote(text: str) -> str:
    """A YAML double-quoted scalar that any YAML reader reads back as exactly ``text``."""
    out = ['"']
    for character in text:
        code = ord(character)
        if character in '"\\':
            out.append("\\" + character)
        elif 0x20 <= code < 0x7F or (0xA0 <= code and not CONTROL.match(character)):
            out.append(character)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:  # pragma: no cover - astral characters are printable and kept above
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def flow(values: list[str]) -> str:
    """A YAML flow sequence of quoted texts: ``["a", "b"]``."""
    return "[" + ", ".join(quote(value) for value in values) + "]"


def validation_problem(text: str, tender_id: str) -> Optional[str]:
    """Read the YAML back and validate it as a tender file; a problem here is a bug in the importer.

    The file is read with PyYAML's safe loader, not bidcheck's positioned reader (which
    ``bidcheck check`` uses and which costs more): every scalar :func:`render` writes is double
    quoted, a plain number, ``true``/``false`` or an ISO date, which YAML 1.1 and 1.2 read alike.
    The tests read every imported real notice with bidcheck's own reader too.
    """
    import yaml
    from pydantic import ValidationError

    from bidcheck.models import TenderFile

    try:
        TenderFile.model_validate(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError as error:
        return f"could not be written as a valid tender file ({tender_id}): not YAML: {error}"
    except ValidationError as error:
        said = "; ".join(f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}" for problem in error.errors())
        return f"could not be written as a valid tender file ({tender_id}): {said}"
    return None
