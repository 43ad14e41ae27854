"""A folder written for another wiki-style note app opens as it is."""

from viewer.core import KnowledgeBase


def test_obsidian_style_vault(tmp_path):
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "workspace.md").write_text("[[not a note]]", encoding="utf-8")
    (vault / "Daily Notes").mkdir()
    (vault / "Projects" / "Deep").mkdir(parents=True)
    (vault / "Home.md").write_text(
        "Links: [[Meeting Notes]], [[Projects/Deep/Plan|the plan]], [[meeting notes#Agenda]] "
        "and an embed ![[Plan]].\n", encoding="utf-8")
    (vault / "Daily Notes" / "Meeting Notes.md").write_text(
        "---\ntags: work, meeting\ncreated: 2024-01-05T09:30:00\n---\n## Agenda\nBack to [[Home]].\n",
        encoding="utf-8")
    (vault / "Projects" / "Deep" / "Plan.md").write_text("# The Plan\n\nSee [[Home]].\n", encoding="utf-8")
    kb = KnowledgeBase.open(vault, store=tmp_path / "s.json")
    assert {n.id for n in kb} == {"Home", "Meeting Notes", "Plan"}
    assert [link.target_id for link in kb.outgoing("Home")] == ["Meeting Notes", "Plan", "Meeting Notes", "Plan"]
    assert kb.get("Meeting Notes").tags == ("work", "meeting")
    assert kb.get("Meeting Notes").meta == {"created": "2024-01-05T09:30:00"}
    assert kb.get("Plan").title == "Plan"  # the file name: a heading is never the title
    assert [d for d in kb.diagnostics if d.severity == "error"] == []
    assert 'href="note:Meeting%20Notes#agenda"' in kb.render("Home")
