"""The query language parser: operators, leniency, and no input that makes it (or a search) fail."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core import KnowledgeBase, SearchResult
from viewer.core.search.query import MAX_LEAVES, And, Filter, Not, Or, Text, parse


def test_words_phrases_prefixes_and_fields():
    tree = parse('police "free trial" recogn* title:breach type:event tag:#Police links:"The Event"')
    assert tree.children == [
        Text("police", span=(0, 6)),
        Text("free trial", kind="phrase", span=(7, 19)),
        Text("recogn", kind="prefix", span=(20, 27)),
        Text("breach", field="title", span=(28, 40)),
        Filter("type", "event", (41, 51)),
        Filter("tag", "#Police", (52, 63)),
        Filter("links", "The Event", (64, 81)),
    ]


def test_or_binds_tighter_than_and_and_groups_nest():
    tree = parse("a OR b c -(d OR e)")
    assert isinstance(tree.children[0], Or) and len(tree.children[0].children) == 2
    assert tree.children[1] == Text("c", span=(7, 8))
    assert isinstance(tree.children[2], Not) and isinstance(tree.children[2].child, Or)


@pytest.mark.parametrize("query", ['"', "-", "- -", "()", "OR", "OR OR", ")(", '-"', "NOT"])
def test_pure_punctuation_asks_for_nothing(query):
    assert parse(query) == And([])


def test_empty_field_and_unknown_field_become_words():
    assert parse("type:").children == [Text("type:", span=(0, 5))]
    assert parse("colour:red").children == [Text("colour:red", span=(0, 10))]


def test_bad_date_becomes_words():
    tree = parse("date:soon")
    assert tree.children == [And([Text("date", span=(0, 4)), Text("soon", span=(5, 9))])]


def test_control_characters_separate_words():
    assert [leaf.text for leaf in parse("a\x00b\x1fc").children] == ["a", "b", "c"]


def test_huge_queries_are_capped():
    tree = parse("word " * 5000)
    assert len(tree.children) == MAX_LEAVES


OPERATORS = st.sampled_from(['"', "-", "(", ")", "OR", "NOT", "*", ":", "type:", "tag:", "title:", "links:",
                             "date:", "..", "2020-02", " ", "\x00", "é", "\\", "|", "AND"])
QUERY = st.lists(st.one_of(OPERATORS, st.text(max_size=12)), max_size=25).map("".join)


@given(QUERY)
def test_parse_never_raises(query):
    tree = parse(query)
    assert isinstance(tree, And)


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    folder = tmp_path_factory.mktemp("kb")
    for index, text in enumerate(["Police trial in Québec", "Free trial of the tool", "Officers and policing"]):
        (folder / f"n{index}.md").write_text(f"---\ntype: event\ndate: 2020-0{index + 1}\ntags: [t{index}]\n---\n"
                                             f"# Note {index}\n\n{text}.\n", encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path_factory.mktemp("store") / "s.json")


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERY)
def test_search_never_raises_and_snippets_stay_safe(kb, query):
    result = kb.search(query)
    assert isinstance(result, SearchResult)
    for hit in result:
        assert not re.search(r"<(?!/?b>)", hit.snippet)  # no markup but <b> and </b>
