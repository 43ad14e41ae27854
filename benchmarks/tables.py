"""Laying out note pages with tables: grid tables (each cell draws its own borders) against collapsed borders.

    python -m benchmarks.tables [--rows 50,500] [--repeat 9]

Markdown tables are drawn as a grid by each cell's right and bottom borders (the
header's top, the first column's left: `table.grid` in resources/note.css).
The reference, in the same run, is the same page with its tables given
collapsed borders, as they were drawn before: the page's HTML without the grid
class. Both are laid out whole (`QTextDocument` at the note view's column
width) `--repeat` times, alternately; the medians are printed, with whether
each page's height laid out both ways (the grid is drawn the same, its right
edge a pixel further right at some widths, which can move a line of a cell). Pages: the bundled overview (two tables) and a
generated note holding one table of each `--rows` rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 744  # the note view's column at the default window size


def table_note(rows: int) -> str:
    lines = ["# Table", "", "| Date | Event | Where |", "| --- | --- | --- |"]
    lines += [f"| 2020-{1 + i % 12:02d}-{1 + i % 28:02d} | Event number {i} of the year, with a "
              f"[[Overview|link]] in it | Place {i % 7} |" for i in range(rows)]
    return "\n".join(lines) + "\n"


def collapsed(page: str) -> str:
    """The page as drawn before: its tables' borders collapsed (the generic table style)."""
    return page.replace('<table cellspacing="0" class="grid">', "<table>").replace(' class="row-start"', "")


def lay_out(html: str, css: str) -> float:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultStyleSheet(css)
    document.setHtml(html)
    started = time.perf_counter()
    document.setPageSize(QSizeF(WIDTH, 0))
    document.size()  # the whole page laid out
    return time.perf_counter() - started


def height(html: str, css: str) -> int:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultStyleSheet(css)
    document.setHtml(html)
    document.setPageSize(QSizeF(WIDTH, 0))
    return round(document.size().height())


def run(rows: list[int], repeat: int) -> list[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from viewer.core import KnowledgeBase
    from viewer.core.page import note_page
    from viewer.ui.theme import note_css

    app = QApplication.instance() or QApplication(sys.argv[:1])
    css = note_css(app.palette())
    results = []
    with tempfile.TemporaryDirectory(prefix="kbviewer-tables-") as tmp:
        bundled = KnowledgeBase.open(ROOT / "kb", Path(tmp) / "bundled.json")
        pages = [("bundled overview", note_page(bundled, "overview"))]
        folder = Path(tmp) / "notes"
        folder.mkdir()
        (folder / "overview.md").write_text("# Overview\n", encoding="utf-8")
        for count in rows:
            (folder / f"table-{count}.md").write_text(table_note(count), encoding="utf-8")
        generated = KnowledgeBase.open(folder, Path(tmp) / "generated.json")
        pages += [(f"a table of {count} rows", note_page(generated, f"table-{count}")) for count in rows]
        for name, page in pages:
            before = collapsed(page)
            grid_times, collapsed_times = [], []
            for _ in range(repeat):
                grid_times.append(lay_out(page, css))
                collapsed_times.append(lay_out(before, css))
            grid_s, collapsed_s = statistics.median(grid_times), statistics.median(collapsed_times)
            results.append({"page": name, "grid_ms": round(1000 * grid_s, 1),
                            "collapsed_ms": round(1000 * collapsed_s, 1), "ratio": round(grid_s / collapsed_s, 2),
                            "height_px": height(page, css), "collapsed_height_px": height(before, css)})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tables", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="50,500", help="rows of each generated table (comma-separated)")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    rows = [int(part) for part in args.rows.split(",") if part.strip()]
    print(f"{'page':<22} {'grid':>10} {'collapsed':>10} {'ratio':>6}  height (grid, collapsed)")
    for result in run(rows, args.repeat):
        print(f"{result['page']:<22} {result['grid_ms']:>8.1f}ms {result['collapsed_ms']:>8.1f}ms "
              f"{result['ratio']:>6.2f}  {result['height_px']}, {result['collapsed_height_px']} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
