"""One line at the top: which go, which shell, and the probe's state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    """Shows loading, the go/shell summary, or what failed."""

    def show_loading(self) -> None:
        """The state before the first probe answers."""
        self.update("Probing go and your shell's startup files…")
        self.set_class(True, "-loading")
        self.set_class(False, "-error")

    def summary(self, text: str, error: bool = False) -> None:
        """The state after a probe."""
        self.update(Text(text))  # never markup: it names paths, hosts and a snapshot's owner
        self.set_class(False, "-loading")
        self.set_class(error, "-error")
