"""The bad-input folder: every good note loads, every bad one is reported."""

from viewer.core import KnowledgeBase

EXPECTED = {
    ("malformed-front-matter.md", 3, "error", "front-matter"),
    ("not-utf8.md", 1, "error", "not-utf8"),
    ("empty.md", 1, "warning", "empty-file"),
    ("good-one.md", 1, "warning", "duplicate-name"),
    ("broken-link.md", 4, "warning", "broken-link"),
    ("unknown-type.md", 2, "warning", "unknown-type"),
    ("bad-date.md", 4, "error", "bad-date"),
    ("huge.md", 1, "error", "too-large"),
    ("binary.md", 1, "error", "binary"),
    ("nul-bytes.md", 1, "error", "binary"),
    ("escape.md", 1, "warning", "symlink-outside"),
    ("deep-front-matter.md", 2, "error", "front-matter"),
    ("wide-front-matter.md", 2, "warning", "front-matter"),
}
GOOD = {"good-one", "good-two", "self-link", "cycle-a", "cycle-b", "cycle-c", "malformed-front-matter",
        "duplicate-alias", "broken-link", "unknown-type", "bad-date", "no-front-matter",
        "deep-front-matter", "wide-front-matter", "sub/good-one"}


def test_every_good_note_loads(bad_kb, tmp_path):
    kb = KnowledgeBase.open(bad_kb, store=tmp_path / "s.json")
    assert {n.id for n in kb} == GOOD


def test_every_bad_file_is_reported_with_file_and_line(bad_kb, tmp_path):
    kb = KnowledgeBase.open(bad_kb, store=tmp_path / "s.json")
    found = {(d.file, d.line, d.severity, d.code) for d in kb.diagnostics}
    assert found == EXPECTED


def test_symlink_outside_is_not_followed(bad_kb, tmp_path):
    kb = KnowledgeBase.open(bad_kb, store=tmp_path / "s.json")
    assert kb.get("escape") is None
    assert all("secret" not in n.body for n in kb)


def test_a_same_named_file_in_a_folder_loads_under_its_path(bad_kb, tmp_path):
    kb = KnowledgeBase.open(bad_kb, store=tmp_path / "s.json")
    assert kb.get("good-one").title == "Good One"
    assert kb.get("sub/good-one").title == "Impostor"
    assert kb.resolve("good-one").id == "good-one"  # the exact path wins


def test_self_link_and_cycle_resolve(bad_kb, tmp_path):
    kb = KnowledgeBase.open(bad_kb, store=tmp_path / "s.json")
    assert "self-link" in {link.source for link in kb.backlinks("self-link")}
    assert [link.target_id for link in kb.outgoing("cycle-c")] == ["cycle-a"]
    assert kb.render("self-link")


def test_reopen_reports_the_same(bad_kb, tmp_path):
    store = tmp_path / "s.json"
    first = KnowledgeBase.open(bad_kb, store=store)
    second = KnowledgeBase.open(bad_kb, store=store)
    assert set(first.diagnostics) == set(second.diagnostics)
