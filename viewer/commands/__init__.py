"""Sub-commands of `kbviewer`, one module each: add_parser() and run()."""
