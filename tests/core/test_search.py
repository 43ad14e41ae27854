"""Search through KnowledgeBase.search: ranking, snippets, the query language, typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.core import Hit, KnowledgeBase, SearchResult

NOTES = {
    "clearview-ai.md": """---
title: Clearview AI
type: organisation
aliases: [Clearview]
tags: [company, facial-recognition]
---
# Clearview AI

The company sells a facial recognition tool to police forces.
""",
    "long-report.md": """---
title: A long report on many things
type: source
date: 2020-03
tags: [report]
---
# A long report on many things

This report covers budgets, weather, roads, schools and parks. Among a great many
other matters it notes, once, that a vendor called clearview was mentioned at a
meeting. It goes on about budgets, weather, roads, schools and parks at length.
""",
    "quebec.md": """---
title: Privacy commissioner of Québec
type: organisation
tags: [privacy, Police]
---
# Privacy commissioner of Québec

The commissioner of Québec looked into how officers used the tool, with
<script>alert(1)</script> & other "odd" text where x < y and y > z.
""",
    "edmonton-officers.md": """---
title: Edmonton officer accessed the tool
type: event
date: 2020-02-21
tags: [police]
---
# Edmonton officer accessed the tool

Three officers accessed [[Clearview AI]] in a free trial. The trial ended.
""",
    "month-event.md": """---
title: Month-dated event
type: event
date: 2020-02
---
# Month-dated event

Something happened in February; see [[Clearview]].
""",
    "year-event.md": """---
title: Year-dated event
type: event
date: 2020
---
# Year-dated event

Something happened that year, the exact trial date unknown.
""",
    "later-event.md": """---
title: Later event
type: event
date: 2021-03-05
---
# Later event

The findings were published; the free trial was long over.
""",
    "undated.md": """---
title: Undated topic
type: topic
---
# Undated topic

Facial recognition in general, with no date at all. Policing and recognition.
""",
}


def write_search_kb(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    return KnowledgeBase.open(write_search_kb(tmp_path / "kb"), store=tmp_path / "store" / "s.json")


def ids(result) -> list[str]:
    return [hit.note_id for hit in result]


def test_result_is_a_list_of_hits_with_fields(kb):
    result = kb.search("clearview")
    assert isinstance(result, SearchResult) and isinstance(result, list)
    assert all(isinstance(hit, Hit) for hit in result)
    hit = result[0]
    assert (hit.note_id, hit.title, hit.type) == ("clearview-ai", "Clearview AI", "organisation")
    assert hit.score > 0
    assert result.searched_for is None
    assert "<b>clearview</b>" in result[-1].snippet
    assert result.total == len(result) == 4


def test_title_match_outranks_body_mention(kb):
    result = ids(kb.search("clearview"))
    assert result[0] == "clearview-ai"
    assert result.index("clearview-ai") < result.index("long-report")


def test_scores_are_in_descending_order(kb):
    scores = [hit.score for hit in kb.search("trial")]
    assert len(scores) >= 3 and scores == sorted(scores, reverse=True)


def test_snippet_marks_matched_words_and_escapes_the_rest(kb):
    (hit,) = kb.search("commissioner looked")
    assert "<b>looked</b>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&amp;" in hit.snippet and "x &lt; y and y &gt; z" in hit.snippet
    stripped = hit.snippet.replace("<b>", "").replace("</b>", "")
    assert "<" not in stripped and ">" not in stripped


def test_snippet_shows_link_labels_not_brackets(kb):
    (hit,) = kb.search("accessed three")
    assert "[[" not in hit.snippet and "Clearview AI" in hit.snippet


def test_accents_fold_both_ways(kb):
    assert ids(kb.search("Quebec")) == ["quebec"]
    assert ids(kb.search("québec")) == ["quebec"]
    assert ids(kb.search("QUÉBEC")) == ["quebec"]


def test_stemming_finds_other_forms(kb):
    found = set(ids(kb.search("officers")))
    assert {"edmonton-officers", "quebec"} <= found  # title says "officer", bodies "officers"
    assert "edmonton-officers" in ids(kb.search("officer"))
    assert "undated" in ids(kb.search("police"))  # "Policing" stems alike


def test_words_are_anded(kb):
    assert set(ids(kb.search("free trial"))) == {"edmonton-officers", "later-event"}
    assert kb.search("free trial").mode == "all"
    assert kb.search('"free" "budgets"') == []  # with operators: no best matches


def test_words_no_note_holds_all_of_give_best_matches(kb):
    result = kb.search("free budgets")
    assert result.mode == "best" and result.notice.startswith("No note has every word")
    assert {"edmonton-officers", "later-event", "long-report"} <= set(ids(result))


def test_or(kb):
    assert set(ids(kb.search("budgets OR findings"))) == {"long-report", "later-event"}
    assert set(ids(kb.search("(budgets OR findings) published"))) == {"later-event"}


def test_exclusion(kb):
    assert set(ids(kb.search("trial -free"))) == {"year-event"}
    assert "clearview-ai" not in ids(kb.search("-police"))
    assert "undated" not in ids(kb.search("-police"))  # "Policing" is excluded too
    assert "long-report" in ids(kb.search("-police"))


def test_exact_phrase(kb):
    assert set(ids(kb.search('"free trial"'))) == {"edmonton-officers", "later-event"}
    assert ids(kb.search('"trial free"')) == []
    assert ids(kb.search('"recognition tool"')) == ["clearview-ai"]


def test_prefix(kb):
    assert set(ids(kb.search("recogn*"))) == {"clearview-ai", "undated"}
    assert "clearview-ai" in ids(kb.search("polic*"))
    assert ids(kb.search("zzq*")) == []


def test_field_filters(kb):
    assert set(ids(kb.search("type:event"))) == {"edmonton-officers", "month-event", "year-event", "later-event"}
    assert set(ids(kb.search("tag:police"))) == {"edmonton-officers", "quebec"}  # tags fold case
    assert set(ids(kb.search("title:officer"))) == {"edmonton-officers"}
    assert set(ids(kb.search("trial type:event -date:2021"))) == {"edmonton-officers", "year-event"}
    assert set(ids(kb.search('title:"long report"'))) == {"long-report"}


def test_links_filter_resolves_id_title_and_alias(kb):
    linking = {"edmonton-officers", "month-event"}  # one links by title, one by alias
    assert set(ids(kb.search("links:clearview-ai"))) == linking
    assert set(ids(kb.search('links:"Clearview AI"'))) == linking
    assert set(ids(kb.search("links:clearview"))) == linking
    assert ids(kb.search("links:no-such-note")) == []


def test_dates_partial_and_ranges(kb):
    assert set(ids(kb.search("date:2020-02-21"))) == {"edmonton-officers", "month-event", "year-event"}
    assert set(ids(kb.search("date:2020-02"))) == {"edmonton-officers", "month-event", "year-event"}
    assert set(ids(kb.search("date:2020"))) == {"edmonton-officers", "month-event", "year-event", "long-report"}
    assert set(ids(kb.search("date:2020-03..2021-12"))) == {"long-report", "year-event", "later-event"}
    assert set(ids(kb.search("date:2021.."))) == {"later-event"}
    assert set(ids(kb.search("date:..2019"))) == set()
    assert "undated" not in ids(kb.search("date:1900..2100"))
    assert set(ids(kb.search("date:2021-12..2020-03"))) == {"long-report", "year-event", "later-event"}


def test_typo_tolerance_says_what_it_searched_for(kb):
    result = kb.search("clearveiw")
    assert ids(result)[0] == "clearview-ai"
    assert result.searched_for == "clearview"
    result = kb.search("comissioner quebec")
    assert ids(result) == ["quebec"] and result.searched_for == "commissioner quebec"


def test_no_correction_when_every_word_matches(kb):
    assert kb.search("budgets").searched_for is None


def test_filter_only_and_negative_only_queries_score_zero(kb):
    assert {hit.score for hit in kb.search("type:event")} == {0.0}
    assert kb.search("-trial -clearview")


def test_limit(kb):
    assert len(kb.search("type:event", limit=2)) == 2
    assert kb.search("type:event", limit=0) == []
    assert len(kb.search("type:event", limit=10**9)) == 4


@pytest.mark.parametrize("query", [
    '"', "-", "type:", "date:", "links:", "tag:", "title:", "(", ")", "()", "OR", "OR OR", "-(", '-"',
    "*", "**", "a*b*", "date:2020-13", "date:..", "date:2020..2019", "date:99999", "type:event OR",
    "x" * 10_000, "word " * 3000, "\x00\x01\x02\x1b[31m", "caf\u00e9\u0301 \ud7ff \U0001f600",
    "\\", "title:*", "-type:event", "links:\"", "NOT", "AND", "((((((((((a", "a))))))))", "a:b:c",
])
def test_garbage_queries_are_answered_without_exception(kb, query):
    result = kb.search(query)
    assert isinstance(result, SearchResult)
    assert all(isinstance(hit, Hit) for hit in result)


def test_unknown_field_is_searched_as_words(kb):
    assert ids(kb.search("colour:budgets")) == []  # "colour budgets" as a phrase: no such words
    assert ids(kb.search("meeting:budgets")) == []
    assert "long-report" in ids(kb.search("weather:roads"))  # "weather, roads" sit side by side


def test_snippet_prefers_the_passage_where_the_words_meet(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    filler = " ".join(["Nothing to see in this sentence."] * 40)
    (folder / "n.md").write_text(f"# N\n\nThe walrus came first. {filler} Later the walrus sang a ballad.\n",
                                 encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    (hit,) = kb.search("walrus ballad")
    assert "<b>walrus</b> sang a <b>ballad</b>" in hit.snippet and hit.snippet.startswith("…")


def test_hidden_link_target_is_not_searched_but_its_label_is(tmp_path):
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "secret-target-name.md").write_text("---\ntitle: Target Title\n---\nPlain words here.\n", encoding="utf-8")
    (folder / "linker.md").write_text(
        "# Linker\n\nSee [[secret-target-name|the visible label]] and [[secret-target-name]].\n",
        encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert ids(kb.search("visible label")) == ["linker"]
    assert "linker" in ids(kb.search('"target title"'))  # a bare link reads as its title
    assert "linker" not in ids(kb.search("secret"))


def _phrase_kb(tmp_path) -> KnowledgeBase:
    folder = tmp_path / "phrases"
    folder.mkdir()
    (folder / "inquiry.md").write_text(
        "# Inquiry\n\nThe Privacy Commissioner's report came out. Two other commissioners "
        "disagreed, and police in Toronto used facial recognition; "
        "police in Ottawa did not buy recognition software.\n",
        encoding="utf-8")
    (folder / "clean.md").write_text(
        "# Clean\n\nThe privacy commissioner spoke to police about the commissioners.\n", encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path / "s.json")


def test_phrase_words_are_marked_only_where_the_phrase_stands(tmp_path):
    kb = _phrase_kb(tmp_path)
    for hit in kb.search('"privacy commissioner"'):
        assert "<b>Privacy Commissioner</b>" in hit.snippet or "<b>privacy commissioner</b>" in hit.snippet
        assert "commissioners" in hit.snippet and "<b>commissioners</b>" not in hit.snippet
        assert bold_words_lower(hit.snippet) == {"privacy commissioner"}


def test_mixed_query_marks_free_words_everywhere(tmp_path):
    kb = _phrase_kb(tmp_path)
    (hit,) = kb.search('"facial recognition" police')
    assert hit.snippet.count("<b>police</b>") == 2
    assert "<b>facial recognition</b>" in hit.snippet and "recognition software" in hit.snippet
    hit = next(h for h in kb.search('"privacy commissioner" commissioners') if h.note_id == "inquiry")
    assert "<b>commissioners</b>" in hit.snippet


def test_stray_phrase_word_alone_keeps_its_mark_rather_than_none(tmp_path):
    from viewer.core.search.schema import Analysis
    from viewer.core.search.snippets import PhraseMarks
    marks = PhraseMarks(Analysis(), [["privaci", "commission"]])
    assert marks.apply("a <b>commissioner</b> spoke") == "a <b>commissioner</b> spoke"
    assert marks.apply("<b>Privacy</b>, <b>commissioners</b> &amp; <b>commissioner</b>") == \
        "<b>Privacy, commissioners</b> &amp; commissioner"  # the whole phrase, one mark
    assert marks.apply("<b>privacy</b> x <b>commissioner</b> <b>privacy</b>") == \
        "<b>privacy</b> x <b>commissioner</b> <b>privacy</b>"  # no whole phrase: tantivy's marks kept


def test_non_phrase_query_marks_every_occurrence(tmp_path):
    kb = _phrase_kb(tmp_path)
    hit = next(h for h in kb.search("privacy commissioner") if h.note_id == "clean")
    assert "<b>privacy</b> <b>commissioner</b>" in hit.snippet and "<b>commissioners</b>" in hit.snippet


def bold_words_lower(snippet: str) -> set[str]:
    from viewer.core.search.snippets import bold_words
    return {word.lower() for word in bold_words(snippet)}
