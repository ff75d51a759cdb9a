"""go env file lines that go reads, but not as the user meant (quotes, CRLF, a comment, spaces).

go's reader (cfg.go readEnvFile) takes everything after the first ``=`` as it is. A value
with quotes or a trailing comment is never what the user meant; a CR (Windows line ending),
surrounding spaces or invalid UTF-8 matter when the value as read then breaks or is ignored
(GOPROXY and GOFLAGS trim their entries, CGO_ENABLED or GOPATH do not). One finding per line,
``goenv-line-misread-<var>-line-N``, whose fix rewrites it with the cleaned value through
`go env -w` (which replaces the line in place).
"""

from __future__ import annotations

from goenv_tui.core.doctor.facts import Facts, shown
from goenv_tui.core.doctor.finding import ERROR, WARNING, Finding, Fix, finding_id
from goenv_tui.core.model import IGNORED, ChainEntry
from goenv_tui.core.plan.change import GOENV, SET, Change, Place

#: go splits these into words with quotes grouping (cmd/internal/quoted), so quotes are fine.
QUOTE_AWARE = frozenset(
    {
        "GOFLAGS",
        "CC",
        "CXX",
        "FC",
        "AR",
        "PKG_CONFIG",
        "GOCACHEPROG",
        "CGO_CFLAGS",
        "CGO_CPPFLAGS",
        "CGO_CXXFLAGS",
        "CGO_FFLAGS",
        "CGO_LDFLAGS",
    }
)
#: envfile notes about a value (the others are about the key: the line is ignored then).
_ALWAYS = ("quotes", "comment")
_IF_HARMFUL = ("CRLF", "value starts", "value ends", "UTF-8")
_NOT_FINDINGS = ("nul-newline-utf8", "empty-ignored", "os-ignored", "internal")


def cleaned(value: str) -> str:
    """What the user evidently meant: no CR, no trailing comment, no quotes, no padding."""
    v = value.rstrip("\r")
    for mark in (" #", "\t#"):
        if mark in v:
            v = v.split(mark, 1)[0]
    v = v.strip(" \t")
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    return v


def problems(facts: Facts, name: str, value: str, target: str) -> list[tuple[str, str]]:
    """(severity, message) of validate(), errors first, without the raw-text complaint."""
    return [
        (p.severity, p.message)
        for p in facts.validate(name, value, target)
        if p.code not in _NOT_FINDINGS
    ]


def errors(facts: Facts, name: str, value: str, target: str) -> list[str]:
    """The error messages of validate() (what `go env -w` or go itself would refuse)."""
    return [m for sev, m in problems(facts, name, value, target) if sev == ERROR]


def _why(note: str) -> str:
    """How go's reader comes to misread the line."""
    if "CRLF" in note:
        return "go splits the file on \\n only, so the \\r of a Windows line ending stays"
    if "UTF-8" in note:
        return "go keeps the bytes as they are"
    return "go takes everything after the first '=' as it is: no trimming, no quotes, no comments"


def misread_finding(facts: Facts, name: str, e: ChainEntry) -> Finding | None:
    """The finding for a go env file line whose value go reads differently than meant."""
    note = e.note or ""
    if e.layer != "goenv" or e.state == IGNORED or not note or e.line is None:
        return None
    if name in QUOTE_AWARE and "quotes" in note:
        return None  # go groups words with quotes in these: nothing is misread
    found = problems(facts, name, e.value, "os")
    if not any(w in note for w in _ALWAYS) and not (found and any(w in note for w in _IF_HARMFUL)):
        return None
    loc = facts.where(e)
    clean = cleaned(e.value)
    msg = f"go reads {loc} as {name}={shown(e.value)}: {note}; {_why(note)}."
    if found:
        msg += " With that value: " + found[0][1].replace("\r", "\\r")
    fix = None
    if clean != e.value and not errors(facts, name, clean, "goenv"):
        msg += f" Write {name}={clean}."
        fix = Fix(
            f"rewrite it as {name}={clean} (go env -w)",
            (Change(SET, name, clean, Place(GOENV)),),
        )
    return Finding(
        f"{finding_id('goenv-line-misread', name)}-line-{e.line}",
        ERROR if any(sev == ERROR for sev, _m in found) else WARNING,
        name,
        msg,
        e,
        (loc,),
        fix,
        rule="goenv-line-misread",
    )
