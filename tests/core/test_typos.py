"""Typo correction: which indexed term replaces a word that matches nothing, and which words are left alone."""

from __future__ import annotations

import pytest
import tantivy

from viewer.core.search.query import Text, parse
from viewer.core.search.schema import TEXT_FIELDS, Analysis, build_schema, register
from viewer.core.search.typos import MIN_CHARS, Vocabulary, correct, max_distance

# (title, body): each body word's document count is how many bodies hold it
DOCS = [
    ("Watchdog", "clearview danger danger mast canada 12345"),
    ("Report", "clearview danger mast breach"),
    ("Notes", "clearview danger mast mask bolt bold hunter email"),
]


@pytest.fixture(scope="module")
def engine():
    schema, analysis = build_schema(), Analysis()
    index = tantivy.Index(schema)  # in memory
    register(index, analysis)
    writer = index.writer(15_000_000, 1)
    for number, (title, body) in enumerate(DOCS):
        writer.add_document(tantivy.Document(id=str(number), title=title, body=body))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    return searcher, analysis, Vocabulary(searcher)


def nearest(engine, word: str, fields: tuple[str, ...] = TEXT_FIELDS) -> str | None:
    _, analysis, vocabulary = engine
    (term,) = analysis.terms(word)
    return vocabulary.nearest(term, fields)


def corrections(engine, query: str) -> dict[str, str | None]:
    searcher, analysis, vocabulary = engine
    tree = parse(query)
    fixed = correct(tree, searcher, analysis, vocabulary)
    assert all(isinstance(leaf, Text) and leaf.corrected for leaf in fixed)
    return {leaf.text: leaf.corrected for leaf in fixed}


@pytest.mark.parametrize("term, edits", [("abcd", 1), ("abcde", 1), ("abcdef", 2), ("abcdefghijkl", 2)])
def test_one_edit_for_four_or_five_letters_two_from_six(term, edits):
    assert max_distance(term) == edits


def test_a_swapped_pair_of_letters_is_one_edit(engine):
    assert nearest(engine, "clearveiw") == "clearview"
    assert nearest(engine, "brech") == "breach"  # a missing letter


def test_nothing_near_enough_gives_nothing(engine):
    assert nearest(engine, "brxxh") is None  # two edits from breach: too many for five letters
    assert nearest(engine, "zzzzzzzz") is None


def test_a_word_with_the_same_first_letter_comes_before_a_closer_one(engine):
    # danger is one edit away and common, hunter two edits away and rare: hunter starts with h
    assert nearest(engine, "hanger") == "hunter"


def test_other_first_letters_are_tried_when_none_with_the_same_one_is_near(engine):
    assert nearest(engine, "kanada") == "canada"


def test_fewest_edits_then_most_frequent_then_alphabetical(engine):
    assert nearest(engine, "masz") == "mast"  # mask and mast one edit each; mast in three notes
    assert nearest(engine, "bolz") == "bold"  # bold and bolt, one note each: alphabetical
    assert nearest(engine, "dangr") == "danger"


def test_numbers_are_never_offered(engine):
    assert nearest(engine, "12346") is None


def test_the_vocabulary_of_one_field_only(engine):
    assert nearest(engine, "watchdgo", ("title",)) == "watchdog"
    assert nearest(engine, "watchdgo", ("body",)) is None
    assert nearest(engine, "clearveiw", ("title",)) is None


def test_only_words_that_match_nothing_are_corrected(engine):
    assert corrections(engine, "clearveiw danger") == {"clearveiw": "clearview"}
    assert corrections(engine, "clearview danger") == {}


def test_the_correction_is_kept_on_the_word(engine):
    searcher, analysis, vocabulary = engine
    tree = parse("police clearveiw")
    [leaf] = correct(tree, searcher, analysis, vocabulary)
    assert leaf.text == "clearveiw" and leaf.corrected == "clearview" and leaf in tree.children


def test_short_words_numbers_and_unfixable_words_are_left_alone(engine):
    assert len("mst") < MIN_CHARS
    assert corrections(engine, "mst") == {}
    assert corrections(engine, "12346") == {}
    assert corrections(engine, "zzzzzzzz") == {}


def test_excluded_words_phrases_and_prefixes_are_not_corrected(engine):
    assert corrections(engine, "-clearveiw") == {}
    assert corrections(engine, "NOT clearveiw") == {}
    assert corrections(engine, '"clearveiw danger"') == {}
    assert corrections(engine, "clearveiw*") == {}


def test_words_inside_groups_and_or_are_corrected(engine):
    assert corrections(engine, "(clearveiw OR hanger) breach") == {"clearveiw": "clearview", "hanger": "hunter"}


def test_a_word_that_is_two_terms_is_left_alone(engine):
    assert corrections(engine, "e-mial") == {}


def test_a_field_word_is_corrected_from_that_field(engine):
    assert corrections(engine, "title:watchdgo") == {"watchdgo": "watchdog"}
    assert corrections(engine, "title:clearveiw") == {}  # clearview is only in bodies
