"""The PySide6 window. It asks the core and shows what the core computes."""

from viewer import qtcheck

qtcheck.mark_window_modules(__name__, __path__[0])
