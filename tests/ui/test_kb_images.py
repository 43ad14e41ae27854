"""Images in a note are read only from inside the knowledge-base folder, whatever the working directory."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from viewer.core import KnowledgeBase
from viewer.core.export import note_html
from viewer.ui.note.export import print_document
from viewer.ui.note.resources import kb_resource, read_kb_image

from conftest import NOTES, rendered, shown_window, write_kb

IMAGE = QTextDocument.ResourceType.ImageResource
REFUSED = ("../secret.png", "img/../../secret.png", "img/%2e%2e/%2e%2e/secret.png", "img/link.png",
           "\\\\evil.example\\share\\a.png", "img\\..\\..\\secret.png", "C:/secret.png", "/dev/zero",
           "http://evil.example/a.png", "//evil.example/a.png", "file:///etc/passwd", "img/fifo.png",
           "img/zero.png", "img", "http://[oops/x.png")


def _red_png(path, size=8):
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 0, 0))
    assert image.save(str(path), "PNG")


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "kb"
    (folder / "img").mkdir(parents=True)
    _red_png(folder / "img" / "a.png")
    _red_png(tmp_path / "secret.png")
    (folder / "img" / "link.png").symlink_to(tmp_path / "secret.png")
    (folder / "img" / "zero.png").symlink_to("/dev/zero")
    os.mkfifo(folder / "img" / "fifo.png")
    return folder


def test_only_regular_files_inside_the_folder_are_read(folder):
    assert read_kb_image(folder, QUrl("img/a.png")).startswith(b"\x89PNG")
    for url in REFUSED:
        assert read_kb_image(folder, QUrl(url)) is None, url


def test_a_refused_image_is_an_empty_image_never_none(folder):
    """Given None, Qt would open the path itself: a FIFO would hang, /dev/zero fill the memory."""
    for url in REFUSED:
        value = kb_resource(folder, IMAGE, QUrl(url))
        assert isinstance(value, QImage) and value.isNull(), url
    image = kb_resource(folder, IMAGE, QUrl("img/a.png"))
    assert isinstance(image, QImage) and image.pixelColor(2, 2) == QColor(255, 0, 0)


def _kb_with_images(tmp_path, folder) -> KnowledgeBase:
    notes = dict(NOTES)
    notes["pictured.md"] = ("# Pictured\n\nA red square: ![red](img/a.png)\n\n"
                            "Outside: ![s](../secret.png) ![z](/dev/zero) ![f](img/fifo.png) ![l](img/link.png)\n")
    write_kb(folder, notes)
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def _red_pixels(widget) -> int:
    image = widget.grab().toImage()
    return sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y) == QColor(255, 0, 0))


def test_the_window_shows_an_image_of_the_folder_from_any_working_directory(qtbot, tmp_path, folder,
                                                                          monkeypatch):

    _red_png(folder / "img" / "a.png", size=40)
    kb = _kb_with_images(tmp_path, folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    window = shown_window(qtbot, kb)
    qtbot.waitUntil(lambda: window.current_id is not None)
    window.open_note("pictured")
    rendered(qtbot, window)
    qtbot.waitUntil(lambda: _red_pixels(window.view.viewport()) >= 200)  # a 40 px square, sampled 1 in 4
    window.close()


def test_the_window_shows_nothing_from_outside_the_folder(qtbot, tmp_path, folder, monkeypatch):

    (folder / "img" / "a.png").unlink()  # only the outside square is red
    _red_png(tmp_path / "secret.png", size=40)
    kb = _kb_with_images(tmp_path, folder)
    monkeypatch.chdir(folder / "img")  # where "../secret.png" would resolve by the working directory too
    window = shown_window(qtbot, kb)
    window.open_note("pictured")
    rendered(qtbot, window)
    qtbot.wait(100)
    assert "Outside" in window.view.toPlainText()
    assert _red_pixels(window.view.viewport()) == 0
    window.close()


def test_the_printed_note_holds_the_image(tmp_path, folder, qapp):
    kb = _kb_with_images(tmp_path, folder)
    doc = print_document(kb, "pictured")
    image = doc.resource(IMAGE, QUrl("img/a.png"))
    assert isinstance(image, QImage) and image.pixelColor(1, 1) == QColor(255, 0, 0)
    for refused in ("../secret.png", "/dev/zero"):
        loaded = doc.resource(IMAGE, QUrl(refused))
        assert loaded is None or loaded.isNull()
    exported = note_html(kb, "pictured")
    assert "data:image/png;base64," in exported and "secret" not in exported
