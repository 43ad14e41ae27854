"""`kbviewer --screenshot FILE [--note] [--view] [--size]` renders the window to a PNG and exits."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from viewer.cli import build_parser, main

from conftest import rendered, write_kb


@pytest.mark.parametrize("view", ["note", "timeline", "graph"])
def test_screenshot_writes_a_png_of_the_requested_size(qapp, tmp_path, capsys, view):
    folder = write_kb(tmp_path / "kb")
    out = tmp_path / "shots" / f"{view}.png"
    code = main(["--kb", str(folder), "--store", str(tmp_path / "s.json"), "--screenshot", str(out),
                 "--note", "alpha", "--view", view, "--size", "900x600"])
    assert code == 0 and capsys.readouterr().out.strip() == str(out)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)
    colours = {image.pixel(x, y) for x in range(0, 900, 37) for y in range(0, 600, 29)}
    assert len(colours) > 5  # something was drawn, not a blank window


def test_screenshot_leaves_the_readers_settings_alone(qapp, tmp_path, _isolated_settings):
    folder = write_kb(tmp_path / "kb")
    main(["--kb", str(folder), "--store", str(tmp_path / "s.json"), "--screenshot", str(tmp_path / "x.png")])
    assert not any(_isolated_settings.rglob("*.ini")) and not any(_isolated_settings.rglob("*.conf"))


def test_window_options_are_checked():
    parser = build_parser()
    args = parser.parse_args(["--screenshot", "a.png", "--size", "1400x900", "--view", "graph"])
    assert (args.screenshot, args.size, args.view) == ("a.png", (1400, 900), "graph")
    for bad in (["--size", "big"], ["--size", "10x10"], ["--view", "map"]):
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args(bad)
        assert exit_info.value.code == 2


def test_screenshot_of_a_missing_folder_is_a_one_line_error(qapp, tmp_path, capsys):
    assert main(["--kb", str(tmp_path / "nope"), "--screenshot", str(tmp_path / "x.png")]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_screenshot_of_an_unknown_note_is_a_one_line_error(qapp, tmp_path, capsys):
    folder = write_kb(tmp_path / "kb")
    out = tmp_path / "x.png"
    assert main(["--kb", str(folder), "--store", str(tmp_path / "s.json"), "--screenshot", str(out),
                 "--note", "no-such-note"]) == 1
    assert "no note named 'no-such-note'" in capsys.readouterr().err
    assert not out.exists()


def test_screenshot_with_no_settle_pause_still_shows_the_note(qapp, tmp_path, capsys):
    folder = write_kb(tmp_path / "kb")
    out = tmp_path / "quick.png"
    code = main(["--kb", str(folder), "--store", str(tmp_path / "s.json"), "--screenshot", str(out),
                 "--note", "alpha", "--settle", "0", "--size", "900x600"])
    assert code == 0
    image = QImage(str(out))
    colours = {image.pixel(x, y) for x in range(0, 900, 37) for y in range(0, 600, 29)}
    assert len(colours) > 5


@pytest.mark.parametrize("value", ["-1", "soon", "61"])
def test_a_settle_time_that_is_not_a_few_seconds_is_refused(value, capsys):
    with pytest.raises(SystemExit) as raised:
        build_parser().parse_args(["--screenshot", "a.png", "--settle", value])
    assert raised.value.code == 2 and "seconds" in capsys.readouterr().err


def _same_share(a: QImage, b: QImage) -> float:
    a = a.convertToFormat(QImage.Format.Format_RGB32)
    b = b.convertToFormat(QImage.Format.Format_RGB32)
    points = [(x, y) for x in range(0, a.width(), 7) for y in range(0, a.height(), 5)]
    return sum(a.pixel(x, y) == b.pixel(x, y) for x, y in points) / len(points)


def test_the_shot_is_the_window_as_painted_including_a_change_just_before(qtbot, window):
    from viewer.ui.window.screenshot import grab

    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.view.viewport().width() < 900)
    window.open_note("alpha")
    rendered(qtbot, window)
    shot = grab(window).toImage()  # read from the window's surface (offscreen), not drawn again
    assert (shot.width(), shot.height()) == (900, 600)
    assert _same_share(shot, window.grab().toImage()) > 0.99
    window.view.setHtml("<h1>Changed just now</h1>")  # asked to repaint, not yet painted
    changed = grab(window).toImage()
    assert _same_share(changed, shot) < 0.99 and _same_share(changed, window.grab().toImage()) > 0.99


def test_a_screenshot_that_cannot_be_written_is_a_one_line_error_and_leaves_no_scratch_folder(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    folder = write_kb(tmp_path / "kb")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(scratch),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "viewer", "--kb", str(folder), "--store", str(tmp_path / "s.json"),
                           "--screenshot", str(blocker / "x.png"), "--settle", "0"],
                          capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 1
    assert "cannot write" in done.stderr and "Traceback" not in done.stderr
    assert list(scratch.iterdir()) == []  # the window's settings were not written again at exit
