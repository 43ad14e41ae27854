"""What the window's start loads: what only later actions need is left for them (a quicker start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LATER = [
    "markdown", "pygments", "viewer.core.page",  # with the first page made (the kept one needs none of them)
    "viewer.core.dates",  # with the first note indexed, dated note's tooltip or citation
    "rapidfuzz", "yaml", "importlib.metadata",  # names folded, notes parsed, never
    "viewer.core.render", "viewer.ui.annotations.dialog", "viewer.core.annotations.essay",
    "viewer.core.sources_export", "viewer.commands.check", "viewer.ui.views.graph", "viewer.ui.views.timeline",
    "viewer.ui.window.export_options", "viewer.ui.panels.switcher", "viewer.core.switcher", "viewer.core.timeline",
    "viewer.ui.search.panel", "viewer.ui.annotations.panel",  # the panels tabbed behind others
    "viewer.core.search.running", "viewer.core.search.query", "viewer.core.search.compiler",  # with the first search
    "viewer.core.search.hits",
    "subprocess", "calendar", "secrets", "hashlib",  # hashlib loads OpenSSL
    "viewer.ui.window.dialogs",
    "PySide6.QtPrintSupport",  # with the first printout
    "html.parser", "viewer.core.raw_images", "viewer.core.annotations.html_text",  # pages with images, annotations
    "viewer.core.annotations.export", "viewer.ui.annotations.files",  # the first annotations exported or imported
    "viewer.core.annotations.search",  # the first search of the annotations
    "viewer.ui.note.resources", "viewer.core.files", "viewer.ui.note.preview",  # a page's first image, link hovered
    "viewer.core.citations",  # the first citation copied or sources exported
    "viewer.ui.note.find_bar",  # the find bar, made when first opened (its icons come from the icon theme)
]
# The search index: opened with the first search or look for a note's unlinked mentions, in a worker thread
WITH_THE_INDEX = ["tantivy", "viewer.core.search.schema"]
# Qt types PySide sets up (with their enums) only when first used: QStyle's took 10 ms
LATER_TYPES = ["QStyle", "QMessageBox", "QFileDialog", "QDialog"]


# Widget classes only PySide's setting up of every widget class makes: that happens the first time it wraps a
# widget Qt made itself (a scroll area's viewport), with their enums
EVERY_WIDGET_CLASS = ("QMdiArea", "QLCDNumber", "QCalendarWidget")


def last_line(script: str, folders: Path | None = None) -> str:
    """The last line `script` prints in a fresh interpreter, offscreen (with its user folders under `folders`)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if folders is not None:
        env.update(XDG_CACHE_HOME=str(folders / "cache"), XDG_DATA_HOME=str(folders / "data"),
                   XDG_CONFIG_HOME=str(folders / "config"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout
    return out.strip().splitlines()[-1]


def test_the_window_modules_leave_what_later_actions_need_for_later():
    script = ("import json, sys\n"
              "from viewer.cli import parse\n"
              "parse(['--screenshot', 'x.png'])\n"
              "from viewer import qtcheck\n"
              "qtcheck.import_qt()\n"
              "import viewer.ui.window.screenshot\n"
              "import PySide6.QtWidgets as widgets\n"
              f"print(json.dumps([[m for m in {LATER + WITH_THE_INDEX!r} if m in sys.modules],"
              f" [t for t in {LATER_TYPES!r} if t in vars(widgets)]]))\n")
    assert json.loads(last_line(script)) == [[], []]


def test_the_window_core_modules_load_before_qt(tmp_path):
    """PySide reads the source of every module imported after it: the Qt-free ones come first (the index's
    schema loads after the first paint, in the worker that looks for mentions)."""
    script = ("import json, sys\n"
              "from viewer.cli import main\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--settle', '0'])\n"
              "names = list(sys.modules)\n"
              "after = names[names.index('PySide6.QtCore'):]\n"
              f"print(json.dumps([m for m in after if m.startswith('viewer.core') and m not in {WITH_THE_INDEX!r}]))\n")
    last_line(script, tmp_path)  # the first start builds the store and the page (which load more)
    assert json.loads(last_line(script, tmp_path)) == []


def test_pyside_reads_no_modules_source_while_the_window_starts(tmp_path):
    """PySide reads a module's whole source to learn whether it uses PySide, unless the module is in its
    table: the modules loaded before Qt and the window's own are put there first. Only PySide's own
    first modules are read (they are, before anything can be put in the table)."""
    script = ("import inspect, json, sys\n"
              "read = []\n"
              "source = inspect.getsource\n"
              "inspect.getsource = lambda module: read.append(module.__name__) or source(module)\n"
              "from viewer.cli import main\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--settle', '0'])\n"
              "print(json.dumps([name for name in read if name not in ('shiboken6', 'enum', 'PySide6')]))\n")
    last_line(script, tmp_path)  # the first start builds the store and the page
    assert json.loads(last_line(script, tmp_path)) == []


@pytest.mark.parametrize("view", ["note", "timeline"])
def test_showing_a_view_wraps_no_widget_qt_made(tmp_path, view):
    """The note, the panels and the timeline's rows take their viewports' sizes from the viewports' resize
    events, not from the viewport widgets, which PySide would wrap."""
    script = ("from viewer.cli import main\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--view', {view!r}, '--settle', '0'])\n"
              "import PySide6.QtWidgets as widgets\n"
              f"print([name for name in {EVERY_WIDGET_CLASS!r} if name in vars(widgets)])\n")
    assert last_line(script, tmp_path) == "[]"


def test_a_search_hits_passage_is_shown_without_wrapping_a_widget_qt_made(tmp_path):
    script = ("from PySide6.QtCore import QSettings\n"
              "from viewer.core import KnowledgeBase\n"
              "from viewer.core.paths import bundled_kb\n"
              "from viewer.ui.window.app import create_app\n"
              "from viewer.ui.window.main_window import MainWindow\n"
              "app = create_app()\n"
              f"kb = KnowledgeBase.open(bundled_kb(), {str(tmp_path / 'store.json')!r})\n"
              f"window = MainWindow(settings=QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat), "
              f"restore=False, data_dir={str(tmp_path / 'data')!r})\n"
              "window.resize(1000, 700)\n"
              "window.show()\n"
              "window.set_kb(kb, 'overview')\n"
              "while window.page_pending:\n"
              "    app.processEvents()\n"
              "found = window.view.show_passage('free trials')\n"
              "import PySide6.QtWidgets as widgets\n"
              f"print(found, [name for name in {EVERY_WIDGET_CLASS!r} if name in vars(widgets)])\n")
    assert last_line(script, tmp_path) == "True []"


def test_a_whole_first_paint_leaves_the_later_modules_and_the_find_bars_pattern_type_unloaded(tmp_path):
    """Not only the imports: showing the window and its first note loads none of LATER either (on a second
    start: the first one builds the store and keeps the page)."""
    script = ("import json, sys\n"
              "from viewer.cli import main\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--settle', '0'])\n"
              "import PySide6.QtCore as core\n"
              f"print(json.dumps([[m for m in {LATER!r} if m in sys.modules], 'QRegularExpression' in vars(core)]))\n")
    last_line(script, tmp_path)
    assert json.loads(last_line(script, tmp_path)) == [[], False]


def test_no_collection_runs_while_the_window_starts_and_the_collector_runs_after(tmp_path):
    """Importing the modules and building the window make many objects and almost no cycles: the collector is
    paused until the note is painted (a second start: the first builds the store), then runs as before."""
    script = ("import gc, json\n"
              "from viewer.cli import main\n"
              "import viewer.ui.window.screenshot as shot\n"
              "runs = []\n"
              "gc.callbacks.append(lambda phase, info: phase == 'start' and runs.append(info['generation']))\n"
              "grab = shot.grab\n"
              "shot.grab = lambda window: (runs.append('painted'), grab(window))[1]\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--settle', '0'])\n"
              "print(json.dumps([runs[:runs.index('painted')], gc.isenabled()]))\n")
    last_line(script, tmp_path)
    assert json.loads(last_line(script, tmp_path)) == [[], True]


def test_a_sub_command_runs_with_the_collector_on(tmp_path):
    script = ("import gc\n"
              "from viewer.cli import main\n"
              "import viewer.commands.search as search\n"
              "run = search.run\n"
              "search.run = lambda args: (print('collector on:', gc.isenabled()), run(args))[1]\n"
              f"main(['search', 'clearview', '--store', {str(tmp_path / 'store.json')!r}])\n"
              "print('after:', gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache")), check=True).stdout
    assert "collector on: True" in out and out.strip().endswith("after: True")


def test_the_command_line_pauses_the_collector_before_the_knowledge_bases_modules_load():
    """`viewer.core` names its types without importing them, so `main()` pauses the collector first."""
    script = ("import json, sys\n"
              "import viewer.cli\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith('viewer.core'))))\n")
    assert json.loads(last_line(script)) == ["viewer.core", "viewer.core.collector", "viewer.core.lazy"]


def test_the_window_paints_the_kept_page_before_the_notes_modules_load_and_pyside_reads_no_source(tmp_path):
    """As a reader starts it (the second start: the first builds the store and keeps the page), the kept page is
    painted before the knowledge base's modules load (in the loading worker, after), and PySide has read no
    module's source by then (those loaded after Qt are marked, the core as free of Qt)."""
    script = ("import inspect, json, sys\n"
              "read = []\n"
              "source = inspect.getsource\n"
              "inspect.getsource = lambda module: read.append(module.__name__) or source(module)\n"
              "from benchmarks import window_start\n"
              "at_paint = []\n"
              "patch = window_start._patch\n"
              "def watched(cls, png):\n"
              "    patch(cls, png)\n"
              "    made = cls.__init__\n"
              "    def init(window, *args, **kwargs):\n"
              "        made(window, *args, **kwargs)\n"
              "        window.view.page_painted.connect(\n"
              "            lambda: at_paint.append([[n for n in read if n not in ('shiboken6', 'enum', 'PySide6')],\n"
              "                                     'viewer.core.kb' in sys.modules, 'viewer.core.store' in sys.modules]))\n"
              "    cls.__init__ = init\n"
              "window_start._patch = watched\n"
              f"window_start.main([{str(tmp_path / 'shot.png')!r}])\n"
              "print(json.dumps(at_paint[0]))\n")
    last_line(script, tmp_path)
    assert json.loads(last_line(script, tmp_path)) == [[], False, False]
