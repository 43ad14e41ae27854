"""`kbviewer annotations list` on a hand-edited file: a malformed entry is a warning, not a crash."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# "Reading notes: 3/3 (100%)": the progress bar shows when opening lasts more than a moment,
# which depends on how busy the machine is.
PROGRESS_LINE = re.compile(r"^(Reading|Indexing) notes: \d+/\d+ \(\d+%\)\n", re.MULTILINE)


def without_progress(stderr: str) -> str:
    return PROGRESS_LINE.sub("", stderr)


def test_list_with_an_entry_whose_colour_is_a_list_warns_and_keeps_it(small_kb, tmp_path):
    data = tmp_path / "data"
    common = ["--kb", str(small_kb), "--store", str(tmp_path / "store.json"), "--data", str(data)]

    def kbviewer(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "viewer", "annotations", *args, *common],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)

    added = kbviewer("add", "alpha", "--quote", "took part", "--comment", "fine")
    assert added.returncode == 0, added.stderr
    good = added.stdout.strip()
    path = data / "annotations.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(raw["annotations"].values()))
    bad = {**first, "id": "bad-colour", "colour": ["yellow"], "status": {"x": 1}}
    raw["annotations"]["42"] = bad
    path.write_text(json.dumps(raw), encoding="utf-8")

    listed = kbviewer("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    assert without_progress(listed.stderr).startswith("kbviewer: warning: ")
    assert "could not be read" in listed.stderr
    assert [a["id"] for a in json.loads(listed.stdout)] == [good]
    plain = kbviewer("list")
    assert plain.returncode == 0 and plain.stdout.endswith("1 annotation\n") and "Traceback" not in plain.stderr

    assert kbviewer("add", "alpha", "--quote", "reported by").returncode == 0
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["annotations"]["42"] == bad and len(saved["annotations"]) == 3
