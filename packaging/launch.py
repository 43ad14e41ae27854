"""The bundled application's entry point: the same as the `kbviewer` command."""

from viewer.cli import main

raise SystemExit(main())
