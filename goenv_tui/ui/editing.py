"""The edit mode's work for the TUI, Textual-free: the app runs each call in a thread worker.

Every function mirrors one CLI command of :mod:`goenv_tui.cli_edit` (``stage set``,
``preview``, ``apply``, ``history``, ``rollback``) and either returns data or raises
:class:`EditFailed` with the one sentence the user reads (nothing staged or changed).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from goenv_tui.core.edits import EditError
from goenv_tui.core.edits.placement import SYSTEM_FILE, startup_target
from goenv_tui.core.goprobe import user_config_env_file
from goenv_tui.core.paths import tilde
from goenv_tui.core.plan import stage
from goenv_tui.core.plan.build import Context, default_place
from goenv_tui.core.plan.change import BLOCK, GOENV, Change, Place
from goenv_tui.core.plan.errors import NeedsRoot, PlanError
from goenv_tui.core.plan.workflow import (
    Applied,
    Preview,
    apply_and_clear,
    make_preview,
    recover_first,
    recovery_lines,
)
from goenv_tui.core.redact import for_user
from goenv_tui.core.resolve import Options, Resolution, detect_shell
from goenv_tui.core.txn import ApplyResult, TxnError, TxRecord, history, rollback


class EditFailed(Exception):
    """A refusal or failure of the edit mode: ``str()`` is one sentence for a notification."""


@dataclass(frozen=True)
class Target:
    """One choice of the edit screen: its label and the place it stages (None: the default)."""

    label: str
    place: Place | None


def shell_of(res: Resolution, opts: Options) -> str:
    """The user's shell, as :func:`make_preview` decides it."""
    return res.shell.shell or detect_shell(dict(opts.env), opts.shell)[0]


def goenv_file(res: Resolution, env: Mapping[str, str]) -> str:
    """The go env file `go env -w` writes ("" when GOENV=off)."""
    if res.go.env_file is not None:
        return res.go.env_file
    return user_config_env_file(env, res.go.local_version)


def edit_targets(
    name: str, res: Resolution, env: Mapping[str, str], shell: str, is_root: bool
) -> list[Target]:
    """Where a new value of ``name`` can go: where it takes effect first (that place itself,
    so that `u`, which unsets there, replaces it in the staged plan)."""
    ctx = Context(res, env, shell)
    home = ctx.home
    default = default_place(name, ctx)
    env_file = goenv_file(res, env)
    goenv_label = f"go env file {tilde(env_file, home)}" if env_file else "go env file (GOENV=off)"
    try:
        block_path = tilde(startup_target(shell, home, env).path, home)
    except EditError:
        block_path = "your startup file"
    block_label = f"managed block in {block_path}"
    if default.kind == GOENV:
        here = goenv_label
    elif default.kind == BLOCK:
        here = block_label
    else:
        here = f"{tilde(default.path or '', home)}:{default.line}"
    targets = [Target(f"{here} (where it takes effect)", default)]
    if default.kind != GOENV:
        targets.append(Target(f"{goenv_label} (go env -w)", Place(GOENV)))
    if default.kind != BLOCK:
        targets.append(Target(f"startup file {block_label}", Place(BLOCK)))
    if is_root:
        targets.append(Target(f"{SYSTEM_FILE} (system, login shells)", Place(BLOCK, SYSTEM_FILE)))
    return targets


def sentence(err: Exception) -> str:
    """One sentence for a refusal (NeedsRoot says how to get the rights)."""
    text = str(err).rstrip(".")
    if isinstance(err, NeedsRoot):
        return f"{text}; run goenv-tui with sudo to change it."
    if isinstance(err, OSError):
        return f"{err.filename or 'a file'}: {err.strerror or err}; nothing was changed."
    return text + "."


def auto_recover(state_dir: str, home: str) -> str | None:
    """Finish an interrupted apply first (the core's rule, as the CLI); what was done."""
    try:
        done = recover_first(state_dir)
    except TxnError as err:
        raise EditFailed(sentence(err)) from err
    if done is None or not done.recovered:
        return None
    return "\n".join(recovery_lines(done, home))


def load_stage(state_dir: str, home: str) -> list[Change]:
    """The staged plan ([] when the state directory does not exist yet)."""
    try:
        return stage.load(state_dir, home) if os.path.isdir(state_dir) else []
    except PlanError as err:
        raise EditFailed(sentence(err)) from err


def check_change(
    state_dir: str, home: str, opts: Options, before: Resolution | None, change: Change
) -> None:
    """Refuse ``change`` (nothing staged) unless the staged plan plus it can be planned, as
    ``stage set|unset`` does; ``before`` spares a probe (None: probe now)."""
    try:
        plan = stage.merged(load_stage(state_dir, home), change)[0]
        make_preview(plan, opts, before=before, staging=True)
    except (PlanError, TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err


def stage_add(state_dir: str, home: str, change: Change) -> tuple[list[Change], Change | None]:
    """Stage ``change``; the plan now and the staged change it replaced (stage.merged)."""
    try:
        return stage.add(state_dir, home, change)
    except (PlanError, TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err


def stage_fix(
    state_dir: str, home: str, opts: Options, changes: Sequence[Change]
) -> tuple[list[Change], Preview]:
    """Stage a finding's fix (``stage.add`` for each change) once the staged plan plus the fix
    previews; the plan now and that preview. A refusal stages nothing."""
    try:
        before = load_stage(state_dir, home)
        plan = before
        for change in changes:
            plan = stage.merged(plan, change)[0]
        pv = make_preview(plan, opts)
    except (PlanError, TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err
    try:
        now = before
        for change in changes:
            now = stage.add(state_dir, home, change)[0]
    except (PlanError, TxnError, OSError) as err:
        with contextlib.suppress(TxnError, OSError):
            stage.save(state_dir, before)  # all of the fix or none of it
        raise EditFailed(sentence(err)) from err
    return now, pv


def drop(state_dir: str, home: str, number: int) -> list[Change]:
    """``stage drop N``: the plan left."""
    try:
        stage.drop(state_dir, home, number)
        return load_stage(state_dir, home)
    except (PlanError, TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err


def preview(changes: Sequence[Change], opts: Options) -> Preview:
    """``preview``: the staged plan against a fresh probe."""
    try:
        return make_preview(changes, opts)
    except (PlanError, TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err


@dataclass
class ApplyOutcome:
    """What ``apply`` did and whether the staged plan was cleared."""

    applied: Applied
    cleared: bool

    @property
    def ok(self) -> bool:
        """Every check got what the preview promised and every change took effect."""
        return self.applied.ok


def apply(pv: Preview, opts: Options, state_dir: str) -> ApplyOutcome:
    """``apply --yes`` after the user said yes: one transaction, then verify.

    Like the CLI, the staged plan is cleared unless a check failed (then it stays, to look at).
    """
    if not pv.plan.changed_files:  # nothing to write: the plan is done, as the CLI says
        clear_stage(state_dir)
        nothing = ApplyResult(None, pv.plan.description())
        return ApplyOutcome(Applied(nothing, [], pv.before, []), True)
    try:
        done = apply_and_clear(pv, opts, state_dir)
    except (PlanError, TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err
    return ApplyOutcome(done, done.ok)


def clear_stage(state_dir: str) -> None:
    """``stage clear``."""
    try:
        stage.save(state_dir, [])
    except (TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err


def records(state_dir: str) -> list[TxRecord]:
    """``history``: committed transactions, newest first."""
    try:
        return list(reversed(history(state_dir))) if os.path.isdir(state_dir) else []
    except (TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err


def roll_back(state_dir: str, txid: str) -> ApplyResult:
    """``rollback TXID --yes`` (never forced: a file changed since is a refusal)."""
    try:
        return rollback(state_dir, txid)
    except (TxnError, OSError) as err:
        raise EditFailed(sentence(err)) from err


def rollback_summary(rec: TxRecord, home: str | None, state_dir: str) -> list[str]:
    """What rolling ``rec`` back restores, one line per file (for the confirmation)."""
    from goenv_tui.core.acting import state_owner
    from goenv_tui.core.txn.rollback import rollback_plan

    try:
        changes, changed = rollback_plan(rec, state_owner(state_dir))
    except TxnError as err:
        return [sentence(err)]
    lines = []
    for ch in changes:
        what = "delete" if ch.new is None else "restore"
        mark = "  ! changed since: rollback will refuse" if ch.path in changed else ""
        lines.append(f"{what} {tilde(ch.path, home)}{mark}")
    return lines


def shown_description(text: str, home: str | None) -> str:
    """A history description for the screen: secrets redacted, HOME as ~."""
    out = for_user(text)
    if home and home != "/":
        out = out.replace(home.rstrip("/") + "/", "~/")
    return out
