"""Side panels for finding notes: the Notes tree, the links panel and the quick switcher."""
