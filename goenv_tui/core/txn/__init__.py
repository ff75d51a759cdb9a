"""The transaction engine of edit mode: several file edits applied all-or-nothing.

``apply`` (rollback journal, recovery first), ``recover``, ``history``, ``rollback``; the
named fault-injection checkpoints are in ``CHECKPOINTS``. Modules: ``plan`` (FileChange),
``journal``, ``apply``, ``recover``, ``history``, ``rollback``, ``faults``, ``lock``,
``fsio`` (low-level I/O), ``ownership`` (who owns new files), ``errors`` (TxnError).
"""

from __future__ import annotations

from goenv_tui.core.txn.apply import ApplyResult, apply
from goenv_tui.core.txn.errors import TxnError
from goenv_tui.core.txn.faults import CHECKPOINTS, FAULT_ENV, PER_FILE
from goenv_tui.core.txn.fsio import TEMP_PREFIX
from goenv_tui.core.txn.history import TxFile, TxRecord, history
from goenv_tui.core.txn.plan import FileChange, sha256_hex
from goenv_tui.core.txn.recover import RecoverResult, recover
from goenv_tui.core.txn.rollback import rollback

__all__ = [
    "CHECKPOINTS",
    "FAULT_ENV",
    "PER_FILE",
    "TEMP_PREFIX",
    "ApplyResult",
    "FileChange",
    "RecoverResult",
    "TxFile",
    "TxRecord",
    "TxnError",
    "apply",
    "history",
    "recover",
    "rollback",
    "sha256_hex",
]
