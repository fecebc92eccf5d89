"""The recommendations of "Rebalancing the Relationship" that rules implement.

Each names the guidance file (in ``shared/guidance/``) it comes from, so every finding can
cite its source. Plugin rules may use these or declare their own ``Recommendation``.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT_RECOMMENDATIONS = "002_da80ac9788ba7218.txt"  # NCVO/ACEVO/Lloyds Bank Foundation, Feb 2020
MOTIVATIONS_AND_DRIVERS = "003_b39d592951b76965.txt"  # final report 2021
FOREWORD = "004_62d0d93a86abe9d5.txt"  # final report 2021
COOPERATION_BLOG = "001_e684959b28fff9a6.txt"  # Mark Simms (P3), 2021
GIVE_POWER_AWAY_BLOG = "000_d2eac050e961ea23.txt"  # Laura Bunt (With You), 2021


@dataclass(frozen=True)
class Recommendation:
    name: str  # as the guidance words it; findings are grouped under it
    source: str  # guidance file name
    summary: str  # one line, paraphrased


CALCULATE_THE_IMPACT = Recommendation(
    "Calculate the impact on communities and beneficiaries",
    DRAFT_RECOMMENDATIONS,
    "Before bidding, weigh expertise, the current provider's quality and your costs, then the effect "
    "on the existing organisation, the local sector and the people who use the service.",
)
RECOGNISE_YOUR_POWER = Recommendation(
    "Recognise your power",
    DRAFT_RECOMMENDATIONS,
    "Larger organisations adopt policies that protect others: no loss-making bids, no competing with "
    "smaller organisations, no exclusivity clauses, no bid candy, fair pricing and sustainable payment by results.",
)
JUST_BECAUSE_YOU_CAN = Recommendation(
    "Just because you can, does not mean you should",
    DRAFT_RECOMMENDATIONS,
    "Think differently about growth: sustainability and impact come before portfolio size.",
)
SERVE_THE_COMMUNITY = Recommendation(
    "Serve the community not the commissioner",
    DRAFT_RECOMMENDATIONS,
    "Focus on outcomes for communities, not on winning contracts for their own sake.",
)
COPRODUCE = Recommendation(
    "Coproduce services with people who will use them",
    DRAFT_RECOMMENDATIONS,
    "Design and deliver services with people who have direct experience of them.",
)
COLLABORATE_FROM_THE_BEGINNING = Recommendation(
    "Think about collaboration from the beginning",
    DRAFT_RECOMMENDATIONS,
    "The best partnerships start before a tender is published.",
)
SET_UP_THE_FOUNDATIONS = Recommendation(
    "Set up the foundations",
    DRAFT_RECOMMENDATIONS,
    "Agree expectations, boundaries and how to resolve conflict before entering a partnership.",
)
COMMUNICATE_FREQUENTLY = Recommendation(
    "Communicate frequently, and with honesty",
    DRAFT_RECOMMENDATIONS,
    "Include all partners throughout, from bidding to delivery.",
)
EXPAND_YOUR_IDEA_OF_COLLABORATION = Recommendation(
    "Expand your idea of collaboration",
    DRAFT_RECOMMENDATIONS,
    "Consider joint ventures, consortia, alliances, or being a smaller organisation's subcontractor.",
)
