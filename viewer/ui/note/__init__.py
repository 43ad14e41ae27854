"""The note itself: its view, the find bar and export."""
