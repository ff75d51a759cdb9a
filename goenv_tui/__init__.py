"""goenv-tui: explain and repair a Go developer's environment."""

__version__ = "0.1.0"
