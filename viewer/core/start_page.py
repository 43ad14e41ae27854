"""The page of the note shown last, kept beside the store so the next start shows it at once.

The unlinked mentions found last are kept the same way (`keep_mentions`): the
links panel lists them at the next start instead of loading the search index
to look again.

Making a page loads Python-Markdown and converts the note (about 0.1 s at
start-up); a page kept from the last session is shown instead when nothing it
was made from has changed since. What it was made from is `page_state`: the
store's revision (a new one at each commit, so any changed, added or removed
note), the folder's other files (images an embed finds), the viewer's version
and the files of the code that makes pages and of the libraries it uses (in a
bundle, its executable). Any difference, and the page is made again. The file
is derived data, like the store: written by an atomic rename without waiting
for the disk, ignored when unreadable, and its page passes the sanitiser again
when read, as a page made now does.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from viewer import __version__
from viewer.core.digest import blake2b
from viewer.core.mentions import Mention
from viewer.core.model import NoteId
from viewer.core.safe_html import sanitise

MAX_BYTES = 1 << 20  # a bigger page is made again each time rather than kept
STALE_S = 600  # a temp file this old was left by a process that stopped before its rename
_VERSION = 1
_PAGE_MODULES = ("page", "render", "safe_html", "raw_images", "mdext", "obsidian", "wikilinks", "vault", "plain",
                 "dates", "labels", "model", "kb", "names", "lazy", "mentions", "search/index")  # and what finds mentions
_PAGE_LIBRARIES = ("markdown", "nh3")
_code_stamp: str | None = None


def code_stamp() -> str:
    """The sizes and times of the files that make a page: an upgrade or an edit changes it."""
    global _code_stamp
    if _code_stamp is None:
        here = Path(__file__).parent
        files = [here / f"{name}.py" for name in _PAGE_MODULES]
        for library in _PAGE_LIBRARIES:
            spec = importlib.util.find_spec(library)
            if spec is not None and spec.origin:
                files.append(Path(spec.origin))
        files.append(Path(sys.executable))  # a bundle holds the code in its executable
        parts = [__version__]
        for file in files:
            try:
                info = file.stat()
                parts.append(f"{info.st_size}:{info.st_mtime_ns}")
            except OSError:
                parts.append("-")
        _code_stamp = _digest(" ".join(parts))
    return _code_stamp


def _digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


def page_state(revision: str, attachments: Iterable[str]) -> str | None:
    """What a page depends on besides its note id (None: a store that has no revision yet)."""
    if not revision:
        return None
    return f"{_VERSION}:{revision}:{_digest(chr(0).join(sorted(attachments)))}:{code_stamp()}"


def page_file(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".page")


def load(store_path: Path, note_id: str, state: str | None) -> str | None:
    """The kept page of `note_id`, if it was made in `state`; else None."""
    kept = _read(page_file(store_path)) if state is not None else None
    if (isinstance(kept, dict) and kept.get("note") == note_id and kept.get("state") == state
            and isinstance(kept.get("page"), str)):
        return sanitise(kept["page"])  # the file is outside the notes folder, but not beyond reach
    return None


def save(store_path: Path, note_id: str, state: str | None, page: str) -> None:
    """Keep `page` as the start page (a page over MAX_BYTES, or made with no state, is not kept)."""
    data = json.dumps({"note": note_id, "state": state, "page": page}).encode()  # \u escapes: ASCII
    if state is not None and len(data) <= MAX_BYTES:
        _write(page_file(store_path), data)


def mentions_file(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".mentions")


def keep_mentions(store_path: Path, note_id: str, state: str | None, mentions: list[Mention]) -> None:
    """Keep the unlinked mentions of `note_id` found in `state` (the last ones found replace these)."""
    rows = [[m.source, m.name, m.line, m.context, m.times] for m in mentions]
    data = json.dumps({"note": note_id, "state": state, "mentions": rows}).encode()
    if state is not None and len(data) <= MAX_BYTES:
        _write(mentions_file(store_path), data)


def kept_mentions(store_path: Path, note_id: str, state: str | None) -> list[Mention] | None:
    """The kept unlinked mentions of `note_id`, if they were found in `state`; else None."""
    kept = _read(mentions_file(store_path)) if state is not None else None
    if not (isinstance(kept, dict) and kept.get("note") == note_id and kept.get("state") == state
            and isinstance(kept.get("mentions"), list)):
        return None
    mentions = []
    for row in kept["mentions"]:
        if not (isinstance(row, list) and [type(value) for value in row] == [str, str, int, str, int]):
            return None
        mentions.append(Mention(NoteId(row[0]), row[1], row[2], row[3], row[4]))
    return mentions


def _read(path: Path) -> object:
    """The JSON value a kept file holds (None if missing, too big or unreadable)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
        return json.loads(data) if len(data) <= MAX_BYTES else None
    except (OSError, ValueError):
        return None


def _write(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        _remove(temporary)
    _remove_stale(target)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _remove_stale(target: Path) -> None:
    """Temp files a process killed between its write and its rename left behind."""
    now = time.time()
    for stray in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            if now - stray.stat().st_mtime > STALE_S:
                stray.unlink()
        except OSError:
            pass
