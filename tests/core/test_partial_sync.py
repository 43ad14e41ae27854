"""A sync of a few changed files that keep their names works out only theirs, and ends as a full open would."""

from __future__ import annotations

import pytest
from edits import touch

from viewer.core import KnowledgeBase
from viewer.core import kb as kb_module


@pytest.fixture
def folder(tmp_path):
    """Notes with links, a broken link, an unknown source and two same-named files."""
    kb = tmp_path / "kb"
    (kb / "a").mkdir(parents=True)
    (kb / "b").mkdir()
    (kb / "hub.md").write_text("# Hub\n\nSee [[one]], [[two]] and [[three]]. Also [[Smith]].\n")
    (kb / "one.md").write_text("---\nsources: [hub]\n---\n# One\n\nBack to [[hub]]. And [[nowhere]].\n")
    (kb / "two.md").write_text("# Two\n\nAbout [[one]] and [[hub]].\n")
    (kb / "three.md").write_text("---\nsources: [missing]\n---\n# Three\n\nOnly text.\n")
    (kb / "a" / "Smith.md").write_text("# Smith in a\n\nLinks [[two]].\n")
    (kb / "b" / "Smith.md").write_text("# Smith in b\n\nNothing.\n")
    return kb


def picture(kb):
    """What a reader sees of the links and problems, in order."""
    return ([(d.file, d.line, d.code, d.message) for d in kb.diagnostics],
            {n.id: [(link.source, link.target_id, link.line, link.context) for link in kb.backlinks(n.id)]
             for n in kb},
            {n.id: [(link.target, link.target_id, link.line) for link in kb.outgoing(n.id)] for n in kb},
            [n.id for n in kb])


@pytest.mark.parametrize("edit", [
    "# Two\n\nNow about [[three]], [[nowhere else]] and [[Smith]].\n",  # links added, moved and broken
    "# Two\n\nNo links any more.\n",
    "---\nsources: [nobody]\n---\n# Two\n\nAbout [[hub]] twice: [[hub]].\n",
])
def test_a_one_file_edit_ends_as_a_fresh_open_without_rebuilding_the_names(folder, tmp_path, monkeypatch, edit):
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    built = []
    monkeypatch.setattr(kb_module, "NameIndex", lambda notes: built.append(1))  # a full build would call it
    touch(folder / "two.md", edit)
    result = kb.sync()
    monkeypatch.undo()
    assert result.changed == 1 and built == []
    fresh = KnowledgeBase.open(folder, store=tmp_path / "other.json")
    assert picture(kb) == picture(fresh)
    again = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert not again.last_sync.touched and picture(again) == picture(fresh)


def test_a_new_title_rebuilds_the_names(folder, tmp_path):
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    touch(folder / "three.md", "---\ntitle: Nowhere\n---\n# Three\n\nNow named as the broken link.\n")
    kb.sync()
    assert not any(d.code == "broken-link" and "nowhere'" in d.message for d in kb.diagnostics)
    assert [link.source for link in kb.backlinks("three")] == ["hub", "one"]
    assert picture(kb) == picture(KnowledgeBase.open(folder, store=tmp_path / "other.json"))


def test_a_file_edited_while_closed_is_worked_out_alone_at_the_next_open(folder, tmp_path, monkeypatch):
    KnowledgeBase.open(folder, store=tmp_path / "s.json")
    touch(folder / "two.md", "# Two\n\nNow about [[three]] and [[nowhere else]].\n")
    real, resolved = kb_module.KnowledgeBase._resolve, []

    def resolve(self, note, record):
        resolved.append(note.id)
        return real(self, note, record)

    monkeypatch.setattr(kb_module.KnowledgeBase, "_resolve", resolve)
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    monkeypatch.undo()
    assert kb.last_sync.changed == 1 and resolved == ["two"]  # the stored links, and the edited note's
    fresh = KnowledgeBase.open(folder, store=tmp_path / "other.json")
    assert picture(kb) == picture(fresh)
    assert picture(KnowledgeBase.open(folder, store=tmp_path / "s.json")) == picture(fresh)


def test_a_file_that_stops_being_a_note_frees_its_file_name_for_another(folder, tmp_path):
    """`b/Smith.md` emptied: `a/Smith.md` is the one Smith left and takes the id `Smith`, as at a fresh open."""
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert kb.get("a/Smith") is not None
    touch(folder / "b" / "Smith.md", "")
    kb.sync()
    fresh = KnowledgeBase.open(folder, store=tmp_path / "other.json")
    assert kb.get("Smith") is not None and kb.get("Smith").path == "a/Smith.md"
    assert picture(kb) == picture(fresh)
    assert picture(KnowledgeBase.open(folder, store=tmp_path / "s.json")) == picture(fresh)
