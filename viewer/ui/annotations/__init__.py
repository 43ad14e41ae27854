"""Annotations in the window: highlights, the dialog, the panel and their controller."""
