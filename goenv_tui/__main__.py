"""Allow `python -m goenv_tui`."""

from goenv_tui.cli import main

raise SystemExit(main())
