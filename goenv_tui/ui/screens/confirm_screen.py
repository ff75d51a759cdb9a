"""A small y/n question before anything is written (apply, rollback)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True on y, False on n or Esc (nothing is done without a y)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, do it"),
        Binding("n,escape,q", "answer(False)", "No", id="confirm.no", tooltip="No, change nothing"),
    ]

    def __init__(self, title: str, question: str, details: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.details = details or []

    def compose(self) -> ComposeResult:
        """The details, the question and the two keys."""
        with Vertical(id="confirm-box") as box:
            box.border_title = self.title_text
            if self.details:
                yield Static("\n".join(self.details), id="confirm-details")
            yield Static(Text(self.question, style="bold"), id="confirm-question")
            yield Static("y  yes      n / Esc  no, change nothing", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
