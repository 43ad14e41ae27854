"""The note style sheet: `resources/note.css` with its `$name` colours and sizes filled in.

The window fills it from the system palette (viewer/ui/theme.py); export uses
`LIGHT`, the colours of a light palette, so a file or a page reads the same
wherever it is opened.
"""

from __future__ import annotations

import functools
import re
from string import Template

from viewer.core.lazy import lazy_pattern
from viewer.core.paths import resources_dir

LIGHT = {"text": "#000000", "base": "#ffffff", "muted": "#6b6b6b", "link": "#0000d9", "accent": "#246994",
         "broken": "#a1221b", "border": "#cccccc", "alt": "#f0f0f0", "code_bg": "#ededed"}
_COMMENT = lazy_pattern(r"/\*.*?\*/\s*", re.S)
_POINTS = lazy_pattern(r"(\d+(?:\.\d+)?)pt\b")


@functools.cache
def _template() -> Template:
    return Template((resources_dir() / "note.css").read_text(encoding="utf-8"))


def note_stylesheet(colours: dict[str, str] | None = None, body_size: str = "11pt",
                    mono: str = "monospace", zoom: float = 1.0) -> str:
    """The style sheet with `colours` (default `LIGHT`), every size in points times `zoom`."""
    values = {**(colours or LIGHT), "body_size": body_size, "mono": mono}
    css = _COMMENT.sub("", _template().safe_substitute(values)).strip() + "\n"
    if zoom != 1.0:
        css = _POINTS.sub(lambda m: f"{float(m.group(1)) * zoom:.1f}pt", css)
    return css
