"""A scroll area that knows its viewport's size without asking Qt for the viewport widget.

The first time PySide wraps a widget Qt made itself (a scroll area's viewport), it sets up every
widget class the object could be, enums and all: 7–13 ms, which the first paint would pay. A
scroll area hands its viewport's resize events to `resizeEvent`; the size is kept from there,
so it is Qt's own, whatever the style does with scroll bars (overlaid, always shown, spaced).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent


class ViewportSize:
    """Mixed in before a QAbstractScrollArea class: `viewport_size()` as the last resize left it."""

    _viewport_size: QSize | None = None

    def viewport_size(self) -> QSize:
        """The viewport's size; before its first resize (never shown), the area's inside."""
        if self._viewport_size is not None:
            return QSize(self._viewport_size)
        return self.maximumViewportSize()  # type: ignore[attr-defined]  # of the scroll area mixed with

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override: the viewport's resize)
        self._viewport_size = QSize(event.size())
        super().resizeEvent(event)  # type: ignore[misc]
