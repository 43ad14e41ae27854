"""Text-level rules of Obsidian-flavoured Markdown, shared by the parser and the renderer.

Each function walks the lines once, skipping fenced and indented code:
inline `#tags`, `%%comments%%`, `$$` math blocks, block ids (`^id`) and the
part of a note an embed shows (`#Heading`, `#^block-id`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from viewer.core.wikilinks import mask_code_spans

FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
TAG_RE = re.compile(r"(?<![^\s(\[,;])#([\w][\w/-]*)")
BLOCK_ID_RE = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9][A-Za-z0-9-]{0,63})[ \t]*$")
HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")


def lines_outside_code(text: str) -> Iterator[tuple[int, str, bool]]:
    """(index, line, in code) for each line: code is a fenced block (fences included) or an indented one."""
    fence: str | None = None
    previous_blank = True
    for index, line in enumerate(text.split("\n")):
        match = FENCE_RE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
                yield index, line, True
                continue
            if marker.startswith(fence):
                fence = None
                yield index, line, True
                continue
        indented = previous_blank and (line.startswith("    ") or line.startswith("\t"))
        yield index, line, fence is not None or indented
        if not indented:
            previous_blank = not line.strip()


def tag_name(raw: str) -> str | None:
    """A `#tag` as written, cleaned (no trailing slash), or None when it is no tag (only digits)."""
    name = raw.strip("/-")
    if not name or all(c.isdigit() or c in "/-_" for c in name):
        return None
    return name


def inline_tags(body: str) -> list[str]:
    """The `#tags` and `#nested/tags` written in the text, in order, each once (case-insensitively)."""
    found: dict[str, str] = {}
    for _, line, code in lines_outside_code(strip_comments(body)):
        if code or "#" not in line:
            continue
        for match in TAG_RE.finditer(mask_code_spans(line)):
            name = tag_name(match.group(1))
            if name and name.casefold() not in found:
                found[name.casefold()] = name
    return list(found.values())


def strip_comments(text: str) -> str:
    """`text` without `%%comments%%` (which may span lines); code is kept as written."""
    if "%%" not in text:
        return text
    out: list[str] = []
    in_comment = False
    for _, line, code in lines_outside_code(text):
        if code and not in_comment:
            out.append(line)
            continue
        pieces = line.split("%%")
        kept = [piece for number, piece in enumerate(pieces) if (number % 2 == 0) != in_comment]
        if len(pieces) % 2 == 0:
            in_comment = not in_comment
        joined = "".join(kept)
        if joined.strip() or not line.strip().startswith("%%"):
            out.append(joined)
    return "\n".join(out)


def math_blocks(text: str) -> str:
    """`$$ ... $$` blocks as fenced code (shown as written, never laid out as Markdown)."""
    if "$$" not in text:
        return text
    out: list[str] = []
    in_math = False
    for _, line, code in lines_outside_code(text):
        stripped = line.strip()
        if code and not in_math:
            out.append(line)
        elif not in_math and stripped.startswith("$$"):
            rest = stripped[2:]
            if rest.endswith("$$") and len(rest) >= 2:  # $$ x $$ on one line
                out.extend(["```math", rest[:-2].strip(), "```"])
            else:
                out.extend(["```math", rest] if rest else ["```math"])
                in_math = True
        elif in_math and stripped.endswith("$$"):
            if stripped[:-2].strip():
                out.append(stripped[:-2])
            out.append("```")
            in_math = False
        else:
            out.append(line)
    if in_math:
        out.append("```")
    return "\n".join(out)


def block_anchor(block_id: str) -> str:
    """The HTML anchor of a block id (`^abc` or `abc` -> `block-abc`)."""
    return "block-" + block_id.lstrip("^").casefold()


def section(body: str, heading: str) -> str | None:
    """The part of `body` under `heading` (a heading's text, or `^id` for a block), or None when absent."""
    if heading.startswith("^"):
        return _block(body, heading[1:])
    wanted = " ".join(heading.casefold().split())
    lines = body.split("\n")
    start: int | None = None
    level = 0
    for index, line, code in lines_outside_code(body):
        match = None if code else HEADING_RE.match(line)
        if match is None:
            continue
        if start is None:
            if " ".join(match.group(2).casefold().split()) == wanted:
                start, level = index, len(match.group(1))
        elif len(match.group(1)) <= level:
            return "\n".join(lines[start:index]).strip("\n")
    return "\n".join(lines[start:]).strip("\n") if start is not None else None


def _block(body: str, block_id: str) -> str | None:
    """The paragraph or list item that ends with `^block_id` (or the block just before a lone `^id` line)."""
    lines = body.split("\n")
    for index, line, code in lines_outside_code(body):
        match = None if code else BLOCK_ID_RE.search(line)
        if match is None or match.group(1).casefold() != block_id.casefold():
            continue
        if line.strip().startswith("^"):  # a lone id: the block above
            end = index
            while end > 0 and not lines[end - 1].strip():
                end -= 1
            index, line = end - 1, lines[end - 1] if end else ""
        if re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line):
            return line.strip()
        begin = index
        while begin > 0 and lines[begin - 1].strip() and not HEADING_RE.match(lines[begin - 1]):
            begin -= 1
        return "\n".join(lines[begin:index + 1])
    return None
