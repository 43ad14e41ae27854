"""The PySide6 window. It asks the core and shows what the core computes."""
