"""Names a package offers but imports from its modules only when first asked for (PEP 562)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


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
