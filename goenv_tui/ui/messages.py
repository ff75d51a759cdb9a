"""Messages the probe worker posts to the app (workers never touch widgets)."""

from __future__ import annotations

from textual.message import Message

from goenv_tui.core.background import ProbeResult


class ProbeFinished(Message):
    """A probe ended (successfully or not); the app owns every resulting state change."""

    def __init__(self, result: ProbeResult) -> None:
        super().__init__()
        self.result = result
