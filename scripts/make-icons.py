"""Renders resources/icon.svg to the PNG sizes of the freedesktop icon theme spec.

Run after changing the SVG: .venv/bin/python scripts/make-icons.py
The PNGs are kept in git, so installing the desktop entry needs no Qt.
"""

import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from viewer.commands.desktop import ICON_SIZES  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
app = QGuiApplication(sys.argv[:1])
renderer = QSvgRenderer(str(ROOT / "resources" / "icon.svg"))
out = ROOT / "resources" / "icons"
out.mkdir(exist_ok=True)
for size in ICON_SIZES:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    image.save(str(out / f"kbviewer-{size}.png"), "PNG")
    print(out / f"kbviewer-{size}.png")
