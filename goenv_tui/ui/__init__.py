"""The Textual face of goenv-tui (the core in goenv_tui.core never imports this)."""
