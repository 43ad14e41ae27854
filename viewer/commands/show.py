"""`kbviewer show NOTE`: metadata, outgoing links and backlinks with context."""

from __future__ import annotations

import json

from viewer.commands.common import find_note, open_kb


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser("show", parents=[common], help="show a note's metadata and links")
    parser.add_argument("note", metavar="NOTE", help="an id, a title or an alias")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args) -> int:
    kb = open_kb(args)
    note = find_note(kb, args.note)
    outgoing = kb.outgoing(note.id)
    backlinks = kb.backlinks(note.id)
    if args.json:
        print(json.dumps({
            "id": note.id, "title": note.title, "type": note.type, "path": note.path,
            "aliases": list(note.aliases), "tags": list(note.tags), "date": note.date,
            "sources": list(note.sources), "meta": note.meta,
            "links": [{"target": link.target, "target_id": link.target_id, "line": link.line,
                       "broken": link.broken} for link in outgoing],
            "backlinks": [{"source": link.source, "line": link.line, "context": link.context}
                          for link in backlinks],
        }, indent=2, ensure_ascii=False, default=str))
        return 0
    print(note.title)
    rows = [("id", note.id), ("type", note.type), ("file", note.path), ("date", note.date),
            ("aliases", ", ".join(note.aliases)), ("tags", ", ".join(note.tags)),
            ("sources", ", ".join(note.sources))]
    rows += [(key, json.dumps(value, ensure_ascii=False, default=str)) for key, value in note.meta.items()]
    for key, value in rows:
        if value:
            print(f"  {key + ':':<9} {value}")
    print(f"\nLinks ({len(outgoing)}):")
    for link in outgoing:
        where = link.target_id or f"{link.target} (broken)"
        print(f"  -> {where}  (line {link.line})")
    print(f"\nBacklinks ({len(backlinks)}):")
    for link in backlinks:
        print(f"  <- {link.source}, line {link.line}: {link.context}")
    return 0
