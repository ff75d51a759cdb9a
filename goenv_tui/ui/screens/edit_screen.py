"""`e`: a new value for the selected variable and where to write it; Enter stages it.

The screen only asks: the app validates the change in a thread worker (a preview of the staged
plan plus this change) and closes the screen when it is staged, or shows the one sentence of
the refusal and leaves the screen open to correct the value.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from goenv_tui.core.plan.change import SET, Change, empty_refusal
from goenv_tui.ui.editing import Target
from goenv_tui.ui.messages import StageRequested

#: Markers of the chosen target and the others (readable without colour).
CHOSEN, OTHER = "●", "○"


class EditScreen(ModalScreen[Change | None]):
    """The value, the target chooser and the keys (dismisses with the staged change or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="edit.cancel", tooltip="Close, stage nothing"),
        Binding(
            "down",
            "target(1)",
            "Next place",
            show=False,
            id="edit.next",
            tooltip="Choose the next place to write the value",
        ),
        Binding(
            "up",
            "target(-1)",
            "Previous place",
            show=False,
            id="edit.previous",
            tooltip="Choose the previous place to write the value",
        ),
    ]

    def __init__(
        self, name: str, value: str, now: str, targets: list[Target], staged: list[str]
    ) -> None:
        super().__init__()
        self.var_name = name
        self.value = value
        self.now = now
        self.targets = targets
        self.staged = staged
        self.busy = False
        self._empty_asked = False  # Enter on an empty value once: the next one stages it

    def compose(self) -> ComposeResult:
        """Now, the new value, where to write it, the keys."""
        with Vertical(id="edit-box") as box:
            box.border_title = f"Edit {self.var_name}"
            yield Static(f"Now: {self.now}", id="edit-now")
            for line in self.staged:
                yield Static(Text(f"✎ staged: {line}", style="italic"))
            yield Static(Text("New value", style="underline"))
            box_input = Input(value=self.value, id="edit-value", select_on_focus=False)
            box_input.set_reactive(Input.cursor_blink, False)
            yield box_input
            yield Static(Text("Where to write it (↑ ↓)", style="underline"))
            yield OptionList(
                *[Option(self._prompt(t, k == 0), id=str(k)) for k, t in enumerate(self.targets)],
                id="edit-targets",
            )
            yield Static("Enter  stage     Tab  move     Esc  cancel", id="edit-status")

    def on_mount(self) -> None:
        """Start in the value, the place where it takes effect chosen."""
        self.query_one(OptionList).highlighted = 0
        self.set_focus(self.query_one(Input))

    @staticmethod
    def _prompt(target: Target, chosen: bool) -> Text:
        return Text.assemble((CHOSEN if chosen else OTHER) + " ", target.label)

    @property
    def chosen(self) -> Target:
        """The highlighted target."""
        index = self.query_one(OptionList).highlighted
        return self.targets[index or 0]

    @on(OptionList.OptionHighlighted, "#edit-targets")
    def _mark(self, event: OptionList.OptionHighlighted) -> None:
        options = self.query_one(OptionList)
        for k, target in enumerate(self.targets):
            options.replace_option_prompt_at_index(k, self._prompt(target, k == event.option_index))

    def action_target(self, step: int) -> None:
        """↑/↓ in the value: choose another place without leaving the input."""
        options = self.query_one(OptionList)
        if self.busy or not self.targets:
            return
        options.highlighted = ((options.highlighted or 0) + step) % len(self.targets)

    @on(Input.Changed, "#edit-value")
    def _typed(self) -> None:
        self._empty_asked = False

    @on(Input.Submitted, "#edit-value")
    @on(OptionList.OptionSelected, "#edit-targets")
    def _submit(self) -> None:
        if self.busy:
            return
        value = self.query_one(Input).value
        if value == "" and not self._empty_asked:  # staged empty only when asked twice
            self._empty_asked = True
            self.query_one("#edit-status", Static).update(
                f"{empty_refusal(self.var_name)} (u).  Enter again  stage it empty     Esc  cancel"
            )
            return
        change = Change(SET, self.var_name, value, self.chosen.place)
        self.set_busy(True)
        self.post_message(StageRequested(change))

    def set_busy(self, busy: bool) -> None:
        """While the app checks the change: inputs off, say what is happening."""
        self.busy = busy
        value = self.query_one(Input)
        value.disabled = busy
        self.query_one(OptionList).disabled = busy
        status = self.query_one("#edit-status", Static)
        status.set_class(busy, "-busy")
        if busy:
            status.update("Checking with the real go and a traced shell…  Esc  cancel")
        else:
            status.update("Enter  stage     Tab  move     Esc  cancel")
            self.set_focus(value)

    def action_cancel(self) -> None:
        """Close; a check still running is abandoned by the app (nothing staged)."""
        self.dismiss(None)
