"""Starting the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from viewer.commands.common import CommandError
from viewer.core import KnowledgeBase, KnowledgeBaseError
from viewer.core.paths import bundled_kb
from viewer.ui.main_window import MainWindow


def run(args) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("kbviewer")
    app.setOrganizationName("kbviewer")
    folder = Path(args.kb) if getattr(args, "kb", None) else bundled_kb()
    try:
        kb = KnowledgeBase.open(folder, store=getattr(args, "store", None))
    except KnowledgeBaseError as err:
        raise CommandError(str(err)) from None
    window = MainWindow(kb)
    first = kb.resolve(args.note) if getattr(args, "note", None) else kb.overview()
    if first is not None:
        window.open_note(first.id)
    window.show()
    return app.exec()
