"""`kbviewer export NOTE --format html|pdf -o FILE`: a note as one file to read or share.

HTML is made by the core alone (its images inlined); PDF needs Qt, imported
only here and run on the offscreen platform, so no display is needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from viewer.commands.common import CommandError, find_note, locations, open_kb
from viewer.core.annotations import FILE_NAME, AnnotationError, AnnotationStoreError
from viewer.core.atomic import atomic_write
from viewer.core.export import note_html


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser("export", parents=[common], help="save a note as HTML or PDF",
                                   description="Save a note as one self-contained HTML file (its images "
                                               "inlined) or as a PDF, each ending with its sources.")
    parser.add_argument("note", metavar="NOTE", help="an id, a title or an alias")
    parser.add_argument("--format", choices=("html", "pdf"), default=None,
                        help="html or pdf (default: from the file's suffix, else html)")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write")
    parser.add_argument("--highlights", action=argparse.BooleanOptionalAction, default=True,
                        help="show your highlights in their colours, comments as numbered notes (default: on)")
    parser.set_defaults(run=run)


def run(args) -> int:
    path = Path(args.output).expanduser()
    kind = args.format or ("pdf" if path.suffix.lower() == ".pdf" else "html")
    if path.is_dir():
        raise CommandError(f"{path} is a folder; give a file name")
    write = _pdf_writer() if kind == "pdf" else None  # Qt missing is said before any work
    kb = open_kb(args)
    note = find_note(kb, args.note)
    annotations = _annotations(args, kb, note.id) if args.highlights else None
    try:
        if write is not None:
            write(kb, note.id, path, annotations)
        else:
            atomic_write(path, note_html(kb, note.id, annotations=annotations).encode("utf-8"))
    except OSError as err:
        raise CommandError(f"cannot write {path}: {err.strerror or err}") from None
    print(f"{note.title} written to {path}", file=sys.stderr)
    return 0


def _annotations(args, kb, note_id: str) -> list:
    """The note's annotations, placed in its current text (none when there is no annotations file)."""
    from viewer.commands.annotations import open_store
    from viewer.core.annotations import NoteTexts

    if not (locations(args).data / FILE_NAME).exists():
        return []
    store = open_store(args)
    if len(store) and not store.read_only:
        try:
            store.reanchor_all(NoteTexts(kb))
        except (AnnotationError, AnnotationStoreError):
            pass  # placed as last saved
    return store.for_note(note_id)


def _pdf_writer():
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window is shown: no display needed
    try:
        from viewer.ui.note.pdf import write_pdf
    except ImportError as err:
        raise CommandError(f"PDF export needs Qt (PySide6), which cannot be loaded ({err}); "
                           "--format html works without it") from None
    return write_pdf
