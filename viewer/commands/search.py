"""`kbviewer search QUERY`: ranked hits with snippets, as text or JSON.

`in:annotations WORDS` searches the reader's annotations instead (comment,
tags and quote; `tag:NAME`), in the data folder of `--data`; `in:notes` is
the notes only, as a query without `in:` is.
"""

from __future__ import annotations

import html
import json
import re
import sys

from viewer.commands.annotations import as_json, as_line, placed
from viewer.commands.common import inert, open_kb
from viewer.core.annotations import search_scope

_BOLD = re.compile(r"</?b>")


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "search", parents=[common], help="search the notes (ranked, with snippets)",
        description='Words are ANDed; OR, -word, "exact phrase", prefix*, (groups), '
                    "type:TYPE, tag:TAG, title:WORD, links:NOTE, date:2020-02, date:2020-01..2020-03. "
                    "in:annotations WORDS searches your annotations (comment, tags, quote; tag:NAME) instead.")
    parser.add_argument("query", metavar="QUERY", nargs="+", help="the query (several words are joined)")
    parser.add_argument("--limit", type=_limit, default=20, metavar="N", help="at most N hits (default 20)")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of {id, title, type, score, snippet, passage, match} "
                             "(for in:annotations: {id, note, exact, comment, tags, status, ...})")
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
    query = " ".join(args.query)
    scope, words = search_scope(query)
    if scope == "annotations":
        return run_annotations(args, words)
    kb = open_kb(args)
    result = kb.search(words if scope else query, limit=args.limit)
    if args.json:
        if result.searched_for:
            print(f"kbviewer: searched for: {inert(result.searched_for)}", file=sys.stderr)
        if result.notice:
            print(f"kbviewer: {inert(result.notice)}", file=sys.stderr)
        print(json.dumps([{"id": h.note_id, "title": h.title, "type": h.type, "score": round(h.score, 4),
                           "snippet": h.snippet, "passage": h.passage, "match": result.mode}
                          for h in result], indent=2, ensure_ascii=False))
        return 0
    if result.searched_for:
        print(f"Searched for: {result.searched_for}")
    if result.notice and result:
        print(f"{result.notice}.")
    if not result:
        print("No notes match.")
        return 0
    for hit in result:
        kind = f" [{hit.type}]" if hit.type else ""
        print(f"{hit.title}{kind}  ({hit.note_id}, {hit.score:.2f})")
        print(f"    {_terminal(hit.snippet)}")
    return 0


def run_annotations(args, words: str) -> int:
    """Annotation hits, newest first: id, note, quote, comment and tags, one a line."""
    store, _texts = placed(args)
    found = store.search(words)[:args.limit]
    if args.json:
        print(json.dumps([as_json(a) for a in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("No annotations match.")
        return 0
    for annotation in found:
        print(as_line(annotation))
    return 0


def _terminal(snippet: str) -> str:
    """A snippet for a terminal: matched words in *stars*, entities decoded."""
    return html.unescape(_BOLD.sub("*", snippet))
