import pytest

from viewer.core.plain import link_labels as plain_text
from viewer.core.plain import link_sentence as display_context
from viewer.core.wikilinks import find_links, split_target


def test_four_forms_and_embed():
    body = "a [[one]] b [[two|Label]] c [[three#Part]] d [[four#Part|L4]] e ![[five]]\n"
    links = find_links(body)
    assert [(link.target, link.heading, link.label, link.embed) for link in links] == [
        ("one", None, None, False),
        ("two", None, "Label", False),
        ("three", "Part", None, False),
        ("four", "Part", "L4", False),
        ("five", None, None, True),
    ]


def test_line_numbers_count_from_body_start():
    links = find_links("first\n\nthird [[x]]\n", first_line=7)
    assert links[0].line == 9


def test_context_is_the_sentence_holding_the_link():
    body = "Intro sentence here. The agency used [[tool|the tool]] in 2019. Later text follows.\n"
    (link,) = find_links(body)
    assert link.context == "The agency used [[tool|the tool]] in 2019."
    assert display_context(link.context) == "The agency used the tool in 2019."


def test_display_context_reads_bare_ids_as_titles():
    titles = {"opp": "Ontario Provincial Police"}
    assert display_context("See [[opp]] and [[OPP|the force]] and [[x#H]].", titles.get) == (
        "See Ontario Provincial Police and the force and x › H.")


def test_links_in_code_are_ignored():
    body = "```\n[[in-fence]]\n```\nText `[[in-span]]` and [[real]].\n    [[indented-code]]\n"
    assert [link.target for link in find_links(body)] == ["real"]


def test_split_target_trims_spaces():
    assert split_target(" a b # H | L ") == ("a b", "H", "L")


def test_plain_text_shows_labels():
    assert plain_text("see [[a|A]] and [[b#C]]") == "see A and b › C"


@pytest.mark.parametrize(("body", "expected"), [
    ("See ![[chart]] now.", [("chart", True, "See ![[chart]] now.")]),
    ("!![[a]] and [[b]]", [("a", True, "!![[a]] and [[b]]"), ("b", False, "!![[a]] and [[b]]")]),
    ("`!`[[a]] is a link.", [("a", False, "`!`[[a]] is a link.")]),
    ("Done! ![[a]] Next one. [[b]] here.", [("a", True, "Done! ![[a]] Next one."), ("b", False, "[[b]] here.")]),
    ('He said "Stop." [[a]] Then?) [[b]]', [("a", False, "[[a]] Then?"), ("b", False, "[[b]]")]),
])
def test_embeds_and_link_sentences_at_the_edges(body, expected):
    found = [(link.target, link.embed, link.context) for link in find_links(body)]
    assert found == expected
