"""Static reading of bash/sh/zsh startup files: what they would set, and how sure we are."""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Assignment
from .bashparse import SourceRef, StaticAssignment, parse_file
from .staticeval import evaluate

MAX_DEPTH = 12


@dataclass
class StaticResult:
    """What a static reading of some startup files found."""

    assignments: list[Assignment] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    exported: set[str] = field(default_factory=set)
    files_read: list[str] = field(default_factory=list)
    uncertain: dict[str, str] = field(default_factory=dict)


def static_value(a: StaticAssignment, env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The value right after a static assignment (None: unset) and why it is uncertain."""
    if a.op == "unset":
        return None, None
    if a.value_text is None:
        return env.get(a.name, ""), None
    value, why = evaluate(a.value_text, env)
    if a.op == "append":
        value = env.get(a.name, "") + value
    return value, why


def resolve_source(ref: SourceRef, env: Mapping[str, str], file_text: str) -> list[str]:
    """The files a `source`/`.` statement reads, when a static reading can tell."""
    target, why = evaluate(ref.target_text, env)
    if why is None and target:
        if any(ch in target for ch in "*?["):
            return sorted(glob.glob(target))
        if not os.path.isabs(target):
            target = os.path.join(env.get("HOME", "/"), target)
        return [target]
    if ref.conditional == "inside a loop" and "/etc/profile.d" in file_text:
        return sorted(glob.glob("/etc/profile.d/*.sh"))  # Debian's `for i in ...; . $i`
    return []


def static_read(files: list[str], names: list[str], base_env: Mapping[str, str]) -> StaticResult:
    """Read `files` in order, following sources, as if every statement ran."""
    res = StaticResult(env=dict(base_env), exported=set(base_env))
    watched = set(names)
    for path in files:
        _read(path, watched, res, 0)
    return res


def _read(path: str, watched: set[str], res: StaticResult, depth: int) -> None:
    if depth > MAX_DEPTH or path in res.files_read or not os.path.isfile(path):
        return
    res.files_read.append(path)
    parsed = parse_file(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        text = ""
    returns = [
        s.start for s in parsed.statements if s.word in ("return", "exit") and s.function is None
    ]
    evals = [s.start for s in parsed.statements if s.word == "eval" and not s.in_subshell]
    events: list[tuple[int, int, StaticAssignment | SourceRef]] = []
    events.extend((a.line, 1, a) for a in parsed.assignments if a.name in watched)
    events.extend((s.line, 0, s) for s in parsed.sources if s.function is None)
    for line, _, ev in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(ev, SourceRef):
            for target in resolve_source(ev, res.env, text):
                _read(target, watched, res, depth + 1)
            continue
        why = ev.conditional
        early = [r for r in returns if r < line]
        if early:
            why = why or f"after a return/exit at line {early[0]} that may end the file first"
        value, vwhy = static_value(ev, res.env)
        why = why or vwhy
        if any(e < line for e in evals):
            why = why or "an eval earlier in the file may change it"
        note = f"in function {ev.function} (static reading)" if ev.function else None
        if ev.function is None:
            if value is None:
                res.env.pop(ev.name, None)
                res.exported.discard(ev.name)
            else:
                res.env[ev.name] = value
            if ev.exported is True:
                res.exported.add(ev.name)
            elif ev.exported is False:
                res.exported.discard(ev.name)
        exported = ev.name in res.exported and value is not None
        if why:
            note = f"{note}; uncertain: {why}" if note else f"uncertain: {why}"
            res.uncertain[ev.name] = why
        else:
            res.uncertain.pop(ev.name, None)
        res.assignments.append(Assignment(ev.name, value, exported, path, ev.line, True, note))
    for e in evals:
        for a in res.assignments:
            if a.file == path and a.name not in res.uncertain:
                res.uncertain[a.name] = f"an eval at {path}:{e} may change it"


def not_run_entries(
    path: str,
    names: list[str],
    env: Mapping[str, str],
    executed: Mapping[int, list[str]] | None,
    note: str,
) -> list[Assignment]:
    """ran=False entries for the watched assignments of `path` that did not execute.

    `executed` maps the lines the main shell ran in that file to the traced command texts
    (None: the file was not read at all, every assignment is listed with `note`).
    """
    from .attribution import mentions

    parsed = parse_file(path)
    out: list[Assignment] = []
    watched = set(names)
    called = set()
    if executed is not None:
        for st in parsed.statements:
            if st.function and any(st.start <= ln <= st.end for ln in executed):
                called.add(st.function)
    for a in parsed.assignments:
        if a.name not in watched:
            continue
        why = note
        if executed is not None:
            if any(
                mentions(text, a.name)
                for ln, texts in executed.items()
                if a.line <= ln <= a.end_line
                for text in texts
            ):
                continue
            if a.function and a.function not in called:
                why = f"did not run: function {a.function} was not called"
            elif a.conditional:
                why = f"did not run: {a.conditional} that was not taken"
            else:
                why = "did not run: the file ended earlier (return/exit) or the code was skipped"
        value, _ = static_value(a, env)
        out.append(Assignment(a.name, value, bool(a.exported), path, a.line, False, why))
    return out
