"""Rules about values: what go refuses, misreads or silently ignores (go-env-facts.md §4-5).

Each user-set variable's effective value goes through :func:`goenv_tui.core.validate.validate`
(the same checks that guard staging); its problems become findings, each naming the value and
the file:line (or session) it comes from. When go itself cannot run, the variables that go's
own error names are reported as ``go-fails-<name>`` errors with go's words; their fix removes the
value by editing the file, which works while go cannot run. GOROOT is left to ``rules_go``; a go
env file line that go misreads (quotes, CRLF, a comment) is explained by ``rules_layers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from goenv_tui.core.advice import fix_command
from goenv_tui.core.doctor.facts import Facts, set_change, shown, unset_change
from goenv_tui.core.doctor.finding import ERROR, WARNING, Finding, Fix, finding_id
from goenv_tui.core.doctor.globs import covered_by
from goenv_tui.core.doctor.misread import misread_finding
from goenv_tui.core.layers import FROM_GO
from goenv_tui.core.model import ChainEntry, Variable
from goenv_tui.core.plan.change import SET, Change
from goenv_tui.core.validate import Problem

#: Problems that are not worth a finding about a value already in effect.
_SKIP = frozenset({"os-ignored", "read-only", "os-only", "empty-ignored", "internal"})
#: Problems whose fix is not "remove the value" (removing it would lose something wanted).
_NO_UNSET_FIX = frozenset(
    {
        "goproxy-credentials",
        "gosumdb-credentials",
        "gosumdb-off",
        "goproxy-http",
        "goproxy-after-terminal",
    }
)
#: Read by Go programs at run time (package runtime, race detector, coverage), not by go.
RUNTIME_NAMES = frozenset(
    {"GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GOTRACEBACK", "GORACE", "GOCOVERDIR"}
)
#: Handled by the doctor itself, with more context than validate() has.
_OWN = frozenset({"goinsecure-checksums", "unknown-name"})


def _problems(facts: Facts, var: Variable, src: ChainEntry) -> list[Problem]:
    target = "goenv" if src.layer == "goenv" else "os"
    found = facts.validate(var.name, src.value, target)
    out = [p for p in found if p.code not in _SKIP and p.code not in _OWN]
    if target == "os" and var.name not in RUNTIME_NAMES:
        out += [p for p in found if p.code == "unknown-name"]  # a typo in an export
    elif any(p.code == "unknown-name" for p in found):
        # A name this go does not know but a newer one does (GOFIPS140 on go 1.21) ...
        newer = [p for p in facts.validate(var.name, src.value, "os") if p.code == "not-supported"]
        out += newer
        if not newer and (src.note or "").startswith("unknown Go name"):
            # ... or no go at all (a likely typo is reported on the line of the name meant)
            out.append(
                Problem(
                    WARNING,
                    "unknown-name",
                    f"{facts.go_version or 'go'} does not know {var.name}, so the line has no "
                    "effect; check the spelling in "
                    "`go help environment`.",
                )
            )
    return out


def _go_says(message: str) -> list[str]:
    """go's own error text that a validate() message quotes (“...”), as evidence."""
    return [f"go: {said}" for said in re.findall(r"“([^”]+)”", message)[:1]]


def _rule_id(code: str, name: str) -> str:
    """``gosumdb-url`` for GOSUMDB (the code names it already), else code + name."""
    prefix = name.lower().replace("_", "-")
    return code if code.startswith(prefix) else finding_id(code, name)


def _repaired(name: str, value: str, code: str) -> str | None:
    """The value with only the broken part repaired, for problems where that is clear."""
    if code == "glob-list-spaces":
        return ",".join(p.strip() for p in value.split(",") if p.strip())
    if code == "glob-scheme":
        return ",".join(p.split("://", 1)[-1] for p in value.split(","))
    if code == "goflags-insecure":
        return " ".join(f for f in value.split() if f.lstrip("-").split("=")[0] != "insecure")
    return None


def _value_fix(
    name: str, src: ChainEntry, loc: str, code: str, change: Change | None
) -> Fix | None:
    """Repair the value when the intent is clear, else remove it (when an edit can)."""
    if code in _NO_UNSET_FIX or (code == "unknown-name" and src.layer != "goenv"):
        return None  # (an unknown exported name may be some other program's variable)
    repaired = _repaired(name, src.value, code)
    if repaired:
        rewrite = set_change(name, repaired, src)
        if rewrite is not None:
            return Fix(f"rewrite {name} as {repaired!r}", (rewrite,))
    if change is None:
        return None
    return Fix(f"remove {name} at {loc}", (change,))


def _hint(message: str) -> str:
    """The "what to write instead" clause of a validate() message."""
    tail = message.rsplit("; ", 1)[1] if "; " in message else message.split(" — ")[0]
    tail = tail.strip()
    return tail[:1].upper() + tail[1:] if tail else tail


def value_rules(facts: Facts) -> Iterator[Finding]:
    """Every problem of every user-set value; the culprits when go cannot run."""
    said = facts.go_said
    for var in facts.user_set():
        src = var.source
        if src is None or src.layer in FROM_GO or var.name == "GOROOT":
            continue
        loc = facts.where(src)
        problems = _problems(facts, var, src)
        change = unset_change(var.name, src)
        # go's error quotes GOTOOLCHAIN's toolchain name, not its +auto/+path suffix
        quoted = src.value.partition("+")[0] if var.name == "GOTOOLCHAIN" else src.value
        if said and (
            facts.names_in_go_error(var.name)
            or ((problems or var.name == "GOTOOLCHAIN") and len(quoted) >= 4 and quoted in said)
        ):
            yield _go_fails(facts, var, src, problems, change)
            problems = [p for p in problems if p.severity != ERROR]
        if misread_finding(facts, var.name, src) is not None:
            continue  # rules_layers explains the line and offers the cleaned value
        for p in problems:
            yield Finding(
                _rule_id(p.code, var.name),
                ERROR if p.severity == ERROR else WARNING,
                var.name,
                f"{var.name}={shown(src.value)} ({loc}): {p.message}",
                src,
                (loc, *_go_says(p.message)),
                _value_fix(var.name, src, loc, p.code, change),
                rule=p.code,
            )
    yield from goinsecure_checksums(facts)


def _go_fails(
    facts: Facts,
    var: Variable,
    src: ChainEntry,
    problems: list[Problem],
    change: Change | None,
) -> Finding:
    loc = facts.where(src)
    said = facts.go_said or ""
    errors = [p for p in problems if p.severity == ERROR] or problems
    msg = f"The go command fails (“{said}”) because of {var.name}={shown(src.value)} at {loc}."
    if errors:
        msg += f" {_hint(errors[0].message)}"
        if not msg.endswith("."):
            msg += "."
    fix = None
    if change is not None:
        fix = Fix(f"remove {var.name} at {loc}", (change,))
        msg += f" {fix_command(finding_id('go-fails', var.name))} removes it without running go."
    elif src.layer == "shell":
        msg += f" It is set only in this session: run `unset {var.name}`."
    else:
        msg += f" Remove it from {loc}."
    return Finding(
        finding_id("go-fails", var.name),
        ERROR,
        var.name,
        msg,
        src,
        (loc, said),
        fix,
        rule="go-fails",
    )


def _patterns(value: str) -> list[str]:
    return [p for p in value.split(",") if p.strip()]


def goinsecure_checksums(facts: Facts) -> Iterator[Finding]:
    """GOINSECURE paths that the public checksum database still checks (no GONOSUMDB entry).

    GOINSECURE only allows plain http / unverified TLS; a private module fetched that way is
    still looked up in sum.golang.org (and fails) unless GONOSUMDB (default: GOPRIVATE) or
    GOSUMDB=off covers it.
    """
    v = facts.res.variables
    var = v.get("GOINSECURE")
    if var is None or var.source is None or not var.user_set:
        return
    eff: Mapping[str, str] = {n: x.value for n, x in v.items()}
    if eff.get("GOSUMDB", "") == "off":
        return
    nosumdb = eff.get("GONOSUMDB", "") or eff.get("GOPRIVATE", "")
    loose = [p for p in _patterns(var.value) if not covered_by(p.strip(), _patterns(nosumdb))]
    if not loose:
        return
    src = var.source
    loc = facts.where(src)
    wanted = ",".join([*_patterns(nosumdb), *(p.strip() for p in loose)])
    return_fix = Fix(
        f"add {','.join(p.strip() for p in loose)} to GONOSUMDB",
        (Change(SET, "GONOSUMDB", wanted, None),),
    )
    yield Finding(
        "goinsecure-checksums",
        WARNING,
        "GOINSECURE",
        f"GOINSECURE={shown(var.value)} ({loc}) allows plain http and unverified TLS for "
        f"{', '.join(repr(p) for p in loose)}, but it does not turn off checksum checks: go "
        "still looks those modules up in the public checksum database, which fails for private "
        "modules. Add them to GONOSUMDB (or GOPRIVATE), not GOSUMDB=off.",
        src,
        (loc, f"GONOSUMDB={nosumdb}" if nosumdb else "GONOSUMDB and GOPRIVATE are empty"),
        return_fix,
        rule="goinsecure-checksums",
    )
