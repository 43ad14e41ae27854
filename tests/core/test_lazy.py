"""Packages that name their parts and import each when first asked for."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys

import pytest

import viewer.core.annotations as annotations
from viewer.core.lazy import lazy_pattern


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


def test_a_lazy_pattern_answers_as_its_compiled_pattern():
    lazy = lazy_pattern(r"(\w+)@(\w+)", re.IGNORECASE)
    compiled = re.compile(r"(\w+)@(\w+)", re.IGNORECASE)
    text = "a@b, C@D and e@f"
    assert [m.groups() for m in lazy.finditer(text)] == [m.groups() for m in compiled.finditer(text)]
    assert lazy.sub(r"\2", text) == compiled.sub(r"\2", text)
    assert lazy.match("x@y").group(1) == "x" and lazy.search("--q@r").start() == 2
    assert lazy.split(text) == compiled.split(text) and lazy.findall(text) == compiled.findall(text)
    assert (lazy.pattern, lazy.flags, lazy.groups) == (compiled.pattern, compiled.flags, compiled.groups)


def test_a_lazy_pattern_can_be_copied_before_and_after_its_first_use():
    lazy = lazy_pattern(r"\d+")
    assert copy.deepcopy(lazy).findall("a1b22") == ["1", "22"]  # before
    assert lazy.search("x7").group() == "7"
    assert copy.copy(lazy).sub("#", "a1") == "a#" and copy.deepcopy(lazy).split("a1b") == ["a", "b"]  # after


def test_the_link_patterns_are_compiled_when_first_used_and_once():
    script = ("import json, re\n"
              "compiled = []\n"
              "original = re.compile\n"
              "re.compile = lambda pattern, flags=0: (compiled.append(pattern), original(pattern, flags))[1]\n"
              "from viewer.core import plain, wikilinks\n"
              "links = lambda: [p for p in compiled if isinstance(p, str) and '\\\\[\\\\[' in p]\n"
              "at_import = links()\n"
              "found = [m.group(2) for m in wikilinks.WIKILINK_RE.finditer('[[a]] and [[b]]')]\n"
              "again = wikilinks.WIKILINK_RE.finditer('[[c]]')\n"
              "print(json.dumps([at_import, found, links()]))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    at_import, found, after = json.loads(out)
    assert at_import == [] and found == ["a", "b"]
    assert after == [r"(!?)\[\[([^\[\]\n]+?)\]\]"]  # compiled once, for the first use
