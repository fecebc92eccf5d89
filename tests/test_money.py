"""Money and percentages as bid teams write them (SPEC §1): "£1.2m", "£450k", "30%"."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bidcheck.money import format_money, format_percentage, parse_money, parse_percentage

# --- every form the SPEC names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "pounds"),
    [
        ("£1.2m", 1_200_000),
        ("£450k", 450_000),
        ("1,200,000", 1_200_000),
        ("£1.2 million", 1_200_000),
        (1200000, 1_200_000),
        ("1200000", 1_200_000),
        ("£1.2bn", 1_200_000_000),
        ("£1.2 billion", 1_200_000_000),
        ("£3 thousand", 3_000),
        ("GBP 5k", 5_000),
        ("gbp5K", 5_000),
        ("£1.2M", 1_200_000),
        ("  £450k  ", 450_000),
        ("£1,200,000.50", 1_200_000.50),
        ("0", 0),
        (0, 0),
        (12.5, 12.5),
    ],
)
def test_every_spec_money_form_reads_as_pounds(written, pounds):
    assert parse_money(written) == pounds


def test_pennies_survive_the_scale_word_exactly():
    # 1.15 * 1_000_000 in binary floating point is 1149999.9999999998; money must be exact.
    assert parse_money("1.15m") == 1_150_000
    assert parse_money("£1.15m") == 1_150_000
    assert parse_money("£0.29m") == 290_000
    assert parse_money("£4.35k") == 4_350


def test_money_is_rounded_to_the_penny():
    assert parse_money("£1.234567k") == 1_234.57


@pytest.mark.parametrize("written", ["about £1m", "£1m approx", "1,2,3", "1,20,000", "£", "m", "1.2.3m", "£1m £2m", "1 2"])
def test_text_that_is_not_an_amount_is_refused_with_the_forms_expected(written):
    with pytest.raises(ValueError) as refused:
        parse_money(written)
    message = str(refused.value)
    assert message.startswith("expected an amount of money such as")
    assert '"£1.2m"' in message and '"£450k"' in message and '"1,200,000"' in message
    assert repr(written.strip()) in message  # says what it got


def test_negative_money_is_refused_saying_money_cannot_be_negative():
    with pytest.raises(ValueError, match="cannot be negative"):
        parse_money("-5")
    with pytest.raises(ValueError, match="cannot be negative"):
        parse_money("-£5k")
    with pytest.raises(ValueError, match="zero or more"):
        parse_money(-5)


@pytest.mark.parametrize("written", ["$1m", "€450k", "USD 1m", "EUR 5000"])
def test_other_currencies_are_refused_saying_bidcheck_works_in_pounds(written):
    with pytest.raises(ValueError, match=r"pounds sterling \(GBP\)"):
        parse_money(written)


def test_empty_text_is_refused_as_not_an_amount():
    with pytest.raises(ValueError, match="expected an amount of money such as"):
        parse_money("")
    with pytest.raises(ValueError, match="expected an amount of money such as"):
        parse_money("   ")


def test_empty_text_is_not_blamed_on_a_foreign_currency():
    with pytest.raises(ValueError) as refused:
        parse_money("")
    assert "pounds sterling" not in str(refused.value)


@pytest.mark.parametrize("value", [True, False, None, [1], {"a": 1}, b"100"])
def test_values_that_are_not_numbers_or_text_are_refused(value):
    with pytest.raises(ValueError, match="expected an amount of money such as"):
        parse_money(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(value):
    with pytest.raises(ValueError, match="finite|zero or more"):
        parse_money(value)


def test_implausibly_large_amounts_are_refused():
    with pytest.raises(ValueError, match="implausibly large"):
        parse_money("£2000000bn")
    with pytest.raises(ValueError, match="implausibly large"):
        parse_money("1e999")
    with pytest.raises(ValueError, match="implausibly large"):
        parse_money(10.0**16)


def test_a_huge_whole_number_is_refused_as_implausibly_large_not_crashing():
    with pytest.raises(ValueError, match="implausibly large"):
        parse_money(10**400)


# --- percentages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "percent"),
    [(0, 0), (100, 100), (30, 30), (30.5, 30.5), ("30", 30), ("30%", 30), (" 30 % ", 30), ("0%", 0), ("100%", 100), ("12.5%", 12.5)],
)
def test_percentages_from_0_to_100_are_accepted_with_or_without_the_sign(written, percent):
    assert parse_percentage(written) == percent


@pytest.mark.parametrize("written", [101, 130, -1, "130%", "-5%", "100.01", math.nan, math.inf, "nan", "inf"])
def test_percentages_outside_0_to_100_are_refused(written):
    with pytest.raises(ValueError, match="expected a percentage from 0 to 100"):
        parse_percentage(written)


@pytest.mark.parametrize("written", ["thirty", "30%%", "%", "", "about 30%", True, None, [30]])
def test_percentages_that_are_not_numbers_are_refused_with_an_example(written):
    with pytest.raises(ValueError, match=r'expected a percentage from 0 to 100, such as 30 or "30%"'):
        parse_percentage(written)


# --- formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pounds", "shown"),
    [(1_200_000, "£1.2m"), (420_000, "£420k"), (950, "£950"), (1_150_000, "£1.15m"), (2_500_000_000, "£2.5bn"), (12.5, "£12.50"), (0, "£0")],
)
def test_money_is_formatted_short_and_readable(pounds, shown):
    assert format_money(pounds) == shown


def test_percentages_are_formatted_to_one_place_without_trailing_zeros():
    assert format_percentage(60) == "60%"
    assert format_percentage(95.238) == "95.2%"


# --- properties ----------------------------------------------------------------------------

amounts_in_pennies = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


def _plain(number: Decimal) -> str:
    return f"{number:f}"


@st.composite
def written_amounts(draw):
    """An exact amount and one of the ways a person might write it."""
    amount = draw(amounts_in_pennies)
    currency = draw(st.sampled_from(["", "£", "GBP ", "gbp"]))
    style = draw(st.sampled_from(["plain", "commas", "k", "thousand", "m", "million", "bn"]))
    if style == "plain":
        number = _plain(amount)
    elif style == "commas":
        number = f"{amount:,f}"
    else:
        divisor = {"k": 1_000, "thousand": 1_000, "m": 10**6, "million": 10**6, "bn": 10**9}[style]
        number = _plain(amount / divisor) + draw(st.sampled_from(["", " "])) + style
    return amount, currency + number


@given(written_amounts())
@settings(max_examples=300)
def test_any_written_amount_round_trips_to_the_exact_pounds_and_pence(case):
    amount, written = case
    assert parse_money(written) == float(amount)


@given(st.integers(min_value=0, max_value=10**15))
@settings(max_examples=200)
def test_whole_pounds_with_or_without_commas_read_the_same(pounds):
    assert parse_money(f"{pounds:,}") == parse_money(str(pounds)) == parse_money(pounds) == float(pounds)


@given(st.text())
@settings(max_examples=300)
def test_parse_money_on_any_text_gives_a_finite_non_negative_amount_or_a_value_error(text):
    try:
        amount = parse_money(text)
    except ValueError as refused:
        assert str(refused)
    else:
        assert isinstance(amount, float) and math.isfinite(amount) and amount >= 0


@given(st.text(alphabet="£$€0123456789,.kKmMbBnNilo eE+-%GgPp", max_size=20))
@settings(max_examples=300)
def test_parse_money_on_money_like_text_gives_an_amount_or_a_value_error(text):
    try:
        amount = parse_money(text)
    except ValueError:
        return
    assert isinstance(amount, float) and math.isfinite(amount) and 0 <= amount <= 10**15


@given(st.text())
@settings(max_examples=300)
def test_parse_percentage_on_any_text_gives_0_to_100_or_a_value_error(text):
    try:
        percent = parse_percentage(text)
    except ValueError as refused:
        assert str(refused)
    else:
        assert isinstance(percent, float) and 0 <= percent <= 100


@given(st.one_of(st.floats(), st.integers(min_value=-(10**18), max_value=10**18), st.booleans(), st.none()))
@settings(max_examples=300)
def test_parse_percentage_on_any_number_gives_0_to_100_or_a_value_error(value):
    try:
        percent = parse_percentage(value)
    except ValueError:
        return
    assert 0 <= percent <= 100


@given(st.floats(min_value=0, allow_nan=False, allow_infinity=False))
@settings(max_examples=300)
def test_format_money_never_raises_for_a_finite_non_negative_amount(amount):
    shown = format_money(amount)
    assert shown.startswith("£") and len(shown) > 1
