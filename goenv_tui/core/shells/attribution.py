"""Turn xtrace records into assignments: which statement changed which watched variable.

A change between two consecutive records of the main shell was made by the earlier
record's command. Records are grouped per statement (a statement prints several records:
`export X=v` prints two, `eval` prints its inner commands at its own line).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Assignment
from .bashparse import ParsedFile, parse_file
from .records import Record

State = dict[str, tuple[bool, str]]
PROC_FD_PREFIXES = ("/dev/fd/", "/proc/self/fd/", "/proc/")


@dataclass
class Attributed:
    """The result of attributing a trace."""

    assignments: list[Assignment]
    final: State
    executed: dict[str, dict[int, list[str]]]  # file -> line -> texts run by the main shell
    files: list[str]  # files with records, in order of first appearance
    uncertain: dict[str, str] = field(default_factory=dict)  # name -> why its line is unknown


def _is_pipe_file(path: str) -> bool:
    return path.startswith(PROC_FD_PREFIXES)


def scrub_temporaries(records: list[Record], names: Iterable[str]) -> list[State]:
    """States per record with `VAR=x cmd` temporaries removed.

    A temporary shows up at the record that prints `VAR=x` (before it can have run), stays
    while the command (or the function it calls) runs, and reverts right after.
    """
    states = [dict(r.vars) for r in records]
    for name in names:
        if all(s.get(name) == states[0].get(name) for s in states):
            continue
        k = 1
        while k < len(records):
            before = states[k - 1].get(name)
            if states[k].get(name) == before:
                k += 1
                continue
            rk = records[k]
            key = (rk.file, rk.line, rk.depth)
            m = k
            saw_assign = False
            while m < len(records):
                rm = records[m]
                same = (rm.file, rm.line, rm.depth) == key or rm.depth > rk.depth
                if not same:
                    break
                saw_assign = saw_assign or rm.text.startswith(name + "=")
                m += 1
            if saw_assign and m < len(records) and states[m].get(name) == before:
                for i in range(k, m):
                    if before is None:
                        states[i].pop(name, None)
                    else:
                        states[i][name] = before
            k = m if m > k else k + 1
    return states


@dataclass(frozen=True)
class _Where:
    file: str
    line: int
    note: str | None


def _locate(rec: Record, shell: str, memo: dict[tuple[str, int, str, str, int], _Where]) -> _Where:
    key = (rec.file, rec.line, rec.function, rec.caller_file, rec.caller_line)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = _locate_uncached(rec, shell)
    return hit


def _locate_uncached(rec: Record, shell: str) -> _Where:
    """The file:line (statement start) a record stands for, with a note on how it ran."""
    file, line, note = rec.file, rec.line, None
    func = rec.function
    if shell == "zsh" and func == "(eval)":
        file, line, note, func = rec.caller_file, rec.caller_line, "via eval", ""
    if _is_pipe_file(file) and rec.caller_file:
        file, line, note = rec.caller_file, rec.caller_line, "via source <(...)"
        func = ""
    parsed = parse_file(file) if os.path.isabs(file) and not _is_pipe_file(file) else None
    if parsed is not None:
        st = parsed.statement_at(line)
        if st is not None:
            line = st.start
            if note is None and any(s.word == "eval" for s in parsed.statements_on(line)):
                note = "via eval"
    is_function = (
        bool(func)
        and func not in ("source", "main")
        and not (shell == "zsh" and (func == file or os.path.isabs(func) or func == rec.file))
    )
    if is_function and rec.caller_file:
        where = f"{rec.caller_file}:{rec.caller_line}"
        fnote = f"in function {func} called from {where}"
        note = fnote if note is None else f"{fnote}, {note}"
    return _Where(file, line, note)


def attribute(records: list[Record], names: list[str], shell: str) -> Attributed:
    """Assignments in execution order, from the main shell's records."""
    main = [r for r in records if r.main]
    seen = {n for r in main for n in r.vars}
    active = [n for n in names if n in seen]  # names never set cannot change
    states = scrub_temporaries(main, active)
    out: list[Assignment] = []
    uncertain: dict[str, str] = {}
    executed: dict[str, dict[int, list[str]]] = {}
    files: list[str] = []
    for r in records:
        if r.file and r.file not in files and os.path.isabs(r.file) and not _is_pipe_file(r.file):
            files.append(r.file)
    # Group consecutive records of one statement.
    groups: list[tuple[int, int, _Where]] = []
    memo: dict[tuple[str, int, str, str, int], _Where] = {}
    for i, r in enumerate(main):
        where = _locate(r, shell, memo)
        executed.setdefault(where.file, {}).setdefault(where.line, []).append(r.text)
        if (r.file, r.line) != (where.file, where.line):
            executed.setdefault(r.file, {}).setdefault(r.line, []).append(r.text)
        if groups and groups[-1][2] == where and groups[-1][1] == i - 1:
            groups[-1] = (groups[-1][0], i, where)
        else:
            groups.append((i, i, where))
    for gi in range(len(groups)):
        first, last, where = groups[gi]
        if not os.path.isabs(where.file) or _is_pipe_file(where.file):
            continue  # the driver's own commands
        if last + 1 >= len(main):
            break  # the marker (or the last record of a cut trace): no "after" state
        before, after = states[first], states[last + 1]
        changed = [n for n in active if before.get(n) != after.get(n)]
        texts = [main[i].text for i in range(first, last + 1)]
        static_names = {n for n in _static_names(where) if any(mentions(t, n) for t in texts)}
        untraced = _XTRACE_OFF.match(texts[-1].strip()) is not None
        for n in names:
            if n not in changed and n not in static_names:
                continue
            now = after.get(n)
            note = where.note
            line: int | None = where.line
            if untraced and n in changed:
                # the change happened in code run with tracing off: no line can be named
                why = (
                    f"set while {where.file}:{where.line} had turned tracing off "
                    f"({texts[-1].strip()}), so the line that set it is unknown"
                )
                uncertain.setdefault(n, why)
                line, note = None, why
            if n not in changed:
                note = "no change: the variable already had this value" + (
                    f"; {note}" if note else ""
                )
            out.append(
                Assignment(
                    n,
                    None if now is None else now[1],
                    bool(now and now[0]),
                    where.file,
                    line,
                    True,
                    note,
                )
            )
    final = states[-1] if states else {}
    return Attributed(out, final, executed, files, uncertain)


#: A command after which bash traces nothing (`set +x`, `set +o xtrace`, `set +eux`, ...).
_XTRACE_OFF = re.compile(r"set\s+(?:\+[A-Za-z]*x[A-Za-z]*|\+o\s+xtrace)\b")


DECL_WORDS = frozenset({"export", "declare", "typeset", "readonly", "unset", "local"})


def mentions(text: str, name: str) -> bool:
    """True when a traced command text assigns, exports or unsets `name` itself."""
    words = text.split("\n", 1)[0].split()
    if not words:
        return False
    if words[0].startswith(name + "="):
        return True
    return words[0] in DECL_WORDS and any(w == name or w.startswith(name + "=") for w in words[1:])


def _static_names(where: _Where) -> set[str]:
    if not os.path.isabs(where.file) or _is_pipe_file(where.file):
        return set()
    parsed: ParsedFile = parse_file(where.file)
    return {a.name for a in parsed.assignments if a.line == where.line}
