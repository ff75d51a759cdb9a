"""The detail pane: one variable's chain, its story, go's own help and the facts."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static


class DetailPane(VerticalScroll):
    """Scrollable detail of the selected variable."""

    HELP = (
        "The selected variable: every layer that sets it, lowest precedence first, each "
        "entry's state (ACTIVE, shadowed, not run, STALE, ignored), why, and the text of "
        "`go help environment` for it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="detail.down", tooltip="Scroll down"),
        Binding("k", "scroll_up", "Up", show=False, id="detail.up", tooltip="Scroll up"),
    ]

    def compose(self):  # type: ignore[no-untyped-def]
        """One Static holds the rendered detail."""
        yield Static("Select a variable.", id="detail-body")

    current: object = None
    """What the pane shows now (a Rich renderable or a string)."""

    def show(self, renderable: object) -> None:
        """Replace the content and scroll back to the top."""
        self.current = renderable
        self.query_one("#detail-body", Static).update(renderable)  # type: ignore[arg-type]
        self.scroll_home(animate=False)
