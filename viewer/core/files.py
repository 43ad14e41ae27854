"""Which image files a note may show: the one decision for the window and both exports.

A note names an image by a relative path. Only a regular file whose real
path lies inside the knowledge-base folder, under a size cap, is ever read:
no absolute, drive or UNC path, no backslash, no `..` (also when written
percent-encoded), no scheme or host, no symlink leading out, no device or
FIFO (opened without blocking and checked again once open).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from viewer.core.regular_file import read_regular

MAX_IMAGE_BYTES = 16 * 1024 * 1024
MAX_SRC_CHARS = 2048


def _relative_parts(src: str) -> list[str] | None:
    """The path's parts when `src` is a plain relative path inside its folder, else None."""
    if not isinstance(src, str) or not src.strip() or len(src) > MAX_SRC_CHARS:
        return None
    src = src.strip()
    if src.startswith(("/", "\\")) or "\\" in src:
        return None
    try:
        parts = urlsplit(src)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path, errors="strict") if "%" in parts.path else parts.path
    if not path or "\x00" in path or "\\" in path or ":" in path or path.startswith("/"):
        return None
    pieces = [p for p in path.split("/") if p not in ("", ".")]
    if not pieces or any(p == ".." for p in pieces):
        return None
    return pieces


def resolve_local_file(folder: Path | str | None, src: str) -> Path | None:
    """The real path of any regular file `src` names inside `folder` (an attachment to open), or None."""
    return resolve_local_image(folder, src, max_bytes=None)


def resolve_local_image(folder: Path | str | None, src: str, max_bytes: int | None = MAX_IMAGE_BYTES) -> Path | None:
    """The real path of the image `src` names inside `folder`, or None when it may not be read."""
    if folder is None:
        return None
    try:
        pieces = _relative_parts(src)
    except (UnicodeDecodeError, ValueError):
        return None
    if pieces is None:
        return None
    try:
        root = os.path.realpath(folder)
        real = os.path.realpath(os.path.join(root, *pieces))
        if os.path.commonpath([root, real]) != root or real == root:
            return None
        info = os.stat(real)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or (max_bytes is not None and info.st_size > max_bytes):
        return None
    return Path(real)


def read_local_image(folder: Path | str | None, src: str) -> bytes | None:
    """The bytes of the image `src` names inside `folder`; None for anything refused or unreadable."""
    path = resolve_local_image(folder, src)
    if path is None or folder is None:
        return None
    return read_regular(path, MAX_IMAGE_BYTES, inside=os.path.realpath(folder))
