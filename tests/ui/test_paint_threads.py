"""The window paints on its own thread: Qt's pool for large fills is off (it cost more than it saved)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import os
from viewer.ui.window.app import create_app
app = create_app()
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QScrollBar
bar = QScrollBar(Qt.Orientation.Vertical)
bar.resize(15, 900)
bar.setRange(0, 1000)
before = len(os.listdir("/proc/self/task"))
bar.render(QImage(15, 900, QImage.Format.Format_ARGB32_Premultiplied))
print(len(os.listdir("/proc/self/task")) - before)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads are counted in /proc")
def test_a_tall_scroll_bar_is_painted_without_starting_threads():
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "0"
