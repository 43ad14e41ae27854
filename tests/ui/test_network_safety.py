"""Showing a note never touches the network; an outside link opens only after the reader says yes."""

from __future__ import annotations

import select
import socket

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from viewer.core import KnowledgeBase

from conftest import NOTES, rendered, shown_window, write_kb
from linkclick import click_link


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def connections(server: socket.socket, wait: float = 0.3) -> int:
    count = 0
    readable, _, _ = select.select([server], [], [], wait)
    while readable:
        conn, _ = server.accept()
        conn.close()
        count += 1
        readable, _, _ = select.select([server], [], [], 0.05)
    return count


@pytest.fixture
def remote_window(qtbot, tmp_path, listener):
    port = listener.getsockname()[1]
    notes = dict(NOTES)
    notes["remote.md"] = (
        "---\ntitle: Remote\n---\n# Remote\n\n"
        f"![a picture](http://127.0.0.1:{port}/x.png)\n\n"
        f'<img src="http://127.0.0.1:{port}/raw.png">\n\n'
        f"Read [the page](http://127.0.0.1:{port}/x) or see [[alpha]].\n")
    kb = KnowledgeBase.open(write_kb(tmp_path / "kb", notes), store=tmp_path / "s.json")
    win = shown_window(qtbot, kb)
    yield win, port
    win.close()


def test_remote_image_and_declined_link_send_nothing(qtbot, monkeypatch, remote_window, listener):
    window, port = remote_window
    asked: list[str] = []
    opened: list[QUrl] = []

    def answer_no(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer_no))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    assert window.open_note("remote")
    rendered(qtbot, window)
    qtbot.wait(200)
    text = window.view.toPlainText()
    assert "remote image not loaded: 127.0.0.1" in text
    click_link(qtbot, window.view, f"http://127.0.0.1:{port}/x")
    qtbot.wait(200)
    assert len(asked) == 1 and f"http://127.0.0.1:{port}/x" in asked[0]
    assert opened == []
    assert window.current_id == "remote"
    assert connections(listener) == 0


def test_a_confirmed_link_goes_to_the_system_browser_only(qtbot, monkeypatch, remote_window, listener):
    window, port = remote_window
    opened: list[QUrl] = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    window.open_note("remote")
    rendered(qtbot, window)
    click_link(qtbot, window.view, f"http://127.0.0.1:{port}/x")
    assert [url.toString() for url in opened] == [f"http://127.0.0.1:{port}/x"]
    assert connections(listener) == 0  # handed over, not fetched by the viewer


def test_the_note_view_refuses_to_load_remote_resources(window):
    from PySide6.QtGui import QImage, QTextDocument

    for url in ("http://127.0.0.1:9/x.png", "https://example.org/a.png", "//example.org/a.png",
                "file:///etc/passwd", "../../outside.png"):
        # an empty image, never None: given None, Qt would load the URL itself
        image = window.view.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))
        assert isinstance(image, QImage) and image.isNull(), url


def test_other_schemes_are_not_opened_at_all(monkeypatch, window):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: pytest.fail("asked")))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: pytest.fail("opened")))
    assert window.open_outside_link(QUrl("ftp://example.org/file")) is False
