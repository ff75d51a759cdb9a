"""Fixes, checked on the predicted world: none makes another finding worse.

Each fix is planned and predicted for real (the private mount namespace of ``plan.world``,
where the doctor runs again over the new files). A fix after which another finding would
appear (a warning or an error) or get more severe is dropped, with the reason in its
finding's message; the next fixable finding about that variable is recommended instead.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from goenv_tui.core.doctor.finding import ERROR, SEVERITIES, WARNING, Finding, order
from goenv_tui.core.resolve import Options, Resolution

#: Rules about this session's environment, not about the files: after any fix of a startup
#: file the session keeps its old value until a new terminal starts, which is no harm.
_SESSION_RULES = ("stale-session-", "goenv-shadowed-by-session-")
#: A line number in an id (an ignored go env file line): a fix may move that line.
_LINE = re.compile(r"-line-\d+$")
#: Predictions run at once (each is a child process: go and traced shells).
_WORKERS = 4


def checked_fixes(found: list[Finding], res: Resolution, opts: Options) -> list[Finding]:
    """``found`` where no fix makes another finding worse in the predicted world: a fix
    that would is dropped (its finding says why), and each variable's recommended fix is
    chosen again among the rest."""
    todo = [f for f in found if f.fix is not None and f.fix.changes]
    if not todo:
        return found
    now = {_key(f.id): (f.severity, f.variable) for f in found}
    with ThreadPoolExecutor(max_workers=min(_WORKERS, len(todo))) as pool:
        jobs = {f.id: pool.submit(_worse, f, now, res, opts) for f in todo}
        worse = {finding_id: job.result() for finding_id, job in jobs.items()}
    if not any(worse.values()):
        return found
    return order([_without_fix(f, worse.get(f.id)) for f in found])


def _without_fix(finding: Finding, why: str | None) -> Finding:
    if why is None or finding.fix is None:
        return finding
    return replace(
        finding,
        fix=None,
        recommended=False,
        message=f"{finding.message} Its fix ({finding.fix.summary}) is not offered here: {why}.",
    )


def _key(finding_id: str) -> str:
    return _LINE.sub("", finding_id)


def _worse(
    finding: Finding, now: dict[str, tuple[str, str | None]], res: Resolution, opts: Options
) -> str | None:
    """What ``finding``'s fix would make worse (None: nothing, or it cannot be told).

    Worse: a change of the fix that has no effect in a fresh terminal, or what
    :func:`made_worse` finds in the predicted world's findings.
    """
    from goenv_tui.core.plan.errors import PlanError
    from goenv_tui.core.plan.workflow import make_preview

    assert finding.fix is not None
    try:
        pv = make_preview(list(finding.fix.changes), opts, res, diagnose=True)
    except PlanError:
        return None  # `fix` says why when asked; nothing to compare
    except Exception:  # the check must never take the doctor down: the fix stays as it was
        return None
    from goenv_tui.core.plan.fresh import NO_EFFECT, verdicts

    idle = [v for v in verdicts(pv.plan, pv.before, pv.prediction, pv.home) if v.kind == NO_EFFECT]
    if idle:  # it would change a file and nothing a fresh terminal's go gets
        return "it would have no effect: " + idle[0].message.rstrip(".")
    after = pv.prediction.findings
    return None if after is None else made_worse(finding, now, after)


def made_worse(
    finding: Finding,
    now: dict[str, tuple[str, str | None]],
    after: list[tuple[str, str, str | None]],
) -> str | None:
    """What the predicted findings ``after`` (id, severity, variable) show ``finding``'s fix
    would make worse than ``now`` (id without line -> severity, variable); None: nothing.

    Worse: a finding that gets more severe; a new warning or error about another variable;
    a new finding about the fixed variable more severe than the one fixed (a fixed line that
    now reads as a weaker warning, as GOSUMDB=off after a misread "off\\r", is progress).
    """
    rank = SEVERITIES.index
    for finding_id, severity, variable in after:
        key = _key(finding_id)
        if key == _key(finding.id) or key.startswith(_SESSION_RULES):
            continue
        if key in now:
            if rank(severity) < rank(now[key][0]):
                article = "an" if severity == ERROR else "a"
                return f"it would make {finding_id} {article} {severity}"
            continue
        if variable == finding.variable and variable is not None:
            if rank(severity) < rank(finding.severity):
                return f"it would add {finding_id} ({severity})"
        elif severity in (WARNING, ERROR):
            return f"it would add {finding_id} ({severity})"
    return None
