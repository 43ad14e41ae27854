from viewer.core.parser import parse_file


def parse(text: str, path: str = "notes/some-note.md"):
    return parse_file(path, text.encode("utf-8"))


def test_front_matter_fields_and_unknown_keys_kept():
    result = parse("---\ntitle: T\ntype: Event\naliases: [A, B]\ntags: [x, '#y']\n"
                   "date: 2020-02-21\nsources: [s1]\ncolour: blue\n---\n# Heading\nbody\n")
    note = result.note
    assert note.id == "some-note"
    assert (note.title, note.type, note.aliases, note.tags) == ("T", "event", ("A", "B"), ("x", "y"))
    assert note.date == "2020-02-21" and note.sources == ("s1",)
    assert note.meta == {"colour": "blue"}
    assert note.body_line == 10
    assert result.diagnostics == []


def test_title_falls_back_to_heading_then_id():
    assert parse("Intro\n# The Heading\ntext\n").note.title == "The Heading"
    assert parse("no heading here\n").note.title == "some-note"


def test_bad_date_is_an_error_on_its_line():
    result = parse("---\ntitle: T\ndate: soon\n---\nbody\n")
    (diag,) = result.diagnostics
    assert (diag.code, diag.severity, diag.line) == ("bad-date", "error", 3)
    assert result.note.date is None


def test_malformed_front_matter_keeps_the_body():
    result = parse("---\ntags: [open\n---\n# Still Here\ntext [[x]]\n")
    assert result.note.title == "Still Here"
    assert [d.code for d in result.diagnostics] == ["front-matter"]
    assert [l.target for l in result.links] == ["x"]


def test_front_matter_that_is_not_a_mapping():
    result = parse("---\n- a\n- b\n---\nbody\n")
    assert [d.code for d in result.diagnostics] == ["front-matter"]


def test_unclosed_front_matter_is_reported():
    result = parse("---\ntitle: x\nbody without end\n")
    assert [d.code for d in result.diagnostics] == ["front-matter"]
    assert result.note is not None


def test_unknown_type_is_a_warning():
    (diag,) = parse("---\ntype: ufo\n---\nx\n").diagnostics
    assert (diag.code, diag.severity, diag.line) == ("unknown-type", "warning", 2)


def test_not_utf8_binary_empty_are_skipped():
    assert parse_file("a.md", b"caf\xe9").diagnostics[0].code == "not-utf8"
    assert parse_file("a.md", b"a\x00b").diagnostics[0].code == "binary"
    assert parse_file("a.md", b"  \n").diagnostics[0].code == "empty-file"
    assert parse_file("a.md", b"caf\xe9").note is None


def test_windows_line_endings_and_bom():
    note = parse_file("x.md", "\ufeff---\r\ntitle: W\r\n---\r\nbody\r\n".encode()).note
    assert note.title == "W" and note.body == "body\n"
