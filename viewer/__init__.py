"""kbviewer: an offline viewer for linked Markdown knowledge bases."""

__version__ = "0.1.0"
