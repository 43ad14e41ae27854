"""The window's small dialogs: the shortcut list, About, and an outside link to confirm."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from viewer import __version__
from viewer.ui.note.preview import OUTSIDE_SCHEMES
from viewer.ui.window.actions import shortcuts_html


def shortcuts_dialog(parent: QWidget, menus: dict[str, QMenu]) -> QDialog:
    """Help › Keyboard Shortcuts: every command with its keys (shown, not modal)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard shortcuts")
    dialog.setAccessibleName("Keyboard shortcuts")
    text = QTextBrowser()
    text.setAccessibleName("Shortcut list")
    text.setHtml(shortcuts_html(menus))
    QVBoxLayout(dialog).addWidget(text)
    dialog.resize(620, 560)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def about(parent: QWidget) -> None:
    QMessageBox.about(parent, "About kbviewer",
                      f"<b>kbviewer {html.escape(__version__)}</b><p>An offline viewer for linked Markdown "
                      "notes. Nothing it shows is fetched from the network.</p>")


def open_outside_link(parent: QWidget, url: QUrl, say) -> bool:
    """Ask, then hand a web link to the system browser; nothing is fetched here.

    `say(message, msecs)` puts a message in the status bar.
    """
    if url.scheme() not in OUTSIDE_SCHEMES:
        say(f"Not opened: '{url.toString()}' is not a web link", 6000)
        return False
    if not _confirmed(parent, "Open outside link?",
                      f"Open this address in your web browser?\n\n{url.toString()}\n\n"
                      "kbviewer itself never connects to the network."):
        say("Link not opened", 3000)
        return False
    return QDesktopServices.openUrl(url)


def _confirmed(parent: QWidget, title: str, text: str) -> bool:
    """Ask Yes or No (No is the default); True for Yes."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def open_attachment(parent: QWidget, folder, path: str, say) -> bool:
    """Ask, then hand a file of the notes folder (a PDF, a sound...) to the system's application."""
    from viewer.core.files import resolve_local_file

    found = resolve_local_file(folder, path)
    if found is None:
        say(f"Not opened: '{path}' is not a file inside the notes folder", 6000)
        return False
    if not _confirmed(parent, "Open attachment?",
                      f"Open this file with the system's application?\n\n{found.name}\n\n"
                      "It leaves kbviewer: the other application reads it as it likes."):
        say("Attachment not opened", 3000)
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(found)))
