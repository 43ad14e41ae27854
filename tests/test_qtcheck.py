"""When Qt's system libraries cannot load, the window, --screenshot and doctor say which
packages to install, in one paragraph, and exit non-zero: never a traceback.

The failure is real: a folder on LD_LIBRARY_PATH holds an empty file named like the
library, so the dynamic loader finds it first and cannot load it.
"""

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from viewer import qtcheck
from viewer.cli import _folder_first, parse

ROOT = Path(__file__).resolve().parents[1]


def broken_env(tmp_path, library: str, **extra) -> dict:
    stub = tmp_path / "stub"
    stub.mkdir(exist_ok=True)
    (stub / library).write_bytes(b"")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")}
    env["LD_LIBRARY_PATH"] = str(stub)
    env.update(extra)
    return env


def kbviewer(*args, env, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, extra", [
    (["--screenshot", "out.png"], {}),
    ([], {"DISPLAY": ":99"}),
])
def test_missing_glib_names_the_library_and_packages(tmp_path, args, extra):
    env = broken_env(tmp_path, "libglib-2.0.so.0", **extra)
    result = kbviewer(*args, env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.count("\n") == 0  # one paragraph
    assert "libglib-2.0.so.0" in message
    assert "sudo apt-get install libglib2.0-0" in message and "sudo dnf install glib2" in message
    assert not (tmp_path / "out.png").exists()


def test_window_names_the_platform_plugin_library_it_cannot_load(tmp_path):
    env = broken_env(tmp_path, "libxcb-cursor.so.0", DISPLAY=":99")
    result = kbviewer(env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "libxcb-cursor.so.0" in result.stderr and "xcb platform plugin" in result.stderr
    assert "libxcb-cursor0" in result.stderr and "xcb-util-cursor" in result.stderr


def test_doctor_reports_the_missing_library_and_fails(tmp_path):
    env = broken_env(tmp_path, "libglib-2.0.so.0")
    result = kbviewer("doctor", "--store", str(tmp_path / "s" / "store.json"), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "libglib2.0-0" in result.stdout and "Qt:" in result.stdout
    assert "checks clean" in result.stdout  # the rest is still reported


def test_doctor_reports_python_qt_display_folders_and_kb(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "annotations.json").write_text("{}" + " " * 2998)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = kbviewer("doctor", "--store", str(tmp_path / "store" / "store.json"), "--data", str(data),
                      env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert platform.python_version() in lines["Python"]
    assert "PySide6" in lines["Qt"]
    assert "all load" in lines["system libraries"]
    assert "QT_QPA_PLATFORM=offscreen" in lines["display"]
    assert str(tmp_path / "store") in lines["store folder"] and "files" in lines["store folder"]
    assert f"{data} (3.0 kB in 1 file)" in lines["data folder"]
    assert "0 errors, 0 warnings: checks clean" in lines["knowledge base"]


def test_doctor_fails_when_the_knowledge_base_has_errors(bad_kb, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = kbviewer("doctor", "--kb", str(bad_kb), "--store", str(tmp_path / "s.json"), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "kbviewer check" in result.stdout


def test_advice_lists_every_library_with_both_package_managers():
    text = qtcheck.advice(["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libfoo.so.3"])
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in text
    assert "sudo dnf install xcb-util-keysyms xcb-util-wm" in text
    assert "libfoo.so.3" in text and "apt-file search" in text


def test_missing_pyside_is_explained():
    err = ModuleNotFoundError("No module named 'PySide6'", name="PySide6")
    assert "PySide6-Essentials is not installed" in qtcheck.explain(err)


def test_an_import_error_unrelated_to_libraries_is_not_hidden():
    assert qtcheck.explain(ImportError("cannot import name 'Foo' from 'viewer.ui'", name="viewer.ui")) is None


def test_a_folder_first_means_kb(tmp_path):
    args = parse(_folder_first([str(tmp_path), "--note", "x"]))
    assert args.kb == str(tmp_path) and args.note == "x"
    assert parse(_folder_first(["check"])).command == "check"


def test_the_window_options_alone_do_not_load_the_sub_commands():
    script = ("import sys; from viewer.cli import parse; "
              "args = parse(['--note', 'x', '--size', '800x600']); "
              "print(args.note, args.size, sorted(m for m in sys.modules if m.startswith('viewer.commands.')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.split() == ["x", "(800,", "600)", "[]"]


@pytest.mark.parametrize("argv, command", [(["check", "--json"], "check"), (["--kb", "k", "search", "police"], "search"),
                                            (["install-desktop"], "install-desktop")])
def test_sub_commands_are_read_with_the_whole_parser(argv, command):
    assert parse(argv).command == command


@pytest.mark.parametrize("asked", ["-h", "--help", "--he"])
def test_help_lists_the_commands(capsys, asked):
    with pytest.raises(SystemExit):
        parse([asked])
    assert "install-desktop" in capsys.readouterr().out


def test_an_unknown_command_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        parse(["bogus"])
    assert "invalid choice: 'bogus'" in capsys.readouterr().err
