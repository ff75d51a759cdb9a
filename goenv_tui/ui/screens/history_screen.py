"""`H`: the applied transactions, newest first; Enter or R rolls the highlighted one back.

Descriptions are shown with secrets redacted (they hold the values that were set). The app
loads the history and rolls back in thread workers; this screen asks for the confirmation.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from goenv_tui.core.txn import TxRecord
from goenv_tui.ui.editing import rollback_summary, shown_description
from goenv_tui.ui.messages import RollbackConfirmed
from goenv_tui.ui.render_edit import plural, record_text
from goenv_tui.ui.screens.confirm_screen import ConfirmScreen


class HistoryScreen(ModalScreen[None]):
    """The history list (full screen, its own footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "R",
            "rollback",
            "Roll back",
            id="history.rollback",
            tooltip="Undo the highlighted transaction (asks first; also Enter)",
        ),
        Binding("j", "move(1)", "Down", show=False, id="history.down", tooltip="Next entry"),
        Binding("k", "move(-1)", "Up", show=False, id="history.up", tooltip="Previous entry"),
        Binding("escape,q", "close", "Close", id="history.close", tooltip="Back to the variables"),
    ]

    def __init__(
        self, home: str | None, state_dir: str, records: list[TxRecord] | None = None
    ) -> None:
        super().__init__()
        self.home = home
        self.state_dir = state_dir
        self.records: list[TxRecord] = []
        self._initial = records
        self.busy = False

    def compose(self) -> ComposeResult:
        """The count, the list, the keys."""
        with Vertical(id="history-box") as box:
            box.border_title = "History of applied changes"
            yield Static("Reading the history…", id="history-summary")
            yield OptionList(id="history-list")
        yield Footer()

    def on_mount(self) -> None:
        """Show the records given, or a loading indicator until the app hands them over."""
        self.set_focus(self.query_one(OptionList))
        if self._initial is not None:
            self.show_records(self._initial)
        else:
            self.query_one(OptionList).loading = True

    def show_records(self, records: list[TxRecord]) -> None:
        """Replace the list (newest first)."""
        self.records = records
        self.busy = False
        options = self.query_one(OptionList)
        options.loading = False
        options.clear_options()
        for k, rec in enumerate(records):
            if k:
                options.add_option(None)  # a separator line
            options.add_option(Option(record_text(rec, self.home), id=f"tx{k}"))
        if records:
            options.highlighted = 0
        self._summarize()
        self.refresh_bindings()

    def _summarize(self, problem: str | None = None) -> None:
        if self.records:
            text = f"{plural(len(self.records), 'transaction')}, newest first"
            text += f"; not rolled back: {problem}" if problem else " (Enter or R rolls back)"
        else:
            text = problem or "No change has been applied yet."
        self.query_one("#history-summary", Static).update(text)

    def show_error(self, sentence: str) -> None:
        """Loading or a rollback failed (the app also notifies)."""
        self.busy = False
        self.query_one(OptionList).loading = False
        self._summarize(sentence)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rolling back needs an entry and no rollback running."""
        if action == "rollback":
            return bool(self.records) and not self.busy
        return True

    @on(OptionList.OptionSelected, "#history-list")
    def _selected(self) -> None:
        self.action_rollback()

    def action_move(self, step: int) -> None:
        """j/k move in the list."""
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_rollback(self) -> None:
        """Ask, then let the app roll the highlighted transaction back."""
        option = self.query_one(OptionList).highlighted_option
        if self.busy or option is None or option.id is None or not self.records:
            return
        rec = self.records[int(option.id.removeprefix("tx"))]
        details = [shown_description(rec.description, self.home), ""]
        details += rollback_summary(rec, self.home, self.state_dir)
        question = f"Roll back {rec.txid}?"
        self.app.push_screen(
            ConfirmScreen("Roll back", question, details), lambda yes: self._answered(rec, yes)
        )

    def _answered(self, rec: TxRecord, yes: bool | None) -> None:
        if not yes:
            self.app.notify("Nothing was changed.", timeout=3)
            return
        self.busy = True
        self.query_one("#history-summary", Static).update(f"Rolling back {rec.txid}…")
        self.query_one(OptionList).loading = True
        self.refresh_bindings()
        self.post_message(RollbackConfirmed(rec))

    def action_close(self) -> None:
        """Back to the variables."""
        self.dismiss(None)
