"""Rules about values: what go refuses, misreads or silently ignores (go-env-facts.md §4-5).

Each user-set variable's effective value goes through :func:`goenv_tui.core.validate.validate`
(the same checks that guard staging); its problems become findings. When go itself cannot run,
the values that cause it are reported as ``go-fails-<name>`` errors with go's own error text.
"""

from __future__ import annotations

from collections.abc import Iterator

from goenv_tui.core.doctor.facts import Facts, unset_change
from goenv_tui.core.doctor.finding import ERROR, WARNING, Finding, Fix, finding_id
from goenv_tui.core.model import Variable
from goenv_tui.core.validate import Problem, validate

#: Problems that are not worth a finding about a value already in effect.
_SKIP = frozenset({"unknown-name", "os-ignored", "read-only", "os-only", "empty-ignored"})
#: Problems whose fix is not "remove the value" (removing it would break something else).
_NO_UNSET_FIX = frozenset(
    {"goproxy-credentials", "gosumdb-credentials", "goinsecure-checksums", "gosumdb-off"}
)


def _problems(facts: Facts, var: Variable) -> list[Problem]:
    src = var.source
    if src is None:
        return []
    eff = facts.res.go.effective
    target = "goenv" if src.layer == "goenv" else "os"
    return [
        p
        for p in validate(
            var.name,
            src.value,
            go_version=facts.go_version,
            goos=eff.get("GOOS") or "linux",
            goarch=eff.get("GOARCH") or "amd64",
            target=target,
        )
        if p.code not in _SKIP
    ]


def _rule_id(code: str, name: str) -> str:
    """``gosumdb-url`` for GOSUMDB (the code names it already), else code + name."""
    prefix = name.lower().replace("_", "-")
    return code if code.startswith(prefix) else finding_id(code, name)


def value_rules(facts: Facts) -> Iterator[Finding]:
    """Every problem of every user-set value; the culprits when go cannot run."""
    go_error = facts.res.go.error
    for var in facts.user_set():
        src = var.source
        assert src is not None
        loc = facts.where(src)
        for p in _problems(facts, var):
            change = unset_change(var.name, src)
            fix = None
            if change is not None and p.code not in _NO_UNSET_FIX:
                fix = Fix(f"remove {var.name} at {loc}", (change,))
            if go_error and p.severity == ERROR:
                yield Finding(
                    finding_id("go-fails", var.name),
                    ERROR,
                    var.name,
                    f"The go command fails because of {var.name}={src.value!r} ({loc}): "
                    f"{p.message} The fix edits the file directly, so it works while go "
                    "cannot run.",
                    src,
                    (loc, f"go: {go_error}"),
                    fix,
                    rule="go-fails",
                )
                continue
            yield Finding(
                _rule_id(p.code, var.name),
                ERROR if p.severity == ERROR else WARNING,
                var.name,
                p.message,
                src,
                (loc,),
                fix,
                rule=p.code,
            )
