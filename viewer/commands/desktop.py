"""`kbviewer install-desktop` / `uninstall-desktop`: the application menu entry.

Writes into the user's XDG data folder ($XDG_DATA_HOME, else ~/.local/share):
applications/kbviewer.desktop (which also offers kbviewer for opening a folder,
inode/directory) and the icon under icons/hicolor in each size plus scalable SVG.
Uninstall removes those files and the folders left empty by removing them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from viewer.commands.common import CommandError
from viewer.core.paths import resources_dir

APP_ID = "kbviewer"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def add_parser(subparsers, common) -> None:
    install = subparsers.add_parser(
        "install-desktop", help="add kbviewer to the application menu (your XDG folders)",
        description="Write a desktop entry, its icons and the folder (inode/directory) association "
                    "into $XDG_DATA_HOME (default ~/.local/share).")
    install.set_defaults(run=run_install)
    remove = subparsers.add_parser(
        "uninstall-desktop", help="remove what install-desktop wrote",
        description="Remove the desktop entry and icons that install-desktop wrote.")
    remove.set_defaults(run=run_uninstall)


def data_home() -> Path:
    """$XDG_DATA_HOME when it is an absolute path, else ~/.local/share (the spec's rule)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def exec_args() -> list[str]:
    """The absolute command that starts this kbviewer."""
    if getattr(sys, "frozen", False):  # the bundled application
        return [os.path.abspath(sys.executable)]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == APP_ID and script.is_file():
        return [os.path.abspath(script)]
    return [os.path.abspath(sys.executable), "-m", "viewer"]  # started as `python -m viewer`


def quote(arg: str) -> str:
    """One Exec argument, quoted as the desktop entry spec asks."""
    arg = arg.replace("%", "%%")
    if any(ch in _RESERVED for ch in arg):
        arg = '"' + "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg) + '"'
    return arg.replace("\\", "\\\\")  # the string-value escape on top


def entry_text(command: list[str]) -> str:
    program = " ".join(quote(arg) for arg in command)
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=kbviewer",
        "GenericName=Knowledge Base Viewer",
        "Comment=Read, search and annotate linked Markdown notes offline",
        f"Exec={program} %f",
    ]
    if len(command) == 1:
        lines.append(f"TryExec={quote(command[0])}")
    lines += [
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Office;Viewer;",
        "MimeType=inode/directory;",
        "Keywords=markdown;notes;wiki;knowledge base;annotations;",
        "StartupNotify=true",
        f"StartupWMClass={APP_ID}",
    ]
    return "\n".join(lines) + "\n"


def planned_files(home: Path, command: list[str]) -> dict[Path, bytes]:
    """Every file install writes, with its content."""
    icons = resources_dir() / "icons"
    files = {home / "applications" / f"{APP_ID}.desktop": entry_text(command).encode()}
    for size in ICON_SIZES:
        source = icons / f"{APP_ID}-{size}.png"
        if not source.is_file():
            raise CommandError(f"the {size}x{size} icon is missing from {icons}")
        files[home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = source.read_bytes()
    svg = resources_dir() / "icon.svg"
    files[home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"] = svg.read_bytes()
    return files


def refresh_caches(home: Path) -> None:
    """Keep caches that already exist in step; create none."""
    applications = home / "applications"
    if (applications / "mimeinfo.cache").exists() and shutil.which("update-desktop-database"):
        subprocess.run(["update-desktop-database", str(applications)], capture_output=True)
    hicolor = home / "icons" / "hicolor"
    if (hicolor / "icon-theme.cache").exists() and shutil.which("gtk-update-icon-cache"):
        subprocess.run(["gtk-update-icon-cache", "-f", "-t", str(hicolor)], capture_output=True)


def install(home: Path, command: list[str]) -> list[Path]:
    written = []
    for path, content in planned_files(home, command).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)
        written.append(path)
    refresh_caches(home)
    return written


def uninstall(home: Path) -> list[Path]:
    removed = []
    for path in planned_files(home, ["kbviewer"]):
        if path.is_file():
            path.unlink()
            removed.append(path)
        folder = path.parent
        while folder != home and home in folder.parents:
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent
    refresh_caches(home)
    return removed


def run_install(args) -> int:
    home = data_home()
    command = exec_args()
    try:
        written = install(home, command)
    except OSError as err:
        raise CommandError(f"could not write the desktop entry under {home}: {err}") from None
    print(f"Wrote {written[0]} (starts {' '.join(command)}) and {len(written) - 1} icons under "
          f"{home / 'icons' / 'hicolor'}. kbviewer is in the application menu; "
          "`kbviewer uninstall-desktop` removes it.")
    return 0


def run_uninstall(args) -> int:
    home = data_home()
    try:
        removed = uninstall(home)
    except OSError as err:
        raise CommandError(f"could not remove the desktop entry under {home}: {err}") from None
    if not removed:
        print(f"Nothing to remove: no kbviewer desktop entry under {home}.")
    else:
        print(f"Removed {len(removed)} files under {home}.")
    return 0
