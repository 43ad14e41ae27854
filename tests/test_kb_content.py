"""Content checks for the bundled knowledge base in kb/.

The knowledge base covers the Clearview AI story in Canada (2019-2025) and the
regulators' actions abroad. These tests read the Markdown notes directly and check
coverage, note types, dates, citations, source addresses and cross-references.
"""

import re
from pathlib import Path

import pytest
import yaml

KB = Path(__file__).resolve().parents[1] / "kb"

TYPES = {"organisation", "person", "event", "topic", "source", "overview"}
LINK_RE = re.compile(r"!?\[\[([^\]|#]+)(#[^\]|]*)?(\|[^\]]*)?\]\]")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# A date known only as a range: an ISO 8601 interval of two (partial) dates.
_PART = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
INTERVAL_RE = re.compile(rf"^{_PART}/{_PART}$")
# A publication date may also be an open interval ("on or after"), for undated pages.
PUBLISHED_RE = re.compile(rf"^{_PART}(?:/(?:{_PART}|\.\.))?$")

# Names (title or alias) that must resolve to a note.
REQUIRED_ENTITIES = [
    # organisations: the company, police services and agencies
    "Clearview AI",
    "OPP",
    "Ontario Provincial Police",
    "RCMP",
    "NCECC",
    "Toronto police",
    "Toronto Police Service",
    "Halifax police",
    "Hamilton police",
    "Edmonton police",
    "Peel Regional Police",
    "Halton Regional Police",
    "Calgary Police Service",
    "Vancouver Police Department",
    "Canadian Special Operations Forces Command",
    # watchdogs, Parliament, regulators abroad
    "OPC",
    "Office of the Privacy Commissioner of Canada",
    "Privacy commissioner of British Columbia",
    "Privacy commissioner of Alberta",
    "Privacy commissioner of Quebec",
    "Commission d'accès à l'information du Québec",
    "Information and Privacy Commissioner of Ontario",
    "ETHI",
    "Information Commissioner's Office",
    # media and platforms
    "The New York Times",
    "NYT",
    "Global News",
    "The Canadian Press",
    "Facebook",
    "Instagram",
    "YouTube",
    # people
    "Hoan Ton-That",
    "Hal Lambert",
    "Richard Schwartz",
    "Kashmir Hill",
    "Andrew Russell",
    "Daniel Therrien",
    "Michael McEvoy",
    "Jill Clayton",
    "Brian Beamish",
    "Ann Cavoukian",
    "Mark Saunders",
    "James Ramer",
    "Meaghan Gray",
    "Catherine Fortin",
    "Gordon Sage",
    # topics
    "Facial recognition",
    "Image scraping from social media",
    "Free trials offered to police outside procurement",
    "Victim identification",
    "Clearview AI client-list breach",
    "Charter of Rights and Freedoms",
    "Oversight by privacy commissioners",
    "Police procurement of new technology",
    "Jurisdiction over a company outside Canada",
    "Biometric consent",
    "Growth of Clearview's database",
]

# Expected type for some of the required names.
REQUIRED_TYPES = {
    "Clearview AI": "organisation",
    "OPP": "organisation",
    "RCMP": "organisation",
    "OPC": "organisation",
    "NYT": "organisation",
    "Global News": "organisation",
    "Facebook": "organisation",
    "ETHI": "organisation",
    "Information Commissioner's Office": "organisation",
    "Peel Regional Police": "organisation",
    "Calgary Police Service": "organisation",
    "Hoan Ton-That": "person",
    "Kashmir Hill": "person",
    "Andrew Russell": "person",
    "Daniel Therrien": "person",
    "Michael McEvoy": "person",
    "Hal Lambert": "person",
    "Gordon Sage": "person",
    "Facial recognition": "topic",
    "Charter of Rights and Freedoms": "topic",
    "Oversight by privacy commissioners": "topic",
    "Police procurement of new technology": "topic",
    "Jurisdiction over a company outside Canada": "topic",
    "Biometric consent": "topic",
    "Growth of Clearview's database": "topic",
}

# Common abbreviations, each an alias of the note it names.
ABBREVIATIONS = {
    "OPP": "ontario-provincial-police",
    "RCMP": "royal-canadian-mounted-police",
    "OPC": "office-of-the-privacy-commissioner-of-canada",
    "TPS": "toronto-police",
    "IPC": "information-and-privacy-commissioner-of-ontario",
    "CAI": "quebec-privacy-commissioner",
    "ICO": "information-commissioners-office",
    "ETHI": "ethi-committee",
    "EPS": "edmonton-police",
}

# The four OPP units must be named in the text of the knowledge base.
OPP_UNITS = [
    "child sexual exploitation",
    "human trafficking",
    "cyber crime",
    "digital forensics",
]

# Every source of the two fact briefs (S1-S51) has exactly one source note.
# S4 (reports of the client-list breach) and S21 (the dated Axios report of that
# breach) are one note: the breach is one incident, and S21 is its report.
SOURCES_BY_NUMBER = {
    1: "global-news-opp-clearview",
    2: "nyt-secretive-company",
    3: "opc-joint-investigation-announcement",
    4: "clearview-breach-reports",
    5: "opc-clearview-stops-services-announcement",
    6: "joint-investigation-report-clearview",
    7: "opc-special-report-rcmp-clearview",
    8: "global-news-tps-confirms-testing",
    9: "star-peel-halton-tested",
    10: "cbc-hamilton-police-tested",
    11: "rcmp-release-facial-recognition-2020",
    12: "star-clearview-used-more-widely",
    13: "star-mps-call-for-investigation",
    14: "global-news-halifax-police-confirm",
    15: "ctv-edmonton-police-used-clearview",
    16: "calgary-herald-police-tracking",
    17: "star-opp-confirms-use",
    18: "cbc-rcmp-denied-then-confirmed",
    19: "star-144-toronto-officers",
    20: "cbc-bc-officers-used-clearview",
    21: "clearview-breach-reports",
    22: "cbc-clearview-stops-in-canada",
    23: "tyee-clearview-exits-canada",
    24: "star-mass-surveillance-illegal",
    25: "national-observer-illegal-mass-surveillance",
    26: "cbc-rcmp-violated-privacy-laws",
    27: "star-rcmp-broke-privacy-laws",
    28: "rcmp-response-to-opc-report",
    29: "black-press-bc-order",
    30: "itworld-three-provincial-orders",
    31: "cai-decision-1023158",
    32: "direction-informatique-quebec-order",
    33: "dickinson-wright-bc-pipa",
    34: "slaw-alberta-regulation-unconstitutional",
    35: "mondaq-alberta-court-clearview",
    36: "techcrunch-ceo-resigns",
    37: "simmons-ico-fine",
    38: "awo-upper-tribunal",
    39: "next-cnil-penalty",
    40: "plb-dutch-dpa-fine",
    41: "oaic-statement-2024",
    42: "innovationaus-oaic-no-further-action",
    43: "aclu-illinois-case-page",
    44: "bloomberg-law-settlement-approved",
    45: "ethi-news-release-report",
    46: "ethi-report-recommendations",
    47: "regulators-joint-statement-framework",
    48: "opc-consultation-police-facial-recognition",
    49: "public-safety-qp-note-rcmp",
    50: "openparliament-ethi-meeting-20",
    51: "mcmillan-bc-court-ruling",
}

# The OPC's own pages for S3, S5 and S7 were not read: S3's address is the release
# as distributed by a newswire, S5's and S7's the OPC's listing. Their notes say so.
ADDRESS_NOT_READ = {3, 5, 7}

# Source notes whose authors must be named (a byline exists).
SOURCES_WITH_AUTHORS = {2, 21, 23, 29, 32, 42}

# Dated events that must exist, with their date (a range is an ISO 8601 interval).
REQUIRED_EVENT_DATES = {
    "opp-officers-begin-free-trial": "2019-12",
    "opp-internal-review": "2019-12/2020-03-01",
    "opp-orders-testing-stopped": "2019-12/2020-03-01",
    "rcmp-denies-using-facial-recognition": "2020-01-17",
    "nyt-investigation-published": "2020-01-18",
    "toronto-police-confirm-testing": "2020-02-13",
    "toronto-police-use-reported": "2020-02-14",
    "peel-and-halton-reveal-testing": "2020-02-14",
    "joint-investigation-announced": "2020-02-21",
    "client-list-breach-disclosed": "2020-02-26",
    "rcmp-use-in-child-exploitation-cases-reported": "2020-02-27",
    "wider-canadian-use-reported": "2020-02-27",
    "opc-opens-rcmp-investigation": "2020-02-27/2020-02-28",
    "edmonton-officers-accessed-clearview": "2020-02-28",
    "halifax-police-confirm-use": "2020-02-28",
    "more-forces-confirm-use": "2020-02-28",
    "opp-statement-on-clearview": "2020-03-01",
    "clearview-stops-services-in-canada": "2020-07-06",
    "joint-investigation-findings-published": "2021-02-03",
    "opc-report-to-parliament-on-rcmp": "2021-06-10",
    "opc-consultation-on-police-facial-recognition": "2021-06/2022-05-02",
    "oaic-determination-against-clearview": "2021-10-14",
    "alberta-commissioner-orders-clearview": "2021-12-07",
    "bc-commissioner-orders-clearview": "2021-12-14",
    "cai-orders-clearview": "2021-12-14",
    "toronto-police-review-presented": "2022-02-28",
    "regulators-call-for-legal-framework": "2022-05-02",
    "ethi-hears-rcmp-on-facial-recognition": "2022-05-09",
    "ico-fines-clearview": "2022-05-23",
    "ethi-report-on-facial-recognition": "2022-10-04",
    "cnil-liquidates-penalty": "2023-05-10",
    "first-tier-tribunal-rules-for-clearview": "2023-10-17",
    "oaic-ends-clearview-case": "2024-08-21",
    "dutch-dpa-fines-clearview": "2024-09-03",
    "bc-supreme-court-upholds-order": "2024-12-18",
    "hoan-ton-that-resigns": "2025-02",
    "class-settlement-approved": "2025-03",
    "alberta-court-rules-on-clearview": "2025-05-08",
    "upper-tribunal-rules-against-clearview": "2025-10",
}

# Wording that treated the one client-list breach as possibly two incidents.
BREACH_HEDGES = ["same incident or", "whether the two reports", "separate report", "kept apart"]


class Note:
    def __init__(self, path: Path):
        self.path = path
        self.rel = path.relative_to(KB).as_posix()
        self.id = path.stem
        text = path.read_text(encoding="utf-8")
        self.meta = {}
        self.body = text
        if text.startswith("---"):
            lines = text.splitlines(keepends=True)
            end = None
            for i in range(1, len(lines)):
                if lines[i].strip() == "---":
                    end = i
                    break
            assert end is not None, f"{self.rel}: front matter is not closed"
            self.meta = yaml.safe_load("".join(lines[1:end])) or {}
            self.body = "".join(lines[end + 1 :])
        self.type = self.meta.get("type")
        self.title = str(self.meta.get("title") or self.id)
        aliases = self.meta.get("aliases") or []
        self.aliases = [str(a) for a in aliases]
        self.links = [m.group(1).strip() for m in LINK_RE.finditer(self.body)]

    def names(self):
        return [self.id, self.title, *self.aliases]


def _load():
    notes = [Note(p) for p in sorted(KB.rglob("*.md"))]
    return notes


NOTES = _load()
BY_ID = {n.id: n for n in NOTES}


def _name_index():
    index = {}
    for n in NOTES:
        for name in n.names():
            index.setdefault(name.casefold(), set()).add(n.id)
    return index


NAME_INDEX = _name_index()


def resolve(target):
    ids = NAME_INDEX.get(target.strip().casefold(), set())
    return next(iter(ids)) if len(ids) == 1 else None


def link_targets(note):
    """Distinct ids that a note links to (unresolved links are skipped)."""
    out = set()
    for t in note.links:
        rid = resolve(t)
        if rid is not None:
            out.add(rid)
    return out


def events():
    return [n for n in NOTES if n.type == "event"]


def test_kb_folder_exists():
    assert KB.is_dir(), f"{KB} is missing"
    assert (KB / "overview.md").is_file(), "kb/overview.md is missing"


def test_note_count():
    assert len(NOTES) >= 100, f"only {len(NOTES)} notes in kb/, expected at least 100"


def test_ids_are_unique():
    seen = {}
    for n in NOTES:
        assert n.id not in seen, f"{n.rel}: id {n.id!r} also used by {seen[n.id]}"
        seen[n.id] = n.rel


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.rel)
def test_type_is_known(note):
    assert note.type in TYPES, f"{note.rel}: type {note.type!r} is not one of {sorted(TYPES)}"


def test_exactly_one_overview():
    overviews = [n.rel for n in NOTES if n.type == "overview"]
    assert overviews == ["overview.md"], f"expected only overview.md as overview, found {overviews}"


def test_names_are_unambiguous():
    clashes = {name: sorted(ids) for name, ids in NAME_INDEX.items() if len(ids) > 1}
    assert not clashes, f"names used by more than one note: {clashes}"


@pytest.mark.parametrize("name", REQUIRED_ENTITIES)
def test_required_entity_exists(name):
    rid = resolve(name)
    assert rid is not None, f"no note has the title or alias {name!r}"
    want = REQUIRED_TYPES.get(name)
    if want:
        assert BY_ID[rid].type == want, f"{BY_ID[rid].rel}: {name!r} should be a {want} note"


@pytest.mark.parametrize("unit", OPP_UNITS)
def test_opp_units_named(unit):
    opp_notes = [n for n in NOTES if "OPP" in n.names() or n.id.startswith("opp-")]
    assert opp_notes, "no OPP notes found"
    found = [n.rel for n in opp_notes if unit in (n.body + " ".join(n.aliases)).lower()]
    assert found, f"the OPP unit {unit!r} is not named in any OPP note"


@pytest.mark.parametrize("number", sorted(SOURCES_BY_NUMBER))
def test_every_brief_source_has_a_source_note(number):
    sid = SOURCES_BY_NUMBER[number]
    note = BY_ID.get(sid)
    assert note is not None, f"S{number}: source note {sid}.md is missing"
    assert note.type == "source", f"{note.rel}: type should be source"
    assert note.rel.startswith("sources/"), f"{note.rel}: source notes belong in kb/sources/"
    url = str(note.meta.get("url") or "")
    assert re.match(r"^https?://\S+$", url), f"{note.rel}: url {url!r} is not a web address"
    if number in ADDRESS_NOT_READ:
        said = str(note.meta.get("url_note") or "") + note.body
        assert "not read" in said, f"{note.rel}: say that the OPC's own page was not read"
    if number in SOURCES_WITH_AUTHORS:
        assert note.meta.get("authors"), f"{note.rel}: the byline's authors are missing"


def test_source_numbers_never_shown_to_readers():
    shown = [n.rel for n in NOTES if re.search(r"\bS\d{1,2}\b", n.body)]
    assert not shown, f"notes show the briefs' S-numbers: {shown}"


@pytest.mark.parametrize("note", [n for n in NOTES if n.type == "source"], ids=lambda n: n.rel)
def test_every_source_note_has_outlet_published_and_authors(note):
    assert str(note.meta.get("outlet") or "").strip(), f"{note.rel}: missing outlet"
    published = str(note.meta.get("published") or "")
    assert PUBLISHED_RE.match(published), f"{note.rel}: published {published!r} is not an ISO date or interval"
    assert isinstance(note.meta.get("authors"), list), f"{note.rel}: authors must be a list (it may be empty)"
    url = note.meta.get("url")
    if url is not None:
        assert re.match(r"^https?://\S+$", str(url)), f"{note.rel}: url {url!r} is not a web address"


@pytest.mark.parametrize("note", [n for n in NOTES if n.type == "source"], ids=lambda n: n.rel)
def test_every_source_backs_a_content_note(note):
    users = [n.rel for n in NOTES if n.type not in ("source", "overview") and note.id in (n.meta.get("sources") or [])]
    assert users, f"{note.rel}: no organisation, person, event or topic note lists it in sources"


def test_global_news_credit_is_not_an_author_list():
    note = BY_ID["global-news-opp-clearview"]
    assert note.meta.get("authors") == [], f"{note.rel}: the article has no byline; authors must be []"
    assert "Andrew Russell" in str(note.meta.get("credit")), f"{note.rel}: keep the 'with files from' credit"


def test_breach_is_one_incident():
    hedging = [n.rel for n in NOTES if any(h in n.body.lower() for h in BREACH_HEDGES)]
    assert not hedging, f"notes still treat the client-list breach as possibly two incidents: {hedging}"
    assert "one incident" in BY_ID["clearview-breach-reports"].body + BY_ID["client-list-breach-disclosed"].body


@pytest.mark.parametrize("abbr", sorted(ABBREVIATIONS))
def test_abbreviation_is_an_alias(abbr):
    note = BY_ID[ABBREVIATIONS[abbr]]
    assert abbr in note.aliases, f"{note.rel}: {abbr!r} should be one of its aliases"
    assert resolve(abbr) == note.id, f"{abbr!r} does not resolve to {note.rel}"


@pytest.mark.parametrize("note", events(), ids=lambda n: n.rel)
def test_event_has_date_and_source(note):
    date = note.meta.get("date")
    assert date is not None, f"{note.rel}: event without date"
    text = str(date)
    assert DATE_RE.match(text) or INTERVAL_RE.match(text), (
        f"{note.rel}: date {date!r} is not YYYY, YYYY-MM, YYYY-MM-DD or an interval A/B"
    )
    if INTERVAL_RE.match(text):
        first, last = text.split("/")
        assert first < last, f"{note.rel}: interval {text} does not run forwards"
    assert note.meta.get("sources"), f"{note.rel}: event without sources"


@pytest.mark.parametrize("note", events(), ids=lambda n: n.rel)
def test_event_states_its_date_first(note):
    first = next(line for line in note.body.splitlines() if line.strip() and not line.startswith("#"))
    assert first.startswith("**Date:**"), f"{note.rel}: the first sentence should give the date"
    text = str(note.meta.get("date"))
    assert re.fullmatch(r"\d{4}", text) is None, f"{note.rel}: a year alone is too vague; give the range"
    if INTERVAL_RE.match(text):
        assert re.search(r"\b(between|from)\b", first), f"{note.rel}: a range date must be stated as a range"


@pytest.mark.parametrize("eid", sorted(REQUIRED_EVENT_DATES))
def test_required_event_dates(eid):
    note = BY_ID.get(eid)
    assert note is not None, f"event note {eid}.md is missing"
    assert note.type == "event", f"{note.rel}: should be an event"
    got = str(note.meta.get("date"))
    assert got == REQUIRED_EVENT_DATES[eid], f"{note.rel}: date {got} != {REQUIRED_EVENT_DATES[eid]}"


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.rel)
def test_sources_listed_and_cited(note):
    sources = note.meta.get("sources")
    assert isinstance(sources, list) and sources, f"{note.rel}: empty or missing sources list"
    for sid in sources:
        target = BY_ID.get(str(sid))
        assert target is not None and target.type == "source", (
            f"{note.rel}: {sid!r} in sources is not a source note"
        )
    cited = link_targets(note) & {str(s) for s in sources}
    if note.type == "source" and note.id in sources:
        cited.add(note.id)  # a source note stands as its own evidence
    assert cited, f"{note.rel}: body does not link to any of its sources {sources}"


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.rel)
def test_links_resolve(note):
    broken = [t for t in note.links if resolve(t) is None]
    assert not broken, f"{note.rel}: unresolved links {broken}"


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.rel)
def test_links_to_three_other_notes(note):
    others = link_targets(note) - {note.id}
    assert len(others) >= 3, f"{note.rel}: links to only {len(others)} other notes {sorted(others)}"


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.rel)
def test_has_backlink(note):
    sources = [n.rel for n in NOTES if n.id != note.id and note.id in link_targets(n)]
    assert sources, f"{note.rel}: no other note links to it"


def test_overview_links_every_event():
    overview = BY_ID.get("overview")
    assert overview is not None, "kb/overview.md is missing"
    linked = link_targets(overview)
    missing = [n.rel for n in events() if n.id not in linked]
    assert not missing, f"overview.md does not link to events: {missing}"


def test_overview_links_agencies_and_probe():
    linked = link_targets(BY_ID["overview"])
    for name in ["OPP", "RCMP", "Toronto police", "Halifax police", "Hamilton police",
                 "Edmonton police", "OPC", "Clearview AI client-list breach"]:
        assert resolve(name) in linked, f"overview.md does not link to {name}"
    police = [n.rel for n in NOTES if n.type == "organisation" and "police" in (n.meta.get("tags") or [])]
    missing = [rel for rel in police if Path(rel).stem not in linked]
    assert not missing, f"overview.md does not list these police services: {missing}"


def test_overview_is_a_guide():
    body = BY_ID["overview"].body
    for heading in ["## The story", "## Main events", "## Agencies by province", "## Where to start"]:
        assert heading in body, f"overview.md lacks the section {heading!r}"
    rows = [line for line in body.splitlines() if re.match(r"^\| \d{4}", line)]
    assert len(rows) >= 30, f"overview.md's events table has only {len(rows)} dated rows"
    years = [line[2:6] for line in rows]
    assert years == sorted(years), "overview.md's events table is not in date order"


@pytest.mark.parametrize("note", [n for n in NOTES if n.type not in ("source", "overview")], ids=lambda n: n.rel)
def test_cited_sources_are_listed(note):
    cited = {t for t in link_targets(note) if BY_ID[t].type == "source"}
    unlisted = sorted(cited - {str(s) for s in note.meta.get("sources") or []})
    assert not unlisted, f"{note.rel}: cites {unlisted} but does not list them in sources"
