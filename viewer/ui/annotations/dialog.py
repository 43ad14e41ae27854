"""The dialog that highlights a passage or edits an annotation: colour, comment, tags.

The five colours are swatch buttons in one exclusive group: Tab reaches the
chosen one, the arrow keys choose another, and each has its colour's name for
screen readers. Tags are typed comma-separated, each completed from the tags
already in use. Ctrl+Enter saves from anywhere in the dialog. The dialog can
be placed clear of the passage it quotes (below it, else above it).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, Slot
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPalette, QPixmap, QTextCursor
from PySide6.QtWidgets import (QAbstractButton, QButtonGroup, QCompleter, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QToolButton, QWidget)

from viewer.core.annotations import COLOURS, DEFAULT_COLOUR

QUOTE_CHARS = 280  # of the passage shown at the top
CLEARANCE = 8  # pixels between the passage and the dialog placed beside it


def swatch_icon(colour: str, size: int = 22, border: QColor | None = None) -> QIcon:
    """A filled rounded square of a highlight colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(border or QColor(0, 0, 0, 90))
    painter.setBrush(QColor(COLOURS.get(colour, COLOURS[DEFAULT_COLOUR])))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 4, 4)
    painter.end()
    return QIcon(pixmap)


def clear_position(size: QSize, avoid: QRect, available: QRect, gap: int = CLEARANCE) -> QPoint | None:
    """Where a window of `size` goes so as not to cover `avoid`, inside `available`.

    Below `avoid` if it fits, else above it, else None. Horizontally it starts at
    `avoid`'s left edge, moved in to stay on the screen.

    Args:
        size: the window's frame size.
        avoid: the rectangle to keep clear (global coordinates).
        available: the screen's available geometry.
        gap: pixels kept between `avoid` and the window.
    """
    x = min(max(avoid.left(), available.left()), available.right() + 1 - size.width())
    x = max(x, available.left())
    below = avoid.bottom() + 1 + gap
    if below + size.height() <= available.bottom() + 1:
        return QPoint(x, below)
    above = avoid.top() - gap - size.height()
    if above >= available.top():
        return QPoint(x, above)
    return None


def selection_rect(view: QTextEdit) -> QRect:
    """A text view's selection on screen (global coordinates), for the dialog to keep clear.

    From the start of the selection to its end; a selection over several
    lines takes the view's whole width.
    """
    selection = view.textCursor()
    viewport = view.viewport()
    ends = []
    for position in (selection.selectionStart(), selection.selectionEnd()):
        cursor = QTextCursor(view.document())
        cursor.setPosition(position)
        ends.append(view.cursorRect(cursor))
    rect = ends[0].united(ends[1])
    if ends[0].top() != ends[1].top():
        rect.setLeft(0)
        rect.setRight(viewport.width() - 1)
    return QRect(viewport.mapToGlobal(rect.topLeft()), rect.size())


def split_tags(text: str) -> list[str]:
    """Tags typed comma-separated, without empty ones."""
    return [tag.strip() for tag in text.split(",") if tag.strip()]


class TagCompleter(QCompleter):
    """Completes the tag after the last comma, keeping those before it."""

    def __init__(self, tags: Iterable[str], field: QLineEdit) -> None:
        super().__init__(list(tags), field)  # the completer owns the model it makes
        self.field = field
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt override)
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex) -> str:  # noqa: N802 (Qt override)
        if not index.isValid():
            return self.field.text()
        head, _, _ = self.field.text().rpartition(",")
        tag = str(index.data())
        return f"{head}, {tag}" if head.strip() else tag


def is_ctrl_enter(event: QKeyEvent) -> bool:
    return (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))


class _CommentField(QPlainTextEdit):
    """The comment: Tab moves on; Ctrl+Enter saves the dialog (rather than adding a line)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if is_ctrl_enter(event):
            event.ignore()  # the dialog saves
            return
        super().keyPressEvent(event)


class AnnotationDialog(QDialog):
    """Choose a colour, write a comment and tags for a passage.

    Args:
        quote: the passage, shown at the top.
        known_tags: the tags in use, offered as completions.
        comment, tags, colour: the values to start from (an edit).
        editing: the dialog edits an annotation rather than making one.
    """

    def __init__(self, quote: str, known_tags: Iterable[str] = (), parent: QWidget | None = None, *,
                 comment: str = "", tags: Iterable[str] = (), colour: str = DEFAULT_COLOUR,
                 editing: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit Annotation" if editing else "Highlight Passage")
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("annotation-dialog")
        shown = " ".join(quote.split())
        if len(shown) > QUOTE_CHARS:
            shown = shown[:QUOTE_CHARS - 1].rstrip() + "…"
        self.quote = QLabel(f"“{shown}”")
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setWordWrap(True)
        self.quote.setAccessibleName("Passage")
        font = self.quote.font()
        font.setItalic(True)
        self.quote.setFont(font)
        self.colours = QButtonGroup(self)
        self.colours.setExclusive(True)
        swatches = QHBoxLayout()
        swatches.setSpacing(4)
        border = self.palette().color(QPalette.ColorRole.Text)
        border.setAlpha(110)
        for name in COLOURS:
            button = QToolButton()
            button.setIcon(swatch_icon(name, border=border))
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab reaches the checked one only
            button.setToolTip(name.capitalize())
            button.setAccessibleName(name.capitalize())
            button.setObjectName(f"colour-{name}")
            button.setProperty("colour", name)
            self.colours.addButton(button)
            swatches.addWidget(button)
        swatches.addStretch(1)
        self.comment = _CommentField()
        self.comment.setAccessibleName("Comment")
        self.comment.setPlaceholderText("Your comment (optional)")
        self.comment.setTabChangesFocus(True)
        self.comment.setPlainText(comment)
        self.comment.setMinimumHeight(90)
        self.tags = QLineEdit(", ".join(tags))
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("Comma-separated, e.g. police, 2020")
        self.tags.setCompleter(TagCompleter(known_tags, self.tags))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save" if editing else "Highlight")
        self.save_button.setAccessibleName(self.save_button.text())
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        form = QFormLayout(self)
        form.addRow(self.quote)
        colour_label = QLabel("&Colour:")
        form.addRow(colour_label, swatches)
        comment_label = QLabel("Co&mment:")
        comment_label.setBuddy(self.comment)
        form.addRow(comment_label, self.comment)
        tags_label = QLabel("&Tags:")
        tags_label.setBuddy(self.tags)
        form.addRow(tags_label, self.tags)
        form.addRow(self.buttons)
        self.set_colour(colour)
        colour_label.setBuddy(self.colours.checkedButton())
        self.resize(460, self.sizeHint().height())
        self._connect()

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.colours.buttonToggled.connect(self._on_colour)

    @Slot(QAbstractButton, bool)
    def _on_colour(self, button: QAbstractButton, checked: bool) -> None:
        if isinstance(button, QToolButton):
            button.setAutoRaise(not checked)  # the chosen swatch stands out
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if checked else Qt.FocusPolicy.ClickFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if is_ctrl_enter(event):  # from the tags field, a swatch or the comment alike
            self.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.comment.setFocus(Qt.FocusReason.OtherFocusReason)  # the comment first; the colour is a Shift+Tab away

    def place_clear_of(self, avoid: QRect, available: QRect) -> bool:
        """Move the dialog below `avoid` (global coordinates), else above it, on the
        screen area `available`; where neither fits it stays where Qt put it.

        Returns:
            Whether the dialog was moved.
        """
        frame = self.frameGeometry() if self.isVisible() else QRect(self.pos(), self.size())
        spot = clear_position(frame.size(), avoid, available)
        if spot is None:
            return False
        self.move(spot)  # a window's position is its frame's
        return True

    # -- values -------------------------------------------------------------------

    def colour(self) -> str:
        button = self.colours.checkedButton()
        return str(button.property("colour")) if button else DEFAULT_COLOUR

    def set_colour(self, colour: str) -> None:
        for button in self.colours.buttons():
            if button.property("colour") == colour:
                button.setChecked(True)
                self._on_colour(button, True)

    def swatch(self, colour: str) -> QToolButton:
        return next(b for b in self.colours.buttons() if b.property("colour") == colour)

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    def tag_list(self) -> list[str]:
        return split_tags(self.tags.text())
