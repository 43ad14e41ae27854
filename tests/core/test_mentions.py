"""Unlinked mentions: notes that name a note without linking to it."""

from __future__ import annotations

from viewer.core import KnowledgeBase


def make(tmp_path, notes: dict[str, str]) -> KnowledgeBase:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name, text in notes.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path / "s.json")


TARGET = "---\ntitle: Ontario Provincial Police\naliases: [OPP]\n---\n# Ontario Provincial Police\n\nA force.\n"


def test_a_title_or_alias_named_without_a_link_is_a_mention(tmp_path):
    kb = make(tmp_path, {
        "opp": TARGET,
        "plain": "# Plain\n\nThe ontario provincial police said so. Later the OPP said more.\n",
        "acronym": "# Acronym\n\nThe OPP spoke.\n",
        "linked": "# Linked\n\nThe [[opp|force]] spoke, and the OPP again.\n",
        "lower": "# Lower\n\nAn opp-osite view; the opposition; opp in lower case.\n",
        "in-code": "# Code\n\n`OPP` and\n\n```\nOPP\n```\n",
        "in-link-text": "# Link text\n\nSee [[Ontario Provincial Police Report]].\n",
    })
    mentions = kb.unlinked_mentions("opp")
    assert [m.source for m in mentions] == ["acronym", "plain"]  # by source title
    plain = mentions[1]
    assert plain.name == "ontario provincial police" and plain.times == 2
    assert plain.line == 3 and plain.context == "The ontario provincial police said so."
    assert kb.unlinked_mentions("nowhere") == []


def test_mentions_follow_a_sync(tmp_path):
    kb = make(tmp_path, {"opp": TARGET, "other": "# Other\n\nNothing here.\n"})
    assert kb.unlinked_mentions("opp") == []
    (kb.folder / "other.md").write_text("# Other\n\nNow the OPP appears.\n", encoding="utf-8")
    kb.sync()
    assert [m.source for m in kb.unlinked_mentions("opp")] == ["other"]


def test_names_shorter_than_three_characters_are_not_searched(tmp_path):
    kb = make(tmp_path, {"aa": "---\ntitle: AA\n---\n# AA\n", "x": "# X\n\nAA is here.\n"})
    assert kb.unlinked_mentions("aa") == []


def test_mentions_are_looked_for_only_in_the_search_index_hits(tmp_path):
    kb = make(tmp_path, {"opp": TARGET, "a": "# A\n\nThe OPP spoke.\n", "b": "# B\n\nThe OPP spoke too.\n"})
    asked: list[list[str]] = []
    naming = kb._search.naming

    def only_b(names):
        asked.append(names)
        return {"b"} & naming(names)
    kb._search.naming = only_b
    kb._mention_finder = None
    assert [m.source for m in kb.unlinked_mentions("opp")] == ["b"]
    assert asked == [["Ontario Provincial Police", "OPP"]]


def test_the_index_finds_a_name_in_any_case_and_across_a_hyphen(tmp_path):
    kb = make(tmp_path, {
        "hoan": "---\ntitle: Hoan Ton-That\naliases: [Quebec Officers]\n---\n# Hoan Ton-That\n",
        "one": "# One\n\nSaid hoan ton-that, twice: Hoan Ton-That.\n",
        "two": "# Two\n\nThe Quebec officers left.\n",
        "three": "# Three\n\nHoan and Ton-That apart.\n"})
    assert kb._search.naming(["Hoan Ton-That"]) == {"hoan", "one"}
    mentions = kb.unlinked_mentions("hoan")
    assert [(m.source, m.times) for m in mentions] == [("one", 2), ("two", 1)]


def test_a_name_with_a_word_the_index_leaves_out_is_still_found(tmp_path):
    from viewer.core import KnowledgeBase

    folder = tmp_path / "kb"
    folder.mkdir()
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"  # 45 letters: longer than any indexed word
    (folder / "lung.md").write_text(f"---\ntitle: {word} Clinic\naliases: ['???']\n---\n# Lung\n", encoding="utf-8")
    (folder / "a.md").write_text(f"# A\n\nThe {word} Clinic opened.\n", encoding="utf-8")
    (folder / "b.md").write_text("# B\n\nWho knows ??? about it.\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert [m.source for m in kb.unlinked_mentions("lung")] == ["a", "b"]


def test_names_in_scripts_with_combining_marks_are_found_after_a_mark(tmp_path):
    from viewer.core import KnowledgeBase

    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "kamal.md").write_text("---\ntitle: कमल\naliases: [محمد]\n---\n# Kamal\n", encoding="utf-8")
    (folder / "a.md").write_text("# A\n\nयह कमलं है।\n", encoding="utf-8")  # an anusvara after the name
    (folder / "b.md").write_text("# B\n\nقال محمدٌ ذلك.\n", encoding="utf-8")  # a tanween after it
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert [m.source for m in kb.unlinked_mentions("kamal")] == ["a", "b"]
