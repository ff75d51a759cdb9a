"""`s`: export a snapshot — choose the format; Markdown also goes to the clipboard."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ExportScreen(ModalScreen[str | None]):
    """Pick toml, json or md (dismisses with the format, or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "pick('toml')", "TOML", id="export.toml", tooltip="TOML (the default)"),
        Binding("j", "pick('json')", "JSON", id="export.json", tooltip="JSON"),
        Binding(
            "m",
            "pick('md')",
            "Markdown",
            id="export.md",
            tooltip="Markdown for a GitHub issue, also copied to the clipboard",
        ),
        Binding("escape,q", "pick(None)", "Cancel", id="export.cancel", tooltip="Cancel"),
    ]

    def __init__(self, redacted: bool, folder: str) -> None:
        super().__init__()
        self.redacted = redacted
        self.folder = folder

    def compose(self) -> ComposeResult:
        """The choices and where the file goes."""
        note = (
            "Secrets, home paths and private hosts are redacted."
            if self.redacted
            else "NOT redacted: do not paste this anywhere public."
        )
        with Vertical(id="export-box"):
            yield Static(Text("Export a snapshot", style="bold"), id="export-title")
            yield Static(f"Into {self.folder}\n{note}\n")
            yield Static(
                "t  TOML\nj  JSON\nm  Markdown (also copied to the clipboard)\nEsc  cancel"
            )

    def action_pick(self, fmt: str | None) -> None:
        """Close with the chosen format."""
        self.dismiss(fmt)
