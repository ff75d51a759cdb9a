"""Turn xtrace records into assignments: which statement changed which watched variable.

A change between two consecutive records of the main shell was made by the earlier
record's command. Records are grouped per statement (a statement prints several records:
`export X=v` prints two, `eval` prints its inner commands at its own line).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import CD_HOOK_NOTE, EXPORTS_UNSET, HOOK_NOTE, NO_CHANGE, Assignment
from .bashparse import ParsedFile, parse_file, pinned_parses
from .quoting import unquote
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


#: `${NAME:=v}`, `${NAME=v}`, zsh `${NAME::=v}` and `${(P)ref::=v}`: set while the words
#: are expanded, before xtrace prints the command.
_EXPANSION_SET = re.compile(r"\$\{(\([^)]*\))?([A-Za-z_]\w*)(?::?=|::=)")


def expansion_time(records: list[Record], states: list[State], names: Iterable[str]) -> None:
    """Move a change made by a command's own word expansion (`: ${GOPATH:=~/go}`) to that
    command: bash and zsh print a command after expanding it, so its record already shows
    the new value, which would otherwise be blamed on the command before it (unless that
    command itself assigns the name)."""
    watched = list(names)
    if not watched:
        return
    seen: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for i in range(1, len(records)):
        rec = records[i]
        found = seen.get((rec.file, rec.line))
        if found is None:
            found = seen[rec.file, rec.line] = _expansion_sets(rec.file, rec.line)
        if not found:
            continue
        targets = {name for flags, name in found if "P" not in flags}
        indirect = any("P" in flags for flags, _ in found)
        for name in watched:
            if not (name in targets or indirect) or states[i].get(name) == states[i - 1].get(name):
                continue
            if not mentions(records[i - 1].text, name):  # else the command before set it
                if name in states[i - 1]:
                    states[i][name] = states[i - 1][name]
                else:
                    states[i].pop(name, None)


def _expansion_sets(file: str, line: int) -> list[tuple[str, str]]:
    """(flags, name) of each `${NAME:=v}`-like expansion in the statement at file:line."""
    if not os.path.isabs(file) or _is_pipe_file(file):
        return []
    parsed = parse_file(file)
    statement = parsed.statement_at(line)
    if statement is None:
        return []
    source = "\n".join(parsed.lines[statement.start - 1 : statement.end])
    return _EXPANSION_SET.findall(source) if "=" in source else []


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
    if is_function:
        fnote = f"in function {func}"
        if rec.caller_file and not is_binary(rec.caller_file):  # not the trace's own -c
            fnote += f" called from {rec.caller_file}:{rec.caller_line}"
        note = fnote if note is None else f"{fnote}, {note}"
    return _Where(file, line, note)


@lru_cache(maxsize=64)
def is_binary(path: str) -> bool:
    """Whether ``path`` is a program, not a script (zsh names a `-c` command by its own path)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


_FUNCTION_DEF = re.compile(r"^\s*(?:function\s+([^\s(){}]+)|([A-Za-z_][\w:.@-]*)\s*\(\s*\))", re.M)


def _first_word(text: str) -> str:
    words = text.strip().split(None, 1)
    if not words:
        return ""
    word = words[0]
    return word.split("=", 1)[0] + "=" if "=" in word and not word.startswith("=") else word


def _same_command(traced: str, written: str) -> bool:
    """Whether a traced command can be the written line (`export X=v` also traces `X=v`)."""
    word = _first_word(traced)
    return word == _first_word(written) or (word.endswith("=") and word in written)


@dataclass
class _OpenEval:
    """An `eval` whose code is running: bash numbers its lines from the eval's own line."""

    file: str
    line: int
    depth: int
    function: str
    code: list[str]
    where: _Where


def eval_origins(main: list[Record], shell: str) -> dict[int, _Where]:
    """Record index -> the `eval` statement it really ran from.

    Code run by `eval` carries line numbers counted from the eval's line, and functions an
    eval defined (`eval "$(goenv init -)"`, conda's setup) keep them whenever they are called:
    those lines lie past the end of the file or on unrelated statements. Such records are
    mapped to the eval line, naming the function. zsh names eval'd code `(eval)` with the
    caller's place, which for an eval inside such a function is one of those lines too.
    """
    out: dict[int, _Where] = {}
    defined: dict[str, _Where] = {}  # function -> the eval that defined it
    open_evals: list[_OpenEval] = []
    mapped: dict[tuple[str, int], _Where] = {}  # zsh: a mapped record's place -> its origin
    for i, rec in enumerate(main):
        origin = defined.get(rec.function) if rec.function else None
        if (
            origin is not None
            and rec.file == origin.file
            and not _defined_in(rec.file, rec.function)
        ):
            out[i] = _Where(
                origin.file, origin.line, f"in function {rec.function} defined by {origin.note}"
            )
        if shell == "zsh":
            if rec.function == "(eval)" and (rec.caller_file, rec.caller_line) in mapped:
                out[i] = mapped[(rec.caller_file, rec.caller_line)]
            if i in out:
                mapped[(rec.file, rec.line)] = out[i]
        while open_evals and shell == "bash":
            top = open_evals[-1]
            k = rec.line - top.line
            if (
                rec.file == top.file
                and rec.depth == top.depth
                and rec.function == top.function
                and 0 <= k < len(top.code)
                and _same_command(rec.text, top.code[k])
            ):
                out.setdefault(i, top.where)
                break
            open_evals.pop()
        words = rec.text.split(None, 1)
        if words and words[0] == "eval" and len(words) == 2 and os.path.isabs(rec.file):
            code = unquote(words[1].rstrip("\n"))
            where = out.get(i) or _Where(rec.file, _statement_line(rec), None)
            at = f"the eval at {where.file}:{where.line}"
            eval_where = _Where(where.file, where.line, where.note or "via eval")
            open_evals.append(
                _OpenEval(rec.file, rec.line, rec.depth, rec.function, code.split("\n"), eval_where)
            )
            for m in _FUNCTION_DEF.finditer(code):
                defined[m[1] or m[2]] = _Where(where.file, where.line, at)
    return out


def _hook_line(rec: Record) -> Record:
    """A hook's record with its real line: an interactive bash numbers the lines of a
    function called from its top level (as the prompt calls hooks) from the function's
    definition, 1 being the line of the definition."""
    if not rec.function or rec.function in ("source", "main") or not os.path.isabs(rec.file):
        return rec
    start = parse_file(rec.file).functions.get(rec.function)
    if start is None:
        return rec
    return dataclasses.replace(rec, line=start + rec.line - 1)


def _statement_line(rec: Record) -> int:
    parsed = parse_file(rec.file)
    st = parsed.statement_at(rec.line)
    return st.start if st is not None else rec.line


def _defined_in(path: str, function: str) -> bool:
    """True when ``path`` itself defines ``function`` (its records' lines are real)."""
    if not os.path.isabs(path) or _is_pipe_file(path):
        return False
    return any(st.function == function for st in parse_file(path).statements)


def attribute(
    records: list[Record],
    names: list[str],
    shell: str,
    shadowed_at_end: Iterable[str] = (),
    hook_sentinel: str | None = None,
) -> Attributed:
    """Assignments in execution order, from the main shell's records.

    `shadowed_at_end`: builtins the shell had redefined or disabled when it finished.
    """
    with pinned_parses():
        return _attribute(records, names, shell, shadowed_at_end, hook_sentinel)


def _attribute(
    records: list[Record],
    names: list[str],
    shell: str,
    shadowed_at_end: Iterable[str],
    hook_sentinel: str | None,
) -> Attributed:
    main = [r for r in records if r.main]
    shadowed = shadowed_builtins(main, shadowed_at_end)
    from .tracer import hook_phases

    hook_at, prompt_at = hook_phases(main, hook_sentinel) if hook_sentinel else (None, None)
    if hook_at is not None and shell == "bash":
        main[hook_at:] = [_hook_line(r) for r in main[hook_at:]]
    seen = {n for r in main for n in r.vars}
    active = [n for n in names if n in seen]  # names never set cannot change
    states = scrub_temporaries(main, active)
    expansion_time(main, states, active)
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
    evals = eval_origins(main, shell)
    for i, r in enumerate(main):
        where = evals.get(i) or _locate(r, shell, memo)
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
        blind = next((b for t in texts if (b := trace_blinded(t)) is not None), None)
        shadow = _shadow_reason(main[first : last + 1], shadowed)
        for n in names:
            if n not in changed and n not in static_names:
                continue
            now = after.get(n)
            note = where.note
            if hook_at is not None and first > hook_at:
                which = HOOK_NOTE if prompt_at is None or first > prompt_at else CD_HOOK_NOTE
                note = which + (f"; {note}" if note else "")
            line: int | None = where.line
            why = None
            if shadow is not None:
                why = f"{shadow}, so what {where.file}:{where.line} did is unknown"
            elif blind is not None and n in changed:
                # the change happened in code run with tracing off: no line can be named
                why = (
                    f"set while {where.file}:{where.line} {blind}, "
                    "so the line that set it is unknown"
                )
            if why is not None:
                uncertain.setdefault(n, why)
                line, note = None, why
            if n not in changed and why is None:
                lead = EXPORTS_UNSET if now is None and _exports_unset(where, n) else NO_CHANGE
                note = lead + (f"; {note}" if note else "")
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


#: Commands after which the trace goes blind: xtrace off (bash `set +x`, `set +o xtrace`,
#: `set +eux`, `shopt -uo xtrace`; zsh `unsetopt xtrace`, `setopt noxtrace`), a new PS4 or
#: BASH_XTRACEFD, or a bare `exec` (only redirections: it may move the trace's fd).
_XTRACE_OFF = re.compile(
    r"(?:set\s+(?:\+[A-Za-z]*x[A-Za-z]*|\+o\s+xtrace)|shopt\s+-[a-z]*u[a-z]*\b.*\bxtrace"
    r"|unsetopt\s.*\bx_?trace|setopt\s.*\bno_?x_?trace)\b",
    re.IGNORECASE,
)
_TRACE_SETTING = re.compile(
    r"(?:(?:export|declare|typeset|readonly|local)\s+(?:-\S+\s+)*)?(PS4|BASH_XTRACEFD)(?:=|\s|$)"
    r"|unset\s+(?:-v\s+)?(?:\S+\s+)*(PS4|BASH_XTRACEFD)\b"
)


def trace_blinded(text: str) -> str | None:
    """Why the trace cannot see what follows `text` (None: it can)."""
    command = text.split("\n", 1)[0].strip()
    if _XTRACE_OFF.match(command):
        return f"had turned tracing off ({command})"
    setting = _TRACE_SETTING.match(command)
    if setting:
        return f"changed {setting.group(1) or setting.group(2)}, which the trace relies on"
    if command == "exec":
        return "ran a bare exec, which may move the trace's file descriptor"
    return None


def shadowed_builtins(main: list[Record], at_end: Iterable[str]) -> dict[str, str]:
    """Builtin name -> how the startup files shadowed it (a function, `enable -n`, zsh
    `disable`): seen at the end, as a running function, or in the command that did it."""
    from .tracer import SHADOWABLE

    found = {name: "is redefined or disabled by the startup files" for name in at_end}
    for rec in main:
        # bash names a file's frame "source" while it is sourced from a function: not a
        # function of that name (one would show at the end, in `declare -F`)
        if rec.function in SHADOWABLE and rec.function != "source":
            found.setdefault(rec.function, "is redefined as a function by the startup files")
        words = rec.text.split("\n", 1)[0].split()
        if words and words[0] in ("enable", "disable"):
            flags = "".join(w for w in words[1:] if w.startswith("-"))
            if words[0] == "disable" or "n" in flags or "f" in flags:
                for word in words[1:]:
                    if word in SHADOWABLE:
                        found.setdefault(word, f"is disabled or replaced ({' '.join(words)})")
    return found


def _shadow_reason(group: list[Record], shadowed: dict[str, str]) -> str | None:
    """Why a statement's effect is unknown: it calls, or runs inside, a shadowed builtin."""
    if not shadowed:
        return None
    for rec in group:
        if rec.function in shadowed:
            return f"`{rec.function}` {shadowed[rec.function]}"
        words = rec.text.split("\n", 1)[0].split()
        if words and words[0] in shadowed:
            return f"`{words[0]}` {shadowed[words[0]]}"
    return None


DECL_WORDS = frozenset({"export", "declare", "typeset", "readonly", "unset", "local"})


def mentions(text: str, name: str) -> bool:
    """True when a traced command text assigns, exports or unsets `name` itself."""
    words = text.split("\n", 1)[0].split()
    if not words:
        return False
    if words[0].startswith(name + "="):
        return True
    return words[0] in DECL_WORDS and any(w == name or w.startswith(name + "=") for w in words[1:])


def _exports_unset(where: _Where, name: str) -> bool:
    """Whether the statement is a bare `export NAME` (the variable is not set: no effect)."""
    if not os.path.isabs(where.file) or _is_pipe_file(where.file):
        return False
    return any(
        a.name == name and a.line == where.line and a.op == "export" and a.value_text is None
        for a in parse_file(where.file).assignments
    )


def _static_names(where: _Where) -> set[str]:
    if not os.path.isabs(where.file) or _is_pipe_file(where.file):
        return set()
    parsed: ParsedFile = parse_file(where.file)
    return {a.name for a in parsed.assignments if a.line == where.line}
