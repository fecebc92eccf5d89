"""The guidance rules cite, and the recommendations of "Rebalancing the Relationship" they implement.

Every finding cites its source as a reader can find it: the document's title, who published
it, the year and the section (:func:`Recommendation.citation`). The file name in
``shared/guidance/`` is kept beside it for developers (JSON ``source``, SARIF properties).
Plugin rules may use these recommendations or declare their own ``Recommendation``.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT_RECOMMENDATIONS = "002_da80ac9788ba7218.txt"  # NCVO/ACEVO/Lloyds Bank Foundation, Feb 2020
MOTIVATIONS_AND_DRIVERS = "003_b39d592951b76965.txt"  # final report 2021
FOREWORD = "004_62d0d93a86abe9d5.txt"  # final report 2021
COOPERATION_BLOG = "001_e684959b28fff9a6.txt"  # Mark Simms (P3), 2021
GIVE_POWER_AWAY_BLOG = "000_d2eac050e961ea23.txt"  # Laura Bunt (With You), 2021


@dataclass(frozen=True)
class GuidanceDocument:
    """A document rules cite: its title, who wrote or published it, the year, and its file."""

    title: str
    by: str
    year: int
    file: str  # in shared/guidance/
    part: str = ""  # the part of a larger work the file holds, such as a chapter


_PROJECT = "NCVO, ACEVO and Lloyds Bank Foundation"
GUIDANCE_DOCUMENTS = {
    document.file: document
    for document in (
        GuidanceDocument("Rebalancing the Relationship: emerging findings and draft recommendations", _PROJECT, 2020, DRAFT_RECOMMENDATIONS),
        GuidanceDocument("Rebalancing the Relationship: final report", _PROJECT, 2021, MOTIVATIONS_AND_DRIVERS, "Motivations and drivers"),
        GuidanceDocument("Rebalancing the Relationship: final report", _PROJECT, 2021, FOREWORD, "Foreword"),
        GuidanceDocument("Rebalancing the relationship: overcoming barriers to collaboration", "Mark Simms (P3), blog", 2021, COOPERATION_BLOG),
        GuidanceDocument(
            "To truly rebalance the relationship, give power to people and communities", "Laura Bunt (With You), blog", 2021, GIVE_POWER_AWAY_BLOG
        ),
    )
}


def cite(source: str, section: str = "") -> str:
    """How a reader finds ``source`` (a guidance file name): title (by, year), section.

    A source that is not one of the guidance files (a plugin's own) is cited as written.
    """
    document = GUIDANCE_DOCUMENTS.get(source)
    if document is None:
        return f"{source}, {section}" if section else source
    where = section or document.part
    return f"{document.title} ({document.by}, {document.year})" + (f', section "{where}"' if where else "")


@dataclass(frozen=True)
class Recommendation:
    name: str  # as the guidance words it; findings are grouped under it
    source: str  # guidance file name, for developers; readers get the citation
    summary: str  # one line, paraphrased
    section: str = ""  # where in the source the recommendation is made
    # Further passages it rests on, as (guidance file name, section); cited after the first.
    also: tuple[tuple[str, str], ...] = ()

    @property
    def citation(self) -> str:
        """Title (publisher, year), section: what every report shows; further passages follow, "; "-separated."""
        return "; ".join(cite(source, section) for source, section in self.passages)

    @property
    def passages(self) -> tuple[tuple[str, str], ...]:
        """Every passage cited, as (guidance file name, section): the source's first."""
        return ((self.source, self.section), *self.also)


_CO_PRODUCTION = "Draft recommendations: Co-production and community focus"
_SYSTEM_VIEW = "Draft recommendations: System view"
_THINKING_AHEAD = "Draft recommendations: Thinking ahead"

CALCULATE_THE_IMPACT = Recommendation(
    "Calculate the impact on communities and beneficiaries",
    DRAFT_RECOMMENDATIONS,
    "Before bidding, weigh expertise, the current provider's quality and your costs, then the effect "
    "on the existing organisation, the local sector and the people who use the service.",
    _CO_PRODUCTION,
)
RECOGNISE_YOUR_POWER = Recommendation(
    "Recognise your power",
    DRAFT_RECOMMENDATIONS,
    "Larger organisations adopt policies that protect others: no loss-making bids, no competing with "
    "smaller organisations, no exclusivity clauses, no bid candy, fair pricing and sustainable payment by results.",
    _SYSTEM_VIEW,
)
JUST_BECAUSE_YOU_CAN = Recommendation(
    "Just because you can, does not mean you should",
    DRAFT_RECOMMENDATIONS,
    "Think differently about growth: sustainability and impact come before portfolio size.",
    _SYSTEM_VIEW,
)
SERVE_THE_COMMUNITY = Recommendation(
    "Serve the community not the commissioner",
    DRAFT_RECOMMENDATIONS,
    "Focus on outcomes for communities, not on winning contracts for their own sake.",
    _CO_PRODUCTION,
)
COPRODUCE = Recommendation(
    "Coproduce services with people who will use them",
    DRAFT_RECOMMENDATIONS,
    "Design and deliver services with people who have direct experience of them.",
    _CO_PRODUCTION,
)
COLLABORATE_FROM_THE_BEGINNING = Recommendation(
    "Think about collaboration from the beginning",
    DRAFT_RECOMMENDATIONS,
    "The best partnerships start before a tender is published.",
    _THINKING_AHEAD,
)
SET_UP_THE_FOUNDATIONS = Recommendation(
    "Set up the foundations",
    DRAFT_RECOMMENDATIONS,
    "Agree expectations, boundaries and how to resolve conflict before entering a partnership.",
    _THINKING_AHEAD,
)
COMMUNICATE_FREQUENTLY = Recommendation(
    "Communicate frequently, and with honesty",
    DRAFT_RECOMMENDATIONS,
    "Include all partners throughout, from bidding to delivery.",
    "Draft recommendations: Community and connection",
)
EXPAND_YOUR_IDEA_OF_COLLABORATION = Recommendation(
    "Expand your idea of collaboration",
    DRAFT_RECOMMENDATIONS,
    "Consider joint ventures, consortia, alliances, or being a smaller organisation's subcontractor.",
    "Draft recommendations: Autonomy, flexibility and creativity",
)
LOCAL_KNOWLEDGE_AND_PRESENCE = Recommendation(
    "Bring in the local knowledge and presence the work needs",
    DRAFT_RECOMMENDATIONS,
    "Collaboration is often essential to bring in a geographical presence; organisations rooted in a community "
    "know it and are connected to it, and those without a local base look for a local partner.",
    "Emerging findings: 3, 6 and 9",
    also=((MOTIVATIONS_AND_DRIVERS, "Necessity"),),
)
LINK_WORK_TO_GOVERNANCE = Recommendation(
    "Build self-awareness and critique",
    DRAFT_RECOMMENDATIONS,
    "Reflect honestly on how the organisation behaves, with feedback from business development to senior "
    "leadership, and link each piece of work to the governance structure.",
    "Draft recommendations: Learning culture",
)
