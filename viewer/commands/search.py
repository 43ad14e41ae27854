"""`kbviewer search QUERY`: ranked hits with snippets, as text or JSON."""

from __future__ import annotations

import html
import json
import re
import sys

from viewer.commands.common import open_kb

_BOLD = re.compile(r"</?b>")


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "search", parents=[common], help="search the notes (ranked, with snippets)",
        description='Words are ANDed; OR, -word, "exact phrase", prefix*, (groups), '
                    "type:TYPE, tag:TAG, title:WORD, links:NOTE, date:2020-02, date:2020-01..2020-03.")
    parser.add_argument("query", metavar="QUERY", nargs="+", help="the query (several words are joined)")
    parser.add_argument("--limit", type=_limit, default=20, metavar="N", help="at most N hits (default 20)")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of {id, title, type, score, snippet}")
    parser.set_defaults(run=run)


def _limit(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 1 to 1000")
    return value


def run(args) -> int:
    kb = open_kb(args)
    query = " ".join(args.query)
    result = kb.search(query, limit=args.limit)
    if args.json:
        if result.searched_for:
            print(f"kbviewer: searched for: {result.searched_for}", file=sys.stderr)
        print(json.dumps([{"id": h.note_id, "title": h.title, "type": h.type, "score": round(h.score, 4),
                           "snippet": h.snippet} for h in result], indent=2, ensure_ascii=False))
        return 0
    if result.searched_for:
        print(f"Searched for: {result.searched_for}")
    if not result:
        print("No notes match.")
        return 0
    for hit in result:
        kind = f" [{hit.type}]" if hit.type else ""
        print(f"{hit.title}{kind}  ({hit.note_id}, {hit.score:.2f})")
        print(f"    {_terminal(hit.snippet)}")
    return 0


def _terminal(snippet: str) -> str:
    """A snippet for a terminal: matched words in *stars*, entities decoded."""
    return html.unescape(_BOLD.sub("*", snippet))
