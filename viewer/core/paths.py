"""Where the bundled knowledge base, resources and per-user files live."""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs

from viewer.core.digest import sha1

APP_NAME = "kbviewer"
_PACKAGE = Path(__file__).resolve().parents[1]


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # a source checkout


def bundled_kb() -> Path:
    return _bundled("kb")


def resources_dir() -> Path:
    return _bundled("resources")


def default_store(folder: Path) -> Path:
    """One store per knowledge-base folder, in the user cache folder."""
    folder = folder.resolve()
    digest = sha1(str(folder).encode()).hexdigest()[:12]
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", folder.name).strip("-")[:40] or "kb"
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "stores" / f"{slug}-{digest}" / "store.json"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))
