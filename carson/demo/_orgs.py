"""Organisation and job-title vocabularies for the demo world.

``NAMED`` are the companies features and tests refer to (with the aliases people
type); the mid-market crowd is invented from ``PREFIXES`` and an industry's nouns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from carson.demo._names import words


@dataclass(frozen=True)
class OrgSpec:
    name: str
    domain: str
    industry: str
    kind: str
    """Which title ladder its people get: bank, tech, consulting, payroll, corp."""
    aliases: tuple[str, ...] = field(default=())
    headcount: int = 0
    """How many of the crowd work there now (named orgs; invented ones are drawn)."""


ME_COMPANY = "Paylane"
GOLDMAN = "Goldman Sachs"
MORGAN_STANLEY = "Morgan Stanley"
JPMORGAN = "JPMorgan Chase"

NAMED: tuple[OrgSpec, ...] = (
    OrgSpec("Paylane", "paylane.com", "Payroll software", "payroll", ("Paylane Inc.",), 22),
    OrgSpec(
        "Goldman Sachs", "goldmansachs.com", "Investment banking", "bank", ("GS", "Goldman"), 70
    ),
    OrgSpec(
        "JPMorgan Chase",
        "jpmorganchase.com",
        "Banking",
        "bank",
        ("JPMorgan", "JPM", "Chase", "J.P. Morgan"),
        55,
    ),
    OrgSpec("Morgan Stanley", "morganstanley.com", "Investment banking", "bank", ("MS",), 45),
    OrgSpec("Stripe", "stripe.com", "Payments", "tech", (), 30),
    OrgSpec("Salesforce", "salesforce.com", "Software", "tech", ("SFDC",), 35),
    OrgSpec("Deloitte", "deloitte.com", "Professional services", "consulting", (), 20),
    OrgSpec("Accenture", "accenture.com", "Professional services", "consulting", (), 15),
    OrgSpec(
        "PwC", "pwc.com", "Professional services", "consulting", ("PricewaterhouseCoopers",), 12
    ),
    OrgSpec("ADP", "adp.com", "Payroll services", "payroll", ("Automatic Data Processing",), 14),
    OrgSpec("Paychex", "paychex.com", "Payroll services", "payroll", (), 8),
    OrgSpec("Workday", "workday.com", "Software", "tech", (), 14),
    OrgSpec("Citigroup", "citi.com", "Banking", "bank", ("Citi", "Citibank"), 25),
    OrgSpec("Bank of America", "bankofamerica.com", "Banking", "bank", ("BofA", "BoA"), 25),
    OrgSpec("Wells Fargo", "wellsfargo.com", "Banking", "bank", (), 18),
    OrgSpec("BlackRock", "blackrock.com", "Asset management", "bank", (), 12),
    OrgSpec("Google", "google.com", "Technology", "tech", ("Alphabet",), 18),
    OrgSpec("Microsoft", "microsoft.com", "Technology", "tech", ("MSFT",), 16),
    OrgSpec("Amazon", "amazon.com", "Technology", "tech", ("AWS",), 18),
    OrgSpec("Oracle", "oracle.com", "Software", "tech", (), 10),
)

PREFIXES: tuple[str, ...] = tuple(
    " ".join(p.split("_"))
    for p in words(
        """
    Acme Alder Amberline Anchor Apex Arbor Ashford Aspen Atlas Aurora Bayside Beacon Bellwether
    Birchwood Blue_Heron Bluestone Boulder Brightwater Broadleaf Brookfield Cardinal Cascade
    Cedar Centerline Clearpath Cobalt Copperleaf Cornerstone Crescent Crestview Cypress Driftwood
    Eastgate Elmstead Ember Evergreen Fairhaven Falcon Fieldstone Firefly Foxglove Frontier
    Garnet Gateway Goldfinch Granite Greenfield Harborview Hawthorne Highland Horizon Ironwood
    Juniper Keystone Kingfisher Lakeshore Lantern Larkspur Laurel Lighthouse Linden Magnolia
    Maple_Ridge Meridian Millbrook Monarch Northstar Oakhurst Orchard Osprey Pacific_Crest
    Palisade Pinnacle Prairie Quarry Redwood Ridgeline Riverbend Rockport Sagebrush Sandpiper
    Sequoia Silverline Southport Sparrow Stonebridge Summit Sunridge Tidewater Timberline
    Trailhead Trillium Twin_Rivers Valley_Forge Vantage Westbrook Whitestone Willow Wren
    """
    )
)

# industry -> (kind, nouns used after a prefix)
INDUSTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Logistics": ("corp", ("Logistics", "Freight", "Transport", "Distribution")),
    "Healthcare": ("corp", ("Health", "Medical Partners", "Clinics", "Home Care")),
    "Manufacturing": ("corp", ("Manufacturing", "Industries", "Fabrication", "Components")),
    "Retail": ("corp", ("Outfitters", "Market", "Home Goods", "Apparel")),
    "Software": ("tech", ("Software", "Labs", "Analytics", "Systems", "Cloud")),
    "Hospitality": ("corp", ("Hospitality", "Hotels", "Restaurant Partners", "Resorts")),
    "Construction": ("corp", ("Builders", "Construction", "Contracting")),
    "Financial services": ("bank", ("Capital", "Credit Union", "Wealth Advisors", "Bancorp")),
    "Education": ("corp", ("Academy", "Learning", "Schools")),
    "Energy": ("corp", ("Energy", "Solar", "Power")),
    "Staffing": ("corp", ("Staffing", "Talent Partners", "Workforce Solutions")),
    "Real estate": ("corp", ("Properties", "Realty", "Property Management")),
    "Food and beverage": ("corp", ("Foods", "Brewing", "Provisions", "Coffee Roasters")),
    "Nonprofit": ("corp", ("Foundation", "Community Services")),
}

# Title ladders: (title, seniority 0 = junior .. 4 = executive, weight in the crowd).
TITLES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "bank": (
        ("Analyst", 0, 14),
        ("Associate", 1, 14),
        ("Vice President", 2, 12),
        ("Vice President, Payroll Operations", 2, 3),
        ("Vice President, Human Capital Management", 2, 3),
        ("Executive Director", 3, 5),
        ("Executive Director, Compensation & Benefits", 3, 2),
        ("Head of Payroll", 3, 2),
        ("HR Director", 3, 2),
        ("Managing Director", 4, 4),
        ("Chief Financial Officer", 4, 1),
    ),
    "tech": (
        ("Software Engineer", 0, 12),
        ("Senior Software Engineer", 1, 8),
        ("Payroll Specialist", 0, 3),
        ("Product Manager", 1, 6),
        ("Engineering Manager", 2, 5),
        ("People Operations Manager", 2, 4),
        ("Payroll Manager", 2, 3),
        ("Director of Finance", 3, 3),
        ("HR Director", 3, 3),
        ("Head of Payroll", 3, 2),
        ("VP of People", 4, 2),
        ("Chief Financial Officer", 4, 1),
    ),
    "consulting": (
        ("Consultant", 0, 12),
        ("Senior Consultant", 1, 10),
        ("Manager", 2, 7),
        ("Senior Manager", 3, 5),
        ("Director, Human Capital Advisory", 3, 3),
        ("Partner", 4, 3),
    ),
    "payroll": (
        ("Sales Development Representative", 0, 8),
        ("Implementation Specialist", 0, 6),
        ("Account Executive", 1, 8),
        ("Customer Success Manager", 1, 6),
        ("Solutions Engineer", 1, 4),
        ("Senior Account Executive", 2, 4),
        ("Sales Director", 3, 3),
        ("VP of Sales", 4, 1),
    ),
    "corp": (
        ("Payroll Specialist", 0, 8),
        ("HR Generalist", 0, 7),
        ("Staff Accountant", 0, 7),
        ("Operations Manager", 1, 7),
        ("Payroll Manager", 1, 6),
        ("HR Manager", 1, 6),
        ("Senior Payroll Manager", 2, 3),
        ("Controller", 2, 5),
        ("Head of Payroll", 3, 3),
        ("HR Director", 3, 4),
        ("Director of Finance", 3, 4),
        ("VP of People", 3, 2),
        ("VP of Finance", 3, 2),
        ("Chief Financial Officer", 4, 3),
        ("Chief Operating Officer", 4, 2),
        ("Chief Executive Officer", 4, 2),
    ),
}

# Titles whose holders decide on (or feel) payroll: the people a payroll seller sells to.
BUYER_WORDS: tuple[str, ...] = (
    "Payroll",
    "HR",
    "People",
    "Human Capital",
    "Compensation",
    "Finance",
    "Controller",
    "Chief",
)

PAYROLL_VENDORS: tuple[str, ...] = (
    "ADP",
    "Paychex",
    "an in-house spreadsheet process",
    "a regional payroll bureau",
    "Ceridian",
    "a legacy on-prem system",
)

CONFERENCES: tuple[str, ...] = (
    "the HR Tech Conference in Las Vegas",
    "the PayrollOrg Congress in Orlando",
    "SHRM Annual in Chicago",
    "a CFO breakfast in Midtown",
    "the Fintech Ops Forum in New York",
    "Dreamforce in San Francisco",
    "a Paylane customer dinner",
    "the Workday Rising after-party",
    "a SaaStr meetup in Austin",
)


def pick_title(rng: random.Random, kind: str, max_seniority: int = 4) -> tuple[str, int]:
    """A title from ``kind``'s ladder, weighted by how common it is, no more senior than asked."""
    ladder = [t for t in TITLES[kind] if t[1] <= max_seniority]
    title, seniority, _ = rng.choices(ladder, [t[2] for t in ladder])[0]
    return title, seniority


def is_buyer(title: str) -> bool:
    """Whether a title decides on (or feels) payroll."""
    return any(word in title for word in BUYER_WORDS)
