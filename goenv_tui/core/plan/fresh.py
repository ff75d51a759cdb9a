"""What a fresh terminal's go gets, and what each requested change does there.

A fresh terminal starts from what its startup files export (the traced fresh shell) and
nothing this session typed; go then takes a non-empty exported value, else the go env file's,
else $GOROOT/go.env's, else its default (a go wrapper sets its own on top). :func:`fresh_view`
reads that off a variable's chain; :func:`verdicts` says for every requested change whether it
takes effect, takes effect only in new terminals (and how to refresh this one), or has no
effect (and what shadows it). Preview, apply and the TUI all read these.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from goenv_tui.core.explain import where
from goenv_tui.core.model import (
    ACTIVE,
    IGNORED,
    NO_CHANGE,
    NOT_RUN,
    SHADOWED,
    STALE,
    ChainEntry,
    Variable,
)
from goenv_tui.core.names import COMPUTED_NAMES, TELEMETRY_NAMES
from goenv_tui.core.paths import tilde
from goenv_tui.core.plan.build import Plan, Step, line_fix
from goenv_tui.core.plan.change import GOENV, SET
from goenv_tui.core.plan.world import Prediction
from goenv_tui.core.resolve import Resolution

#: Layers a fresh terminal's startup files export from.
_EXPORTED = ("system", "startup", "hook")
#: Layers go reads itself, highest first.
_GO_FILES = ("goenv", "goroot", "default")

TAKES_EFFECT = "takes effect"
NEW_TERMINALS = "new terminals only"
NO_EFFECT = "no effect"


@dataclass(frozen=True)
class FreshView:
    """A fresh terminal's go: the value and the entry that decides it (None: inherited from
    whatever starts the terminal, or nothing at all)."""

    value: str
    source: ChainEntry | None


def fresh_view(
    var: Variable | None, fresh_value: str | None, *, wrapper_yields: bool = False
) -> FreshView:
    """What go in a fresh terminal prints for ``var``; ``fresh_value`` is what the traced
    fresh shell exports (None: nothing); ``wrapper_yields``: the go wrapper sets the name only
    when the environment has none (asdf's GOPATH/GOBIN), so an export beats it."""
    if var is None:
        return FreshView(fresh_value or "", None)
    src = var.source
    wrapped = src is not None and src.layer == "wrapper" and not (wrapper_yields and fresh_value)
    if var.name in COMPUTED_NAMES | TELEMETRY_NAMES or wrapped:
        return FreshView(var.value, src)  # go (or the wrapper) decides it whatever is exported
    if fresh_value:
        made = [e for e in var.chain if e.layer in _EXPORTED and e.value == fresh_value]
        # the entry resolve marked as the one a fresh shell ends with; else (a wrapper or
        # a hook hides it) the last that made the value, not one that re-exported it
        ends = [e for e in made if e.state in (ACTIVE, STALE)] or [
            e for e in made if e.state == SHADOWED and not (e.note or "").startswith(NO_CHANGE)
        ]
        return FreshView(fresh_value, ends[-1] if ends else None)
    for layer in _GO_FILES:
        live = [e for e in var.chain if e.layer == layer and e.state not in (IGNORED, NOT_RUN)]
        if live:
            entry = live[-1]
            value = var.value if src is not None and src.layer == layer else entry.value
            return FreshView(value, entry)
    return FreshView("", None)


def said(view: FreshView, home: str | None) -> str:
    """``'v' from ~/.bashrc:12`` (or "from the terminal's environment", "unset")."""
    if view.source is None:
        return (
            f"{view.value!r} from the environment a terminal starts with"
            if view.value
            else ("unset")
        )
    return f"{view.value!r} from {where(view.source, home)}"


@dataclass(frozen=True)
class Verdict:
    """What one requested change does: ``kind`` is TAKES_EFFECT, NEW_TERMINALS or NO_EFFECT."""

    step: Step
    kind: str
    message: str


def verdicts(
    plan: Plan,
    before: Resolution,
    prediction: Prediction,
    home: str | None,
    *,
    predicted: bool = True,
) -> list[Verdict]:
    """One verdict per requested change, from the prediction (none when it failed);
    ``predicted`` False: ``prediction`` is the world after apply (lines are today's)."""
    if prediction.error is not None:
        return []
    out = []
    for step in plan.steps:
        name = step.change.name
        # an unset without --from is one change over every place it is set
        siblings = [s for s in plan.steps if s.change == step.change]
        if siblings[0] is not step:
            continue
        after = prediction.variables.get(name)
        yields = name in plan.yields
        view = fresh_view(after, prediction.fresh.get(name), wrapper_yields=yields)
        earlier = fresh_view(
            before.variables.get(name), before.shell.final_env.get(name), wrapper_yields=yields
        )
        shell = before.shell.shell or "bash"
        if predicted and _shadows(view, siblings[-1]):
            view = _in_today_lines(view, plan)  # the advice names the line as it is today
        out.append(
            _verdict(siblings, view, earlier, before.variables.get(name), after, home, shell)
        )
    return out


def _shadows(view: FreshView, step: Step) -> bool:
    """Whether ``view`` (after the plan) says a set does nothing: something else decides."""
    change = step.change
    return change.op == SET and (view.value != change.value or not _decides_here(view.source, step))


def _in_today_lines(view: FreshView, plan: Plan) -> FreshView:
    """The view with its source's line as it is in today's file (the prediction's files
    already hold the plan's lines), so that the advice names a line that exists now; a line
    the plan itself writes keeps no line."""
    src = view.source
    if src is None or not src.file or not src.line:
        return view
    return replace(view, source=replace(src, line=plan.line_today(src.file, src.line)))


def _verdict(
    steps: list[Step],
    view: FreshView,
    earlier: FreshView,
    before: Variable | None,
    session: Variable | None,
    home: str | None,
    shell: str,
) -> Verdict:
    step = steps[-1]
    change = step.change
    name = change.name
    if os.path.basename(step.place.path or "") == ".envrc":  # direnv's, read in its folder
        folder = tilde(os.path.dirname(step.place.path or ""), home)
        return Verdict(
            step,
            NEW_TERMINALS,
            f"{name}: direnv loads it in {folder} once you run `direnv allow {folder}`; "
            "startup files and other folders do not read it.",
        )
    if change.op == SET:
        if _shadows(view, step):
            return Verdict(step, NO_EFFECT, _shadowed(name, view, home, change.value))
    elif _removes_ignored(before, steps):
        return Verdict(
            step,
            TAKES_EFFECT,
            f"{name}: the line go ignored is gone; a fresh terminal gets {said(view, home)}.",
        )
    elif not any(_decides_here(earlier.source, s) for s in steps):
        return Verdict(step, NO_EFFECT, _still(name, view, home))
    now = session.value if session is not None else ""
    if now == view.value:
        return Verdict(step, TAKES_EFFECT, f"{name}: a fresh terminal gets {said(view, home)}.")
    keeps = f"keeps {now!r}" if now else f"has no {name}"
    # a value go reads itself needs the session's export gone; an exported one needs the
    # startup files run again (an inherited export survives `exec`, theirs replaces it)
    from_go = view.source is None or view.source.layer in _GO_FILES
    refresh = f"`unset {name}`" if from_go else f"`exec {shell} -l`"
    return Verdict(
        step,
        NEW_TERMINALS,
        f"{name}: a fresh terminal gets {said(view, home)}; this session {keeps} until you "
        f"open a new terminal (or run {refresh} here).",
    )


def _removes_ignored(before: Variable | None, steps: list[Step]) -> bool:
    """Whether the steps remove a line go ignored (a name it computes or does not know)."""
    lines = [(s.place.path, s.place.line) for s in steps if s.place.line is not None]
    return before is not None and any(
        e.state == IGNORED and e.file is not None and (e.file, e.line) in lines
        for e in before.chain
    )


def _decides_here(source: ChainEntry | None, step: Step) -> bool:
    """Whether ``source`` is the step's own place (the go env file, or its startup file)."""
    if source is None:
        return False
    if step.place.kind == GOENV:
        return source.layer == "goenv"
    if source.file is None or step.place.path is None:
        return False
    return os.path.realpath(source.file) == os.path.realpath(step.place.path)


def _shadowed(name: str, view: FreshView, home: str | None, value: str | None) -> str:
    """Why a set does nothing in a fresh terminal, and what fixes that."""
    src = view.source
    if src is None:
        return (
            f"{name}: no effect — a fresh terminal gets {said(view, home)}; unset it where the "
            "terminal is started (its launcher or the login environment)."
        )
    loc = where(src, home)
    if src.layer == "wrapper":
        fix = "the go wrapper sets it every time go runs; change it with the wrapper's tool"
    elif src.layer == "hook":
        fix = f"the hook at {loc} sets it after every startup file; edit or remove that hook"
    elif src.file and src.line:
        fix = line_fix(name, src, home or "", value)
    else:
        fix = f"remove it from {loc}"
    return f"{name}: no effect — a fresh terminal still gets {said(view, home)}; {fix}."


def _still(name: str, view: FreshView, home: str | None) -> str:
    """Why an unset does nothing in a fresh terminal."""
    return f"{name}: no effect — a fresh terminal still gets {said(view, home)}."
