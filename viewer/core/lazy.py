"""Put off until first use: a package's names (PEP 562) and a module's regular expressions."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any, cast


def lazy_names(package: str, homes: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], object]:
    """A module `__getattr__` for `package`: each name in `homes` comes from `package.<its module>`.

    The name is then kept in `namespace` (the package's globals), so it is looked up once.
    """
    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    return __getattr__


_CALLS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split")


class _LazyPattern:
    """`re.compile(pattern, flags)`, compiled when first used; its methods are then its own (no lookup here)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # its own fields, or a copy's questions: never the pattern's
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = re.compile(*self._source)
            for call in _CALLS:
                setattr(self, call, getattr(compiled, call))
        return getattr(compiled, name)


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A module's pattern that costs nothing at import (compiling one takes 0.05-1 ms): many are only
    needed by work that comes after the window's first paint."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
