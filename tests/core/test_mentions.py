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
    assert plain.name == "ontario provincial police" and plain.count == 2
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
