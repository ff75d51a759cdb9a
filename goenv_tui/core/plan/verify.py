"""After apply: did every variable get the value and source the preview promised?"""

from __future__ import annotations

from dataclasses import dataclass

from goenv_tui.core.explain import where
from goenv_tui.core.model import Variable
from goenv_tui.core.plan.build import Plan
from goenv_tui.core.plan.world import Prediction
from goenv_tui.core.resolve import Resolution


@dataclass(frozen=True)
class Check:
    """One variable's verdict."""

    name: str
    ok: bool
    message: str


def _said(var: Variable | None, home: str | None) -> tuple[str, str]:
    if var is None:
        return "", "unset"
    src = var.source
    return var.value, "unset" if src is None else where(src, home)


def verify(plan: Plan, prediction: Prediction, after: Resolution, home: str | None) -> list[Check]:
    """Compare the re-resolved environment with the prediction (or, without one, with the
    requested values in a fresh shell and in go)."""
    checks: list[Check] = []
    for name in plan.names:
        got_value, got_where = _said(after.variables.get(name), home)
        fresh = after.shell.final_env.get(name)
        if prediction.error is None:
            want_value, want_where = _said(prediction.variables.get(name), home)
            want_fresh = prediction.fresh.get(name)
            ok = (got_value, got_where, fresh) == (want_value, want_where, want_fresh)
            if ok:
                msg = f"{name} = {got_value!r} from {got_where}, as predicted"
                if fresh is not None:
                    msg += f"; a fresh shell gets {fresh!r}"
            else:
                msg = (
                    f"{name}: predicted {want_value!r} from {want_where} (fresh shell "
                    f"{want_fresh!r}), got {got_value!r} from {got_where} (fresh shell {fresh!r})"
                )
            checks.append(Check(name, ok, msg))
            continue
        wanted = [s.change.value for s in plan.steps if s.change.name == name][-1]
        ok = wanted is None or wanted in (got_value, fresh)
        msg = f"{name} = {got_value!r} from {got_where}; a fresh shell gets {fresh!r}"
        checks.append(Check(name, ok, msg))
    return checks
