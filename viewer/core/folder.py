"""Listing the note files of a knowledge-base folder, safely."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from viewer.core.model import Diagnostic

SKIPPED_DIRS = {".git", ".obsidian", ".trash", ".hg", ".svn", "node_modules", "__pycache__"}


@dataclass(frozen=True)
class NoteFile:
    rel_path: str
    path: Path
    size: int
    mtime_ns: int


def list_note_files(folder: Path) -> tuple[list[NoteFile], list[Diagnostic]]:
    """Every `*.md` file under `folder`, sorted by path.

    Symlinked folders are not entered; a symlinked file is read only when it
    resolves inside `folder`.
    """
    root = folder.resolve()
    files: list[NoteFile] = []
    problems: list[Diagnostic] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in filenames:
            if not name.lower().endswith(".md") or name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    problems.append(Diagnostic(rel, 1, "warning", "symlink-outside",
                                               "symlink points outside the knowledge base; not followed"))
                    continue
            try:
                stat = path.stat()
            except OSError as err:
                problems.append(Diagnostic(rel, 1, "error", "unreadable", f"cannot read file: {err.strerror}"))
                continue
            if not path.is_file():
                continue
            files.append(NoteFile(rel, path, stat.st_size, stat.st_mtime_ns))
    files.sort(key=lambda f: f.rel_path)
    return files, problems
