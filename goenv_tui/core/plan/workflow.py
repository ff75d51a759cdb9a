"""The edit flow both faces use: changes -> preview -> apply -> verify."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from goenv_tui.core.advice import command
from goenv_tui.core.ancestry import Ancestor, ancestors, origin_of
from goenv_tui.core.paths import JOURNAL_NAME, tilde
from goenv_tui.core.plan.build import Context, Plan, build_plan
from goenv_tui.core.plan.change import Change
from goenv_tui.core.plan.errors import PlanError
from goenv_tui.core.plan.fresh import NO_EFFECT, Verdict
from goenv_tui.core.plan.preview import render, warnings_for
from goenv_tui.core.plan.verify import Check, applied_verdicts, verify
from goenv_tui.core.plan.world import Prediction, predict
from goenv_tui.core.redact import hide_secrets
from goenv_tui.core.resolve import Options, Resolution, detect_shell, probe
from goenv_tui.core.txn import ApplyResult, RecoverResult, TxnError, apply, history, recover
from goenv_tui.core.txn.ownership import make_dirs


@dataclass
class Preview:
    """A plan with its prediction, against the resolution it was built from."""

    plan: Plan
    before: Resolution
    prediction: Prediction
    home: str

    @property
    def text(self) -> str:
        """The preview as the CLI prints it."""
        return render(self.plan, self.before, self.prediction, self.home)

    @property
    def warnings(self) -> list[str]:
        """The plan's and the prediction's warnings."""
        return warnings_for(self.plan, self.before, self.prediction, self.home)


@dataclass
class Applied:
    """A committed apply and its verification."""

    result: ApplyResult
    checks: list[Check]
    after: Resolution
    created_dirs: list[str]
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every check got what the preview promised and every change took effect."""
        return all(c.ok for c in self.checks) and not self.no_effect

    @property
    def no_effect(self) -> list[Verdict]:
        """The requested changes that did nothing in a fresh terminal."""
        return [v for v in self.verdicts if v.kind == NO_EFFECT]


def applied_line(done: Applied) -> str:
    """How an apply ended, in one line (what the TUI leaves on the terminal when it quits
    right after one): written or not, checked or not, and how to undo it."""
    r = done.result
    if r.txid is None:
        return "Nothing was written: every file already had this content."
    count = len(r.written) + len(r.deleted)
    checked = (
        "every change took effect as previewed"
        if done.ok
        else "but a check failed (the staged plan is kept)"
    )
    return (
        f"Applied {r.txid}: {count} file(s) written, {checked}; undo with "
        f"{command('rollback', r.txid)}."
    )


def make_preview(
    changes: Sequence[Change],
    opts: Options,
    before: Resolution | None = None,
    *,
    staging: bool = False,
    diagnose: bool = False,
) -> Preview:
    """Build and predict; PlanError when a change is refused (nothing staged or changed).
    ``staging``: see :func:`build_plan` (a half-staged GOOS/GOARCH pair is not refused);
    ``diagnose``: the prediction also holds the doctor's findings in the predicted world."""
    before = before if before is not None else probe(opts)
    env = dict(opts.env)
    shell = before.shell.shell or detect_shell(env, opts.shell)[0]
    ctx = Context(before, env, shell)
    plan = build_plan(changes, ctx, staging=staging)
    overrides = {fp.realpath: fp.new for fp in plan.changed_files}
    prediction = (
        predict(overrides, opts, plan.names, diagnose=diagnose)
        if overrides
        else _unchanged(before, plan)
    )
    _session_origins(prediction)
    return Preview(plan, before, prediction, ctx.home)


def _session_origins(prediction: Prediction) -> None:
    """The prediction ran in a child process whose ancestors are not this one's: say which
    of THIS process's ancestors introduced each session value (same environment)."""
    chain: list[Ancestor] | None = None
    for name, var in prediction.variables.items():
        for i, e in enumerate(var.chain):
            if e.layer != "shell":
                continue
            if chain is None:
                chain = ancestors()
            var.chain[i] = replace(e, origin=origin_of(name, e.value, chain))


def _unchanged(before: Resolution, plan: Plan) -> Prediction:
    return Prediction(
        {n: before.variables[n] for n in plan.names if n in before.variables},
        {n: before.shell.final_env.get(n) for n in plan.names},
    )


def recover_first(state_dir: str) -> RecoverResult | None:
    """Before any edit, finish an interrupted apply (roll its journal back): what recovery
    did, or None when nothing was interrupted (a stat, without the lock)."""
    if not os.path.exists(os.path.join(state_dir, JOURNAL_NAME)):
        return None
    return recover(state_dir)


def recovery_lines(done: RecoverResult, home: str | None) -> list[str]:
    """What recovery did, one line each, secrets hidden (both faces print these)."""
    out: list[str] = []
    if done.recovered:
        desc = hide_secrets(done.description, "history")
        out.append(f"Recovered from an interrupted change ({desc}):")
        out += [f"  restored {tilde(p, home)}" for p in done.restored]
        out += [f"  removed  {tilde(p, home)} (the change had created it)" for p in done.removed]
        out += [
            f"  ! {tilde(p, home)} had unexpected content, kept as {tilde(kept, home)}"
            for p, kept in done.conflicts
        ]
    out += [f"  removed stray temp file {tilde(p, home)}" for p in done.temps_removed]
    return out


def apply_and_clear(pv: Preview, opts: Options, state_dir: str) -> Applied:
    """Apply the staged plan's preview; the plan is cleared only when everything took effect
    as previewed (``Applied.ok``) — kept after a failed check, a change with no effect, or an
    interrupt (which raises before anything is cleared)."""
    from goenv_tui.core.plan import stage

    done = apply_preview(pv, opts, state_dir)
    if done.ok:
        try:
            stage.save(state_dir, [])
        except (TxnError, OSError) as err:
            raise TxnError(
                f"Applied as {done.result.txid}, but the staged plan could not be cleared "
                f"({err}); {command('stage', 'clear')} clears it"
            ) from err
    return done


class ApplyInterrupted(Exception):
    """Ctrl+C during apply; the message is the one line that says whether it was applied."""


def _interrupted(state_dir: str, known: set[str]) -> str:
    """After an interrupt inside the transaction: finish it the safe way and say how it ended."""
    try:
        done = recover(state_dir)
    except (TxnError, OSError) as err:
        return f"interrupted; recovery did not finish ({err}): run goenv-tui again to finish it"
    new = [r.txid for r in history(state_dir) if r.txid not in known]
    if new and not done.recovered:
        return (
            f"interrupted after the change was applied as {new[-1]} (not checked); undo it "
            f"with {command('rollback', new[-1])}"
        )
    # (never written, undone on the way out, or rolled back from its journal just now)
    return "interrupted: not applied — every file is as it was before"


def apply_preview(pv: Preview, opts: Options, state_dir: str) -> Applied:
    """Apply exactly what was previewed as one transaction, then re-resolve and verify.

    Raises TxnError (nothing changed) when a file changed since the preview or cannot be
    written. Missing folders of new files are created first (0700, owned like the file).
    """
    created: list[str] = []
    for fp in pv.plan.changed_files:
        folder = os.path.dirname(fp.realpath)
        if fp.new is not None and not os.path.isdir(folder):
            try:
                created += make_dirs(folder, 0o700)
            except OSError as err:
                raise TxnError(
                    f"Cannot create the folder {folder} ({err.strerror}); nothing was changed.",
                    (folder,),
                ) from err
    known = {r.txid for r in history(state_dir)} if os.path.isdir(state_dir) else set()
    try:
        result = apply(pv.plan.file_changes(), state_dir, description=pv.plan.description())
    except KeyboardInterrupt:
        raise ApplyInterrupted(_interrupted(state_dir, known)) from None
    try:
        after = probe(opts)
    except KeyboardInterrupt:
        raise ApplyInterrupted(
            f"interrupted after the change was applied as {result.txid} (not checked); undo "
            f"it with {command('rollback', result.txid or '')}"
        ) from None
    checks = verify(pv.plan, pv.prediction, after, pv.home)
    said = applied_verdicts(pv.plan, pv.before, after, pv.home)
    return Applied(result, checks, after, created, said)


__all__ = [
    "Applied",
    "ApplyInterrupted",
    "PlanError",
    "Preview",
    "apply_and_clear",
    "apply_preview",
    "make_preview",
    "recover_first",
    "recovery_lines",
]
