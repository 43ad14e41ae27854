"""`kbviewer doctor`: what this machine has for the viewer, and what it lacks."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import platformdirs

from viewer import __version__, qtcheck
from viewer.commands.common import CommandError, open_kb
from viewer.core.paths import APP_NAME, bundled_kb, default_data_dir


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "doctor", parents=[common], help="report Python, Qt, system libraries, display, folders",
        description="Report what the viewer needs here: Python, Qt and its system libraries, "
                    "the display, the store and data folders, and whether the knowledge base checks clean.")
    parser.set_defaults(run=run)


def folder_size(path: Path) -> tuple[int, int]:
    """Bytes and files under path (0, 0 when it does not exist)."""
    total = files = 0
    if not path.exists():
        return 0, 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
                files += 1
            except OSError:
                pass
    return total, files


def human(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return ""


def describe_folder(path: Path) -> str:
    if not path.exists():
        return f"{path} (not created yet)"
    size, files = folder_size(path)
    return f"{path} ({human(size)} in {files} file{'' if files == 1 else 's'})"


def qt_lines() -> tuple[list[tuple[str, str]], bool]:
    lines: list[tuple[str, str]] = []
    try:
        qtcheck.import_qt()
    except qtcheck.QtUnavailable as err:
        return [("Qt", "cannot start"), ("system libraries", str(err))], False
    import PySide6
    from PySide6.QtCore import qVersion

    lines.append(("Qt", f"PySide6 {PySide6.__version__}, Qt {qVersion()} ({Path(PySide6.__file__).parent})"))
    folder = qtcheck.pyside_dir()
    ok = True
    libs = [folder / "Qt" / "lib" / f"libQt6{m[2:]}.so.6" for m in qtcheck.QT_MODULES] if folder else []
    missing = qtcheck.unloadable_libraries(libs)
    lines.append(("system libraries", "Qt's libraries all load" if not missing else qtcheck.advice(missing)))
    ok = ok and not missing
    plugin = qtcheck.platform_plugin()
    if plugin is not None:
        missing = qtcheck.unloadable_libraries([plugin])
        name = qtcheck.platform_name()
        lines.append((f"window ({name})", "its platform plugin's libraries all load" if not missing
                      else qtcheck.advice(missing, detail=f"for Qt's {name} platform plugin")))
        # without a display no window opens anyway: only --screenshot is used then
        ok = ok and (not missing or not has_display())
    return lines, ok


def has_display() -> bool:
    return sys.platform != "linux" or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def display_line() -> str:
    parts = [f"{key}={os.environ[key]}" for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
             if os.environ.get(key)]
    if not parts:
        if sys.platform == "linux":
            return "none (DISPLAY and WAYLAND_DISPLAY are unset): only --screenshot works here"
        return "the system's"
    return ", ".join(parts) + f" (Qt platform: {qtcheck.platform_name() or 'default'})"


def kb_line(args) -> tuple[str, bool]:
    folder = Path(args.kb) if getattr(args, "kb", None) else bundled_kb()
    try:
        kb = open_kb(args)
    except CommandError as err:
        return f"{folder}: {err}", False
    errors = sum(1 for d in kb.diagnostics if d.severity == "error")
    warnings = len(kb.diagnostics) - errors
    broken = sum(1 for link in kb.links() if link.broken)
    verdict = "checks clean" if not errors and not warnings else "run `kbviewer check` for the problems"
    return (f"{folder}: {len(kb)} notes, {broken} broken links, {errors} errors, "
            f"{warnings} warnings: {verdict}"), not errors


def run(args) -> int:
    rows: list[tuple[str, str]] = [
        ("kbviewer", f"{__version__} ({'bundled application' if getattr(sys, 'frozen', False) else Path(__file__).parents[1]})"),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("system", f"{platform.system()} {platform.release()} {platform.machine()}"),
    ]
    qt, qt_ok = qt_lines()
    rows += qt
    rows.append(("display", display_line()))
    kb_text, kb_ok = kb_line(args)  # before the folders: opening it may create the store
    store = Path(args.store).parent if getattr(args, "store", None) else Path(platformdirs.user_cache_dir(APP_NAME))
    rows.append(("store folder", describe_folder(store)))
    data = Path(args.data) if getattr(args, "data", None) else default_data_dir()
    rows.append(("data folder", describe_folder(data) + " (your annotations)"))
    rows.append(("knowledge base", kb_text))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name + ':':<{width + 1}} {value}")
    return 0 if qt_ok and kb_ok else 1
