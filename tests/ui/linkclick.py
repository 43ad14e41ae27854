"""Finding a link in a QTextBrowser and clicking it as a reader would."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser


def link_position(browser: QTextBrowser, href_prefix: str) -> QPoint:
    """The viewport point at the middle of the first link whose href starts with href_prefix."""
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().anchorHref().startswith(href_prefix):
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position() + max(1, fragment.length() // 2))
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(cursor)
                return QPoint(rect.x(), rect.center().y())
            it += 1
        block = block.next()
    raise AssertionError(f"no link starting with {href_prefix!r}")


def click_link(qtbot, browser: QTextBrowser, href_prefix: str) -> None:
    pos = link_position(browser, href_prefix)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=pos)
