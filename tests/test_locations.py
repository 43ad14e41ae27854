"""--kb, --store and --data are resolved once, into Locations, the same way for every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.cli import build_parser
from viewer.commands.common import CommandError, Locations
from viewer.core.paths import bundled_kb, default_data_dir, default_store


def test_defaults_are_the_bundled_folder_its_cache_store_and_the_user_data_folder():
    where = Locations.from_args(build_parser().parse_args(["check"]))
    assert where == Locations(kb=bundled_kb(), store=default_store(bundled_kb()), data=default_data_dir())


def test_given_locations_are_used_with_the_home_folder_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    args = build_parser().parse_args(["annotations", "list", "--kb", "~/notes", "--store", "~/s.json",
                                      "--data", "~/data"])
    where = Locations.from_args(args)
    assert where == Locations(kb=tmp_path / "notes", store=tmp_path / "s.json", data=tmp_path / "data")


def test_a_store_not_given_is_the_folders_own(tmp_path):
    where = Locations.from_args(build_parser().parse_args(["--kb", str(tmp_path)]))
    assert where.store == default_store(tmp_path) and where.kb == tmp_path


def test_a_missing_folder_is_a_one_line_error(tmp_path):
    where = Locations.from_args(build_parser().parse_args(["--kb", str(tmp_path / "nope")]))
    with pytest.raises(CommandError, match="no such folder"):
        where.require_kb()
    assert isinstance(where.kb, Path)
