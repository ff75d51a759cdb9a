"""After apply: does a fresh terminal's go get what the preview promised, and does each
requested change take effect?"""

from __future__ import annotations

from dataclasses import dataclass

from goenv_tui.core.plan.build import Plan
from goenv_tui.core.plan.fresh import FreshView, Verdict, fresh_view, said, verdicts
from goenv_tui.core.plan.world import Prediction
from goenv_tui.core.resolve import Resolution


@dataclass(frozen=True)
class Check:
    """One variable's verdict."""

    name: str
    ok: bool
    message: str


def _same(a: FreshView, b: FreshView) -> bool:
    src_a = (a.source.layer, a.source.file, a.source.line) if a.source else None
    src_b = (b.source.layer, b.source.file, b.source.line) if b.source else None
    return a.value == b.value and src_a == src_b


def verify(plan: Plan, prediction: Prediction, after: Resolution, home: str | None) -> list[Check]:
    """Compare what a fresh terminal's go gets, re-resolved, with the prediction (or, without
    one, with the requested values)."""
    checks: list[Check] = []
    for name in plan.names:
        var = after.variables.get(name)
        yields = name in plan.yields
        got = fresh_view(var, after.shell.final_env.get(name), wrapper_yields=yields)
        kept = var.value if var is not None else ""
        session = (
            ""
            if kept == got.value
            else f"; this session keeps {kept!r}"
            if kept
            else f"; this session has no {name}"
        )
        if prediction.error is None:
            want = fresh_view(
                prediction.variables.get(name), prediction.fresh.get(name), wrapper_yields=yields
            )
            ok = _same(got, want)
            msg = (
                f"{name}: a fresh terminal gets {said(got, home)}, as predicted{session}"
                if ok
                else f"{name}: predicted a fresh terminal gets {said(want, home)}, got "
                f"{said(got, home)}{session}"
            )
            checks.append(Check(name, ok, msg))
            continue
        wanted = [s.change.value for s in plan.steps if s.change.name == name][-1]
        ok = wanted is None or got.value == wanted
        checks.append(Check(name, ok, f"{name}: a fresh terminal gets {said(got, home)}{session}"))
    return checks


def applied_verdicts(
    plan: Plan, before: Resolution, after: Resolution, home: str | None
) -> list[Verdict]:
    """Each requested change's verdict on the re-resolved world (not the prediction)."""
    seen = Prediction(
        {n: after.variables[n] for n in plan.names if n in after.variables},
        {n: after.shell.final_env.get(n) for n in plan.names},
    )
    return verdicts(plan, before, seen, home, predicted=False)
