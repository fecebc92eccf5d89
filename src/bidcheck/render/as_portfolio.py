"""``bidcheck portfolio`` in text, markdown, JSON and HTML (``portfolio_html``): each renderer takes one :class:`~bidcheck.ledger.portfolio.Portfolio`.

Text and markdown say the same lines (:func:`_statements`); markdown makes them a list and
tables, for a board paper. JSON is :meth:`Portfolio.as_record` with bidcheck's version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from bidcheck import __version__
from bidcheck.ledger.portfolio import Portfolio
from bidcheck.money import format_money
from bidcheck.wording import number_of


def portfolio_json(portfolio: Portfolio) -> str:
    return json.dumps({"bidcheck": __version__, **portfolio.as_record()}, ensure_ascii=False, indent=2) + "\n"


def _period(portfolio: Portfolio) -> str:
    since = portfolio.since.isoformat() if portfolio.since else "the first record"
    until = portfolio.until.isoformat() if portfolio.until else "the latest"
    return f"from {since} to {until} (as of {portfolio.as_of.isoformat()})"


def _statements(portfolio: Portfolio) -> Iterator[str]:
    """The figures in words, one line each."""
    decided, bids, smaller = portfolio.decided, portfolio.value_bid_for, portfolio.against_smaller
    exposure, waivers, against = portfolio.results_exposure, portfolio.waivers, portfolio.bids_against_no_bid
    yield f"{number_of(portfolio.tenders, 'tender')} recorded; {decided['tenders']} decided"
    unknown = f" ({bids['value_unknown']} of unknown value)" if bids["value_unknown"] else ""
    yield f"bid for: {number_of(bids['tenders'], 'tender')}, {format_money(bids['value'])} in contract value, our share {format_money(bids['our_share'])}{unknown}"
    incomes = ", ".join(
        f"{item['name'] or 'unnamed'} ({format_money(item['annual_income']) if item['annual_income'] is not None else 'income unknown'})"
        for item in smaller["incumbents"]
    )
    yield (
        f"bid against smaller organisations: {number_of(smaller['tenders'], 'tender')}, {format_money(smaller['value'])}; "
        f"would displace {number_of(smaller['incumbents_displaced'], 'incumbent')}" + (f": {incomes}" if incomes else "")
    )
    reserves = exposure["free_reserves"]
    against_reserves = f" against free reserves of {format_money(reserves)} ({exposure['share_of_reserves_pct']}%)" if reserves else " (free reserves not recorded)"
    yield f"payment-by-results exposure: {format_money(exposure['value_at_risk'])} at risk{against_reserves}"
    by = "; ".join(f"{name}: {count}" for name, count in waivers["by"].items())
    yield (
        f"waivers granted: {waivers['granted']}" + (f" (by {by})" if by else "")
        + f"; {waivers['expire_soon']} expire within {waivers['soon_days']} days; {waivers['expired']} expired"
    )
    ids = f": {', '.join(against['ids'])}" if against["ids"] else ""
    yield f"bids made against a no-bid verdict: {against['tenders']}{ids}"


def _policy_rows(portfolio: Portfolio) -> Iterator[tuple[str, str, str]]:
    for figure in portfolio.policies:
        yield figure["policy"], "yes" if figure["adopted"] else "no", ", ".join(figure["tenders"]) or "-"


def _outcome_rows(portfolio: Portfolio) -> Iterator[tuple[str, int, int]]:
    for verdict, counts in portfolio.outcomes_by_verdict.items():
        yield verdict, counts["won"], counts["lost"]


def portfolio_text(portfolio: Portfolio) -> str:
    lines = [f"Portfolio {_period(portfolio)}", ""]
    lines += [f"  {statement}" for statement in _statements(portfolio)]
    lines += ["", "  Recognise your power: each policy and the bids it stopped"]
    lines += [f"    {policy:28} adopted: {adopted:3}  stopped: {stopped}" for policy, adopted, stopped in _policy_rows(portfolio)]
    lines += ["", "  Outcomes by verdict (won / lost)"]
    lines += [f"    {verdict:22} {won:>4} / {lost}" for verdict, won, lost in _outcome_rows(portfolio)]
    return "\n".join(lines) + "\n"


def portfolio_markdown(portfolio: Portfolio) -> str:
    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [f"## Portfolio {_period(portfolio)}", ""]
    lines += [f"- {cell(statement)}" for statement in _statements(portfolio)]
    lines += ["", "### Recognise your power: each policy and the bids it stopped", "", "| policy | adopted | bids stopped |", "|---|---|---|"]
    lines += [f"| {cell(policy)} | {adopted} | {cell(stopped)} |" for policy, adopted, stopped in _policy_rows(portfolio)]
    lines += ["", "### Outcomes by verdict", "", "| verdict | won | lost |", "|---|---:|---:|"]
    lines += [f"| {verdict} | {won} | {lost} |" for verdict, won, lost in _outcome_rows(portfolio)]
    return "\n".join(lines) + "\n"


def portfolio_html(portfolio: Portfolio) -> str:
    from bidcheck.render.portfolio_html import portfolio_html as page  # Jinja2 only for HTML

    return page(portfolio)


PORTFOLIO_RENDERERS: dict[str, Callable[[Portfolio], str]] = {
    "text": portfolio_text,
    "markdown": portfolio_markdown,
    "json": portfolio_json,
    "html": portfolio_html,
}
