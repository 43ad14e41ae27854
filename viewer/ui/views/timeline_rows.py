"""The timeline's rows: a list model with a row per month header and per entry, and the
delegate that draws them: a spine down the left with a dot in the note's type colour,
the date, the title with a type badge, and the note's first sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from viewer.core.dates import format_date
from viewer.core.graph import wrap_label, wrapped_lines
from viewer.core.timeline import TimelineEntry, TimelineGroup, group_key
from viewer.ui.panels.notes import tooltip_html
from viewer.ui.views.graph_scene import type_colour

if TYPE_CHECKING:
    from viewer.ui.views.timeline import TimelineList

EntryRole = Qt.ItemDataRole.UserRole + 1  # the TimelineEntry, or None on a header
GroupRole = Qt.ItemDataRole.UserRole + 2  # the TimelineGroup, on a header
NoteIdRole = Qt.ItemDataRole.UserRole + 3
SUMMARY_LINES = 2
ModelIndex = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """The timeline flattened into rows: each group's header, then its entries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TimelineGroup | TimelineEntry] = []
        self._headers: dict[str, int] = {}  # a group's key -> the row of its header
        self._entries = 0

    def set_groups(self, groups: list[TimelineGroup]) -> None:
        rows: list[TimelineGroup | TimelineEntry] = []
        headers: dict[str, int] = {}
        for group in groups:  # a step per month; the entries are copied whole
            headers[group.key] = len(rows)
            rows.append(group)
            rows.extend(group.entries)
        self.beginResetModel()
        self._rows, self._headers = rows, headers
        self._entries = len(rows) - len(groups)
        self.endResetModel()

    def entry_count(self) -> int:
        return self._entries

    def row_of(self, note_id: str, date: str | None = None) -> int:
        """The row of the note's entry, or -1; with its `date` only that month is searched."""
        if date is not None:
            start = self._headers.get(group_key(date))
            if start is None:
                return -1
            group = self._rows[start]
            assert isinstance(group, TimelineGroup)
            for offset, entry in enumerate(group.entries, start + 1):
                if entry.note_id == note_id:
                    return offset
            return -1
        for index, row in enumerate(self._rows):
            if isinstance(row, TimelineEntry) and row.note_id == note_id:
                return index
        return -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self._rows[index.row()], TimelineEntry):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemNeverHasChildren  # headers: not selectable, skipped by the keys

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, TimelineGroup):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.label
            return row if role == GroupRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title  # also what type-ahead search matches
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ". ".join(p for p in (format_date(row.date), row.title, row.type or "", row.summary) if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(row.title, " · ".join(p for p in (format_date(row.date), row.type) if p),
                                row.summary)
        if role == EntryRole:
            return row
        if role == NoteIdRole:
            return row.note_id
        return None


@dataclass(frozen=True)
class _EntryLayout:
    """Where the parts of one entry go, relative to the row's top-left corner."""

    dot_y: float
    text_left: float  # of the title and the summary
    date: QRectF
    title_lines: tuple[str, ...]
    title_top: float
    badge: QRectF
    summary_lines: tuple[str, ...]
    summary_top: float
    height: int


class TimelineDelegate(QStyledItemDelegate):
    """Draws headers and entries, laid out for the view's width.

    Wide views put the date in a column left of the title; narrow ones put it
    above the title, beside the type badge.
    """

    SPINE_X = 14  # the vertical line down the left
    MARGIN = 8
    NARROW = 560  # below this width the date goes above the title

    def __init__(self, view: TimelineList) -> None:
        super().__init__(view)
        self._view = view
        # entry heights for one width and font: the list asks for every row's height after each
        # filter change, and most rows come back
        self._heights: dict[TimelineEntry, int] = {}
        self._heights_for: tuple[int, str] = (0, "")
        self._date_widths: dict[str, int] = {}  # font key -> width of the widest date
        self._font_sets: dict[str, tuple[QFont, QFont, QFont]] = {}  # font key -> base, bold, header

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        key = option.font.key()
        if key not in self._font_sets:
            base = QFont(option.font)
            bold = QFont(base)
            bold.setBold(True)
            header = QFont(bold)
            header.setPointSizeF(base.pointSizeF() * 1.15)
            self._font_sets[key] = (base, bold, header)
        return self._font_sets[key]

    def _width(self) -> int:
        """The width rows are laid out in: the viewport's, in paint and sizeHint alike (kept from its resize
        events: PySide's first wrapping of the viewport Qt made would set up every widget class, 10-25 ms)."""
        return self._view.viewport_size().width()

    def _layout(self, entry: TimelineEntry, base: QFont, bold: QFont, height_only: bool = False) -> _EntryLayout:
        """Where the entry's parts go; with `height_only` its lines are counted, not cut (for sizeHint:
        every row is measured when the list is laid out, only those on screen are painted)."""
        metrics, strong = QFontMetrics(base), QFontMetrics(bold)
        width = self._width()
        right = width - self.MARGIN
        line, strong_line = metrics.lineSpacing(), strong.lineSpacing()
        badge_width = 0 if height_only else metrics.horizontalAdvance(entry.type or "note") + 12
        top = 8.0
        if width >= self.NARROW:
            date_left = self.SPINE_X + 14
            left = date_left + self._date_width(base, metrics) + 12
            room = max(40, right - left - badge_width - 8)
            title = ("",) if height_only else (strong.elidedText(entry.title, Qt.TextElideMode.ElideRight, room),)
            date = QRectF(date_left, top, left - date_left, strong_line)
            badge_left = left + (0 if height_only else strong.horizontalAdvance(title[0])) + 8
            badge = QRectF(badge_left, top + (strong_line - line) / 2 - 1, badge_width, line + 2)
            title_top = top
            dot_y = top + strong_line / 2
        else:
            left = self.SPINE_X + 14
            date_width = 0 if height_only else metrics.horizontalAdvance(format_date(entry.date))
            date = QRectF(left, top, date_width + 2, line)
            badge = QRectF(date.right() + 8, top - 1, badge_width, line + 2)
            title_top = top + line + 4
            title = self._lines(entry.title, strong, max(40, right - left), 2, height_only)
            dot_y = top + line / 2
        summary_top = title_top + len(title) * strong_line + 3
        summary = self._lines(entry.summary, metrics, max(40, right - left), SUMMARY_LINES, height_only) \
            if entry.summary else ()
        height = int(summary_top + len(summary) * line + 8)
        return _EntryLayout(dot_y, left, date, title, title_top, badge, summary, summary_top, height)

    @staticmethod
    def _lines(text: str, metrics: QFontMetrics, width: int, lines: int, count_only: bool) -> tuple[str, ...]:
        """`text` wrapped into at most `lines` lines; blank lines as many when only counting."""
        if count_only:
            return ("",) * wrapped_lines(text, metrics.horizontalAdvance, width, lines)
        return wrap_label(text, metrics.horizontalAdvance, width, lines)

    def _date_width(self, base: QFont, metrics: QFontMetrics) -> int:
        key = base.key()
        if key not in self._date_widths:
            self._date_widths[key] = metrics.horizontalAdvance("28 September 2020")
        return self._date_widths[key]

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        base, bold, header = self._fonts(option)
        width = self._width()
        group = index.data(GroupRole)
        if group is not None:
            return QSize(width, QFontMetrics(header).height() + 18)
        entry = index.data(EntryRole)
        if self._heights_for != (width, option.font.key()):
            self._heights, self._heights_for = {}, (width, option.font.key())
        height = self._heights.get(entry)
        if height is None:
            height = self._heights[entry] = self._layout(entry, base, bold, height_only=True).height
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base, bold, header = self._fonts(option)
        group = index.data(GroupRole)
        if group is not None:
            self._paint_header(painter, option, group, header, base)
        else:
            self._paint_entry(painter, option, index.data(EntryRole), base, bold)
        painter.restore()

    def _paint_entry(self, painter: QPainter, option: QStyleOptionViewItem, entry: TimelineEntry,
                     base: QFont, bold: QFont) -> None:
        palette, rect = option.palette, option.rect
        width = self._width()
        layout = self._layout(entry, base, bold)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = text if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        row = QRectF(rect.left(), rect.top(), width, rect.height())
        if selected:
            painter.fillRect(row, palette.color(QPalette.ColorRole.Highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(row, palette.color(QPalette.ColorRole.AlternateBase))
        painter.translate(rect.left(), rect.top())

        # the spine, and a dot in the type's colour
        spine = QColor(palette.color(QPalette.ColorRole.Text))
        spine.setAlpha(60)
        painter.setPen(QPen(spine, 2))
        painter.drawLine(self.SPINE_X, 0, self.SPINE_X, rect.height())
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 2))
        painter.setBrush(type_colour(entry.type))
        painter.drawEllipse(QRectF(self.SPINE_X - 6, layout.dot_y - 6, 12, 12))

        left_middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.setFont(base)
        painter.setPen(muted)
        painter.drawText(layout.date, left_middle, format_date(entry.date))

        strong = QFontMetrics(bold)
        painter.setFont(bold)
        painter.setPen(text)
        for number, line in enumerate(layout.title_lines):
            top = layout.title_top + number * strong.lineSpacing()
            painter.drawText(QRectF(layout.text_left, top, width, strong.lineSpacing()), left_middle, line)

        colour = type_colour(entry.type)
        fill = QColor(colour)
        fill.setAlpha(110 if selected else 45)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(fill)
        radius = layout.badge.height() / 2
        painter.drawRoundedRect(layout.badge, radius, radius)
        painter.setFont(base)
        painter.setPen(text)
        painter.drawText(layout.badge, Qt.AlignmentFlag.AlignCenter, entry.type or "note")

        metrics = QFontMetrics(base)
        painter.setPen(muted)
        for number, line in enumerate(layout.summary_lines):
            top = layout.summary_top + number * metrics.lineSpacing()
            painter.drawText(QRectF(layout.text_left, top, width, metrics.lineSpacing()), left_middle, line)

        if option.state & QStyle.StateFlag.State_HasFocus:
            focus = palette.color(QPalette.ColorRole.HighlightedText if selected
                                  else QPalette.ColorRole.Highlight)
            painter.setPen(QPen(focus, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(1, 1, width - 3, rect.height() - 3))

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, group: TimelineGroup,
                      header: QFont, base: QFont) -> None:
        rect = option.rect
        palette = QPalette(option.palette)
        palette.setCurrentColorGroup(QPalette.ColorGroup.Active)  # a header is "disabled": not greyed
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = QFontMetrics(header)
        top = rect.top() + 10
        painter.setFont(header)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(QRectF(rect.left() + 6, top, rect.width() - 12, metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, group.label)
        count = len(group.entries)
        painter.setFont(base)
        painter.setPen(muted)
        painter.drawText(QRectF(rect.left() + 6 + metrics.horizontalAdvance(group.label) + 10, top,
                                rect.width(), metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"{count} note{'' if count == 1 else 's'}")
        rule = QColor(palette.color(QPalette.ColorRole.Text))
        rule.setAlpha(50)
        painter.setPen(QPen(rule, 1))
        painter.drawLine(rect.left() + 6, rect.bottom() - 2, rect.left() + self._width() - 6, rect.bottom() - 2)
