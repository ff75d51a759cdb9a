"""The exception every change builder raises."""

from __future__ import annotations


class EditError(Exception):
    """A refused change; ``str()`` is one sentence for the user."""


class GoUnavailable(EditError):
    """The go command could not run at all (so it could not judge the change).

    ``go_line`` is go's own first error line, when it printed one. Callers may fall back to
    the direct writer (:func:`goenv_tui.core.edits.goenvfile.goenv_set_direct`).
    """

    def __init__(self, message: str, go_line: str = "") -> None:
        super().__init__(message)
        self.go_line = go_line


def sentence(text: str) -> str:
    """``text`` as one sentence: stripped, capitalised, ending in a period."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
