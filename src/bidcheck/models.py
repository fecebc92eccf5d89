"""The typed vocabulary: tender files, config files, severities and verdicts (SPEC §1, §3).

Every key not declared here is rejected, so a typo is an error rather than a silently
missing value. Every field not marked required may be left out: ``None`` means "not known
yet", and rules that need it report ``unknown`` instead of guessing.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from bidcheck.cpv import PREFIX_FORM as CPV_PREFIX_FORM
from bidcheck.cpv import digits as cpv_digits
from bidcheck.fields import (
    Agreement,
    BidRole,
    Coproduction,
    Engagement,
    Headcount,
    IncumbentApproach,
    IsoDate,
    MissionFit,
    Model,
    Money,
    Months,
    PartnerRole,
    Percentage,
    Performance,
    SuitabilityList,
    TermMonths,
    Text,
    TextList,
    Years,
    one_or_many,
)
from bidcheck.problems import excerpt


class Severity(str, Enum):
    BLOCKER = "blocker"
    CONCERN = "concern"
    INFO = "info"
    UNKNOWN = "unknown"


class Verdict(str, Enum):
    """In order of precedence (SPEC §3)."""

    NO_BID = "no-bid"
    NEEDS_INFO = "needs-info"
    BID_WITH_CONDITIONS = "bid-with-conditions"
    BID = "bid"


class Source(Model):
    """Where an imported tender came from."""

    ocid: Optional[Text] = None
    release: Optional[Text] = None
    publisher: Optional[Text] = None
    notice_type: Optional[Text] = Field(None, description="Find a Tender's notice type, UK1-UK17 (UK4: tender notice).")
    url: Optional[Text] = None


class AwardWeights(Model):
    price: Optional[Percentage] = None
    quality: Optional[Percentage] = None
    social_value: Optional[Percentage] = None


class Tender(Model):
    id: Text = Field(description="Your reference for the opportunity. Required.")
    title: Text = Field(description="Required.")
    buyer: Optional[Text] = None
    co_buyers: TextList = Field(default_factory=list, description="Other buyers procuring jointly with the buyer.")
    service: Optional[Text] = Field(None, description="Service area, matched by name against organisation.services.")
    cpv: TextList = Field(
        default_factory=list, description="CPV codes; with no service, matched against the CPV prefixes of organisation.services."
    )
    value: Optional[Money] = Field(None, description="Total over the initial term, excluding VAT.")
    value_includes_vat: Optional[bool] = Field(
        None, description="True when only a VAT-inclusive value is known (Find a Tender amountGross)."
    )
    term_months: Optional[TermMonths] = None
    extension_months: Optional[Months] = None
    areas: TextList = Field(default_factory=list, description="Where it is delivered: place names or ITL codes.")
    published: Optional[IsoDate] = None
    deadline: Optional[IsoDate] = None
    results_pct: Optional[Percentage] = Field(None, description="Share of the price paid on results.")
    award_weights: Optional[AwardWeights] = None
    light_touch: Optional[bool] = Field(
        None, description="The Procurement Act light-touch regime (social, health, education services)."
    )
    suitable_for: SuitabilityList = Field(
        default_factory=list, description="The buyer marks it suitable for small firms (sme) or VCSE organisations (vcse)."
    )
    reserved_for: SuitabilityList = Field(default_factory=list, description="A competition the buyer reserved for these.")
    participation_fee_pct: Optional[Percentage] = Field(
        None, description="A fee the winner pays on the contract value, percent 0-100."
    )
    source: Optional[Source] = None

    @property
    def annual_value(self) -> float | None:
        """value / term_months * 12, or None when either is not known."""
        if self.value is None or not self.term_months:
            return None
        return self.value / self.term_months * 12

    @property
    def response_days(self) -> int | None:
        """Days from publication to the deadline (the response window), or None when either date is not known."""
        if self.published is None or self.deadline is None:
            return None
        return (self.deadline - self.published).days


class Incumbent(Model):
    name: Optional[Text] = None
    annual_income: Optional[Money] = None
    contract_share_pct: Optional[Percentage] = Field(None, description="Share of its income this contract is; derived when absent.")
    local: Optional[bool] = Field(None, description="Rooted in the delivery area.")
    user_led: Optional[bool] = Field(None, description="Run by people with lived experience.")
    performance: Optional[Performance] = None
    years_delivering: Optional[Years] = None
    staff: Optional[Headcount] = Field(None, description="Staff who would transfer (TUPE) or be lost.")
    vcse: Optional[bool] = Field(None, description="A voluntary, community or social enterprise organisation.")
    rebidding: Optional[bool] = Field(
        None,
        description="False when the incumbent has said it will not bid again: it is not displaced, but its staff and "
        "service users still need a transition.",
    )
    source: Optional[Text] = Field(None, description="Where these facts come from, e.g. the award notice they were inferred from.")


class NoIncumbent(Model):
    """``incumbent: none``: the service is new, nobody delivers it now."""

    def __str__(self) -> str:
        return "none"


class WeAreIncumbent(Model):
    """``incumbent: us``: we deliver the service now and bid again (a re-bid); nobody is displaced."""

    def __str__(self) -> str:
        return "us"


def _incumbent_kind(value: Any) -> str:
    if isinstance(value, NoIncumbent) or (isinstance(value, str) and value.strip().lower() == "none"):
        return "none"
    if isinstance(value, WeAreIncumbent) or (isinstance(value, str) and value.strip().lower() == "us"):
        return "us"
    return "known"


def _no_incumbent(value: Any) -> Any:
    return NoIncumbent() if isinstance(value, str) else value


def _we_are_incumbent(value: Any) -> Any:
    return WeAreIncumbent() if isinstance(value, str) else value


IncumbentOrNone = Annotated[
    Union[
        Annotated[Incumbent, Tag("known")],
        Annotated[NoIncumbent, BeforeValidator(_no_incumbent), WithJsonSchema({"const": "none"}), Tag("none")],
        Annotated[WeAreIncumbent, BeforeValidator(_we_are_incumbent), WithJsonSchema({"const": "us"}), Tag("us")],
    ],
    Discriminator(_incumbent_kind),
]
UNION_TAGS = {"incumbent": ("known", "none", "us")}  # so error locations can skip them


class Decision(Model):
    """Who decided to bid, and when (the governance the guidance asks each piece of work to link to)."""

    by: Text = Field(description="Who decided, e.g. Board of trustees.")
    on: Optional[IsoDate] = Field(None, description="When they decided.")


class Bid(Model):
    role: Optional[BidRole] = None
    value_pct: Optional[Percentage] = Field(
        None,
        description="Our share of the contract value, percent 0-100. Left out: 100 when sole, 100 minus the partners' "
        "shares when prime; for other roles rules that need it ask.",
    )
    price: Optional[Money] = None
    full_cost: Optional[Money] = Field(None, description="Full cost of delivery including overheads, same term as price.")
    mission_fit: Optional[MissionFit] = None
    mission_rationale: Optional[Text] = None
    coproduction: Optional[Coproduction] = Field(None, description="Did people who will use the service shape the bid?")
    growth_driven: Optional[bool] = Field(None, description="Pursued mainly for growth or market share.")
    incumbent_approach: Optional[IncumbentApproach] = None
    transition_plan: Optional[bool] = Field(None, description="A plan to keep continuity for current service users.")
    expected_results_pct: Optional[Percentage] = Field(
        None, description="Share of the results-linked payment we expect to earn, percent 0-100."
    )
    decision: Optional[Decision] = Field(None, description="Who decided to bid, and when.")


class Competitor(Model):
    """Another organisation expected to bid."""

    name: Text
    annual_income: Optional[Money] = None
    local: Optional[bool] = Field(None, description="Rooted in the delivery area.")
    user_led: Optional[bool] = Field(None, description="Run by people with lived experience.")


class Partner(Model):
    name: Text
    annual_income: Optional[Money] = None
    local: Optional[bool] = None
    role: Optional[PartnerRole] = None
    value_pct: Optional[Percentage] = Field(None, description="Share of the contract value they receive.")
    # Written empty (`delivers: ""`) is an answer, "nothing", not an input error: PWR004 judges it.
    delivers: Optional[Annotated[str, StringConstraints(strip_whitespace=True)]] = Field(
        None, description='What they deliver; written empty ("") or "none": nothing (bid candy).'
    )
    management_fee_pct: Optional[Percentage] = Field(None, description="Of their allocation, kept by the lead.")
    results_pct: Optional[Percentage] = Field(None, description="Of their payment, dependent on results.")
    exclusivity: Optional[bool] = Field(None, description="Bound to bid only with us.")
    agreement: Optional[Agreement] = None
    shaped_bid: Optional[bool] = None
    consented: Optional[bool] = Field(None, description="Agreed to be named in the bid.")
    engaged: Optional[Engagement] = None
    areas: TextList = Field(
        default_factory=list, description="Where a local partner is rooted; left out: all the tender's areas."
    )


class Waiver(Model):
    """A recorded decision to proceed despite a finding: for a time, approved by someone (SPEC §1, v2)."""

    rule: Text = Field(description="The id of a loaded rule, e.g. PWR002 (`bidcheck rules` lists them).")
    reason: Text
    approved_by: Text = Field(description="Who approved it, e.g. Board, 2026-11-10.")
    expires: IsoDate = Field(description="When the decision lapses: a waiver is a decision for a time.")


def _cpv_prefix(value: Any, info: ValidationInfo) -> Any:
    """A CPV prefix of a service, its digits only; an error names the service it belongs to."""
    of = f" of service {info.data['name']}" if info.data.get("name") else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # from TOML: leading zeros already lost
        raise ValueError(f'expected a CPV prefix{of} as text in quotes ("{value}"), so that leading zeros are kept, got the number {value}')
    if not isinstance(value, str):
        return value  # the str type reports it
    prefix = cpv_digits(value)
    if prefix is None:
        raise ValueError(f"expected a CPV prefix{of}, {CPV_PREFIX_FORM}, got {excerpt(value.strip())}")
    return prefix


CpvPrefix = Annotated[
    str,
    BeforeValidator(_cpv_prefix),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(?:[0-9]{8}-[0-9]|[0-9]{1,8})\s*$",
            "description": "CPV prefix: 1 to 8 digits (853), or a full code with its check digit (85312000-9).",
        }
    ),
]


class Service(Model):
    """A service we deliver: a name (``substance-misuse``), or a name and the CPV prefixes notices
    use for it (``{name: carers-support, cpv: ["853", "85312"]}``)."""

    name: Text = Field(description="Matched against tender.service, ignoring case, spaces and hyphens.")
    cpv: Annotated[list[CpvPrefix], BeforeValidator(one_or_many)] = Field(
        default_factory=list,
        description="CPV prefixes (digits): a tender with no service is this one when one of its CPV codes starts with one of them.",
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_name(cls, value: Any) -> Any:
        """``- substance-misuse`` means ``- {name: substance-misuse}``."""
        if isinstance(value, str):
            return {"name": value}
        if value is None or isinstance(value, list):
            given = "an empty value" if value is None else "a list"
            raise ValueError(f'expected a service name, or a mapping such as {{name: carers-support, cpv: ["853"]}}, got {given}')
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        mapping = handler(core_schema)
        return {"anyOf": [{"type": "string", "minLength": 1, "description": "A service name."}, mapping]}

    def as_written(self) -> Union[str, dict[str, Any]]:
        """As a config would write it: the name alone when there are no CPV prefixes."""
        return self.model_dump() if self.cpv else self.name


class Organisation(Model):
    """Who we are: the organisation deciding whether to bid."""

    name: Optional[Text] = Field(None, examples=["Example National Charity"])
    annual_income: Optional[Money] = Field(None, description="From the latest accounts.", examples=["£45m"])
    services: Annotated[list[Service], BeforeValidator(one_or_many)] = Field(
        default_factory=list,
        description="Services we deliver: names matched against tender.service, each with the CPV prefixes notices use for it "
        "(matched against tender.cpv when a tender names no service).",
        examples=[["substance-misuse", {"name": "carers-support", "cpv": ["853", "85312"]}]],
    )
    areas: TextList = Field(
        default_factory=list, description="Where we already deliver: place names or ITL codes.", examples=[["Hackney", "TLI41"]]
    )
    free_reserves: Optional[Money] = Field(None, description="Reserves free to absorb payment-by-results risk.", examples=["£6m"])


class TenderFile(Model):
    """One opportunity: the tender, what is known of the incumbent, our bid, our partners."""

    tender: Tender
    incumbent: Optional[IncumbentOrNone] = Field(
        None, description="Leave out when unknown; `none` when there is none (a new service); `us` when we deliver it now (a re-bid)."
    )
    bid: Optional[Bid] = None
    competitors: list[Competitor] = Field(
        default_factory=list, description="Other organisations expected to bid; left out: none known."
    )
    partners: list[Partner] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    organisation: Optional[Organisation] = Field(None, description="One-off profile; replaces the config's.")

    @property
    def incumbent_contract_share_pct(self) -> float | None:
        """The share of the incumbent's income this contract is, percent (may exceed 100 when the
        figures disagree): ``incumbent.contract_share_pct`` when given, else the tender's annual value
        over the incumbent's annual income; None when neither can be known."""
        incumbent = self.incumbent
        if not isinstance(incumbent, Incumbent):
            return None
        if incumbent.contract_share_pct is not None:
            return incumbent.contract_share_pct
        annual_value = self.tender.annual_value
        if annual_value is None or not incumbent.annual_income:
            return None
        return annual_value / incumbent.annual_income * 100


class Policies(Model):
    """"Recognise your power" commitments the organisation has adopted."""

    refuse_loss_making_bids: bool = Field(False, description="Refuse to submit loss-making bids.")
    no_compete_with_smaller: bool = Field(False, description="Do not compete with smaller organisations.")
    no_exclusivity_clauses: bool = Field(False, description="Do not bind smaller organisations to exclusivity clauses.")
    no_bid_candy: bool = Field(False, description="Do not use smaller organisations as bid candy.")
    fair_partner_terms: bool = Field(False, description="Fair pricing for partners; a fee above the limit is named as a breach.")


SeverityName = Literal["blocker", "concern", "info"]


class RuleSettings(Model):
    """Which rules run, and how."""

    select: TextList = Field(default_factory=list, description="Empty = all; rule ids or prefixes.", examples=[["PWR", "IMP003"]])
    ignore: TextList = Field(default_factory=list, description="Rule ids or prefixes not to run.", examples=[["COL004"]])
    severity: dict[str, SeverityName] = Field(
        default_factory=dict, description="A rule's severity: blocker, concern or info.", examples=[{"PWR002": "blocker"}]
    )
    paths: TextList = Field(default_factory=list, description="Extra folders or modules of rules to load.")


class WaiverSettings(Model):
    approvers: TextList = Field(
        default_factory=list,
        description="Who may approve a waiver. When given, a waiver applies only if its approved_by is one of these "
        "(compared after trimming spaces and ignoring case); otherwise it is a warning and the finding counts.",
    )


class ConfigFile(Model):
    """``bidcheck.yaml`` or ``[tool.bidcheck]``: who we are and what we have committed to."""

    organisation: Optional[Organisation] = None
    policies: Policies = Field(default_factory=Policies)
    thresholds: dict[str, Union[float, str]] = Field(
        default_factory=dict, description="Overrides of the thresholds rules declare; see `bidcheck explain`."
    )
    rules: RuleSettings = Field(default_factory=RuleSettings)
    waivers: WaiverSettings = Field(default_factory=WaiverSettings)
