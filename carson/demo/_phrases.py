"""Wording for the demo's notes and interaction subjects.

Each topic has several phrasings so notes don't read like one template with the
names swapped. Fields: {first} {name} {org} {kid} {college} {city} {vendor}
{quarter} {n} {states} {race} {conf} {month} {weeks} {hcp}.
"""

from __future__ import annotations

# Personal details anyone might share.
PERSONAL: tuple[tuple[str, ...], ...] = (
    (
        "{first}'s oldest, {kid}, is starting at {college} in the fall.",
        "Talked with {first} about college: {kid} got into {college} and is going.",
        "{name} — proud parent moment, {kid} is headed to {college}.",
    ),
    (
        "{first} is training for the {race}; long runs on Sunday mornings.",
        "{name} signed up for the {race}. Ask how training is going.",
        "Running the {race} this year — {first} is aiming for a personal best.",
    ),
    (
        "{first} just moved to {city}. Still unpacking boxes.",
        "{name} relocated to {city} with the family last month.",
        "New address for {first}: moved to {city}, loves the food scene so far.",
    ),
    (
        "{first} and their partner are expecting a baby in {month}.",
        "{name} mentioned a second kid on the way, due in {month}.",
    ),
    (
        "{first} is a huge golf fan — plays most Saturdays, handicap around {hcp}.",
        "Golf is {first}'s thing. Offered to set up a round sometime.",
    ),
    (
        "{name} just got back from {weeks} weeks in Japan; recommends Kyoto in the spring.",
        "{first} took the family to Portugal this summer. Lisbon was the highlight.",
        "{first} is planning a trip to Patagonia next year, asked me for hiking tips.",
    ),
    (
        "{first} coaches {kid}'s soccer team on weekends.",
        "{name} spends Saturdays at {kid}'s travel hockey games.",
    ),
    (
        "{first} was promoted to {title} — send a congrats note.",
        "{name} stepped up into the {title} role at {org}.",
    ),
    (
        "{first} is a Mets season-ticket holder; don't schedule anything on opening day.",
        "{name} is a die-hard Packers fan.",
        "{first} follows the Celtics religiously — good small talk.",
    ),
    (
        "{first} is renovating their kitchen and has been living on takeout since {month}.",
        "{name} bought a lake house up north; spends most summer weekends there.",
    ),
    (
        "{first} volunteers at a food bank in {city} every other Saturday.",
        "{name} is on the board of a local literacy nonprofit.",
    ),
    (
        "{first} is learning Italian before a sabbatical in Florence.",
        "{name} picked up woodworking during the pandemic and sells cutting boards now.",
    ),
    (
        "{first}'s father had surgery last month; be gentle about timelines.",
        "{name} is taking some time off to care for a parent.",
    ),
    (
        "{first} prefers calls before 9am — mornings are clear, afternoons are not.",
        "{name} hates long decks. One page, numbers first.",
        "{first} likes to meet in person; coffee at the place near their office works.",
    ),
    (
        "{first} did the {race} last spring and is already talking about the next one.",
        "{name} is doing a charity cycling ride for cancer research.",
    ),
    (
        "{first} and I are both {college} alumni — bonded over the football season.",
        "{name} went to {college}; still close with their old crew from there.",
    ),
)

# Business pains and buying signals: for people who run or feel payroll.
BUSINESS: tuple[tuple[str, ...], ...] = (
    (
        "{first} says their payroll vendor ({vendor}) is under-performing; renewal in {quarter}.",
        "{name}: unhappy with {vendor}, contract renews {quarter}. Wants options before then.",
        "Payroll at {org} runs on {vendor} and {first} is fed up. Renewal {quarter}.",
    ),
    (
        "{org} now runs payroll in {states} states; {first}'s team struggles with tax filings.",
        "Multi-state tax is the headache for {first}: {states} states, filings done by hand.",
    ),
    (
        "{first}'s team spends two days every cycle fixing payroll errors from time-clock imports.",
        "{name}: off-cycle corrections every pay period, mostly overtime miscalculations.",
        "Every payroll run at {org} needs manual fixes, {first} says: {n} corrections a cycle.",
    ),
    (
        "{org} is hiring fast ({n} people this year); {first} worries payroll won't scale.",
        "{name} expects headcount to double at {org}; current setup won't keep up.",
    ),
    (
        "{first} wants payroll to sync with Workday — today it's CSV exports and re-keying.",
        "HRIS integration is {first}'s top ask: no more exporting from the HR system by hand.",
        "{name}: GL posting to NetSuite is manual and the close takes an extra three days.",
    ),
    (
        "Year-end was painful for {first}: W-2 corrections for {n} employees.",
        "{name} is still cleaning up W-2c forms from last year-end.",
    ),
    (
        "{first} pays {n} contractors abroad through wires and spreadsheets; wants one system.",
        "Contractor payments at {org} are a mess — {first} reconciles them by hand monthly.",
    ),
    (
        "Audit flagged payroll controls at {org}; {first} needs approval workflows by {quarter}.",
        "{name} mentioned an audit finding on payroll access rights. Priority for {quarter}.",
    ),
    (
        "{org} acquired a company and now has two payroll systems; {first} wants to consolidate.",
        "After the merger {first} runs payroll on two platforms. Consolidation is on the table.",
    ),
    (
        "Budget for new tools at {org} is set in {quarter}; the CFO signs anything over $50k.",
        "{first} said any switch needs the CFO's sign-off; budget cycle closes in {quarter}.",
    ),
    (
        "{first}'s payroll team is two people for {n} employees and they're burning out.",
        "{name}: understaffed payroll team, overtime every pay week.",
    ),
    (
        "{first} asked about earned wage access for hourly staff; turnover is high at {org}.",
        "Hourly turnover is {first}'s big worry — wants on-demand pay as a retention perk.",
    ),
)

# The customer's own notes (Sarah Lee and other clients).
CLIENT: tuple[str, ...] = (
    "QBR with {first}: tax module live in {states} states, asking about garnishment handling.",
    "{first} flagged that the time-clock sync dropped shifts twice this month; opened a ticket.",
    "{name} wants a reference call for a peer at another company; happy to help.",
    "{first} is pleased with the rollout but asked for better reporting for finance.",
    "Renewal chat with {first}: likely to expand to the {n}-person warehouse team.",
)

RACES: tuple[str, ...] = (
    "Boston marathon",
    "New York City marathon",
    "Chicago marathon",
    "Brooklyn half marathon",
    "Ironman in Lake Placid",
    "Broad Street Run",
)

MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

SUBJECTS: dict[str, tuple[str, ...]] = {
    "prospect": (
        "Paylane x {org}",
        "Quick question about payroll at {org}",
        "Following up",
        "Re: Following up",
        "Case study: how a {n}-person team cut payroll errors",
        "Re: pricing for {n} employees",
        "Demo recap and next steps",
        "Re: multi-state tax question",
    ),
    "client": (
        "Q{q} business review",
        "Re: payroll run on the 15th",
        "Renewal paperwork",
        "Paylane roadmap preview",
        "Re: garnishment setup",
        "Ticket update: time-clock sync",
        "Re: year-end checklist",
        "New hire onboarding flow",
    ),
    "friend": (
        "Drinks Thursday?",
        "Re: this weekend",
        "Photos from the lake",
        "Happy birthday!",
        "Fantasy league draft",
        "Re: dinner plans",
        "Game tickets",
    ),
    "colleague": (
        "Catching up",
        "Coffee next week?",
        "Re: intro",
        "Saw the news — congrats!",
        "Re: quick favor",
        "Hiring question",
    ),
    "team": (
        "Weekly pipeline review",
        "Deal desk: {org}",
        "Forecast call",
        "Re: territory split",
        "Account plan: {org}",
    ),
}

SUMMARIES: dict[str, tuple[str, ...]] = {
    "prospect": (
        "Discovery call: {n} employees, payroll on {vendor}.",
        "Walked through the tax module and time-clock integration.",
        "Intro meeting; they want a proposal before {quarter}.",
    ),
    "client": (
        "Quarterly review: adoption up, two open support tickets.",
        "Checked in on the last payroll run; all clean.",
        "Discussed expansion to another business unit.",
    ),
    "friend": (
        "Caught up on family news.",
        "Dinner downtown.",
        "Long catch-up call.",
        "Watched the game together.",
    ),
    "colleague": (
        "Coffee catch-up about work and the market.",
        "Talked about their new role.",
        "Swapped notes on hiring.",
    ),
    "team": (
        "Pipeline review: commits and upside for the quarter.",
        "Account planning session.",
    ),
}
