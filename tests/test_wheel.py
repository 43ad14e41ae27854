"""The built wheel carries kb/ and resources/: installed elsewhere, it finds its notes."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installed_in_fresh_venv_finds_bundled_kb(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = wheels.glob("kbviewer-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    # Dependencies come from the test environment; the package itself only from the wheel.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "import viewer; print(viewer.__file__)"],
                           cwd=elsewhere, check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(venv))
    result = subprocess.run([str(venv / "bin" / "kbviewer"), "check", "--store", str(tmp_path / "s.json")],
                            cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "0 broken links; 0 errors" in result.stdout
    assert int(result.stdout.splitlines()[-1].split()[0]) >= 40  # the summary, after any warnings
    bundled = Path(where).parent / "_bundled"
    assert (bundled / "kb" / "overview.md").is_file()
    assert any((bundled / "resources").iterdir())
    # pip or pipx install, then install-desktop: the menu entry starts the installed command
    share = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(share))
    result = subprocess.run([str(venv / "bin" / "kbviewer"), "install-desktop"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    entry = (share / "applications" / "kbviewer.desktop").read_text()
    assert f"\nExec={venv / 'bin' / 'kbviewer'} %f\n" in entry
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "kbviewer.png").is_file()
    assert (bundled / "resources" / "csl" / "apa.csl").is_file()  # the citation styles travel too
