"""Checks that every claim can be followed to a source a reader can open.

- `source-no-address`: a source note without a web address (`url`);
- `citation-not-source`: a citation, a parenthesis holding only links such as
  `([[x|Label]])` or `([[a|A]]; [[b|B]])`, that names a note which is not a source
  (a bare `([[event]])` refers the reader to another note and is not a citation).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from viewer.core.citations import is_source, source_url
from viewer.core.model import Diagnostic
from viewer.core.wikilinks import split_target

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

_LINK = r"\[\[[^\[\]\n]{1,500}\]\]"
CITATION = re.compile(rf"\((\s*{_LINK}(?:\s*[;,]\s*{_LINK})*\s*)\)")
_ONE = re.compile(r"\[\[([^\[\]\n]{1,500})\]\]")


def source_diagnostics(kb: KnowledgeBase) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for note in kb.notes():
        if is_source(note) and source_url(note) is None:
            found.append(Diagnostic(note.path, 1, "warning", "source-no-address",
                                    f"source note '{note.id}' has no web address (url)"))
        for number, line in enumerate(note.body.splitlines(), note.body_line):
            if "([[" not in line:
                continue
            for group in CITATION.finditer(line):
                for inner in _ONE.finditer(group.group(1)):
                    target, _, label = split_target(inner.group(1))
                    if label is None:  # ([[event]]) refers the reader on; a citation names its source
                        continue
                    cited = kb.resolve(target)
                    if cited is not None and not is_source(cited):
                        found.append(Diagnostic(note.path, number, "warning", "citation-not-source",
                                                f"the citation ([[{target}]]) names '{cited.id}', "
                                                f"which is a {cited.type or 'note'}, not a source"))
    return found
