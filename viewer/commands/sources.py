"""`kbviewer sources export --format csl-json|bibtex|ris [--cited] [-o FILE]`: sources for a reference manager."""

from __future__ import annotations

import sys
from pathlib import Path

from viewer.commands.common import CommandError, open_kb
from viewer.core.annotations.essay import cited_sources
from viewer.core.atomic import atomic_write
from viewer.core.citations import CitationError
from viewer.core.sources_export import FORMATS, export_sources


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser("sources", help="export source notes for a reference manager",
                                   description="Source notes as CSL-JSON, BibTeX or RIS, which Zotero imports.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    export = actions.add_parser("export", parents=[common], help="write every source note (or those cited)")
    export.add_argument("--format", choices=list(FORMATS), default="csl-json")
    export.add_argument("--cited", action="store_true",
                        help="only the sources your annotations' passages cite")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    export.set_defaults(run=run_export)


def run_export(args) -> int:
    if args.cited:
        from viewer.commands.annotations import placed

        store, texts = placed(args)
        kb = texts.kb
        notes = cited_sources(kb, store.all())
    else:
        kb = open_kb(args)
        notes = [n for n in kb.notes() if n.type == "source"]
    try:
        text = export_sources(notes, args.format)
    except CitationError as err:
        raise CommandError(str(err)) from None
    if args.output:
        try:
            atomic_write(Path(args.output), text.encode("utf-8"))
        except OSError as err:
            raise CommandError(f"cannot write {args.output}: {err.strerror or err}") from None
        print(f"{len(notes)} sources written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
