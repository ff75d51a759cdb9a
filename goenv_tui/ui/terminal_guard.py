"""No untrusted text reaches the terminal raw from the TUI.

Everything the explorer draws becomes a Rich ``Text`` or a Textual ``Content``, and both pass
their text through one module-level control-code filter (BEL, BS, VT, FF and CR only). Making
that filter :func:`goenv_tui.core.textsafe.for_terminal` escapes ESC, C1 controls, bidi
overrides and stray bytes in every value, path, host, message and snapshot field, at the one
place they all pass, instead of at a hundred call sites.
"""

from __future__ import annotations

import rich.text
import textual.content

from goenv_tui.core.textsafe import LAYOUT, for_terminal


def _escaped(text: str, _translate_table: dict[int, None] | None = None) -> str:
    return for_terminal(text, keep=LAYOUT)


def install() -> None:
    """Route Rich's and Textual's control-code filter through ``for_terminal`` (idempotent)."""
    setattr(rich.text, "strip_control_codes", _escaped)  # noqa: B010 - not exported
    textual.content._strip_control_codes = _escaped
