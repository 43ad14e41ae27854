"""`kbviewer cite NOTE [--style apa|chicago|mla]`: the citation of a source note, or of a note's sources."""

from __future__ import annotations

import sys

from viewer.commands.common import CommandError, find_note, open_kb
from viewer.core.citations import DEFAULT_STYLE, STYLES, CitationError, cite


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser("cite", parents=[common], help="print the citation of a source note",
                                   description="Print the citation of a source note in a citation style; "
                                               "for any other note, the citations of its sources.")
    parser.add_argument("note", metavar="NOTE", help="an id, a title or an alias")
    add_style_option(parser)
    parser.set_defaults(run=run)


def add_style_option(parser) -> None:
    parser.add_argument("--style", choices=list(STYLES), default=DEFAULT_STYLE,
                        help=f"citation style (default {DEFAULT_STYLE})")


def run(args) -> int:
    kb = open_kb(args)
    note = find_note(kb, args.note)
    try:
        citations = cite(kb, note, args.style)
    except CitationError as err:
        raise CommandError(str(err)) from None
    if not citations:
        print(f"{note.title} cites no source note", file=sys.stderr)
        return 1
    for citation in citations:
        print(citation.text)
    return 0
