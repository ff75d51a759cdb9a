"""Change builders of the edit mode: current bytes + a requested change -> new bytes.

Nothing here writes a user's file: the transaction engine (``core.txn``) installs the bytes.
``goenvfile`` (the go env file, through the real ``go env -w/-u``), ``blocks`` (managed blocks
in startup files), ``placement`` (which file and where), ``rewrite`` (one chosen FILE:LINE).
Every refusal is an :class:`~goenv_tui.core.edits.errors.EditError` with one sentence.
"""

from __future__ import annotations

from goenv_tui.core.edits.errors import EditError, GoUnavailable

__all__ = ["EditError", "GoUnavailable"]
