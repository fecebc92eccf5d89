"""The field types of tender and config files: money, percentages, dates, counts, text, and
the enumerations (SPEC §1). Each reads what people write ("£1.2m", "30%", "1_000") and
describes itself in the JSON Schema.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from bidcheck.dates import parse_iso_date
from bidcheck.money import GROUPED_DIGITS_PATTERN, parse_money, parse_percentage, ungroup_number


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "An ISO date, YYYY-MM-DD."}),
]


def one_or_many(value: Any) -> Any:
    """``areas: Hackney`` means ``areas: [Hackney]``."""
    return [value] if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TextList = Annotated[list[Text], BeforeValidator(one_or_many)]
Money = Annotated[
    float,
    BeforeValidator(parse_money),
    WithJsonSchema(
        {
            "description": 'Pounds sterling: a number or text such as "£1.2m", "£450k", "1,200,000", "£1.2 million".',
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^(?:£|[Gg][Bb][Pp])?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:_[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\s*(?:[kKmM]|[bB][nN]|[mM][nN]|thousand|million|billion)?$"},
            ],
        }
    ),
]
Percentage = Annotated[
    float,
    BeforeValidator(parse_percentage),
    WithJsonSchema(
        {
            "description": 'A percentage from 0 to 100: 30 or "30%".',
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "string", "pattern": r"^\s*(?:[0-9]{1,3}(?:_[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\s*%?\s*$"},
            ],
        }
    ),
]


def _number(kind: type, low: int, high: int) -> Any:
    """A whole number or number in [low, high]; digits may be grouped as 1_000 (money.ungroup_digits)."""
    json_type, fraction = ("integer", "") if kind is int else ("number", r"(?:\.[0-9]+)?")
    return Annotated[
        kind,
        BeforeValidator(ungroup_number),
        Field(ge=low, le=high),
        WithJsonSchema(
            {"anyOf": [{"type": json_type, "minimum": low, "maximum": high}, {"type": "string", "pattern": f"^{GROUPED_DIGITS_PATTERN}{fraction}$"}]}
        ),
    ]


Months = _number(int, 0, 1200)
TermMonths = _number(int, 1, 1200)
Years = _number(float, 0, 500)
Headcount = _number(int, 0, 1_000_000)
Performance = Literal["outstanding", "good", "adequate", "poor", "unknown"]
BidRole = Literal["sole", "prime", "subcontractor", "consortium-member", "joint-venture", "alliance"]
PartnerRole = Literal["subcontractor", "consortium-member", "joint-venture", "lead"]
MissionFit = Literal["strong", "partial", "weak", "none"]
Coproduction = Literal["done", "planned", "none"]
IncumbentApproach = Literal["partner", "support", "compete", "not-contacted"]
Agreement = Literal["signed", "draft", "none"]
Engagement = Literal["before-publication", "after-publication"]
Suitability = Literal["sme", "vcse"]
SuitabilityList = Annotated[list[Suitability], BeforeValidator(one_or_many)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
