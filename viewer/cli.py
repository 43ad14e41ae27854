"""The `kbviewer` command: the window by default, sub-commands for scripts.

Qt is imported only when a window opens; a sub-command's module (and what it
needs: citations, exports...) only when that sub-command, or the help, is asked for.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from viewer import __version__
from viewer.core import collector

COMMANDS = ("check", "show", "search", "export", "cite", "annotations", "sources", "doctor", "desktop")  # viewer.commands.*


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class _NotWindowOnly(Exception):
    """The arguments are not the window's options alone: the whole parser reads them."""


class _WindowParser(_Parser):
    def error(self, message: str):
        raise _NotWindowOnly(message)


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The parser; without `commands`, only the window's options, and it raises _NotWindowOnly on anything else."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--kb", metavar="DIR", default=argparse.SUPPRESS,
                        help="knowledge-base folder (default: the bundled one)")
    common.add_argument("--store", metavar="PATH", default=argparse.SUPPRESS,
                        help="note store file (default: one per folder in the user cache)")
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                        help="user data folder for annotations (default: the user data folder)")
    parser = (_Parser if commands else _WindowParser)(
        prog="kbviewer", parents=[common], usage="kbviewer [FOLDER] [options] | kbviewer COMMAND ...",
        description="An offline viewer for linked Markdown knowledge bases. "
                    "`kbviewer FOLDER` opens that folder (the same as --kb FOLDER).")
    parser.add_argument("--version", action="version", version=f"kbviewer {__version__}")
    add_window_options(parser)
    if commands:
        subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        for name in COMMANDS:
            importlib.import_module(f"viewer.commands.{name}").add_parser(subparsers, common)
    return parser


def add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--note", metavar="NOTE", help="open this note first")
    parser.add_argument("--view", choices=("note", "timeline", "graph"), default=None,
                        help="show the note, the timeline or the graph in the centre")
    parser.add_argument("--panel", choices=("notes", "search", "links", "annotations"), default=None,
                        help="bring this panel to the front of those it shares a place with")
    parser.add_argument("--screenshot", metavar="FILE",
                        help="render the window offscreen to this PNG file and exit")
    parser.add_argument("--size", metavar="WxH", type=_size, default=None,
                        help="window size for --screenshot (default 1400x900)")
    parser.add_argument("--settle", metavar="SECONDS", type=_seconds, default=None,
                        help="for --screenshot: how long the window settles once its note is shown (default 0.6)")


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        size = (0, 0)
    if not sep or not (200 <= size[0] <= 10000 and 200 <= size[1] <= 10000):
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1400x900")
    return size


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 60:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds from 0 to 60")
    return seconds


# The window's Qt-free modules, loaded before Qt: PySide reads the source of each module imported
# after it (looking for its own name), about 0.15 ms a module.
WINDOW_CORE = ("html", "viewer.core.annotations.store", "viewer.core.citation_styles", "viewer.core.note_tree",
               "viewer.core.release", "viewer.core.start_page", "viewer.core.style")
SCREENSHOT_CORE = ("viewer.core.kb",)  # a screenshot reads the notes before its window; the window, in its worker


def load_window_core(screenshot: bool = False) -> None:
    for name in WINDOW_CORE + (SCREENSHOT_CORE if screenshot else ()):
        importlib.import_module(name)


def run_window(args) -> int:
    from viewer import qtcheck
    from viewer.commands.common import CommandError

    load_window_core(bool(getattr(args, "screenshot", None)))
    if getattr(args, "screenshot", None):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    try:  # a missing system library gives the packages to install, not a traceback
        qtcheck.import_qt()
        if not getattr(args, "screenshot", None):
            from viewer.ui.window.app import check_display

            check_display()
        qtcheck.check_platform()
    except qtcheck.QtUnavailable as err:
        raise CommandError(str(err)) from None
    if getattr(args, "screenshot", None):
        from viewer.ui.window.screenshot import run as run_screenshot

        return run_screenshot(args, args.locations)
    from viewer.ui.window.app import run  # Qt is loaded only here

    return run(args, args.locations)


def _folder_first(argv: list[str]) -> list[str]:
    """`kbviewer FOLDER` (as a desktop entry's %f gives it) means `kbviewer --kb FOLDER`."""
    first = argv[0] if argv else ""
    if first and not first.startswith("-") and ("/" in first or (os.path.isdir(first) and not _is_command(first))):
        return ["--kb", argv[0], *argv[1:]]
    return argv


def _is_command(word: str) -> bool:
    names = set()
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            names.update(action.choices)
    return word in names


def parse(argv: list[str]) -> argparse.Namespace:
    """The window's options are read without loading the sub-commands (a quicker start); anything else with them."""
    if not any(arg == "-h" or (arg.startswith("--h") and "--help".startswith(arg)) for arg in argv):
        try:
            args, rest = build_parser(commands=False).parse_known_args(argv)
        except _NotWindowOnly:
            rest = argv
        if not rest:
            return args
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    collector.start_up()  # until the window's event loop runs, a screenshot is saved or a sub-command starts
    try:
        return _main(argv)
    finally:
        collector.start_up_done()  # a screenshot's start ends here


def _main(argv: list[str] | None) -> int:
    from viewer.commands.common import InertOutput, Locations, inert
    from viewer.core.errors import ViewerError

    args = parse(_folder_first(list(sys.argv[1:] if argv is None else argv)))
    args.locations = Locations.from_args(args)  # --kb, --store and --data, resolved once
    runner = getattr(args, "run", run_window)
    stdout = sys.stdout
    if runner is not run_window:
        collector.start_up_done()
        if not getattr(args, "json", False):
            sys.stdout = InertOutput(stdout)  # note and annotation text may hold terminal controls
    try:
        return runner(args)
    except ViewerError as err:
        print(f"kbviewer: error: {inert(str(err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kbviewer: interrupted; the store was left as it was", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    finally:
        sys.stdout = stdout


if __name__ == "__main__":
    raise SystemExit(main())
