"""The command line as a script would use it: exit codes, JSON, one-line errors."""

import json
import re
import subprocess
import sys

import pytest

from viewer import __version__
from viewer.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True, text=True)


def test_check_bundled_kb_has_no_errors_and_no_broken_links(tmp_path, capsys):
    assert main(["check", "--json", "--store", str(tmp_path / "s.json")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["notes"] >= 40 and report["links"] > 0
    assert report["broken_links"] == 0
    assert [d for d in report["diagnostics"] if d["severity"] == "error"] == []


def test_check_json_lists_diagnostics_with_file_and_line(bad_kb, tmp_path, capsys):
    assert main(["check", "--kb", str(bad_kb), "--store", str(tmp_path / "s.json"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"notes", "links", "broken_links", "diagnostics"}
    assert report["broken_links"] == 1
    by_code = {d["code"]: d for d in report["diagnostics"]}
    assert by_code["not-utf8"] == {"file": "not-utf8.md", "line": 1, "severity": "error", "code": "not-utf8",
                                   "message": by_code["not-utf8"]["message"]}
    assert by_code["broken-link"]["file"] == "broken-link.md" and by_code["broken-link"]["line"] == 4


def test_check_text_output_and_warnings_do_not_fail(small_kb, tmp_path, capsys):
    (small_kb / "extra.md").write_text("# Extra\n\n[[nowhere]]\n", encoding="utf-8")
    assert main(["check", "--kb", str(small_kb), "--store", str(tmp_path / "s.json")]) == 0
    out = capsys.readouterr().out
    assert "extra.md:3: warning: link to 'nowhere' matches no note [broken-link]" in out
    assert "4 notes" in out


def test_show_by_alias_lists_links_and_backlinks_with_context(small_kb, tmp_path, capsys):
    assert main(["show", "AA", "--kb", str(small_kb), "--store", str(tmp_path / "s.json"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == "alpha" and shown["aliases"] == ["AA"]
    assert {link["target_id"] for link in shown["links"]} == {"the-event", "paper"}
    assert {"source": "paper", "line": 9, "context": "About Alpha Agency and The Event."} in shown["backlinks"]


def test_show_text(small_kb, tmp_path, capsys):
    assert main(["show", "the event", "--kb", str(small_kb), "--store", str(tmp_path / "s.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The Event\n") and "date:     2020-02-21" in out and "<- paper" in out


# "Reading notes: 3/3 (100%)": the progress bar shows when opening lasts more than a moment,
# which depends on how busy the machine is.
PROGRESS_LINE = re.compile(r"^(Reading|Indexing) notes: \d+/\d+ \(\d+%\)\n", re.MULTILINE)


def without_progress(stderr: str) -> str:
    return PROGRESS_LINE.sub("", stderr)


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"kbviewer {__version__}"


@pytest.mark.parametrize("args, message", [
    (["show", "no-such-note"], "no note named 'no-such-note'"),
    (["check", "--kb", "/no/such/folder"], "no such folder"),
    (["check", "--bogus"], "unrecognized arguments: --bogus"),
    (["frobnicate"], "invalid choice"),
])
def test_errors_are_one_line_without_traceback(args, message, tmp_path, small_kb):
    if args[0] == "show":
        # a tiny folder opens well before the progress bar's delay, even on a loaded machine
        args = [*args, "--kb", str(small_kb)]
    result = run(*args, "--store", str(tmp_path / "s.json")) if args[0] != "frobnicate" else run(*args)
    assert result.returncode != 0
    lines = without_progress(result.stderr).strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_window_without_a_display_is_a_one_line_error():
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "viewer"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == ("kbviewer: error: no display to open a window on (DISPLAY is not set); "
                                     "use --screenshot FILE to render the window offscreen")


@pytest.mark.parametrize("store", ["{tmp}", "/etc/passwd/x.json"])
def test_unusable_store_location_is_a_one_line_error(store, tmp_path):
    result = run("check", "--store", store.format(tmp=tmp_path))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kbviewer: error:")]
    assert len(errors) == 1 and "note store" in errors[0]
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.parent.glob(tmp_path.name + ".*"))  # nothing written beside it


def test_unreadable_subfolder_is_reported(small_kb, tmp_path, monkeypatch, capsys):
    import os

    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("events"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["check", "--kb", str(small_kb), "--store", str(tmp_path / "s.json"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (problem,) = [d for d in report["diagnostics"] if d["code"] == "unreadable-folder"]
    assert problem["file"] == "events/" and "Permission denied" in problem["message"]
