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


def test_title_is_the_front_matter_title_else_the_file_name_never_a_heading():
    assert parse("Intro\n# The Heading\ntext\n").note.title == "some-note"
    assert parse("```sh\n# a shell comment\n```\n").note.title == "some-note"
    assert parse("    # indented code\n").note.title == "some-note"
    assert parse("---\ntitle: Given\n---\n# The Heading\n").note.title == "Given"


def test_bad_date_is_an_error_on_its_line():
    result = parse("---\ntitle: T\ndate: soon\n---\nbody\n")
    (diag,) = result.diagnostics
    assert (diag.code, diag.severity, diag.line) == ("bad-date", "error", 3)
    assert result.note.date is None


def test_malformed_front_matter_keeps_the_body():
    result = parse("---\ntags: [open\n---\n# Still Here\ntext [[x]]\n")
    assert result.note.title == "some-note" and "# Still Here" in result.note.body
    assert [d.code for d in result.diagnostics] == ["front-matter"]
    assert [link.target for link in result.links] == ["x"]


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


def test_values_json_cannot_hold_are_kept_as_text_and_read_back_the_same(tmp_path):
    from viewer.core import KnowledgeBase

    text = "---\nratio: .nan\nlimit: -.inf\nbig: 123456789012345678901234567890\nsmall: -9223372036854775808\n---\nx\n"
    meta = parse(text).note.meta
    assert meta == {"ratio": "nan", "limit": "-inf", "big": "123456789012345678901234567890",
                    "small": -9223372036854775808}
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "n.md").write_text(text, encoding="utf-8")
    assert KnowledgeBase.open(tmp_path / "kb", tmp_path / "store.json").get("n").meta == meta  # parsed
    assert KnowledgeBase.open(tmp_path / "kb", tmp_path / "store.json").get("n").meta == meta  # from the store


def test_an_integer_past_pythons_digit_limit_is_kept_in_hexadecimal(tmp_path):
    from viewer.core import KnowledgeBase

    big = "0x" + "f" * 5000  # YAML reads it as an integer of 6,000 decimal digits
    text = f"---\ntitle: {big}\naliases: [{big}]\nsize: {big}\nsizes: [[{big}]]\n---\nx\n"
    note = parse(text).note
    assert note.title == big and note.aliases == (big,) and note.meta == {"size": big, "sizes": [[big]]}
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "n.md").write_text(text, encoding="utf-8")
    assert KnowledgeBase.open(tmp_path / "kb", tmp_path / "store.json").get("n").meta == note.meta

