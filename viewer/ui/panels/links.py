"""The links panel: where the note leads, what points back, and who names it unlinked.

Three sections in one tree: outgoing links (each target once), backlinks (each
with the sentence that holds the link, the link's words in bold) and unlinked
mentions (notes that name this note's title or an alias without linking it,
from `kb.unlinked_mentions`). Activating a row opens that note; for a backlink
or a mention the window is also told the passage to show there.

Mentions are looked up in the search index and each hit's text is read to
confirm it, so they are found in a worker thread: the section says it is
looking, and fills in when they come (the newest note's only).
"""

from __future__ import annotations

import html
import re
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.core import start_page
from viewer.core.labels import type_label
from viewer.core.plain import line_words
from viewer.ui.panels.notes import NOTE_ID_ROLE
from viewer.ui.rich_text import HTML_ROLE, WrappingTreeView, section_item
from viewer.ui.workers import Answer, Latest, NewestTask

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase
    from viewer.core.mentions import Mention

BROKEN_ROLE = Qt.ItemDataRole.UserRole + 2
PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 3  # the words to show in the opened note
SECTIONS = ("Links", "Backlinks", "Unlinked mentions")
FOLD_OVER = 12  # outgoing links shown folded when there are more
LINKS_READ = 20_000  # a note's links read for the panel: the rest of a flood of links is not listed
BACKLINKS_READ = 1_000  # links into a note read (each with its sentence): a hub's others are not listed
FINDING = "Looking for unlinked mentions…"
LOOK_ANYWAY_MS = 250  # the lookup starts once the note's page is painted (`page_painted`), or after this


def _bold_in(sentence: str, *candidates: str | None) -> str:
    """`sentence` escaped, with the first of `candidates` found in it in bold."""
    for words in candidates:
        if not words:
            continue
        match = re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", sentence, re.IGNORECASE)
        if match:
            return (html.escape(sentence[:match.start()]) + "<b>" + html.escape(match.group(0)) + "</b>"
                    + html.escape(sentence[match.end():]))
    return html.escape(sentence)


def _says_more(sentence: str, *names: str | None) -> bool:
    """False when the sentence is only the link itself (a "See also" item, a table cell)."""
    bare = re.sub(r"\W+", " ", sentence).strip().casefold()
    return len(bare) > 3 and bare not in {re.sub(r"\W+", " ", n).strip().casefold() for n in names if n}


def _mentions_or_why(kb: KnowledgeBase, note_id: str, kept: bool = False) -> list[Mention] | str:
    """The note's unlinked mentions, or why they could not be looked for (in the panel's thread).

    With `kept`, those kept from the last session, brought up to date, when
    they can be (`start_page.mentions_now`). The mentions found are kept for
    the next start (`start_page.keep_mentions`), unless a sync ended meanwhile.
    """
    state = kb.mentions_state
    try:
        found = start_page.mentions_now(kb, note_id) if kept else None
        if found is None:
            found = kb.unlinked_mentions(note_id)
    except Exception as err:  # noqa: BLE001 (shown in the section)
        return str(err) or type(err).__name__
    if kb.mentions_state == state:
        start_page.keep_mentions(kb.store_path, note_id, state, found)
    return found


class LinksPanel(QWidget):
    """Outgoing links, backlinks with context, and unlinked mentions of one note.

    Signals:
        note_activated(str): the reader opened a listed note.
        broken_link_activated(str): the reader opened a link to no note.
        passage_activated(str, str): after note_activated for a backlink or a mention:
            the note id and the passage in it that links to or names this note.
    """

    note_activated = Signal(str)
    broken_link_activated = Signal(str)
    passage_activated = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb: KnowledgeBase | None = None
        self.note_id: str | None = None
        self._expanded: dict[str, bool] = {}  # sections the reader folded or unfolded
        self._filling = False
        self._folded: tuple[QStandardItem, list[tuple[str, str | None, int]], str | None] | None = None
        self._finding: QStandardItem | None = None  # the mentions section while they are looked for
        self._kept_for: KnowledgeBase | None = None  # kept mentions are read for its first note only
        self._latest = Latest()
        self._found = Answer()  # no parent: a task may outlive the panel
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._waiting: NewestTask | None = None  # started once the note's page is painted
        self._start = QTimer(self)
        self._start.setSingleShot(True)
        self._start.timeout.connect(self._start_waiting)
        self.model = QStandardItemModel(self)
        self.tree = WrappingTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Links, backlinks and unlinked mentions")
        self.tree.setEditTriggers(WrappingTreeView.EditTrigger.NoEditTriggers)
        self.tree.setIndentation(12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        self.setFocusProxy(self.tree)
        self._connect()

    def _connect(self) -> None:
        self.tree.clicked.connect(self._on_index)
        self.tree.activated.connect(self._on_index)
        self.tree.expanded.connect(self._on_expanded)
        self.tree.collapsed.connect(lambda index: self._remember(index, False))
        self._found.ready.connect(self._on_mentions)

    def _remember(self, index: QModelIndex, expanded: bool) -> None:
        if not self._filling and not index.parent().isValid() and 0 <= index.row() < len(SECTIONS):
            self._expanded[SECTIONS[index.row()]] = expanded

    @Slot(QModelIndex)
    def _on_expanded(self, index: QModelIndex) -> None:
        if not index.parent().isValid() and index.row() == 0:  # the outgoing links
            self._make_folded()
        self._remember(index, True)

    # -- content ------------------------------------------------------------------

    def show_note(self, kb: KnowledgeBase, note_id: str) -> None:
        """List the links of `note_id`.

        A long list of outgoing links starts folded (the backlinks stay in view): its rows are
        made when the reader opens it, not with every note (a hub's run to hundreds).
        """
        self.kb, self.note_id = kb, note_id
        self._filling = True
        self.model.clear()
        self._folded = None
        self._finding = None
        request = self._latest.next()
        sections = [self._section(name) for name in SECTIONS]
        outgoing, outgoing_notice = self._outgoing(kb, note_id)
        if outgoing and not self._wanted(SECTIONS[0], len(outgoing)):
            self._folded = (sections[0], outgoing, outgoing_notice)
            sections[0].appendRow(QStandardItem())  # stands for the rows until the section is opened
            outgoing_notice = None
        else:
            self._add_outgoing(sections[0], outgoing)
        notices = [outgoing_notice, self._fill_backlinks(kb, note_id, sections[1])]
        counts = [len(outgoing), sections[1].rowCount()]
        for section, name, notice, count in zip(sections, SECTIONS, notices, counts, strict=False):
            self._finish(section, name, count, notice)
        first = self._kept_for is not kb and hasattr(kb, "mentions_state")  # kept mentions: its first note only
        kept = self._kept_mentions(kb, note_id) if first else None
        if kept is not None:
            self._fill_mentions(kb, kept, sections[2])
            self._finish(sections[2], SECTIONS[2], len(kept), None)
            counts.append(len(kept))
        elif hasattr(kb, "unlinked_mentions"):
            self._finding = sections[2]
            sections[2].setText(SECTIONS[2])
            sections[2].setData(f"{SECTIONS[2]}: looking for them", Qt.ItemDataRole.AccessibleTextRole)
            sections[2].appendRow(self._notice(FINDING))
            self._waiting = NewestTask(partial(_mentions_or_why, kb, note_id, first), request, self._latest,
                                       self._found)
            self._start.start(LOOK_ANYWAY_MS)  # a page not painted (the note view hidden) does not hold it up
        else:
            self._finish(sections[2], SECTIONS[2], 0, None)
        for section in sections:
            self.model.appendRow(section)
        for row, (name, count) in enumerate(zip(SECTIONS, [*counts, 0][:3], strict=True)):
            self.tree.setExpanded(self.model.index(row, 0), self._wanted(name, count))
        self._filling = False

    def _finish(self, section: QStandardItem, name: str, count: int, notice: str | None) -> None:
        """The section's title with its count, then its notice, or "None" for no rows."""
        section.setText(f"{name} ({count})")
        section.setData(f"{name}, {count}", Qt.ItemDataRole.AccessibleTextRole)
        if notice:
            section.appendRow(self._notice(notice))
        if count == 0:
            empty = QStandardItem("None")
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setForeground(self.palette().placeholderText())
            section.appendRow(empty)

    def _kept_mentions(self, kb: KnowledgeBase, note_id: str) -> list[Mention] | None:
        """The mentions kept from the last session, if the store is as they were found in (others are
        brought up to date in the worker)."""
        self._kept_for = kb
        return start_page.kept_mentions(kb.store_path, note_id, kb.mentions_state)

    @Slot()
    def page_painted(self) -> None:
        """The note's page is painted: look for its mentions once that paint is done.

        The lookup (a worker thread) then does not slow the first drawing of the note.
        """
        if self._waiting is not None:
            self._start.start(0)

    @Slot()
    def _start_waiting(self) -> None:
        task, self._waiting = self._waiting, None
        if task is not None:
            self._pool.start(task)

    @property
    def mentions_pending(self) -> bool:
        """Whether the shown note's unlinked mentions are still being looked for."""
        return self._finding is not None

    @Slot(int, object)
    def _on_mentions(self, request: int, found: object) -> None:
        section, kb, note_id = self._finding, self.kb, self.note_id
        if request != self._latest.value or section is None or kb is None or note_id is None:
            return  # another note is shown now
        self._finding = None
        self._filling = True
        section.removeRows(0, section.rowCount())
        if isinstance(found, list):
            self._fill_mentions(kb, found, section)
            self._finish(section, SECTIONS[2], section.rowCount(), None)
        else:
            self._finish(section, SECTIONS[2], 0, f"Unlinked mentions could not be looked for: {found}")
        self.tree.setExpanded(section.index(), self._wanted(SECTIONS[2], section.rowCount()))
        self._filling = False

    def shutdown(self) -> None:
        """Drop a pending lookup and wait for the running one (on close)."""
        self._latest.next()
        self._finding = None
        self._waiting = None
        self._start.stop()
        self._pool.clear()
        self._pool.waitForDone(3000)

    def _wanted(self, section: str, count: int) -> bool:
        """Whether a section is shown open: as the reader left it, else all but a long list of links."""
        wanted = self._expanded.get(section)
        return wanted if wanted is not None else section != SECTIONS[0] or count <= FOLD_OVER

    def _make_folded(self) -> None:
        """The rows of the folded outgoing links, made now (the section is opened, or asked about)."""
        if self._folded is None:
            return
        section, outgoing, notice = self._folded
        self._folded = None
        section.removeRow(0)
        self._add_outgoing(section, outgoing)
        if notice:
            section.appendRow(self._notice(notice))

    def clear(self) -> None:
        self._latest.next()
        self.model.clear()
        self._folded = None
        self._finding = None
        self.note_id = None

    def entries(self, section: str) -> list[str]:
        """The note ids (or broken targets) listed in a section, in order."""
        self._make_folded()
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.text().startswith(section + " ("):
                return [item.child(r).data(NOTE_ID_ROLE) or item.child(r).data(BROKEN_ROLE)
                        for r in range(item.rowCount())
                        if item.child(r).data(NOTE_ID_ROLE) or item.child(r).data(BROKEN_ROLE)]
        return []

    def index_of(self, section: str, note_id: str) -> QModelIndex:
        self._make_folded()
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.text().startswith(section + " ("):
                for r in range(item.rowCount()):
                    if item.child(r).data(NOTE_ID_ROLE) == note_id:
                        return item.child(r).index()
        return QModelIndex()

    def _section(self, name: str) -> QStandardItem:
        return section_item(name, self.font())

    def _entry(self, note_id: str | None, title: str, detail_html: str = "", tip: str = "",
               kind: str = "") -> QStandardItem:
        item = QStandardItem(title)
        item.setData(note_id, NOTE_ID_ROLE)
        shown = f"<b>{html.escape(title)}</b>"
        if kind:
            shown += f' <span style="font-size: small">· {html.escape(kind)}</span>'
        if detail_html:
            shown += f'<br><span style="font-size: small">{detail_html}</span>'
        item.setData(shown, HTML_ROLE)
        plain = re.sub(r"<[^>]+>", "", detail_html)
        item.setData(f"{title}. {html.unescape(plain)}" if plain else title, Qt.ItemDataRole.AccessibleTextRole)
        if tip:
            item.setToolTip(f"<qt>{html.escape(tip)}</qt>")  # rich text: escaped
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return item

    def _notice(self, text: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setForeground(self.palette().placeholderText())
        return item

    def _outgoing(self, kb: KnowledgeBase, note_id: str) -> tuple[list[tuple[str, str | None, int]], str | None]:
        """The note's links (as written, the target's id, the line); a notice when it holds more than are read."""
        total = kb.link_count(note_id)
        rows = [(written, target_id, line) for written, target_id, line in kb.outgoing_targets(note_id, LINKS_READ)
                if target_id != note_id]
        return rows, f"The note's first {LINKS_READ:,} links of {total:,} are listed" if total > LINKS_READ else None

    def _add_outgoing(self, section: QStandardItem, rows: list[tuple[str, str | None, int]]) -> None:
        kb = self.kb
        for written, target_id, line in rows:
            target = kb.get(target_id) if kb is not None and target_id else None
            if target is None:
                item = self._entry(None, written, "<i>broken link: no note has this name</i>")
                item.setData(written, BROKEN_ROLE)
            else:
                item = self._entry(target.id, target.title, tip=f"{type_label(target.type)}, line {line}",
                                   kind=type_label(target.type))
            section.appendRow(item)

    def _fill_backlinks(self, kb: KnowledgeBase, note_id: str, section: QStandardItem) -> str | None:
        """The links into the note; a notice when there are more than are read (the list stops there)."""
        seen: set[tuple[str, str]] = set()
        target = kb.get(note_id)
        total = kb.backlink_count(note_id)
        for link in sorted(kb.backlinks(note_id, BACKLINKS_READ), key=lambda k: (self._title(kb, k.source).casefold(), k.line)):
            if link.source == note_id or (link.source, link.context) in seen:
                continue
            seen.add((link.source, link.context))
            context = line_words(link.context.strip())
            names = (link.label, target.title if target else None, link.target, *(target.aliases if target else ()))
            detail = _bold_in(context, *names) if _says_more(context, *names) else ""
            item = self._entry(link.source, self._title(kb, link.source), detail, f"line {link.line}")
            item.setData(context, PASSAGE_ROLE)
            section.appendRow(item)
        return f"The first {BACKLINKS_READ:,} links into this note of {total:,} are listed" if total > BACKLINKS_READ else None

    def _fill_mentions(self, kb: KnowledgeBase, mentions: list[Mention], section: QStandardItem) -> None:
        for mention in mentions:
            times = f" ({mention.times} mentions)" if mention.times > 1 else ""
            context = line_words(mention.context)
            item = self._entry(mention.source, self._title(kb, mention.source) + times,
                               _bold_in(context, mention.name), f"line {mention.line}")
            item.setData(context, PASSAGE_ROLE)
            section.appendRow(item)

    @staticmethod
    def _title(kb: KnowledgeBase, note_id: str) -> str:
        note = kb.get(note_id)
        return note.title if note else note_id

    # -- activation ---------------------------------------------------------------

    @Slot(QModelIndex)
    def _on_index(self, index: QModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE)
        passage = index.data(PASSAGE_ROLE)  # read now: opening the note refills this panel
        if note_id:
            self.note_activated.emit(note_id)
            if passage:
                self.passage_activated.emit(note_id, passage)
        elif index.data(BROKEN_ROLE):
            self.broken_link_activated.emit(index.data(BROKEN_ROLE))
