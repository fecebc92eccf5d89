"""``import ocds``, mapping's last step: one tender file's YAML text, with its comments, and the data it holds, validated.

The YAML is written line by line: every text is a double-quoted scalar that any YAML reader
reads back exactly (:func:`quote`), so titles such as ``- "no": yes # not a comment`` stay
text. Comments carry what the tender model has no field for. README "Importing notices"
says why this is not ruamel.yaml.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

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


def render(draft: Draft) -> tuple[str, dict[str, Any]]:
    """The tender file's text (header, comments, ``tender:`` and ``incumbent:``, then the
    questions), and the data it holds: what bidcheck's reader reads back from the text (every
    scalar as the text written), so it can be validated without reading the text again."""
    notice = draft.notice
    fields: list[tuple[str, str, Any]] = [_text("id", draft.tender_id), _text("title", draft.title)]  # (key, YAML, data)
    if notice.buyer:
        fields.append(_text("buyer", notice.buyer))
    if notice.co_buyers:
        fields.append(_texts("co_buyers", notice.co_buyers))
    if draft.service:
        fields.append(_text("service", draft.service))
    if draft.cpv:
        fields.append(_texts("cpv", draft.cpv))
    comments = list(draft.comments)
    fields += _value_fields(draft, comments)
    if draft.term_months is not None:
        fields.append(_plain("term_months", str(draft.term_months)))
    if draft.extension_months is not None and draft.term_months is not None:
        fields.append(_plain("extension_months", str(draft.extension_months)))
    if draft.areas:
        fields.append(_texts("areas", draft.areas))
    if notice.published:
        fields.append(_plain("published", notice.published.isoformat()))
    if notice.deadline:
        fields.append(_plain("deadline", notice.deadline.isoformat()))
    if draft.award_weights:
        weights = {key: plain_number(weight) for key, weight in draft.award_weights.items()}
        fields.append(("award_weights", "{" + ", ".join(f"{key}: {text}" for key, text in weights.items()) + "}", weights))
    if draft.light_touch is not None:
        fields.append(_plain("light_touch", "true" if draft.light_touch else "false"))
    if draft.suitable_for:
        fields.append(_texts("suitable_for", draft.suitable_for))
    if draft.reserved_for:
        fields.append(_texts("reserved_for", draft.reserved_for))
    if draft.participation_fee_pct is not None:
        fields.append(_plain("participation_fee_pct", f"{draft.participation_fee_pct:.4f}".rstrip("0").rstrip(".")))
    source = [_text(key, text) for key, text in notice.source_fields()]
    incumbent = _incumbent_fields(draft.incumbent)
    lines = [
        notice.header(),
        *[f"# {clean_comment(line)}" for line in notice.comments + comments],
        "tender:",
        *[f"  {key}: {text}" for key, text, _ in fields],
        "  source:",
        *[f"    {key}: {text}" for key, text, _ in source],
        *_incumbent_lines(draft.incumbent, incumbent),
        "",
        *(QUESTIONS[:3] + _INCUMBENT_GUESSED + QUESTIONS[6:] if draft.incumbent else QUESTIONS),
    ]
    data: dict[str, Any] = {"tender": {key: value for key, _, value in fields} | {"source": {key: value for key, _, value in source}}}
    if incumbent:
        data["incumbent"] = {key: value for key, _, value in incumbent}
    return "\n".join(lines) + "\n", data


def _text(key: str, text: str) -> tuple[str, str, str]:
    return key, quote(text), text


def _texts(key: str, texts: list[str]) -> tuple[str, str, list[str]]:
    return key, flow(texts), list(texts)


def _plain(key: str, written: str) -> tuple[str, str, str]:
    """A number, ``true``/``false`` or a date, written plain: read back as the text it is."""
    return key, written, written


def _value_fields(draft: Draft, comments: list[str]) -> list[tuple[str, str, Any]]:
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
    amount = plain_number(value.amount)
    fields = [("value", amount + (f"  # {note}" if note else ""), amount)]
    if value.includes_vat:
        fields.append(("value_includes_vat", "true  # the notice gives only the value including VAT", "true"))
    return fields


def _incumbent_fields(guess: Optional[IncumbentGuess]) -> list[tuple[str, str, Any]]:
    """``incumbent:`` from the likely incumbent found in award history."""
    if guess is None:
        return []
    fields = [_text("name", guess.name)]
    if guess.vcse is not None:
        fields.append(_plain("vcse", "true" if guess.vcse else "false"))
    if guess.years_delivering is not None:
        fields.append(_plain("years_delivering", plain_number(max(0.0, round(guess.years_delivering, 1)))))
    if guess.annual_income is not None:
        fields.append(_plain("annual_income", plain_number(guess.annual_income)))
    fields.append(_text("source", guess.source))
    return fields


def _incumbent_lines(guess: Optional[IncumbentGuess], fields: list[tuple[str, str, Any]]) -> list[str]:
    """The ``incumbent:`` block, marked as inferred (and the award notice's size, when given)."""
    if guess is None:
        return []
    lines = ["# The incumbent below was inferred from award history, not stated by this notice: check it.", "incumbent:"]
    lines += [f"  {key}: {text}" for key, text, _ in fields]
    if guess.scale:
        lines.insert(1, f"# The award notice gives its size as: {clean_comment(guess.scale)}.")
    return lines


def clean_comment(text: str) -> str:
    """Text safe inside a ``#`` comment line: no line breaks, no trailing spaces."""
    return re.sub(r"[ \t]+$", "", CONTROL.sub(" ", text))


def quote(text: str) -> str:
    """A YAML double-quoted scalar that any YAML reader reads back as exactly ``text``."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # the common case: nothing to escape
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


def validation_problem(data: dict[str, Any], tender_id: str) -> Optional[str]:
    """Validate the data a rendered file holds (:func:`render`) as a tender file; a problem
    here is a bug in the importer. The tests read every written file back with bidcheck's own
    reader and check it holds exactly this data."""
    from pydantic import ValidationError

    from bidcheck.models import TenderFile

    try:
        TenderFile.model_validate(data)
    except ValidationError as error:
        said = "; ".join(f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}" for problem in error.errors())
        return f"could not be written as a valid tender file ({tender_id}): {said}"
    return None
