"""Messages the workers post to the app (workers never touch widgets; the app owns every state
change and tells the screens what to show)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from goenv_tui.core.background import ProbeResult

if TYPE_CHECKING:
    from goenv_tui.core.doctor import Finding
    from goenv_tui.core.plan.change import Change
    from goenv_tui.core.plan.workflow import Preview
    from goenv_tui.core.resolve import Resolution
    from goenv_tui.core.txn import ApplyResult, TxRecord
    from goenv_tui.ui.editing import ApplyOutcome


class ProbeFinished(Message):
    """A probe ended (successfully or not), with the staged plan read by the same worker;
    the app owns every resulting state change."""

    def __init__(
        self,
        result: ProbeResult,
        staged: list[Change] | None = None,
        stage_error: str | None = None,
    ) -> None:
        super().__init__()
        self.result = result
        #: The staged plan read alongside (None: not read, e.g. a snapshot).
        self.staged = staged
        self.stage_error = stage_error


class FindingsReady(Message):
    """The doctor's findings for ``resolution`` (``error``: the sentence why there are none);
    the app drops them when a newer probe has replaced that resolution."""

    def __init__(
        self, resolution: Resolution, findings: list[Finding], error: str | None = None
    ) -> None:
        super().__init__()
        self.resolution = resolution
        self.findings = findings
        self.error = error


class FixStaged(Message):
    """A finding's fix is staged (the plan is now ``changes``) and ``preview`` previews it."""

    def __init__(self, finding: Finding, changes: list[Change], preview: Preview) -> None:
        super().__init__()
        self.finding = finding
        self.changes = changes
        self.preview = preview


class EditRefused(Message):
    """An edit step was refused or failed (``step``: stage, preview, apply, history, rollback);
    ``sentence`` is what the user reads. Nothing was staged or changed."""

    def __init__(self, step: str, sentence: str) -> None:
        super().__init__()
        self.step = step
        self.sentence = sentence


class StageChanged(Message):
    """The staged plan is now ``changes`` (``note``: what happened, for a notification)."""

    def __init__(self, changes: list[Change], note: str = "", step: str = "stage") -> None:
        super().__init__()
        self.changes = changes
        self.note = note
        self.step = step


class PreviewReady(Message):
    """The staged plan's preview (None: nothing is staged any more)."""

    def __init__(self, preview: Preview | None) -> None:
        super().__init__()
        self.preview = preview


class ApplyFinished(Message):
    """A committed apply, its checks, and whether the staged plan was cleared."""

    def __init__(self, outcome: ApplyOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class HistoryLoaded(Message):
    """The committed transactions, newest first."""

    def __init__(self, records: list[TxRecord]) -> None:
        super().__init__()
        self.records = records


class RolledBack(Message):
    """A rollback committed as transaction ``result.txid``."""

    def __init__(self, record: TxRecord, result: ApplyResult) -> None:
        super().__init__()
        self.record = record
        self.result = result


class Recovered(Message):
    """An interrupted apply was finished before the edit step (one sentence)."""

    def __init__(self, sentence: str) -> None:
        super().__init__()
        self.sentence = sentence


# -- requests the edit screens post to the app (they bubble up from the screen) -------------


class StageRequested(Message):
    """The edit screen's Enter: validate ``change`` against the staged plan, then stage it."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change


class DropRequested(Message):
    """The preview's `d`: drop staged change ``number`` (1-based, as `stage list` numbers)."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class ApplyConfirmed(Message):
    """The user said yes to applying exactly ``preview``."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview


class RollbackConfirmed(Message):
    """The user said yes to rolling ``record`` back."""

    def __init__(self, record: TxRecord) -> None:
        super().__init__()
        self.record = record
