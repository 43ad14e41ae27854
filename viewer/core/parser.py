"""Turning one Markdown file into a Note, its links and its diagnostics."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from viewer.core.dates import normalise as normalise_date
from viewer.core.digest import MAX_NOTE_BYTES
from viewer.core.model import NOTE_TYPES, Diagnostic, Note, NoteId, RawLink
from viewer.core.obsidian import inline_tags
from viewer.core.wikilinks import find_links

MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_META_DEPTH = 8
MAX_META_ITEMS = 2000
KNOWN_KEYS = {"title", "type", "aliases", "tags", "date", "sources"}


class _SafeLoader(yaml.SafeLoader):
    """safe_load, but dates stay text: checked by normalise_date, never raise."""


Problem = Callable[[int, str, str, str], None]  # (line, severity, code, message)


def _date_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.ScalarNode)  # the timestamp tag is resolved on scalars only
    return loader.construct_scalar(node)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml, about five times faster; its error lines are less exact."""


for _loader in (_SafeLoader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _date_as_text)


@dataclass
class ParsedFile:
    note: Note | None
    links: list[RawLink] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def note_id_for(rel_path: str) -> NoteId:
    name = rel_path.rsplit("/", 1)[-1]
    return NoteId(name[:-3] if name.lower().endswith(".md") else name)


def parse_file(rel_path: str, data: bytes, size: int | None = None) -> ParsedFile:
    """Parse the bytes of one note file. Never raises on bad input.

    Args:
        size: the file's size when `data` was cut short at the size limit.
    """
    problems: list[Diagnostic] = []

    def problem(line: int, severity: str, code: str, message: str) -> None:
        problems.append(Diagnostic(rel_path, line, severity, code, message))

    if len(data) > MAX_NOTE_BYTES:
        megabytes = max(size or 0, len(data)) / (1024 * 1024)
        problem(1, "error", "too-large",
                f"file is {megabytes:.1f} MB, over the {MAX_NOTE_BYTES // (1024 * 1024)} MB limit; skipped")
        return ParsedFile(None, [], problems)
    if b"\x00" in data:
        problem(1, "error", "binary", "file holds NUL bytes (binary, not Markdown); skipped")
        return ParsedFile(None, [], problems)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problem(line, "error", "not-utf8", f"file is not valid UTF-8 (byte {err.start}); skipped")
        return ParsedFile(None, [], problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problem(1, "warning", "empty-file", "file is empty; skipped")
        return ParsedFile(None, [], problems)

    raw_meta, body, body_line, fm_text = _split_front_matter(text, problem)
    note_id = note_id_for(rel_path)
    meta = _read_meta(raw_meta, fm_text, problem)

    title = _text(meta.pop("title", None)) or note_id  # never a heading: it may sit in code
    note_type = _text(meta.pop("type", None))
    if note_type is not None:
        note_type = note_type.lower()
        if note_type not in NOTE_TYPES:
            problem(_key_line(fm_text, "type"), "warning", "unknown-type",
                    f"unknown type '{note_type}' (expected one of: {', '.join(NOTE_TYPES)})")
    date = _read_date(meta.pop("date", None), fm_text, problem)
    note = Note(
        id=note_id,
        path=rel_path,
        title=title,
        type=note_type,
        aliases=_text_list(meta.pop("aliases", None)),
        tags=_tags(_text_list(meta.pop("tags", None)), body),
        date=date,
        sources=_text_list(meta.pop("sources", None)),
        meta=meta,
        body=body,
        body_line=body_line,
    )
    return ParsedFile(note, find_links(body, body_line), problems)


def _split_front_matter(text: str, problem: Problem) -> tuple[Any, str, int, str]:
    """Return (yaml value, body, body's first line, front-matter text)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1, ""
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            fm_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return _load_yaml(fm_text, problem), body, index + 2, fm_text
    problem(1, "error", "front-matter",
            "front matter opened with '---' is never closed; read as body text")
    return None, text, 1, ""


def _load_yaml(fm_text: str, problem: Problem) -> Any:
    if len(fm_text) > MAX_FRONT_MATTER_CHARS:
        problem(2, "error", "front-matter", "front matter is too long; ignored")
        return None
    try:
        return yaml.load(fm_text, Loader=_FastLoader)  # noqa: S506 (a SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        pass  # read again below, for an exact diagnostic
    try:
        return yaml.load(fm_text, Loader=_SafeLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(err, "problem", None) or "invalid YAML"
        problem(line, "error", "front-matter", f"malformed front matter: {reason}; ignored")
    except RecursionError:
        problem(2, "error", "front-matter", "front matter is nested too deeply; ignored")
    except (ValueError, TypeError, OverflowError) as err:
        problem(2, "error", "front-matter", f"front matter cannot be read: {err}; ignored")
    return None


def _read_meta(raw: Any, fm_text: str, problem: Problem) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problem(2, "error", "front-matter", "front matter is not a set of 'key: value' lines; ignored")
        return {}
    budget = [MAX_META_ITEMS, 0]  # items left, strings cleaned
    meta: dict[str, Any] = {}
    for key, value in raw.items():
        meta[_clean(_as_text(key), budget)] = _plain(value, 0, budget)
    if budget[0] <= 0:
        problem(2, "warning", "front-matter", "front matter is too large or deep; cut short")
    if budget[1]:
        problem(2, "warning", "bad-character",
                f"front matter holds {budget[1]} text value(s) with a lone surrogate escape (such as "
                "\\ud800), which is no character; replaced by U+FFFD")
    return meta


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _clean(text: str, budget: list[int]) -> str:
    """`text` with each lone surrogate (no character: it cannot be stored or printed) replaced."""
    if _SURROGATE_RE.search(text) is None:
        return text
    budget[1] += 1
    return _SURROGATE_RE.sub("\ufffd", text)


def _plain(value: Any, depth: int, budget: list[int]) -> Any:
    """A JSON-safe copy of a YAML value, cut at a depth and a size."""
    budget[0] -= 1
    if budget[0] <= 0 or depth > MAX_META_DEPTH:
        budget[0] = min(budget[0], 0)
        return None
    if isinstance(value, dict):
        return {_clean(_as_text(k), budget): _plain(v, depth + 1, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v, depth + 1, budget) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return _clean(value, budget)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):  # the store's JSON holds integers of 64 bits at most
        return value if -(1 << 63) <= value < (1 << 64) else _as_text(value)
    if isinstance(value, float):  # and no NaN or infinity: kept as text, as read back from the store
        return value if math.isfinite(value) else str(value)
    return _clean(_as_text(value), budget)


def _as_text(value: Any) -> str:
    """`str(value)`; an integer past Python's limit on decimal digits in hexadecimal."""
    try:
        return str(value)
    except ValueError:
        return hex(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = _as_text(value).strip()
    return text or None


def _text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if isinstance(value, str) and "," in value:
        items = value.split(",")
    out = []
    for item in items:
        text = _text(item)
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _tags(written: tuple[str, ...], body: str) -> tuple[str, ...]:
    """Front-matter tags, then the `#tags` of the text, each once (case-insensitively)."""
    found: dict[str, str] = {}
    for tag in [t.lstrip("#") for t in written] + (inline_tags(body) if "#" in body else []):
        if tag and tag.casefold() not in found:
            found[tag.casefold()] = tag
    return tuple(found.values())


def _key_line(fm_text: str, key: str) -> int:
    for index, line in enumerate(fm_text.split("\n")):
        if line.startswith(f"{key}:"):
            return index + 2
    return 1


def _read_date(value: Any, fm_text: str, problem: Problem) -> str | None:
    if value is None:
        return None
    date = normalise_date(value)
    if date is None:
        problem(_key_line(fm_text, "date"), "error", "bad-date",
                f"date '{value}' is not an ISO date (2020-02-21, 2020-02, 2020 "
                "or a range such as 2019-12/2020-03-01)")
    return date
