"""Core export: which images are inlined (inside the folder, regular, typed, small) and which are not."""

from __future__ import annotations

import os

import pytest

from viewer.core import KnowledgeBase
from viewer.core import export
from viewer.core.export import inline_images, note_html, read_image

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "kb"
    (root / "img").mkdir(parents=True)
    (root / "img" / "dot.png").write_bytes(PNG)
    (root / "img" / "fake.png").write_bytes(b"#!/bin/sh\necho not an image\n")
    (root / "img" / "notes.txt").write_bytes(PNG)
    (root / "img" / "dir.png").mkdir()
    (tmp_path / "outside.png").write_bytes(PNG)
    (root / "img" / "link.png").symlink_to(tmp_path / "outside.png")
    (root / "img" / "inner.png").symlink_to(root / "img" / "dot.png")
    return root


def test_an_image_inside_the_folder_is_read(folder):
    assert read_image(folder, "img/dot.png") == ("image/png", PNG)
    assert read_image(folder, "img/inner.png") == ("image/png", PNG)  # a link that stays inside
    assert read_image(folder, "img/d%6Ft.png") == ("image/png", PNG)


@pytest.mark.parametrize("src", ["../outside.png", "img/../../outside.png", "img/link.png", "/etc/passwd",
                                 "img/fake.png", "img/notes.txt", "img/dir.png", "img/none.png",
                                 "http://example.com/a.png", "//host/a.png", "file:///etc/x.png",
                                 "img\\dot.png", "C:/x.png", ""])
def test_nothing_else_is_read(folder, src):
    assert read_image(folder, src) is None


def test_an_image_over_the_cap_is_left_out(folder, monkeypatch):
    assert read_image(folder, "img/dot.png", limit=len(PNG) - 1) is None
    monkeypatch.setattr(export, "MAX_IMAGE_BYTES", len(PNG) - 1)
    out = inline_images('<p><img alt="dot" src="img/dot.png"></p>', folder)
    assert "data:" not in out and '<span class="missing-image">[image: dot]</span>' in out


def test_images_share_one_budget(folder):
    out = inline_images('<img src="img/dot.png"><img src="img/dot.png">', folder, budget=len(PNG) + 10)
    assert out.count("data:image/png;base64,") == 1 and out.count("missing-image") == 1


def test_a_note_becomes_one_document_with_its_parts(tmp_path, folder):
    (folder / "n.md").write_text("---\ntitle: N <b>\nsources: [s]\n---\n# N\n\nSee [[s]]. ![x](img/dot.png) "
                                 "![y](img/link.png)\n", encoding="utf-8")
    (folder / "s.md").write_text("---\ntitle: S\ntype: source\noutlet: Daily\n---\nText.\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    text = note_html(kb, "n")
    assert "<title>N &lt;b&gt;</title>" in text and "<style>" in text
    assert text.count('src="data:image/png;base64,') == 1 and "[image: y]" in text
    assert 'href="note:' not in text and '<span class="wikilink">' in text
    assert text.index('class="note-header"') < text.index('class="note-body"') < text.index('class="note-sources"')
    with pytest.raises(KeyError):
        note_html(kb, "missing")
    assert os.path.getsize(folder / "img" / "dot.png") == len(PNG)  # nothing was written in the folder
