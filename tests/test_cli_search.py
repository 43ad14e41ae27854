"""`kbviewer search`: text and JSON output, typo notes, progress, limits."""

from __future__ import annotations

import json
import subprocess
import sys

from viewer.cli import main


def test_json_lists_hits_with_id_title_type_score_snippet(tmp_path, capsys):
    store = str(tmp_path / "s.json")
    assert main(["search", "clearview", "breach", "--json", "--limit", "3", "--store", store]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert 1 <= len(hits) <= 3
    assert all(set(hit) == {"id", "title", "type", "score", "snippet", "passage", "match"} for hit in hits)
    assert "breach" in hits[0]["title"].lower()
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_text_output_marks_words_and_says_what_was_searched(tmp_path, capsys):
    assert main(["search", "clearveiw", "--store", str(tmp_path / "s.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Searched for: clearview\n")
    assert "*Clearview*" in out or "*clearview*" in out


def test_no_hits(small_kb, tmp_path, capsys):
    assert main(["search", "zzzzqqq", "--kb", str(small_kb), "--store", str(tmp_path / "s.json")]) == 0
    assert capsys.readouterr().out == "No notes match.\n"
    assert main(["search", "zzzzqqq", "--kb", str(small_kb), "--store", str(tmp_path / "s.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_filters_through_the_command_line(small_kb, tmp_path, capsys):
    args = ["--kb", str(small_kb), "--store", str(tmp_path / "s.json"), "--json"]
    assert main(["search", "type:event", *args]) == 0
    assert [h["id"] for h in json.loads(capsys.readouterr().out)] == ["the-event"]
    assert main(["search", *args, "--", "-type:event"]) == 0
    assert {h["id"] for h in json.loads(capsys.readouterr().out)} == {"alpha", "paper"}


def test_bad_limit_is_a_one_line_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "viewer", "search", "x", "--limit", "0",
                             "--store", str(tmp_path / "s.json")], capture_output=True, text=True)
    assert result.returncode == 2 and "is not a number from 1 to 1000" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_indexing_progress_goes_to_standard_error(tmp_path, capsys, monkeypatch):
    from viewer.commands import common

    class Eager(common.ProgressBar):
        def __init__(self) -> None:
            super().__init__(delay=0)

    monkeypatch.setattr(common, "ProgressBar", Eager)
    folder = tmp_path / "kb"
    folder.mkdir()
    for index in range(1200):
        (folder / f"n{index}.md").write_text(f"# Note {index}\n\nword{index % 7} text\n", encoding="utf-8")
    assert main(["search", "word3", "--kb", str(folder), "--store", str(tmp_path / "s.json"), "--json"]) == 0
    captured = capsys.readouterr()
    assert "Reading notes: 1200/1200 (100%)" in captured.err
    assert "Indexing notes: 1200/1200 (100%)" in captured.err
    assert len(json.loads(captured.out)) == 20


def test_in_annotations_searches_the_annotations_of_the_data_folder(small_kb, tmp_path, capsys):
    common = ["--kb", str(small_kb), "--store", str(tmp_path / "s.json"), "--data", str(tmp_path / "data")]
    assert main(["annotations", "add", "alpha", "--quote", "took part in the event", "--comment",
                 "Key sentence", "--tag", "police", *common]) == 0
    ann_id = capsys.readouterr().out.strip()
    assert main(["search", "in:annotations", "KEY", *common]) == 0
    out = capsys.readouterr().out
    assert out == f'{ann_id[:8]}  alpha  "took part in the event"  — Key sentence  #police\n'
    assert main(["search", "in:annotations tag:police", "--json", *common]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert (hit["id"], hit["note"], hit["exact"], hit["comment"]) == (ann_id, "alpha", "took part in the event",
                                                                      "Key sentence")
    assert main(["search", "in:annotations nothing-like-it", *common]) == 0
    assert capsys.readouterr().out == "No annotations match.\n"
    assert main(["search", "in:notes", "event", "--json", *common]) == 0
    assert "the-event" in [h["id"] for h in json.loads(capsys.readouterr().out)]


def test_deeply_nested_query_prints_no_traceback(small_kb, tmp_path):
    for query in ("(" * 5000, "-(" * 2000 + "alpha"):
        result = subprocess.run([sys.executable, "-m", "viewer", "search", "--kb", str(small_kb),
                                 "--store", str(tmp_path / "s.json"), "--", query],
                                capture_output=True, text=True)
        assert result.returncode == 0
        assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
