"""Packages that name their parts and import each when first asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest

import viewer.core.annotations as annotations


def test_an_unknown_name_is_an_attribute_error_naming_the_package():
    with pytest.raises(AttributeError, match="module 'viewer.core.annotations' has no attribute 'Nothing'"):
        annotations.Nothing  # noqa: B018


def test_a_name_is_imported_when_first_asked_for_and_kept():
    script = ("import sys\n"
              "import viewer.core.search as search\n"
              "before = 'viewer.core.search.hits' in sys.modules\n"
              "hit = search.Hit\n"
              "from viewer.core.search.hits import Hit\n"
              "print(before, hit is Hit, 'Hit' in vars(search))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True"]
