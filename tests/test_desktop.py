"""`kbviewer install-desktop` / `uninstall-desktop`: a valid menu entry, icons, the folder
association, all under $XDG_DATA_HOME, and uninstall removes exactly what install wrote."""

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.commands.desktop import ICON_SIZES, entry_text

ROOT = Path(__file__).resolve().parents[1]
KBVIEWER = Path(sys.executable).parent / "kbviewer"


def validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.fail("desktop-file-validate is missing: `make test` installs it "
                    "(Debian package desktop-file-utils)")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def run(*args, data_home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_DATA_HOME=str(data_home))
    return subprocess.run([str(KBVIEWER), *args], env=env, capture_output=True, text=True, timeout=60)


def test_install_writes_a_valid_entry_naming_this_kbviewer(tmp_path):
    home = tmp_path / "share"
    result = run("install-desktop", data_home=home)
    assert result.returncode == 0, result.stderr
    entry = home / "applications" / "kbviewer.desktop"
    validate(entry)
    fields = dict(line.split("=", 1) for line in entry.read_text().splitlines()[1:])
    assert fields["Exec"] == f"{KBVIEWER} %f"  # absolute, a folder as %f
    assert fields["MimeType"] == "inode/directory;"
    assert fields["Icon"] == "kbviewer" and fields["Type"] == "Application"


def test_install_writes_the_icon_in_every_size_and_as_svg(tmp_path):
    home = tmp_path / "share"
    assert run("install-desktop", data_home=home).returncode == 0
    hicolor = home / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert png_size(hicolor / f"{size}x{size}" / "apps" / "kbviewer.png") == (size, size)
    assert (hicolor / "scalable" / "apps" / "kbviewer.svg").read_bytes() == (ROOT / "resources" / "icon.svg").read_bytes()


def test_uninstall_removes_exactly_what_install_wrote(tmp_path):
    home = tmp_path / "share"
    other_icon = home / "icons" / "hicolor" / "48x48" / "apps" / "other.png"
    other_icon.parent.mkdir(parents=True)
    other_icon.write_bytes(b"other")
    (home / "applications").mkdir()
    (home / "applications" / "other.desktop").write_text("[Desktop Entry]\n")
    before = tree(home)
    assert run("install-desktop", data_home=home).returncode == 0
    assert len(tree(home) - before) > 10
    result = run("uninstall-desktop", data_home=home)
    assert result.returncode == 0 and "Removed 11 files" in result.stdout
    assert tree(home) == before
    assert other_icon.read_bytes() == b"other"
    assert "Nothing to remove" in run("uninstall-desktop", data_home=home).stdout


def test_relative_xdg_data_home_is_ignored(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME="relative/share", HOME=str(tmp_path))
    result = subprocess.run([str(KBVIEWER), "install-desktop"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".local" / "share" / "applications" / "kbviewer.desktop").is_file()
    assert not (tmp_path / "relative").exists()


def test_an_exec_path_with_spaces_and_dollars_is_quoted(tmp_path):
    entry = tmp_path / "kbviewer.desktop"
    entry.write_text(entry_text(["/opt/my apps/$kb\\viewer", "-m", "viewer"]))
    validate(entry)
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/opt/my apps/\\\\$kb\\\\\\\\viewer" -m viewer %f'


def test_the_shipped_entry_is_the_generated_one_and_valid():
    shipped = ROOT / "packaging" / "kbviewer.desktop"
    assert shipped.read_text() == entry_text(["kbviewer"])
    validate(shipped)


def test_committed_icons_have_the_size_their_name_says():
    for size in ICON_SIZES:
        assert png_size(ROOT / "resources" / "icons" / f"kbviewer-{size}.png") == (size, size)


def test_python_m_viewer_writes_an_entry_that_runs_this_python(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    subprocess.run([sys.executable, "-m", "viewer", "install-desktop"], env=env, check=True, capture_output=True)
    entry = tmp_path / "applications" / "kbviewer.desktop"
    assert f"\nExec={os.path.abspath(sys.executable)} -m viewer %f\n" in entry.read_text()
    validate(entry)
