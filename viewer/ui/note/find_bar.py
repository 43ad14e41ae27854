"""Find in the note: every match highlighted, the current one marked and scrolled to.

Opened from a search hit, the bar holds the query's words and finds them as
the search matched them (word starts, a phrase as one run); editing the field
goes back to finding its text as typed.
"""

from __future__ import annotations

from PySide6 import QtCore  # QRegularExpression, set up with its enums when first used
from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

MAX_MATCHES = 5000


class FindBar(QWidget):
    """A bar under the note: a field, the match count, previous/next and close.

    Signals:
        closed(): the bar was hidden (focus goes back to the note).
    """

    closed = Signal()

    def __init__(self, view: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.matches: list[QTextCursor] = []
        self.current = -1
        self._origin = 0  # where the current match starts: typing more keeps it
        self._words: tuple[str, str] | None = None  # (field text, pattern) of a search's words
        self.colours = (QColor("#ffe08a"), QColor("#f4b400"))  # all matches, the current one
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in note")
        self.field.setAccessibleName("Find in note")
        self.field.setClearButtonEnabled(True)
        self.whole_words = self._toggle("Word", "Whole words", "Match whole words only (Alt+W)")
        self.match_case = self._toggle("Aa", "Match case", "Tell capitals from small letters (Alt+C)")
        self.field.setMinimumWidth(140)
        self.count = QLabel()
        self.count.setAccessibleName("Matches")
        self.count.setMinimumWidth(70)
        self.previous_button = self._button("↑", "Previous", "Previous match (Shift+F3)", "go-up")
        self.next_button = self._button("↓", "Next", "Next match (F3)", "go-down")
        self.close_button = self._button("✕", "Close", "Close the find bar (Esc)", "window-close")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.whole_words)
        layout.addWidget(self.match_case)
        layout.addWidget(self.count)
        for button in (self.previous_button, self.next_button, self.close_button):
            layout.addWidget(button)
        self.hide()
        self._connect()

    def tab_order(self) -> list[QWidget]:
        """The bar's controls in the order Tab visits them."""
        return [self.field, self.whole_words, self.match_case, self.previous_button, self.next_button,
                self.close_button]

    def _toggle(self, text: str, name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.setAccessibleName(name)
        return button

    def _button(self, text: str, name: str, tip: str, icon: str) -> QToolButton:
        from PySide6.QtGui import QIcon

        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(name)
        if QIcon.hasThemeIcon(icon):
            button.setIcon(QIcon.fromTheme(icon))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _connect(self) -> None:
        self.field.textChanged.connect(self.search)
        self.whole_words.toggled.connect(self.refresh)
        self.match_case.toggled.connect(self.refresh)
        self.field.installEventFilter(self)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.close_button.clicked.connect(self.close_bar)

    # -- public -------------------------------------------------------------------

    def open_bar(self, text: str | None = None) -> None:
        """Show the bar and focus its field, seeded with `text` if given."""
        self.show()
        if text:
            self.field.setText(text)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self.search(self.field.text())

    def show_words(self, label: str, pattern: str, origin: int = 0) -> int:
        """Show the bar holding a search's words, every match of `pattern` marked; focus stays.

        The current match is the first at or after `origin`. Returns how many.
        """
        self._words = (label, pattern)
        self._origin = origin
        self.show()
        self.field.blockSignals(True)
        self.field.setText(label)
        self.field.blockSignals(False)
        return self.search(label)

    @Slot()
    def close_bar(self) -> None:
        self.hide()
        self._show_selections([])
        self.matches, self.current = [], -1
        self.closed.emit()

    @Slot(str)
    def search(self, text: str) -> int:
        """Highlight every match of `text` (by the options' case and words); returns how many."""
        self.matches = []
        self.current = -1
        flags = QTextDocument.FindFlag(0)
        if self.whole_words.isChecked():
            flags |= QTextDocument.FindFlag.FindWholeWords
        if self.match_case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self._words is not None and text != self._words[0]:
            self._words = None  # the reader edited the words: find the text as typed
        wanted = text
        if self._words is not None:
            option = QtCore.QRegularExpression.PatternOption
            wanted = QtCore.QRegularExpression(self._words[1], option.CaseInsensitiveOption
                                               | option.UseUnicodePropertiesOption)
            flags = QTextDocument.FindFlag(0)
        if text:
            doc = self.view.document()
            cursor = QTextCursor(doc)
            while len(self.matches) < MAX_MATCHES:
                cursor = doc.find(wanted, cursor, flags)
                if cursor.isNull():
                    break
                self.matches.append(QTextCursor(cursor))
        if self.matches:
            self.current = next((i for i, c in enumerate(self.matches) if c.selectionStart() >= self._origin), 0)
        self._paint()
        return len(self.matches)

    def refresh(self) -> None:
        """Search again after the note changed, if the bar is open."""
        self._origin = 0
        if self.isVisible():
            self.search(self.field.text())

    @Slot()
    def find_next(self) -> None:
        self._step(1)

    @Slot()
    def find_previous(self) -> None:
        self._step(-1)

    # -- inside -------------------------------------------------------------------

    def _step(self, delta: int) -> None:
        if not self.matches:
            return
        self.current = (self.current + delta) % len(self.matches)
        self._paint()

    def _paint(self) -> None:
        selections = []
        for index, cursor in enumerate(self.matches):
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(self.colours[1] if index == self.current else self.colours[0])
            fmt.setForeground(QColor("#000000"))
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
        self._show_selections(selections)
        if self.current >= 0:
            self._origin = self.matches[self.current].selectionStart()
            cursor = QTextCursor(self.matches[self.current])
            cursor.clearSelection()
            self.view.setTextCursor(cursor)
            self.view.ensureCursorVisible()
            shown = f"{self.current + 1} of {len(self.matches)}"
        else:
            shown = "No matches" if self.field.text() else ""
        self.count.setText(shown)
        self.field.setProperty("notFound", bool(self.field.text()) and not self.matches)

    def _show_selections(self, selections: list[QTextEdit.ExtraSelection]) -> None:
        """The matches as the view's "find" layer (over its highlights), if it has layers."""
        layered = getattr(self.view, "set_selection_layer", None)
        layered("find", selections) if layered else self.view.setExtraSelections(selections)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if watched is self.field and event.type() == QEvent.Type.KeyPress and self._key(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        """Enter / Shift+Enter, F3 / Shift+F3, Esc, and Alt+W / Alt+C for the options."""
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        alt_only = event.modifiers() == Qt.KeyboardModifier.AltModifier
        if alt_only and event.key() in (Qt.Key.Key_W, Qt.Key.Key_C):
            box = self.whole_words if event.key() == Qt.Key.Key_W else self.match_case
            box.toggle()
        elif event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.find_previous() if shift else self.find_next()
        elif event.matches(QKeySequence.StandardKey.FindPrevious):
            self.find_previous()
        elif event.matches(QKeySequence.StandardKey.FindNext):
            self.find_next()
        else:
            return False
        return True
