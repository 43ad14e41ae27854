"""`kbviewer check`: counts and one diagnostic per problem."""

from __future__ import annotations

import json

from viewer.commands.common import open_kb
from viewer.core.source_checks import source_diagnostics


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser("check", parents=[common], help="check a knowledge base for problems")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args) -> int:
    kb = open_kb(args)
    links = kb.links()
    broken = sum(1 for link in links if link.broken)
    diagnostics = sorted([*kb.diagnostics, *source_diagnostics(kb)], key=lambda d: (d.file, d.line, d.code))
    errors = sum(1 for d in diagnostics if d.severity == "error")
    if args.json:
        print(json.dumps({
            "notes": len(kb),
            "links": len(links),
            "broken_links": broken,
            "diagnostics": [d.to_dict() for d in diagnostics],
        }, indent=2, ensure_ascii=False))
    else:
        for diagnostic in diagnostics:
            print(diagnostic)
        warnings = len(diagnostics) - errors
        print(f"{len(kb)} notes, {len(links)} links, {broken} broken links; "
              f"{errors} errors, {warnings} warnings")
    return 1 if errors else 0
