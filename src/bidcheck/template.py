"""The commented tender template written by ``bidcheck init``."""

TENDER_TEMPLATE = """\
# A tender for bidcheck. Fill in what you know; leave the rest commented out.
# `bidcheck check THIS_FILE` says what is missing and which questions to answer.
# Format: money as "£1.2m", "£450k" or 1200000; percentages as 30 or "30%"; dates YYYY-MM-DD.

tender:
  id: CHANGE-ME-001                 # required: your reference
  title: Name of the service        # required
  # buyer: London Borough of Example
  # service: substance-misuse       # matched against organisation.services in bidcheck.yaml
  # cpv: ["85312300"]
  # value: "£1.2m"                  # total over the initial term, excluding VAT
  # term_months: 36
  # extension_months: 24
  # areas: [Hackney]                # place names or ITL codes
  # published: 2026-11-01
  # deadline: 2026-12-15
  # results_pct: 0                  # share of the price paid on results

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
