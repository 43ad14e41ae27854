"""The note store's TinyDB storage: atomic, written and read a batch of documents at a time.

The file is plain JSON, one table's documents in lines of `WRITE_BATCH`:

    {
    "files":{
    "1":{...},"2":{...},...,
    "501":{...},...
    },
    "links":{
    ...
    }
    }

Neither the whole file nor the parser's own copy of it is held in memory at
once (parsing 37 MB in one call briefly took about eight times that); a file
laid out otherwise is parsed whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

import orjson

from viewer.core.atomic import AtomicJSONStorage, write_streamed

WRITE_BATCH = 500  # documents on one line


class StreamingStorage(AtomicJSONStorage):
    """The atomic orjson storage, serialising and parsing a line of documents at a time."""

    def write(self, data: dict[str, Any]) -> None:
        def chunks() -> Iterator[bytes]:
            yield b"{\n"
            for number, (name, table) in enumerate(data.items()):
                yield (b"},\n" if number else b"") + orjson.dumps(name) + b":{\n"
                items = iter(table.items())
                first = True
                while batch := {str(doc_id): doc for doc_id, doc in islice(items, WRITE_BATCH)}:
                    yield (b"" if first else b",\n") + orjson.dumps(batch)[1:-1]
                    first = False
                yield b"\n"
            yield b"}\n}\n" if data else b"}\n"
        write_streamed(self.path, chunks())

    def read(self) -> dict[str, Any] | None:
        try:
            with open(self.path, "rb") as file:
                if file.readline() != b"{\n":
                    return super().read()
                tables = _read_lines(file)
        except FileNotFoundError:
            return None
        except (orjson.JSONDecodeError, ValueError):
            return super().read()  # not this layout after all: parsed whole (ValueError if not JSON)
        return tables


def _read_lines(lines: Iterator[bytes]) -> dict[str, Any]:
    """The tables of a file in the layout above, after its first line; ValueError when it is not."""
    tables: dict[str, Any] = {}
    table: dict[str, Any] | None = None
    ended = False
    for line in lines:
        if ended:
            raise ValueError("text after the end")
        if line.endswith(b":{\n") and table is None:
            table = tables[orjson.loads(line[:-3])] = {}
        elif line in (b"},\n", b"}\n") and table is not None:
            table = None
        elif line == b"}\n" and table is None:
            ended = True
        elif table is not None:
            batch = orjson.loads(b"{" + line.rstrip(b",\n") + b"}")
            if not isinstance(batch, dict):
                raise ValueError("a line that is not documents")
            table.update(batch)
        else:
            raise ValueError("a line outside any table")
    if not ended:
        raise ValueError("no end")
    return tables
