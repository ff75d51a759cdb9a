"""F1 / ?: help for the focused pane, then every key of the app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def keys_table(bindings: Iterable[Binding], display: Callable[[Binding], str]) -> Table:
    """Key(s), description and tooltip of each binding (one row per action)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    seen: dict[str, list[str]] = {}
    info: dict[str, Binding] = {}
    for b in bindings:
        ident = b.id or b.action
        for key in b.key.split(","):
            shown = display(Binding(key.strip(), b.action, key_display=b.key_display))
            seen.setdefault(ident, []).append(shown)
        info.setdefault(ident, b)
    for ident, keys in seen.items():
        b = info[ident]
        text = b.description or b.action
        if b.tooltip:
            text += f" — {b.tooltip}"
        table.add_row(" / ".join(dict.fromkeys(keys)), text)
    return table


class HelpScreen(ModalScreen[None]):
    """A modal with the focused pane's help; Esc, q, F1 or ? close it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,f1,question_mark",
            "dismiss",
            "Close",
            id="help.close",
            tooltip="Close the help",
        ),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    def __init__(
        self, title: str, about: str, pane_keys: list[Binding], app_keys: list[Binding]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.about = about
        self.pane_keys = pane_keys
        self.app_keys = app_keys

    def compose(self) -> ComposeResult:
        """Title, the pane's description and keys, then the app's keys."""
        with VerticalScroll(id="help-box"):
            yield Static(Text(self.title_text, style="bold"), id="help-title")
            yield Static(self.about, id="help-about")
            if self.pane_keys:
                yield Static(Text("Keys in this pane", style="underline"))
                yield Static(keys_table(self.pane_keys, self.app.get_key_display))
            yield Static(Text("Keys everywhere", style="underline"))
            yield Static(keys_table(self.app_keys, self.app.get_key_display))
            yield Static(Text("Esc, q, F1 or ? closes this help.", style="italic"))

    def action_scroll(self, direction: str) -> None:
        """Scroll the help text."""
        box = self.query_one("#help-box", VerticalScroll)
        if direction == "down":
            box.scroll_down()
        else:
            box.scroll_up()
