"""The query compiler, on a small in-memory index: which notes each query finds, and in which order."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import tantivy

from viewer.core.dates import day_numbers
from viewer.core.search.compiler import Context, compile_query, stem_start
from viewer.core.search.query import parse
from viewer.core.search.schema import Analysis, build_schema, register

# id: (title, aliases, body, type, tags, date)
NOTES = {
    "opp": ("Ontario Provincial Police", ["OPP"], "Officers tested facial recognition software in 2019.",
            "organisation", ["police"], None),
    "rcmp": ("Royal Canadian Mounted Police", ["RCMP"], "The force used Clearview for months.",
             "organisation", ["police", "federal"], None),
    "breach": ("Client list breach", [], "Clearview said an intruder took its client list.",
               "event", ["breach"], "2020-02-26"),
    "report": ("Commissioners' report", [], "The privacy commissioners found the collection unlawful. "
               "Recognition of faces without consent.", "source", [], "2021-02"),
    "story": ("The story", [], "A story of police, privacy and a breach of trust; the breach mattered "
              "less than the use; breach after breach.", "topic", ["Police"], "2020"),
    "trial": ("Free trials", ["trial accounts"], "Officers signed up for trial accounts by email.",
              "topic", [], None),
}
LINKS_TO = {"opp": {"story", "trial"}, "rcmp": {"story"}}  # who links to whom


@dataclass
class Engine:
    schema: tantivy.Schema
    searcher: tantivy.Searcher
    analysis: Analysis

    def context(self) -> Context:
        def linking(name: str) -> set[str] | None:
            key = name.casefold()
            return LINKS_TO.get(key, set()) if key in NOTES else None
        return Context(self.schema, self.searcher, self.analysis, linking)

    def ids(self, query: str) -> list[str] | None:
        """The ids found, best first; None when the query compiles to nothing."""
        compiled = compile_query(parse(query), self.context())
        if compiled is None:
            return None
        hits = self.searcher.search(compiled, 50).hits
        return [self.searcher.doc(address).get_first("id") for _, address in hits]

    def scores(self, query: str) -> dict[str, float]:
        compiled = compile_query(parse(query), self.context())
        assert compiled is not None
        return {self.searcher.doc(a).get_first("id"): s for s, a in self.searcher.search(compiled, 50).hits}


@pytest.fixture(scope="module")
def engine() -> Engine:
    schema, analysis = build_schema(), Analysis()
    index = tantivy.Index(schema)  # in memory
    register(index, analysis)
    writer = index.writer(15_000_000, 1)
    for note_id, (title, aliases, body, kind, tags, date) in NOTES.items():
        doc = tantivy.Document(id=note_id, title=title, body=body, type=kind.casefold())
        for alias in aliases:
            doc.add_text("aliases", alias)
        for tag in tags:
            doc.add_text("tag", tag.casefold())
        if date:
            start, end = day_numbers(date)
            doc.add_integer("date_start", start)
            doc.add_integer("date_end", end)
        writer.add_document(doc)
    writer.commit()
    index.reload()
    return Engine(schema, index.searcher(), analysis)


def found(engine: Engine, query: str) -> set[str]:
    return set(engine.ids(query) or ())


def test_words_are_anded_and_stemmed(engine):
    assert found(engine, "officers recognition") == {"opp"}
    assert found(engine, "officer") == {"opp", "trial"}  # officers, stemmed
    assert found(engine, "clearview client") == {"breach"}


def test_case_and_accents_are_folded(engine):
    assert found(engine, "CLEARVIEW") == found(engine, "clearview") == {"rcmp", "breach"}
    assert found(engine, "Récognition") == {"opp", "report"}


def test_or_finds_either_and_binds_tighter_than_and(engine):
    assert found(engine, "intruder OR months") == {"breach", "rcmp"}
    assert found(engine, "intruder OR months force") == {"rcmp"}  # (intruder OR months) force


def test_a_minus_word_excludes_and_alone_leaves_every_other_note(engine):
    assert found(engine, "clearview -intruder") == {"rcmp"}
    assert found(engine, "clearview NOT intruder") == {"rcmp"}
    assert found(engine, "-clearview") == set(NOTES) - {"rcmp", "breach"}


def test_a_phrase_needs_its_words_together(engine):
    assert found(engine, '"client list"') == {"breach"}
    assert found(engine, '"list client"') == set()
    assert found(engine, '"facial recognition"') == {"opp"}
    assert found(engine, '"recognition software"') == {"opp"}


def test_a_prefix_finds_words_starting_so(engine):
    assert found(engine, "recog*") == {"opp", "report"}
    assert found(engine, "commission*") == {"report"}
    assert found(engine, "police*") == {"opp", "rcmp", "story"}  # police is indexed as polic
    assert found(engine, "zzz*") == set()


def test_a_field_limits_the_words_to_it(engine):
    assert found(engine, "title:breach") == {"breach"}
    assert found(engine, "breach") == {"breach", "story"}
    assert found(engine, 'title:"client list"') == {"breach"}
    assert found(engine, "title:commission*") == {"report"}


def test_a_title_match_ranks_above_body_matches_and_an_alias_above_the_body(engine):
    assert engine.ids("breach")[0] == "breach"  # in its title once, in the story's body three times
    assert engine.ids("trial")[0] == "trial"  # title, alias and body, against the body of none else
    scores = engine.scores("opp OR officers")
    assert scores["opp"] > scores["trial"]  # the alias OPP counts more than a body word


def test_type_and_tag_filters(engine):
    assert found(engine, "type:organisation") == {"opp", "rcmp"}
    assert found(engine, "type:ORGANISATION") == {"opp", "rcmp"}
    assert found(engine, "tag:police") == {"opp", "rcmp", "story"}
    assert found(engine, "tag:#Police") == {"opp", "rcmp", "story"}
    assert found(engine, "tag:nothing") == set()


def test_a_filter_narrows_without_changing_scores(engine):
    alone = engine.scores("officers")
    narrowed = engine.scores("officers type:organisation")
    assert set(narrowed) == {"opp"}
    assert narrowed["opp"] == pytest.approx(alone["opp"])


def test_links_finds_the_notes_linking_to_a_named_note(engine):
    assert found(engine, "links:opp") == {"story", "trial"}
    assert found(engine, "links:rcmp police") == {"story"}
    assert found(engine, "links:nobody-of-that-name") == set()
    assert found(engine, "links:breach") == set()  # a note nobody links to


@pytest.mark.parametrize("query, expected", [
    ("date:2020-02", {"breach", "story"}),  # the story, dated 2020, covers February
    ("date:2020", {"breach", "story"}),
    ("date:2020-02-26", {"breach", "story"}),
    ("date:2020-03", {"story"}),
    ("date:2021", {"report"}),
    ("date:2021-02-10", {"report"}),
    ("date:2020-03..2021-01", {"story"}),
    ("date:2021-03..2020-03", {"story", "report"}),  # written backwards: 2020-03..2021-03
    ("date:2021..", {"report"}),
    ("date:..2019", set()),
    ("date:not-a-date", set()),
])
def test_a_date_matches_the_notes_whose_span_overlaps_it(engine, query, expected):
    assert found(engine, query) == expected


def test_groups_nest(engine):
    assert found(engine, "(clearview OR officers) -(intruder OR email)") == {"rcmp", "opp"}


def test_a_query_of_nothing_compiles_to_none(engine):
    assert engine.ids("") is None
    assert engine.ids("!!! ,,, ...") is None
    assert engine.ids("-(!!!)") is None


def test_a_word_the_index_never_saw_finds_nothing(engine):
    assert engine.ids("xylophone") == []


def test_wanted_words_are_recorded_for_snippets_but_excluded_ones_are_not(engine):
    ctx = engine.context()
    compile_query(parse('clearview "client list" recog* -intruder'), ctx)
    assert ctx.starts == ["clearview"[:-1], "client"[:-1], "list", "recog"]
    assert not any(start.startswith("intrud") for start in ctx.starts)


def test_stem_start_leaves_room_for_a_changed_last_letter():
    assert stem_start("privaci") == "privac"  # privacy, stemmed as privaci
    assert stem_start("list") == "list"  # short terms as they are
