"""The start-up benchmark's window: it says whether the page it painted first was kept, remade or made."""

from __future__ import annotations

import os
import sys

import pytest

from benchmarks.startup import kept_names, kept_page, timed

from conftest import write_kb


def test_the_first_start_makes_its_page_the_next_shows_it_kept_and_after_an_edit_remade(tmp_path):
    """Made (nothing kept yet), kept, remade after an edit (a new name: from the kept names), and made
    again once the kept page and names are removed."""
    folder = write_kb(tmp_path / "kb")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    viewer = [sys.executable, "-m", "benchmarks.window_start", str(tmp_path / "shot.png"), "--kb", str(folder)]
    assert timed(viewer, env, "painted made") > 0
    assert (tmp_path / "shot.png").stat().st_size > 1000
    assert timed(viewer, env, "painted kept") > 0  # the window closed as a reader's does: its page was kept
    (folder / "overview.md").write_text("# Story Overview\n\nEdited since.\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="said 'painted remade', not 'painted kept'"):
        timed(viewer, env, "painted kept")
    (folder / "overview.md").write_text("# Story Overview\n\nSee [[paper]].\n", encoding="utf-8")  # a new name
    assert timed(viewer, env, "painted remade") > 0
    kept_page(tmp_path / "cache")[0].unlink()
    kept_names(tmp_path / "cache").unlink()
    assert timed(viewer, env, "painted made") > 0
