"""Listing the note files of a knowledge-base folder, safely."""

from __future__ import annotations

import os
import stat as stat_mode
from pathlib import Path
from typing import NamedTuple

from viewer.core.model import Diagnostic

MAX_ATTACHMENTS = 200_000
SKIPPED_DIRS = {".git", ".obsidian", ".trash", ".hg", ".svn", "node_modules", "__pycache__"}


class NoteFile(NamedTuple):  # a tuple: made 50,000 times on every open
    rel_path: str
    path: str  # absolute, as a string: Path objects cost too much for 50,000 files
    size: int
    mtime_ns: int


def _is_utf8(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def list_note_files(folder: Path, attachments: list[str] | None = None) -> tuple[list[NoteFile], list[Diagnostic]]:
    """Every `*.md` file under `folder`, sorted by path.

    `attachments`, when given, receives the relative path of every other file
    (images, PDFs...), unchecked: `viewer.core.files` decides what may be read.

    Symlinked folders are not entered; a symlinked file is read only when it
    resolves inside `folder`. One scandir per folder and one stat per file:
    this runs on every open.
    """
    root = folder.resolve()
    files: list[NoteFile] = []
    problems: list[Diagnostic] = []
    pending = [("", str(root))]
    while pending:
        prefix, where = pending.pop()
        try:
            entries = list(os.scandir(where))
        except OSError as err:
            problems.append(Diagnostic(prefix or "./", 1, "error", "unreadable-folder",
                                       f"cannot read folder: {err.strerror}; its notes are not loaded"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_link = entry.is_symlink()
                if not is_link and entry.is_dir():
                    if name not in SKIPPED_DIRS:
                        pending.append((f"{prefix}{name}/", entry.path))
                    continue
            except OSError:
                continue
            if not name.lower().endswith(".md"):
                if attachments is not None and len(attachments) < MAX_ATTACHMENTS and _is_utf8(name):
                    attachments.append(prefix + name)
                continue
            rel = prefix + name
            if not _is_utf8(rel):  # undecodable bytes: no id, store or terminal could hold it
                shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                problems.append(Diagnostic(shown, 1, "error", "bad-name", "file name is not valid UTF-8; skipped"))
                continue
            if is_link:
                target = Path(entry.path).resolve()
                if target.is_dir():
                    continue
                if not target.is_relative_to(root):
                    problems.append(Diagnostic(rel, 1, "warning", "symlink-outside",
                                               "symlink points outside the knowledge base; not followed"))
                    continue
            try:
                stat = entry.stat()  # follows a symlink (inside the folder)
            except OSError as err:
                problems.append(Diagnostic(rel, 1, "error", "unreadable", f"cannot read file: {err.strerror}"))
                continue
            if not stat_mode.S_ISREG(stat.st_mode):
                continue
            files.append(NoteFile(rel, entry.path, stat.st_size, stat.st_mtime_ns))
    files.sort(key=lambda f: f.rel_path)
    return files, problems

