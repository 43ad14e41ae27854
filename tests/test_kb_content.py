"""Content checks for the bundled knowledge base in kb/.

The knowledge base covers the Canadian side of the Clearview AI story (2020-2021).
These tests read the Markdown notes directly and check coverage, note types,
dates, citations and cross-references.
"""

import re
from pathlib import Path

import pytest
import yaml

KB = Path(__file__).resolve().parents[1] / "kb"

TYPES = {"organisation", "person", "event", "topic", "source", "overview"}
LINK_RE = re.compile(r"!?\[\[([^\]|#]+)(#[^\]|]*)?(\|[^\]]*)?\]\]")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Names (title or alias) that must resolve to a note.
REQUIRED_ENTITIES = [
    # organisations
    "Clearview AI",
    "OPP",
    "Ontario Provincial Police",
    "RCMP",
    "Toronto police",
    "Halifax police",
    "Hamilton police",
    "Edmonton police",
    "OPC",
    "Office of the Privacy Commissioner of Canada",
    "Privacy commissioner of British Columbia",
    "Privacy commissioner of Alberta",
    "Privacy commissioner of Quebec",
    "Information and Privacy Commissioner of Ontario",
    "The New York Times",
    "NYT",
    "Global News",
    "The Canadian Press",
    "Facebook",
    "Instagram",
    "YouTube",
    # people
    "Hoan Ton-That",
    "Kashmir Hill",
    "Andrew Russell",
    # topics
    "Facial recognition",
    "Image scraping from social media",
    "Free trials offered to police outside procurement",
    "Victim identification",
    "Clearview AI client-list breach",
    "Charter of Rights and Freedoms",
    "Oversight by privacy commissioners",
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
    "Hoan Ton-That": "person",
    "Kashmir Hill": "person",
    "Andrew Russell": "person",
    "Facial recognition": "topic",
    "Charter of Rights and Freedoms": "topic",
    "Oversight by privacy commissioners": "topic",
}

# The four OPP units must be named in the text of the knowledge base.
OPP_UNITS = [
    "child sexual exploitation",
    "human trafficking",
    "cyber crime",
    "digital forensics",
]

# One source note per source S1-S7: id -> (outlet must be set, authors required).
SOURCE_NOTES = {
    "global-news-opp-clearview": True,  # S1, authors required
    "nyt-secretive-company": True,  # S2, authors required
    "opc-joint-investigation-announcement": False,  # S3
    "clearview-breach-reports": False,  # S4
    "opc-clearview-stops-services-announcement": False,  # S5
    "joint-investigation-report-clearview": False,  # S6
    "opc-special-report-rcmp-clearview": False,  # S7
}

# Dated events that must exist, with their date.
REQUIRED_EVENT_DATES = {
    "opp-officers-begin-free-trial": "2019-12",
    "nyt-investigation-published": "2020-01-18",
    "toronto-police-use-reported": "2020-02-14",
    "joint-investigation-announced": "2020-02-21",
    "client-list-breach-disclosed": "2020-02-26",
    "edmonton-officers-accessed-clearview": "2020-02-28",
    "opp-statement-on-clearview": "2020-03-01",
    "clearview-stops-services-in-canada": "2020-07-06",
    "joint-investigation-findings-published": "2021-02-03",
    "opc-report-to-parliament-on-rcmp": "2021-06-10",
}


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
    assert len(NOTES) >= 40, f"only {len(NOTES)} notes in kb/, expected at least 40"


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


@pytest.mark.parametrize("sid", sorted(SOURCE_NOTES))
def test_source_note_metadata(sid):
    note = BY_ID.get(sid)
    assert note is not None, f"source note {sid}.md is missing"
    assert note.type == "source", f"{note.rel}: type should be source"
    assert note.rel.startswith("sources/"), f"{note.rel}: source notes belong in kb/sources/"
    assert str(note.meta.get("outlet") or "").strip(), f"{note.rel}: missing outlet"
    published = str(note.meta.get("published") or "")
    assert DATE_RE.match(published), f"{note.rel}: published {published!r} is not an ISO (partial) date"
    if SOURCE_NOTES[sid]:
        authors = note.meta.get("authors")
        assert isinstance(authors, list) and authors, f"{note.rel}: authors list missing"


@pytest.mark.parametrize("note", [n for n in NOTES if n.type == "source"], ids=lambda n: n.rel)
def test_every_source_note_has_outlet_and_published(note):
    assert str(note.meta.get("outlet") or "").strip(), f"{note.rel}: missing outlet"
    assert DATE_RE.match(str(note.meta.get("published") or "")), f"{note.rel}: missing or bad published"


@pytest.mark.parametrize("note", events(), ids=lambda n: n.rel)
def test_event_has_date_and_source(note):
    date = note.meta.get("date")
    assert date is not None, f"{note.rel}: event without date"
    assert DATE_RE.match(str(date)), f"{note.rel}: date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    assert note.meta.get("sources"), f"{note.rel}: event without sources"


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
