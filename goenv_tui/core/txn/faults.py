"""Named checkpoints inside apply and recover, and the SIGKILL fault injector.

``GOENV_TUI_FAULT=<name>`` kills the process with a real SIGKILL (no ``finally`` runs) when
it reaches that checkpoint; ``<name>@int`` sends it a real SIGINT instead (Ctrl+C: Python
raises KeyboardInterrupt right there). Checkpoints in :data:`PER_FILE` are reached once per
file; name the k-th (1-based) as ``<name>:k``; the bare name means the first.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "GOENV_TUI_FAULT"

#: Every checkpoint, in the order a transaction reaches them (then recovery's, in order).
CHECKPOINTS: tuple[str, ...] = (
    "apply.locked",  # the state lock is held
    "apply.recovered",  # any earlier hot journal has been rolled back
    "apply.preflighted",  # every target checked against its preview hash
    "apply.journal-temp-written",  # journal written and fsynced under its temp name (not hot)
    "apply.journal-written",  # journal renamed into place, directory fsynced: HOT
    "apply.temp-written",  # per file: temp file written and fsynced beside the target
    "apply.file-replaced",  # per file: target replaced (or created/deleted), directory fsynced
    "apply.history-written",  # the history record written (still void until the commit)
    "apply.before-commit",  # just before the journal is deleted
    "apply.committed",  # journal deleted, state directory fsynced: COMMITTED
    "apply.history-pruned",  # old history records beyond the limit removed
    "recover.journal-read",  # a hot journal was found; nothing restored yet
    "recover.file-restored",  # per file: original content and metadata back in place
    "recover.temps-removed",  # stray temp files removed from the involved directories
    "recover.history-removed",  # the void history record of the rolled-back txid removed
    "recover.before-journal-delete",  # just before the journal is deleted
    "recover.journal-deleted",  # journal deleted, state directory fsynced
)

#: Checkpoints reached once per file of the transaction (``<name>:k`` selects the k-th).
PER_FILE: frozenset[str] = frozenset(
    {"apply.temp-written", "apply.file-replaced", "recover.file-restored"}
)


def checkpoint(name: str, k: int | None = None) -> None:
    """SIGKILL this process if ``GOENV_TUI_FAULT`` names this checkpoint (and k)."""
    want = os.environ.get(FAULT_ENV)
    if not want:
        return
    want, _, how = want.partition("@")
    if want == name or (k is not None and want == f"{name}:{k}"):
        os.kill(os.getpid(), signal.SIGINT if how == "int" else signal.SIGKILL)
