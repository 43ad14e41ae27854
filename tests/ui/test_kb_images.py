"""Images in a note are read only from inside the knowledge-base folder."""

from PySide6.QtCore import QUrl

from viewer.ui.note.view import read_kb_image


def test_only_files_inside_the_folder_are_read(tmp_path):
    folder = tmp_path / "kb"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "a.png").write_bytes(b"png")
    (tmp_path / "secret.png").write_bytes(b"secret")
    (folder / "img" / "link.png").symlink_to(tmp_path / "secret.png")
    assert read_kb_image(folder, QUrl("img/a.png")) == b"png"
    for url in ("../secret.png", "img/../../secret.png", "img/link.png", "\\\\evil.example\\share\\a.png",
                "C:/secret.png", "http://evil.example/a.png", "//evil.example/a.png"):
        assert read_kb_image(folder, QUrl(url)) is None, url
