"""Qt's print support is loaded with the first printout; where it cannot load, the reader is told why."""

from __future__ import annotations

import sys

import pytest
from PySide6 import QtWidgets

NAME = "PySide6.QtPrintSupport"


class MissingLibrary:
    """A finder that fails to load Qt's print support as a missing system library does."""

    def find_spec(self, name, path=None, target=None):
        if name == NAME:
            raise ImportError("libcups.so.2: cannot open shared object file: No such file or directory", name=name)
        return None


@pytest.fixture
def said(monkeypatch):
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *rest: messages.append((title, text))))
    return messages


def test_file_print_without_qts_print_support_says_so_instead_of_raising(window, monkeypatch, said):
    monkeypatch.setitem(sys.modules, NAME, None)  # importing it raises ImportError
    window.actions_.print_note.trigger()
    assert len(said) == 1
    title, text = said[0]
    assert title == "Print note" and text.startswith("Printing is not available")


def test_a_missing_system_library_is_named_without_saying_qt_cannot_start(window, monkeypatch, said):
    monkeypatch.delitem(sys.modules, NAME, raising=False)
    monkeypatch.setattr(sys, "meta_path", [MissingLibrary(), *sys.meta_path])
    window.actions_.print_note.trigger()
    assert len(said) == 1
    text = said[0][1]
    assert text.startswith("Printing is not available: the system library libcups.so.2 could not be loaded")
    assert "Qt cannot start" not in text and "kbviewer doctor" in text
