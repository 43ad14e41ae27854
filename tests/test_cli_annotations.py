"""`kbviewer annotations add | list | export | import | delete`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.cli import main

ROOT = Path(__file__).resolve().parents[1]

# "Reading notes: 3/3 (100%)": the progress bar shows when opening lasts more than a moment,
# which depends on how busy the machine is.
PROGRESS_LINE = re.compile(r"^(Reading|Indexing) notes: \d+/\d+ \(\d+%\)\n", re.MULTILINE)


def without_progress(stderr: str) -> str:
    return PROGRESS_LINE.sub("", stderr)


@pytest.fixture
def run(small_kb, tmp_path, capsys):
    """Run `kbviewer annotations ...` in this process: (exit code, stdout, stderr)."""
    def run_(*args: str, data: Path | None = None) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["annotations", *args, "--kb", str(small_kb), "--store", str(tmp_path / "store.json"),
                     "--data", str(data or tmp_path / "data")])
        out, err = capsys.readouterr()
        return code, out, without_progress(err)
    return run_


def listed(run, *args, data=None) -> list[dict]:
    code, out, _ = run("list", "--json", *args, data=data)
    assert code == 0
    return json.loads(out)


def test_add_then_list_as_json(run):
    code, out, err = run("add", "Alpha Agency", "--quote", "took part in the event", "--comment", "Key",
                         "--tag", "police", "--tag", "2020", "--colour", "pink")
    assert code == 0 and err == ""
    ann_id = out.strip()
    [item] = listed(run)
    assert {k: item[k] for k in ("id", "note", "exact", "comment", "tags", "status")} == {
        "id": ann_id, "note": "alpha", "exact": "took part in the event", "comment": "Key",
        "tags": ["police", "2020"], "status": "anchored"}
    assert item["colour"] == "pink"


def test_add_fails_clearly(run):
    code, _, err = run("add", "alpha", "--quote", "words that are not there")
    assert code == 1 and err == "kbviewer: error: the quote is not in note 'alpha'\n"
    code, _, err = run("add", "no-such-note", "--quote", "x")
    assert code == 1 and "no note named 'no-such-note'" in err and "Traceback" not in err
    assert listed(run) == []


def test_list_filters_by_note_search_and_tag_and_prints_lines(run):
    run("add", "alpha", "--quote", "took part", "--comment", "Première", "--tag", "x")
    run("add", "paper", "--quote", "About Alpha Agency", "--comment", "second")
    assert [i["note"] for i in listed(run, "--note", "The Paper")] == ["paper"]
    assert [i["comment"] for i in listed(run, "--search", "PREMIERE")] == ["Première"]
    assert [i["comment"] for i in listed(run, "--tag", "X")] == ["Première"]
    code, out, _ = run("list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and lines[-1] == "2 annotations"
    assert '"took part"' in lines[0] and "— Première" in lines[0] and "#x" in lines[0]


def test_list_shows_orphans_when_the_note_changed(run, small_kb):
    run("add", "paper", "--quote", "About Alpha Agency and The Event")
    (small_kb / "paper.md").write_text("# The Paper\n\nRewritten entirely.\n", encoding="utf-8")
    [item] = listed(run)
    assert item["status"] == "orphaned" and item["exact"] == "About Alpha Agency and The Event"
    code, out, _ = run("list")
    assert "[orphaned]" in out and out.endswith("1 annotation, 1 orphaned\n")


def test_export_markdown_and_w3c(run, tmp_path):
    run("add", "alpha", "--quote", "took part in the event", "--comment", "Key", "--tag", "police")
    code, out, _ = run("export", "--format", "markdown")
    assert code == 0 and "## Alpha Agency" in out and "> took part in the event" in out
    assert "Note: Alpha Agency" in out and "Tags: police" in out and "## Bibliography" in out
    target = tmp_path / "out.json"
    code, out, err = run("export", "--format", "w3c", "-o", str(target))
    assert code == 0 and out == "" and "1 annotation written" in err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection" and doc["first"]["items"][0]["target"]["source"] == "alpha"


def test_export_then_import_into_an_empty_data_folder(run, tmp_path):
    run("add", "alpha", "--quote", "took part in the event", "--comment", "Key", "--tag", "police")
    run("add", "the-event", "--quote", "was there", "--colour", "green")
    target = tmp_path / "out.json"
    run("export", "--format", "w3c", "-o", str(target))
    other = tmp_path / "other-data"
    code, out, _ = run("import", str(target), data=other)
    assert code == 0 and out == "2 annotations read: 2 added, 0 updated, 0 already here\n"
    assert listed(run, data=other) == listed(run)
    code, out, _ = run("import", str(target), data=other)
    assert out.startswith("2 annotations read: 0 added, 0 updated, 2 already here")
    assert len(listed(run, data=other)) == 2


def test_a_malformed_import_is_refused_and_changes_nothing(run, tmp_path):
    run("add", "alpha", "--quote", "took part")
    data_file = tmp_path / "data" / "annotations.json"
    before = data_file.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "AnnotationCollection", "first": {"items": [{"type": "Annotation"}]}}')
    code, _, err = run("import", str(bad))
    assert code == 1 and "was not imported, nothing changed: item 1: no target object" in err
    assert data_file.read_bytes() == before
    code, _, err = run("import", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read" in err


def test_delete_by_id_or_prefix(run):
    _, out, _ = run("add", "alpha", "--quote", "took part")
    ann_id = out.strip()
    run("add", "alpha", "--quote", "reported by")
    code, _, err = run("delete", "nope-nope")
    assert code == 1 and "no annotation with id 'nope-nope'" in err
    code, _, err = run("delete", "ab")
    assert code == 1 and "at least 4" in err
    code, out, _ = run("delete", ann_id[:8])
    assert code == 0 and out == f"deleted {ann_id}\n"
    assert [i["exact"] for i in listed(run)] == ["reported by"]


def test_a_corrupt_file_is_reported_on_standard_error(run, tmp_path):
    run("add", "alpha", "--quote", "took part")
    run("add", "alpha", "--quote", "reported by")
    (tmp_path / "data" / "annotations.json").write_text("{broken", encoding="utf-8")
    code, out, err = run("list")
    assert code == 0 and out.endswith("1 annotation\n")
    assert err.startswith("kbviewer: warning: ") and "moved aside to annotations.json.corrupt-" in err


def test_an_unusable_data_folder_is_a_one_line_error(run, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = run("list", data=blocker / "data")
    assert code == 1 and err.startswith("kbviewer: error: cannot use the folder ") and "Traceback" not in err


def test_a_file_from_a_newer_version_is_listed_but_not_changed(run, tmp_path):
    run("add", "alpha", "--quote", "took part")
    path = tmp_path / "data" / "annotations.json"
    path.write_text(path.read_text().replace('"schema":1', '"schema":9'))
    code, out, err = run("list")
    assert code == 0 and out.endswith("1 annotation\n") and "newer kbviewer" in err
    code, _, err = run("add", "alpha", "--quote", "reported by")
    assert code == 1 and "cannot be changed" in err
    assert '"schema":9' in path.read_text()


def test_the_command_runs_as_a_program_with_a_global_data_option(small_kb, tmp_path):
    env_args = ["--kb", str(small_kb), "--store", str(tmp_path / "s.json")]
    done = subprocess.run([sys.executable, "-m", "viewer", "--data", str(tmp_path / "d"), "annotations", "add",
                           "alpha", "--quote", "took part", *env_args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "d" / "annotations.json").exists()
    listed_ = subprocess.run([sys.executable, "-m", "viewer", "annotations", "list", "--json", "--data",
                              str(tmp_path / "d"), *env_args],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert listed_.returncode == 0 and json.loads(listed_.stdout)[0]["exact"] == "took part"


def test_the_add_path_imports_no_qt(small_kb, tmp_path):
    code = (
        "import sys, json\nfrom viewer import cli\n"
        f"cli.main(['annotations', 'add', 'alpha', '--quote', 'took part', '--kb', {str(small_kb)!r},"
        f" '--store', {str(tmp_path / 's.json')!r}, '--data', {str(tmp_path / 'd')!r}])\n"
        "print(json.dumps([m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
