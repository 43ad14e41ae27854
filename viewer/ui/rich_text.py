"""An item delegate that paints a row's HTML, wrapped to the view's width.

Used by the links panel (a title and the sentence holding the link) and the
search panel (a title and a snippet with matched words in bold). The HTML of a
row is in HTML_ROLE; it is built by the panels from escaped text only.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QEvent, QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPalette, QResizeEvent, QStandardItem, QTextDocument
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from viewer.ui.viewport import ViewportSize

HTML_ROLE = Qt.ItemDataRole.UserRole + 10
KEPT_DOCUMENTS = 128  # laid-out rows kept per view (about 25 KB each): a few screenfuls


class RichTextDelegate(QStyledItemDelegate):
    """Paints HTML_ROLE when a row has it, else the usual text."""

    def __init__(self, view: WrappingTreeView) -> None:
        super().__init__(view)
        self.view = view
        self._kept: OrderedDict[tuple[str, int, str], QTextDocument] = OrderedDict()

    def _document(self, option: QStyleOptionViewItem, html: str, width: float) -> QTextDocument:
        """The row laid out at `width`: made once, then kept for its size and its paints (least recent out)."""
        key = (html, round(max(40.0, width)), option.font.key())
        doc = self._kept.get(key)
        if doc is not None:
            self._kept.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDocumentMargin(3)
        doc.setDefaultFont(option.font)
        doc.setHtml(html)
        doc.setTextWidth(key[1])
        self._kept[key] = doc
        if len(self._kept) > KEPT_DOCUMENTS:
            self._kept.popitem(last=False)
        return doc

    def _width(self, option: QStyleOptionViewItem, index: QModelIndex) -> float:
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        levels = depth + (1 if self.view.rootIsDecorated() else 0)
        available = self.view.viewport_size().width() - levels * self.view.indentation()
        return float(max(40, available))

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.data(HTML_ROLE):
            option.text = ""  # the row's HTML is drawn over what the style draws

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        html = index.data(HTML_ROLE)
        super().paint(painter, option, index)  # background, selection and focus, as the style draws them
        if not html:
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, html, opt.rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        # Python does not touch QStyle (making its enums for Python costs 10 ms at start-up)
        selected = self.view.selectionModel() is not None and self.view.selectionModel().isSelected(index)
        group = QPalette.ColorGroup.Active if self.view.isActiveWindow() else QPalette.ColorGroup.Inactive
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(group, role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        html = index.data(HTML_ROLE)
        if not html:
            return super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self._width(opt, index)
        doc = self._document(opt, html, width)
        return QSize(int(width), int(doc.size().height()) + 2)


class WrappingTreeView(ViewportSize, QTreeView):
    """A tree whose rows are laid out again when its width changes (rows wrap)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_width = -1
        self.setItemDelegate(RichTextDelegate(self))
        self.setHeaderHidden(True)
        self.setUniformRowHeights(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QTreeView.ScrollMode.ScrollPerPixel)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if isinstance(event, QResizeEvent) and event.size().width() != self._last_width:
            self._last_width = event.size().width()
            self.scheduleDelayedItemsLayout()  # row heights depend on the width
        return super().viewportEvent(event)


def section_item(text: str, font: QFont) -> QStandardItem:
    """A bold heading row of a results list: shown, never selected."""
    item = QStandardItem(text)
    bold = QFont(font)
    bold.setBold(True)
    item.setFont(bold)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    return item
