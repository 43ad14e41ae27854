"""A scroll area's viewport size, worked out without asking Qt for the viewport widget.

The first time PySide wraps a widget Qt made itself (a scroll area's viewport), it sets up every
widget class the object could be, enums and all: 7–13 ms, which the first paint would pay.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractScrollArea


def viewport_size(area: QAbstractScrollArea) -> QSize:
    """What `area.viewport().size()` gives: the area inside the frame, less the scroll bars shown."""
    size = area.maximumViewportSize()
    vertical, horizontal = area.verticalScrollBar(), area.horizontalScrollBar()
    width = size.width() - (vertical.width() if vertical.isVisibleTo(area) else 0)
    height = size.height() - (horizontal.height() if horizontal.isVisibleTo(area) else 0)
    return QSize(max(0, width), max(0, height))
