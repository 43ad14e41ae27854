"""Qt's print support is loaded with the first printout; where it cannot load, the reader is told why."""

from __future__ import annotations

import sys

from PySide6 import QtWidgets


def test_file_print_without_qts_print_support_says_so_instead_of_raising(window, monkeypatch):
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *rest: said.append((title, text))))
    monkeypatch.setitem(sys.modules, "PySide6.QtPrintSupport", None)  # importing it raises ImportError
    window.actions_.print_note.trigger()
    assert len(said) == 1
    title, text = said[0]
    assert title == "Print note" and "Printing is not available" in text
