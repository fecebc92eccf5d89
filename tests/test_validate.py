"""Stage 2, validate: plain data -> typed models, or problems at the line and column concerned.

Every message is checked with its exact ``file:line:column:`` prefix, as users see it.
"""

from __future__ import annotations

import datetime
import textwrap

import pytest

from bidcheck.models import Incumbent, NoIncumbent, TenderFile
from bidcheck.problems import ProblemsFound
from bidcheck.read import read_text
from bidcheck.validate import field_name, validate_config, validate_tender

# Lines 1-3; anything added to the tender section starts on line 4, column 3.
TENDER_HEAD = "tender:\n  id: T-1\n  title: Test tender\n"


def tender_with(*tender_lines: str, after: str = "") -> str:
    """A valid tender head, extra ``tender:`` keys (one per line, from line 4) and other sections."""
    return TENDER_HEAD + "".join(f"  {line}\n" for line in tender_lines) + textwrap.dedent(after).lstrip("\n")


def valid(text: str) -> TenderFile:
    return validate_tender(read_text(text, "t.yaml"))


def problems(text: str, *, config: bool = False) -> list[str]:
    """Every problem, as the user reads it."""
    document = read_text(text, "t.yaml")
    with pytest.raises(ProblemsFound) as raised:
        (validate_config if config else validate_tender)(document)
    return [str(problem) for problem in raised.value.problems]


def only(text: str, *, config: bool = False) -> str:
    found = problems(text, config=config)
    assert len(found) == 1, found
    return found[0]


# --- unknown keys --------------------------------------------------------------------------


def test_typo_in_tender_key_suggests_the_right_key_at_the_key():
    assert only(tender_with("valeu: '£1.2m'")) == "t.yaml:4:3: unknown key 'valeu' in tender; did you mean 'value'?"


def test_typo_of_a_required_key_is_reported_as_the_typo_not_also_as_missing():
    text = "tender:\n  id: T-1\n  titel: Test\n"
    assert only(text) == "t.yaml:3:3: unknown key 'titel' in tender; did you mean 'title'?"


def test_typo_in_a_nested_section_names_the_section():
    text = tender_with(after="incumbent:\n  name: Local\n  anual_income: '£420k'\n")
    assert only(text) == "t.yaml:6:3: unknown key 'anual_income' in incumbent; did you mean 'annual_income'?"


def test_typo_in_a_list_item_names_the_item():
    text = tender_with(after="partners:\n  - name: Forum\n    rol: subcontractor\n")
    assert only(text) == "t.yaml:6:5: unknown key 'rol' in partners[0]; did you mean 'role'?"


def test_typo_in_a_flow_mapping_is_located_at_its_column():
    text = "tender: {id: T-1, title: Test, term_month: 36}\n"
    assert only(text) == "t.yaml:1:32: unknown key 'term_month' in tender; did you mean 'term_months'?"


def test_unknown_top_level_key_with_a_close_match_suggests_it():
    assert only(tender_with(after="bids:\n  role: prime\n")) == "t.yaml:4:1: unknown key 'bids'; did you mean 'bid'?"


def test_unknown_top_level_key_with_no_close_match_lists_the_sections():
    message = only(tender_with(after="notes: call them\n"))
    assert message == (
        "t.yaml:4:1: unknown key 'notes'; expected one of: tender, incumbent, bid, competitors, partners, waivers, organisation"
    )


def test_typo_in_config_policy_suggests_the_policy():
    message = only("policies:\n  no_compete: true\n", config=True)
    assert message == "t.yaml:2:3: unknown key 'no_compete' in policies; did you mean 'no_compete_with_smaller'?"


# --- required keys -------------------------------------------------------------------------


def test_missing_tender_id_is_located_at_the_tender_key():
    text = "bid:\n  role: prime\ntender:\n  title: Test\n"
    assert only(text) == "t.yaml:3:1: missing required key 'id' in tender"


def test_missing_tender_section_is_located_at_the_start_of_the_file():
    assert only("bid:\n  role: prime\n") == "t.yaml:1:1: missing required key 'tender' in the top level"


def test_missing_partner_name_is_located_at_the_list_item():
    text = tender_with(after="partners:\n  - name: Forum\n  - role: lead\n")
    assert only(text) == "t.yaml:6:5: missing required key 'name' in partners[1]"


def test_an_empty_tender_id_is_refused():
    assert only("tender:\n  id: ''\n  title: Test\n") == "t.yaml:2:7: tender.id: must not be empty"
    assert only("tender:\n  id:\n  title: Test\n") == "t.yaml:2:6: tender.id: expected text, got an empty value"


# --- money and percentages -----------------------------------------------------------------


def test_bad_money_string_is_located_at_the_value_and_says_what_was_expected():
    message = only(tender_with("value: about £1m"))
    assert message.startswith("t.yaml:4:10: tender.value: expected an amount of money such as ")
    assert message.endswith("got 'about £1m'")


def test_bad_money_in_a_flow_mapping_is_located_at_the_value_column():
    text = tender_with(after="bid: {role: prime, price: £1.2 millions}\n")
    assert only(text).startswith("t.yaml:4:27: bid.price: expected an amount of money")


@pytest.mark.parametrize("written", ["-5", "'-£5k'", "-1200000"])
def test_negative_money_is_refused(written):
    message = only(tender_with(after=f"incumbent:\n  annual_income: {written}\n"))
    assert message.startswith("t.yaml:5:18: incumbent.annual_income: ")
    assert message.endswith("money cannot be negative")


def test_money_forms_from_the_spec_are_accepted_as_pounds():
    parsed = valid(
        tender_with(
            "value: '£1.2m'",
            after="""
            incumbent: {annual_income: "£420k"}
            bid: {price: "1,150,000", full_cost: £1.23 million}
            organisation: {annual_income: 45000000, free_reserves: £6m}
            """,
        )
    )
    assert parsed.tender.value == 1_200_000
    assert isinstance(parsed.incumbent, Incumbent) and parsed.incumbent.annual_income == 420_000
    assert parsed.bid is not None and (parsed.bid.price, parsed.bid.full_cost) == (1_150_000, 1_230_000)
    assert parsed.organisation is not None and parsed.organisation.free_reserves == 6_000_000


def test_percentage_with_a_percent_sign_is_accepted():
    assert valid(tender_with("results_pct: 30%")).tender.results_pct == 30


def test_percentage_over_100_is_refused_at_the_value():
    assert only(tender_with("results_pct: 130")) == "t.yaml:4:16: tender.results_pct: expected a percentage from 0 to 100, got '130'"


def test_percentage_inside_award_weights_is_located_exactly():
    text = tender_with("award_weights: {price: 40%, quality: 50, social_value: 110}")
    assert only(text) == (
        "t.yaml:4:58: tender.award_weights.social_value: expected a percentage from 0 to 100, got '110'"
    )


# --- types ---------------------------------------------------------------------------------


def test_words_for_a_whole_number_are_refused():
    assert only(tender_with("term_months: many")) == "t.yaml:4:16: tender.term_months: expected a whole number, got 'many'"


def test_a_zero_month_term_is_refused_with_the_bound():
    assert only(tender_with("term_months: 0")) == "t.yaml:4:16: tender.term_months: expected a number ≥ 1, got '0'"


def test_maybe_is_not_a_boolean():
    text = tender_with(after="incumbent:\n  local: maybe\n")
    assert only(text) == "t.yaml:5:10: incumbent.local: expected true or false, got 'maybe'"


def test_true_and_false_are_booleans():
    parsed = valid(tender_with(after="incumbent:\n  local: true\n  user_led: false\n"))
    assert isinstance(parsed.incumbent, Incumbent)
    assert parsed.incumbent.local is True and parsed.incumbent.user_led is False


def test_near_miss_enumeration_suggests_the_right_value():
    text = tender_with(after="bid:\n  role: primary\n")
    assert only(text) == (
        "t.yaml:5:9: bid.role: expected one of sole, prime, subcontractor, consortium-member, joint-venture, "
        "alliance, got 'primary'; did you mean 'prime'?"
    )


def test_enumerations_are_lower_case():
    text = tender_with(after="incumbent:\n  performance: Good\n")
    assert only(text).endswith("got 'Good'; did you mean 'good'?")


def test_a_mapping_where_a_list_belongs_is_refused():
    assert only(tender_with(after="partners: {name: Forum}\n")).startswith("t.yaml:4:11: partners: expected a list, got a mapping;")


def test_several_problems_are_all_reported_in_file_order():
    text = tender_with("term_months: many", after="bid:\n  role: primary\nincumbent:\n  local: maybe\n")
    found = problems(text)
    assert [message.split(": ")[0] for message in found] == ["t.yaml:4:16", "t.yaml:6:9", "t.yaml:8:10"]


# --- the incumbent -------------------------------------------------------------------------


def test_incumbent_none_means_a_new_service_and_differs_from_an_absent_incumbent():
    new_service = valid(tender_with(after="incumbent: none\n"))
    unknown = valid(tender_with())
    assert isinstance(new_service.incumbent, NoIncumbent)
    assert unknown.incumbent is None
    assert new_service.incumbent != unknown.incumbent


def test_an_empty_incumbent_value_means_not_known_yet():
    assert valid(tender_with(after="incumbent:\n")).incumbent is None


def test_incumbent_details_become_an_incumbent():
    parsed = valid(tender_with(after="incumbent:\n  name: Local Project\n  contract_share_pct: 60\n"))
    assert isinstance(parsed.incumbent, Incumbent)
    assert parsed.incumbent.name == "Local Project" and parsed.incumbent.contract_share_pct == 60


def test_incumbent_yes_is_refused_explaining_the_two_forms():
    message = only(tender_with(after="incumbent: yes\n"))
    assert message.startswith("t.yaml:4:12: incumbent: ")
    assert "mapping" in message and "`none`" in message and "got 'yes'" in message


def test_a_typo_inside_the_incumbent_is_not_hidden_by_the_none_form():
    text = tender_with(after="incumbent:\n  nmae: Local\n")
    assert only(text) == "t.yaml:5:3: unknown key 'nmae' in incumbent; did you mean 'name'?"


# --- dates ---------------------------------------------------------------------------------


def test_an_iso_date_is_a_date():
    assert valid(tender_with("deadline: 2026-12-15")).tender.deadline == datetime.date(2026, 12, 15)


def test_a_date_that_does_not_exist_is_refused():
    assert only(tender_with("deadline: 2026-02-30")) == "t.yaml:4:13: tender.deadline: '2026-02-30' is not a real date"


def test_a_bare_number_is_not_read_as_a_date():
    message = only(tender_with("deadline: 20261215"))
    # Refused, never read as a number of days; the ISO form it may mean is only suggested.
    assert message.startswith("t.yaml:4:13: tender.deadline: expected a date as YYYY-MM-DD, got '20261215'")


@pytest.mark.parametrize("written", ["15/12/2026", "2026-12-15T10:00:00", "Dec 15 2026", "2026-1-5"])
def test_dates_that_are_not_iso_are_refused(written):
    assert only(tender_with(f"published: {written}")).startswith("t.yaml:4:14: tender.published: expected a date as YYYY-MM-DD")


def test_a_waiver_expiry_must_be_a_real_date():
    text = tender_with(after="waivers:\n  - rule: PWR002\n    reason: agreed\n    approved_by: Board\n    expires: 2027-13-01\n")
    assert only(text) == "t.yaml:8:14: waivers[0].expires: '2027-13-01' is not a real date"


# --- lists ---------------------------------------------------------------------------------


def test_a_single_area_becomes_a_list():
    assert valid(tender_with("areas: Hackney")).tender.areas == ["Hackney"]


def test_a_list_of_areas_stays_a_list():
    assert valid(tender_with("areas: [Hackney, TLI41]")).tender.areas == ["Hackney", "TLI41"]


def test_an_absent_list_is_empty():
    parsed = valid(tender_with())
    assert parsed.tender.areas == [] and parsed.partners == [] and parsed.waivers == []


def test_an_empty_area_in_the_list_is_refused():
    assert only(tender_with("areas: [Hackney, '']")) == "t.yaml:4:20: tender.areas[1]: must not be empty"


# --- config --------------------------------------------------------------------------------


def test_config_severity_must_be_a_known_severity():
    message = only("rules:\n  severity: {PWR001: fatal}\n", config=True)
    assert message == "t.yaml:2:22: rules.severity.PWR001: expected one of blocker, concern, info, got 'fatal'"


def test_a_config_that_is_a_list_is_refused():
    message = only("- organisation\n", config=True)
    assert message.startswith("t.yaml:1:1: expected a bidcheck config")


def test_field_names_read_like_the_yaml():
    assert field_name(("partners", 0, "name")) == "partners[0].name"
    assert field_name(("tender",)) == "tender"
    assert field_name(()) == ""
