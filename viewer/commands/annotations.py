"""`kbviewer annotations ...`: add, list, export, import and delete annotations.

They live in the user data folder (`--data DIR` overrides). The knowledge
base is opened only to read the notes' text: to place a new annotation, and to
place the others again (list, export, import) so their status is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from viewer.commands.common import CommandError, find_note, inert, locations, open_kb
from viewer.core.annotations import (
    COLOURS,
    DEFAULT_COLOUR,
    Annotation,
    AnnotationError,
    AnnotationFormatError,
    AnnotationStore,
    AnnotationStoreError,
    NoteTexts,
    note_text,
    read_w3c,
    to_w3c_bytes,
)
from viewer.core.annotations.essay import GROUPINGS, export_essay
from viewer.core.atomic import atomic_write
from viewer.core.citations import DEFAULT_STYLE, STYLES, CitationError


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser("annotations", help="add, list, export, import or delete annotations",
                                   description="The reader's annotations, kept in the user data folder.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True,
                                    parser_class=type(parser))

    add = actions.add_parser("add", parents=[common], help="annotate a passage of a note")
    add.add_argument("note", metavar="NOTE", help="an id, a title or an alias")
    add.add_argument("--quote", required=True, metavar="TEXT", help="the passage, as it reads in the note")
    add.add_argument("--comment", default="", metavar="TEXT")
    add.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeat for more)")
    add.add_argument("--colour", "--color", default=DEFAULT_COLOUR, choices=list(COLOURS), metavar="C",
                     help=f"one of {', '.join(COLOURS)} (default {DEFAULT_COLOUR})")
    add.add_argument("--occurrence", type=int, default=1, metavar="N",
                     help="annotate the N-th place the quote occurs (default 1)")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", parents=[common], help="list annotations")
    listing.add_argument("--note", metavar="NOTE", help="only this note's")
    listing.add_argument("--search", metavar="TEXT", default="",
                         help="only those whose comment, tags or quote contain these words")
    listing.add_argument("--tag", action="append", default=[], metavar="T", help="only those with this tag")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(run=run_list)

    export = actions.add_parser("export", parents=[common],
                                help="write annotations as Markdown, HTML, Word or W3C JSON-LD")
    export.add_argument("--format", choices=("markdown", "html", "docx", "w3c"), default="markdown",
                        help="markdown, html or docx (with citations and a bibliography), or w3c")
    export.add_argument("--style", choices=list(STYLES), default=DEFAULT_STYLE,
                        help=f"citation style (default {DEFAULT_STYLE})")
    export.add_argument("--by", choices=GROUPINGS, default="note", help="group by note (default) or by tag")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    export.set_defaults(run=run_export)

    imports = actions.add_parser("import", parents=[common], help="merge W3C Web Annotation JSON")
    imports.add_argument("file", metavar="FILE")
    imports.set_defaults(run=run_import)

    delete = actions.add_parser("delete", parents=[common], help="delete an annotation")
    delete.add_argument("id", metavar="ID", help="its id, or the start of it (at least 4 characters)")
    delete.set_defaults(run=run_delete)


def open_store(args) -> AnnotationStore:
    try:
        store = AnnotationStore.open(locations(args).data)
    except AnnotationStoreError as err:
        raise CommandError(str(err)) from None
    _warn(store)
    return store


def _warn(store: AnnotationStore) -> None:
    for warning in store.take_warnings():
        print(f"kbviewer: warning: {inert(warning)}", file=sys.stderr)


def _guard(action):
    """Run a store action, turning its errors into one-line command errors."""
    try:
        return action()
    except (AnnotationError, AnnotationStoreError) as err:
        raise CommandError(str(err)) from None


def run_add(args) -> int:
    kb = open_kb(args)
    note = find_note(kb, args.note)
    text = note_text(kb, note.id)
    store = open_store(args)
    changes = _guard(lambda: store.add_quote(note.id, text, args.quote, occurrence=args.occurrence,
                                             comment=args.comment, tags=args.tag, colour=args.colour))
    _warn(store)
    print(changes.added[0])
    return 0


def placed(args) -> tuple[AnnotationStore, NoteTexts]:
    """The store with every annotation placed in the knowledge base's current text."""
    store = open_store(args)
    texts = NoteTexts(open_kb(args))
    if len(store) and not store.read_only:
        _guard(lambda: store.reanchor_all(texts))
        _warn(store)
    return store, texts


def run_list(args) -> int:
    store, texts = placed(args)
    note = None
    if args.note:
        found = texts.kb.resolve(args.note)
        note = found.id if found else args.note  # a note that is gone may still have orphans
    if args.search or args.tag:
        found = store.search(args.search, tags=args.tag, note=note)
        annotations = sorted(found, key=lambda a: (a.note, a.start, a.end))
    else:
        annotations = store.for_note(note) if note else store.all()
    if args.json:
        print(json.dumps([as_json(a) for a in annotations], indent=2, ensure_ascii=False))
        return 0
    for a in annotations:
        print(as_line(a))
    orphans = sum(a.orphaned for a in annotations)
    print(_count(len(annotations), "annotation")
          + (f", {orphans} orphaned" if orphans else ""))
    return 0


def as_json(a: Annotation) -> dict:
    return {"id": a.id, "note": a.note, "exact": a.exact, "comment": a.comment, "tags": list(a.tags),
            "status": a.status, "colour": a.colour, "start": a.start, "end": a.end,
            "created": a.created, "modified": a.modified}


def as_line(a: Annotation) -> str:
    quote = " ".join(a.exact.split())
    quote = quote if len(quote) <= 60 else quote[:59] + "…"
    line = f"{a.id[:8]}  {a.note}  \"{quote}\""
    if a.orphaned:
        line += "  [orphaned]"
    if a.comment:
        line += f"  — {' '.join(a.comment.split())}"
    if a.tags:
        line += "  " + " ".join(f"#{t}" for t in a.tags)
    return line


def run_export(args) -> int:
    store, texts = placed(args)
    if args.format == "w3c":
        data = to_w3c_bytes(store.all())
    else:
        if args.format == "docx" and not args.output:
            raise CommandError("a Word file cannot go to the terminal: give -o FILE.docx")
        try:
            data = export_essay(texts.kb, store.all(), args.format, args.style, args.by)
        except CitationError as err:
            raise CommandError(str(err)) from None
    if args.output:
        try:
            atomic_write(Path(args.output), data)
        except OSError as err:
            raise CommandError(f"cannot write {args.output}: {err.strerror or err}") from None
        print(f"{_count(len(store), 'annotation')} written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def run_import(args) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as err:
        raise CommandError(f"cannot read {args.file}: {err.strerror or err}") from None
    try:
        incoming = read_w3c(data)
    except AnnotationFormatError as err:
        raise CommandError(f"{args.file} was not imported, nothing changed: {err}") from None
    store = open_store(args)
    texts = NoteTexts(open_kb(args))
    result = _guard(lambda: store.merge(incoming, texts))
    _warn(store)
    print(f"{_count(len(incoming), 'annotation')} read: {result.added} added, {result.updated} updated, "
          f"{result.unchanged} already here"
          + (f"; {len(result.orphaned)} could not be placed (orphaned)" if result.orphaned else ""))
    return 0


def run_delete(args) -> int:
    store = open_store(args)
    wanted = args.id.strip().lower()
    if len(wanted) < 4:
        raise CommandError("give at least 4 characters of the id")
    matches = [a for a in store.all() if a.id.lower().startswith(wanted)]
    if not matches:
        raise CommandError(f"no annotation with id '{args.id}'")
    if len(matches) > 1:
        raise CommandError(f"'{args.id}' starts {len(matches)} ids; give more of it")
    _guard(lambda: store.delete(matches[0].id))
    _warn(store)
    print(f"deleted {matches[0].id}")
    return 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
