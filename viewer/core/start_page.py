"""The page of the note shown last, kept beside the store so the next start shows it at once.

The unlinked mentions found last are kept the same way (`keep_mentions`): the
links panel lists them at the next start instead of loading the search index
to look again.

Making a page loads Python-Markdown and converts the note (about 0.1 s at
start-up); a page kept from the last session is shown instead when nothing it
was made from has changed since (`page_deps`, checked again at the next start):
the files of the note, of the notes it embeds and of its sources (each file's
path and digest), the note each of its links names and that note's title, the
file each image or attachment link finds, and the code that makes pages (the
viewer's version, the files of its page modules and of the libraries they use;
in a bundle, its executable). Any difference, and the page is made again; a
change to a note the page does not show leaves it as it was. The mentions
depend on every note's text: they are kept for one revision of the store, and
brought up to date from the notes one sync changed if it changed no name. The
files are derived data, like the store: written by an atomic rename without
waiting for the disk, ignored when unreadable or damaged; a kept page is shown
only if the sanitiser, run on it again within a time limit, leaves it as it is
(it does for a page made here, but for some raw HTML it reshapes: such a page
is made again at each start).

A window shows the kept page before it reads the notes (`early`) when the
files of the notes it shows are unchanged: what the page holds is then as it
was, and the rest is checked once the notes are read (`load`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer import __version__
from viewer.core.budget import RenderTimeout, run_with_budget
from viewer.core.digest import MAX_NOTE_BYTES, blake2b, file_digest
from viewer.core.mentions import Mention
from viewer.core.model import NoteId
from viewer.core.regular_file import read_regular
from viewer.core.safe_html import sanitise

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase
    from viewer.core.model import Note

MAX_BYTES = 1 << 20  # a bigger page is made again each time rather than kept
EARLY_BYTES = 4 << 20  # note files read to check a kept page before the notes are read; more: wait for them
EARLY_FILES = 64  # and how many of them
SANITISE_S = 0.2  # a kept page taking longer to pass the sanitiser again is made instead
STALE_S = 600  # a temp file this old was left by a process that stopped before its rename
_VERSION = 2
_PAGE_MODULES = ("page", "render", "safe_html", "raw_images", "mdext", "obsidian", "wikilinks", "vault", "plain",
                 "dates", "labels", "model", "kb", "note_rendering", "start_page", "names", "lazy", "mentions",
                 "search/index")  # and what finds mentions
_PAGE_LIBRARIES = ("markdown", "nh3")
_code_stamp: str | None = None
_passed: tuple[Path, str] | None = None  # the last kept page that passed the sanitiser (a start checks it twice)


def code_stamp() -> str:
    """The sizes and times of the files that make a page: an upgrade or an edit changes it."""
    global _code_stamp
    if _code_stamp is None:
        here = Path(__file__).parent
        files = [here / f"{name}.py" for name in _PAGE_MODULES]
        for library in _PAGE_LIBRARIES:
            files += _package_files(library)
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


def _package_files(library: str) -> list[Path]:
    """Every file of an installed package (its __init__ may only load a compiled module)."""
    spec = importlib.util.find_spec(library)
    files: list[Path] = []
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files += (Path(root) / name for name in sorted(names))
    return files


def _digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


def page_state() -> str:
    """What every kept page depends on besides the notes it shows: the code that made it."""
    return f"{_VERSION}:{code_stamp()}"


def mentions_state(revision: str) -> str | None:
    """What kept mentions depend on: every note's text, so the store's revision (None: no revision yet)."""
    return f"{_VERSION}:{revision}:{code_stamp()}" if revision else None


def page_deps(kb: KnowledgeBase, note_id: str) -> dict[str, Any] | None:
    """What the page of `note_id` was made from, to check it against the notes as they are at the next start.

    `notes`: id -> [path, file digest] of the note, the notes it embeds and its sources; `links`: each
    [target, linking note's path, id, title] its render resolved (id and title None: no such note);
    `names`: [name, id, title] of its sources; `files`: [name, linking note's path, file found].
    None when the note is unknown or its last render is no longer kept (what it looked up is not known).
    """
    note = kb.get(note_id)
    reads = kb.render_reads(note_id)
    if note is None or reads is None:
        return None
    sources = {name: kb.resolve(name) for name in note.sources}
    ids = {note.id, *reads.notes, *(source.id for source in sources.values() if source is not None)}
    files = {i: list(f) for i in ids if (f := kb.note_file(i)) is not None}
    if len(files) < len(ids):
        return None
    return {"notes": files,
            "links": [[target, path, *(found or (None, None))] for (target, path), found in reads.links.items()],
            "names": [[name, *((s.id, s.title) if s else (None, None))] for name, s in sources.items()],
            "files": [[name, path, found] for (name, path), found in reads.files.items()]}


def _still_holds(kb: KnowledgeBase, note_id: str, deps: Any) -> bool:
    """Whether every note, link, name and file a kept page was made from is as it was then."""
    try:
        notes, links, names, files = deps["notes"], deps["links"], deps["names"], deps["files"]
        return (note_id in notes
                and all(list(kb.note_file(i) or ()) == f for i, f in notes.items())
                and all(kb.link_target(t, p) == (tuple(f) if f[0] is not None else None) for t, p, *f in links)
                and all(_id_title(kb.resolve(n)) == f for n, *f in names)
                and all(kb.attachments.find(n, p) == f for n, p, f in files))
    except Exception:  # noqa: BLE001 (a damaged file, of any shape)
        return False


def _id_title(note: Note | None) -> list[str | None]:
    return [note.id, note.title] if note is not None else [None, None]


def page_file(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".page")


def load(kb: KnowledgeBase, note_id: str) -> str | None:
    """The kept page of `note_id`, if the code, notes, links and files it was made from are as they were."""
    state = kb.page_state
    kept = read_kept(page_file(kb.store_path)) if state is not None else None
    if not (isinstance(kept, dict) and kept.get("note") == note_id and kept.get("state") == state
            and isinstance(kept.get("page"), str) and _still_holds(kb, note_id, kept.get("deps"))):
        return None
    return _passes(kept["page"], page_file(kb.store_path))


def early(store_path: Path, folder: Path, note_id: str) -> tuple[str, str, str] | None:
    """The kept page of `note_id`, its note's title and its file's path, before the notes are read (None:
    wait for them).

    Shown when the code that made it and the files of the notes it shows hold
    what they held then (read and digested again, at most EARLY_BYTES); what
    else it was made from, the notes its links name and the files its images
    find, is checked by `load` once the notes are read.
    """
    kept = kept_page(store_path)
    if not (kept is not None and kept.get("note") == note_id and kept.get("state") == page_state()
            and isinstance(kept.get("page"), str)):
        return None
    try:
        files = kept["deps"]["notes"]
        if not (note_id in files and _files_hold(folder, files.values())):
            return None
    except Exception:  # noqa: BLE001 (a damaged file, of any shape)
        return None
    page, title = _passes(kept["page"], page_file(store_path)), kept.get("title")
    return (page, title if isinstance(title, str) and _is_text(title) else note_id, files[note_id][0]) if page else None


def _files_hold(folder: Path, files: Any) -> bool:
    """Whether each [path, digest] names a file inside `folder` holding what it held (EARLY_FILES of them,
    EARLY_BYTES in all)."""
    files = list(files)
    read = read_files(folder, [path for path, _digest in files])
    return read is not None and all(isinstance(digest, str) and file_digest(data) == digest
                                    for (_path, digest), data in zip(files, read, strict=True))


def read_files(folder: Path, paths: list[Any], left: int | None = None) -> list[bytes] | None:
    """The bytes of the files at `paths` (relative, inside `folder`), or None if one is not there, not a
    plain file, out of the folder, or past the bytes `left` (EARLY_BYTES; at most EARLY_FILES files)."""
    root, left = folder.resolve(), EARLY_BYTES if left is None else left
    if len(paths) > EARLY_FILES:
        return None
    found = []
    for path in paths:
        if not isinstance(path, str):
            return None
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            return None  # a link out of the folder
        data = read_regular(target, min(left, MAX_NOTE_BYTES), inside=root)
        if data is None:
            return None  # gone, moved, not a plain file or past the bytes left
        found.append(data)
        left -= len(data)
    return found


def kept_page(store_path: Path) -> dict[str, Any] | None:
    """What the start page file beside the store holds (None if none, or not a page kept here)."""
    kept = read_kept(page_file(store_path))
    return kept if isinstance(kept, dict) and isinstance(kept.get("note"), str) else None


def _passes(page: str, where: Path) -> str | None:
    """`page` (kept in the file `where`) if the sanitiser, run on it again within SANITISE_S, leaves it as
    it is."""
    global _passed
    if _passed is not None and _passed[0] == where and _passed[1] == page:
        return page  # the page shown before the notes were read, taken again once they are
    try:  # the file is outside the notes folder, but not beyond reach: its page passes the sanitiser again,
        clean = run_with_budget(lambda: sanitise(page), SANITISE_S)  # within a time limit (the UI thread waits)
    except (Exception, RenderTimeout):  # noqa: BLE001 (a lone surrogate...)
        return None
    if clean != page:
        return None  # not as it was saved, or reshaped by a second pass
    _passed = (where, page)
    return page


def save(store_path: Path, note_id: str, state: str | None, page: str, deps: dict[str, Any] | None,
         title: str | None = None) -> None:
    """Keep `page` as the start page (not kept: a page over MAX_BYTES, or made with no state or deps)."""
    data = json.dumps({"note": note_id, "title": title, "state": state, "deps": deps, "page": page}).encode()  # \u escapes: ASCII
    if state is not None and deps and len(data) <= MAX_BYTES:
        write_kept(page_file(store_path), data)


def mentions_file(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".mentions")


def keep_mentions(store_path: Path, note_id: str, state: str | None, mentions: list[Mention]) -> None:
    """Keep the unlinked mentions of `note_id` found in `state` (the last ones found replace these)."""
    rows = [[m.source, m.name, m.line, m.context, m.times] for m in mentions]
    data = json.dumps({"note": note_id, "state": state, "mentions": rows}).encode()
    if state is not None and len(data) <= MAX_BYTES:
        write_kept(mentions_file(store_path), data)


def kept_mentions(store_path: Path, note_id: str, state: str | None) -> list[Mention] | None:
    """The kept unlinked mentions of `note_id`, if they were found in `state`; else None."""
    kept = _kept_mentions(store_path, note_id) if state is not None else None
    return kept[1] if kept is not None and kept[0] == state else None


def mentions_now(kb: KnowledgeBase, note_id: str) -> list[Mention] | None:
    """The kept unlinked mentions of `note_id` as they are now, or None (look for them).

    As kept when the store is as they were found in; brought up to date by
    reading the notes changed since when the sync in between kept every
    note's id, title and aliases (`kb.mentions_base`). Reads no search index.
    """
    kept = _kept_mentions(kb.store_path, note_id)
    if kept is None or kept[0] is None:
        return None
    if kept[0] == kb.mentions_state:
        return kept[1]
    base = kb.mentions_base
    return kb.mentions_since(note_id, kept[1]) if base is not None and kept[0] == base[0] else None


def _kept_mentions(store_path: Path, note_id: str) -> tuple[str | None, list[Mention]] | None:
    """The state and mentions kept for `note_id`; None if other, damaged or none."""
    kept = read_kept(mentions_file(store_path))
    if not (isinstance(kept, dict) and kept.get("note") == note_id and isinstance(kept.get("state"), str)
            and isinstance(kept.get("mentions"), list)):
        return None
    mentions = []
    for row in kept["mentions"]:
        if not (isinstance(row, list) and [type(value) for value in row] == [str, str, int, str, int]
                and _is_text(row[0] + row[1] + row[3])):
            return None
        mentions.append(Mention(NoteId(row[0]), row[1], row[2], row[3], row[4]))
    return kept["state"], mentions


def _is_text(value: str) -> bool:
    """Whether `value` is text Qt can show (JSON may hold a lone half of a surrogate pair)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_kept(path: Path, max_bytes: int = MAX_BYTES) -> object:
    """The JSON value a kept file holds (None if missing, not a plain file, too big or unreadable)."""
    data = read_regular(path, max_bytes)
    try:
        return json.loads(data) if data is not None else None
    except (ValueError, RecursionError):  # RecursionError: nested a hundred thousand deep
        return None


def write_kept(target: Path, data: bytes | list[bytes]) -> None:
    """Write a kept file (bytes, or parts of it in order) by an atomic rename, without waiting for the
    disk (derived data)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with temporary.open("wb") as file:
            file.writelines([data] if isinstance(data, bytes) else data)
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
