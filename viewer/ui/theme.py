"""The note style sheet with colours taken from the current QPalette, and the app icon.

`resources/note.css` is a template (filled by `viewer.core.style`): here its
colours come from the palette at render time, so a note follows the system's
light or dark palette. Export uses the same sheet in light colours.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QIcon, QPalette

from viewer.core.paths import resources_dir
from viewer.core.style import note_stylesheet

Role = QPalette.ColorRole


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0..1) of the way towards `b`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Base).lightness() < 128


def colours(palette: QPalette) -> dict[str, str]:
    """The named colours the note style sheet uses, from `palette`."""
    text = palette.color(Role.Text)
    base = palette.color(Role.Base)
    link = palette.color(Role.Link)
    highlight = palette.color(Role.Highlight)
    dark = is_dark(palette)
    return {
        "text": text.name(),
        "base": base.name(),
        "muted": mix(text, base, 0.42).name(),
        "link": mix(link, text, 0.15).name(),
        "accent": mix(highlight, text, 0.25).name(),
        "broken": mix(QColor("#ff6b5e") if dark else QColor("#b3261e"), text, 0.1).name(),
        "border": mix(text, base, 0.8).name(),
        "alt": mix(text, base, 0.94).name(),
        "code_bg": mix(text, base, 0.93).name(),
    }


def note_css(palette: QPalette | None = None, body_size: str = "11pt", zoom: float = 1.0) -> str:
    """The note style sheet for `palette` (default: the application's), every size times `zoom`."""
    palette = palette or QGuiApplication.palette()
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    return note_stylesheet(colours(palette), body_size, f"'{mono}', monospace", zoom)


_icon: QIcon | None = None


def app_icon() -> QIcon:
    """The program's icon, read from its files once (the application and the window both set it).

    Its PNG sizes: a title bar or task bar needs no more, and the SVG would load Qt's SVG
    plug-in and library at start-up (the desktop entry's icon is the SVG).
    """
    global _icon
    if _icon is None:
        _icon = QIcon()
        for name in ("icons/kbviewer-16.png", "icons/kbviewer-32.png", "icon.png"):
            path = resources_dir() / name
            if path.is_file():
                _icon.addFile(str(path))
    return QIcon(_icon)
