"""What the window's start loads: what only later actions need is left for them (a quicker start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LATER = [
    "markdown", "pygments",  # with the first page made (the kept one needs neither)
    "rapidfuzz", "yaml", "importlib.metadata",  # names folded, notes parsed, never
    "viewer.core.render", "viewer.ui.annotations.dialog", "viewer.core.annotations.essay",
    "viewer.core.sources_export", "viewer.commands.check", "viewer.ui.views.graph", "viewer.ui.views.timeline",
    "viewer.ui.window.export_options", "viewer.ui.panels.switcher", "viewer.core.switcher", "viewer.core.timeline",
    "viewer.ui.search.panel", "viewer.ui.annotations.panel",  # the panels tabbed behind others
    "viewer.core.search.running", "viewer.core.search.query", "viewer.core.search.compiler",  # with the first search
    "subprocess", "calendar", "secrets", "hashlib",  # hashlib loads OpenSSL
    "viewer.ui.window.dialogs",
    "PySide6.QtPrintSupport",  # with the first printout
    "html.parser", "viewer.core.raw_images", "viewer.core.annotations.html_text",  # pages with images, annotations
]
# Qt types PySide sets up (with their enums) only when first used: QStyle's took 10 ms
LATER_TYPES = ["QStyle", "QMessageBox", "QFileDialog", "QDialog"]


def test_the_window_modules_leave_what_later_actions_need_for_later():
    script = ("import json, sys\n"
              "from viewer.cli import parse\n"
              "parse(['--screenshot', 'x.png'])\n"
              "from viewer import qtcheck\n"
              "qtcheck.import_qt()\n"
              "import viewer.ui.window.screenshot\n"
              "import PySide6.QtWidgets as widgets\n"
              f"print(json.dumps([[m for m in {LATER!r} if m in sys.modules],"
              f" [t for t in {LATER_TYPES!r} if t in vars(widgets)]]))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout
    loaded, types_made = json.loads(out.strip().splitlines()[-1])
    assert loaded == [] and types_made == []


def test_the_window_core_modules_load_before_qt():
    """PySide reads the source of every module imported after it: the Qt-free ones come first."""
    script = ("import json, sys\n"
              "from viewer.cli import load_window_core, parse\n"
              "parse(['--screenshot', 'x.png'])\n"
              "load_window_core()\n"
              "from viewer import qtcheck\n"
              "qtcheck.import_qt()\n"
              "import viewer.ui.window.screenshot\n"
              "names = list(sys.modules)\n"
              "after = names[names.index('PySide6.QtCore'):]\n"
              "print(json.dumps([m for m in after if m.startswith('viewer.core')]))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []


def test_the_first_paint_wraps_no_widget_qt_made(tmp_path):
    """PySide's first wrapping of a viewport Qt made sets up every widget class (QMdiArea's, the graphics
    view's...) with their enums: the window works out its viewports' sizes without one."""
    script = ("import sys\n"
              "from viewer.cli import main\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--settle', '0'])\n"
              "import PySide6.QtWidgets as widgets\n"
              "print([name for name in ('QMdiArea', 'QGraphicsView', 'QLCDNumber') if name in vars(widgets)])\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_the_timeline_wraps_no_widget_qt_made(tmp_path):
    """Its rows are laid out in the list's viewport width, kept from the viewport's resize events: asking Qt
    for the viewport set up every widget class, enums and all, the first time the timeline was shown."""
    script = ("import sys\n"
              "from viewer.cli import main\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--view', 'timeline', '--settle', '0'])\n"
              "import PySide6.QtWidgets as widgets\n"
              "print([name for name in ('QMdiArea', 'QLCDNumber', 'QCalendarWidget') if name in vars(widgets)])\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_search_hits_passage_is_shown_without_wrapping_a_widget_qt_made(tmp_path):
    script = ("import sys\n"
              "from PySide6.QtCore import QSettings\n"
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
              "print(found, [name for name in ('QMdiArea', 'QLCDNumber') if name in vars(widgets)])\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "True []"


def test_a_whole_first_paint_leaves_the_later_modules_and_the_find_bars_pattern_type_unloaded(tmp_path):
    """Not only the imports: showing the window and its first note loads none of LATER either (on a second
    start: the first one builds the store and keeps the page)."""
    script = ("import json, sys\n"
              "from viewer.cli import main\n"
              f"main(['--screenshot', {str(tmp_path / 'shot.png')!r}, '--settle', '0'])\n"
              "import PySide6.QtCore as core\n"
              f"print(json.dumps([[m for m in {LATER!r} if m in sys.modules], 'QRegularExpression' in vars(core)]))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                             check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [[], False]
