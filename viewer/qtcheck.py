"""Whether Qt can start here, and which system packages to install when it cannot.

Nothing here imports Qt at module level: the checks run before any window does,
so a missing system library gives a paragraph to act on, not a traceback.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

from viewer.core.lazy import lazy_pattern

# soname -> (Debian/Ubuntu package, Fedora package)
PACKAGES = {
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl"),
    "libzstd.so.1": ("libzstd1", "libzstd"),
    "libz.so.1": ("zlib1g", "zlib"),
}

QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")  # their libraries are checked
WINDOW_MODULES = QT_MODULES[:3]  # imported before the window opens; QtPrintSupport when printing
_SONAME = lazy_pattern(r"(lib[A-Za-z0-9_.+-]*?\.so(?:\.\d+)*)")


class QtUnavailable(Exception):
    """Qt cannot start here; str() is the paragraph to print."""


def pyside_dir() -> Path | None:
    """PySide6's folder, found without importing it."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def library_in(message: str) -> str | None:
    """The shared library a loader error names, without its folder."""
    match = _SONAME.search(message)
    return match.group(1) if match else None


def unloadable_libraries(files: list[Path]) -> list[str]:
    """Every library `ldd` cannot load for these files (empty without ldd)."""
    import shutil
    import subprocess  # only when something is missing: not at every start

    ldd = shutil.which("ldd")
    found: list[str] = []
    for path in files:
        if ldd is None or not path.exists():
            continue
        try:
            out = subprocess.run([ldd, str(path)], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            continue
        for line in (out.stdout + out.stderr).splitlines():
            name = None
            if "=> not found" in line:
                name = line.split("=>")[0].strip()
            elif "error while loading shared libraries:" in line:
                name = library_in(line.split("error while loading shared libraries:", 1)[1].strip())
            if name and name not in found:
                found.append(os.path.basename(name))
    return found


def advice(libraries: list[str], detail: str = "", lead: str = "Qt cannot start") -> str:
    """One paragraph, after `lead`: what is missing and the packages that provide it."""
    debian = sorted({PACKAGES[name][0] for name in libraries if name in PACKAGES})
    fedora = sorted({PACKAGES[name][1] for name in libraries if name in PACKAGES})
    own = [name for name in libraries if name.startswith(("libQt6", "libpyside6", "libshiboken6"))]
    unknown = [name for name in libraries if name not in PACKAGES and name not in own]
    names = ", ".join(libraries) or "a Qt system library"
    text = f"{lead}: the system {'libraries' if len(libraries) > 1 else 'library'} {names} could not be loaded"
    text += f" ({detail})." if detail else "."
    if debian:
        text += (f" On Debian or Ubuntu install {'them' if len(debian) > 1 else 'it'} with"
                 f" `sudo apt-get install {' '.join(debian)}`;"
                 f" on Fedora with `sudo dnf install {' '.join(fedora)}`.")
    if unknown:
        text += (f" Find the package holding {', '.join(unknown)} with `apt-file search NAME` (Debian, Ubuntu)"
                 " or `dnf provides '*/NAME'` (Fedora).")
    if own:
        text += (f" {', '.join(own)} {'belong' if len(own) > 1 else 'belongs'} to Qt itself: reinstall kbviewer"
                 " (or `pip install --force-reinstall PySide6-Essentials` in its environment).")
    text += " `kbviewer doctor` checks again."
    return text


def explain(err: ImportError, lead: str = "Qt cannot start") -> str | None:
    """The paragraph, after `lead`, for an ImportError raised by Qt, or None if it is not a library problem."""
    message = str(err)
    name = getattr(err, "name", None) or ""
    if name in ("PySide6", "shiboken6") and ".so" not in message:
        return (f"{lead}: the Python package PySide6-Essentials is not installed "
                f"for {sys.executable}. Install kbviewer with its dependencies: "
                "`pip install kbviewer` or `pipx install .` from the source folder.")
    library = library_in(message)
    if library is None:
        return None
    folder = pyside_dir()
    files = [folder / "Qt" / "lib" / f"libQt6{module[2:]}.so.6" for module in QT_MODULES] if folder else []
    plugin = platform_plugin()  # named now too, so that one install is enough
    if plugin is not None:
        files.append(plugin)
    libraries = [library] + [lib for lib in unloadable_libraries(files) if lib != library]
    return advice(libraries, detail=message.strip(), lead=lead)


def import_qt() -> None:
    """Import the Qt modules the window uses; raise QtUnavailable with advice if that fails."""
    try:
        for module in WINDOW_MODULES:
            __import__(f"PySide6.{module}")
    except ImportError as err:
        text = explain(err)
        if text is None:
            raise
        raise QtUnavailable(text) from None
    mark_loaded_modules()
    mark_core_modules()


def _feature_table() -> dict | None:
    """PySide's published table of which modules use it (for its `__feature__` switches), or None."""
    table = getattr(sys.modules.get("__feature__"), "pyside_feature_dict", None)
    return table if isinstance(table, dict) else None


def mark_loaded_modules() -> None:
    """Tell PySide the modules loaded so far do not use it, so it does not read their source to find out.

    PySide learns whether a module uses it by reading the module's whole source, the first time
    an import statement names that module after PySide is loaded: the standard library and the
    Qt-free core, named again by the window's modules, would all be read (about 0.2 ms each).
    The switches matter only to a module that calls PySide's classes, and none of these does
    (this one only imports Qt); PySide's own modules are in the table already.
    """
    table = _feature_table()
    if table is not None:
        for name in list(sys.modules):
            table.setdefault(name, -1)  # -1: "ignore this module", what reading it would give


def mark_core_modules() -> None:
    """Tell PySide the core's modules do not use it (the core is free of Qt), before the ones loaded
    after Qt are read: the knowledge base's, loaded in the window's worker after its first paint."""
    _mark("viewer.core", os.path.join(os.path.dirname(__file__), "core"), -1)


def mark_window_modules(package: str, folder: str) -> None:
    """Tell PySide the window's modules (`package`, in `folder`) use it, before they are loaded and read."""
    _mark(package, folder, 0)  # 0: uses PySide, no feature switched on


def _mark(package: str, folder: str, value: int) -> None:
    """Put every module of `package` (in `folder`) in PySide's table with `value`, unless it is there."""
    table = _feature_table()
    if table is None:
        return
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if name.isidentifier() and not name.startswith("__")]  # not __pycache__
        inside = os.path.relpath(parent, folder)
        prefix = package if inside == "." else f"{package}.{inside.replace(os.sep, '.')}"
        table.setdefault(prefix, value)
        for file in files:
            if file.endswith(".py") and file != "__init__.py":
                table.setdefault(f"{prefix}.{file[:-3]}", value)


def platform_name() -> str:
    """The Qt platform plugin Qt will pick first here."""
    wanted = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted:
        return wanted
    if sys.platform != "linux":
        return ""
    if os.environ.get("XDG_SESSION_TYPE") == "wayland" and os.environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb"


def platform_plugin() -> Path | None:
    folder = pyside_dir()
    name = platform_name()
    if folder is None or not name:
        return None
    plugin = folder / "Qt" / "plugins" / "platforms" / f"libq{name}.so"
    return plugin if plugin.is_file() else None


def check_platform() -> None:
    """Load the platform plugin's libraries now: Qt would abort the process later."""
    plugin = platform_plugin()
    if plugin is None:
        return
    try:
        ctypes.CDLL(str(plugin))
    except OSError as err:
        message = str(err)
        first = library_in(message.replace(str(plugin), "")) or ""
        libraries = ([first] if first else []) + [lib for lib in unloadable_libraries([plugin]) if lib != first]
        raise QtUnavailable(advice(libraries, detail=f"Qt's {platform_name()} platform plugin: "
                                   + message.replace(str(plugin) + ": ", "").strip())) from None
