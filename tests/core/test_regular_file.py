"""Reading a file of the notes folder that may be swapped while it is read: never a file outside it."""

from __future__ import annotations

import os

from viewer.core import files


def test_an_image_whose_folder_is_swapped_for_a_link_after_the_check_is_not_read(tmp_path, monkeypatch):
    folder, outside = tmp_path / "kb", tmp_path / "private"
    (folder / "media").mkdir(parents=True)
    outside.mkdir()
    (folder / "media" / "map.png").write_bytes(b"\x89PNG inside")
    (outside / "map.png").write_bytes(b"\x89PNG outside")
    real = files.read_regular

    def swapped_first(path, limit, **options):
        os.rename(folder / "media", tmp_path / "media-moved")
        os.symlink(outside, folder / "media")  # after the path was checked, before it is opened
        return real(path, limit, **options)

    monkeypatch.setattr(files, "read_regular", swapped_first)
    assert files.read_local_image(folder, "media/map.png") is None
    assert (folder / "media").is_symlink()


def test_an_image_inside_the_folder_is_read(tmp_path):
    folder = tmp_path / "kb"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "map.png").write_bytes(b"\x89PNG inside")
    (folder / "linked").symlink_to(folder / "media")  # a link that stays inside the folder
    assert files.read_local_image(folder, "media/map.png") == b"\x89PNG inside"
    assert files.read_local_image(folder, "linked/map.png") == b"\x89PNG inside"
