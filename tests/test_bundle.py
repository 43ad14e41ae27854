"""`make bundle`: the standalone folder runs from anywhere with no virtual environment,
reads its bundled knowledge base and resources, and installs its menu entry."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle-out")
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(out / "pyinstaller-cache"))  # not the user's cache
    result = subprocess.run(["sh", str(ROOT / "scripts" / "bundle.sh"), sys.executable, str(out)],
                            env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (archive,) = out.glob("kbviewer-*.tar.gz")
    unpacked = tmp_path_factory.mktemp("elsewhere")
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(unpacked)], check=True)  # as INSTALL.txt says
    (folder,) = unpacked.iterdir()
    return folder


def clean_env(home: Path, **extra) -> dict:
    """No virtual environment, no Python on the path beyond the system's."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "XDG_DATA_HOME": str(home / "share"), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_CONFIG_HOME": str(home / "config")}
    env.update(extra)
    return env


def run(bundle: Path, *args, env) -> subprocess.CompletedProcess:
    return subprocess.run([str(bundle / "kbviewer"), *args], cwd=env["HOME"], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_bundle_holds_the_entry_install_script_and_notes(bundle):
    for name in ("kbviewer", "install.sh", "INSTALL.txt", "kbviewer.desktop"):
        assert (bundle / name).is_file(), name
    assert (bundle / "_internal" / "viewer" / "_bundled" / "kb" / "overview.md").is_file()
    assert (bundle / "_internal" / "viewer" / "_bundled" / "resources" / "note.css").is_file()
    assert not list(bundle.rglob("libQt6Qml*")) and not list(bundle.rglob("libqgtk3*"))


@pytest.mark.slow
def test_bundle_runs_version_check_and_screenshot_outside_the_checkout(bundle, tmp_path):
    env = clean_env(tmp_path)
    version = run(bundle, "--version", env=env)
    assert version.returncode == 0 and version.stdout.startswith("kbviewer "), version.stderr
    check = run(bundle, "check", env=env)
    assert check.returncode == 0, check.stderr
    summary = check.stdout.strip().splitlines()[-1]  # warnings come first, one a line
    assert "0 broken links; 0 errors" in summary and int(summary.split()[0]) >= 40
    cite = run(bundle, "cite", "global-news-opp-clearview", "--style", "apa", env=env)  # pandoc travels too
    assert cite.returncode == 0 and "Global News" in cite.stdout, cite.stderr
    shot = tmp_path / "shot.png"
    result = run(bundle, "--screenshot", str(shot), "--note", "ontario-provincial-police",
                 env=dict(env, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    doctor = run(bundle, "doctor", env=dict(env, QT_QPA_PLATFORM="offscreen"))
    assert "bundled application" in doctor.stdout
    assert f"{bundle}/_internal/viewer/_bundled/kb" in doctor.stdout and "checks clean" in doctor.stdout


@pytest.mark.slow
def test_bundle_install_script_puts_it_in_the_menu(bundle, tmp_path):
    env = clean_env(tmp_path)
    result = subprocess.run(["sh", str(bundle / "install.sh")], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    installed = tmp_path / ".local" / "opt" / "kbviewer" / "kbviewer"
    assert os.path.realpath(tmp_path / ".local" / "bin" / "kbviewer") == str(installed)
    entry = tmp_path / "share" / "applications" / "kbviewer.desktop"
    assert f"\nExec={installed} %f\n" in entry.read_text()
    tool = shutil.which("desktop-file-validate")
    assert tool, "desktop-file-validate is missing: `make test` installs it"
    assert subprocess.run([tool, str(entry)], capture_output=True).returncode == 0
    assert run(installed.parent, "--version", env=env).returncode == 0
