import json
import pkgutil
import subprocess
import sys

import viewer.core


def test_importing_every_core_module_loads_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(viewer.core.__path__, "viewer.core.")]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(modules) >= 8
    assert json.loads(out.stdout) == []


def test_command_line_subcommands_load_no_qt():
    code = (
        "import sys, json\nfrom viewer import cli\ncli.build_parser()\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('PySide6')]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
