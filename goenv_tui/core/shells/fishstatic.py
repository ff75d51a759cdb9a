"""Static reading of fish startup: conf.d snippets, config.fish files, universal variables."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Assignment

BLOCK_START = re.compile(r"^(if|switch|for|while|function|begin)\b")
SET_FLAGS_SHORT = {
    "g": "global",
    "x": "export",
    "U": "universal",
    "u": "unexport",
    "e": "erase",
    "l": "local",
    "a": "append",
    "p": "prepend",
    "q": "query",
    "f": "function",
    "n": "names",
    "S": "show",
}


@dataclass
class FishResult:
    """What a static reading of fish's startup found."""

    assignments: list[Assignment] = field(default_factory=list)
    final_env: dict[str, str] = field(default_factory=dict)
    files_read: list[str] = field(default_factory=list)
    uncertain: dict[str, str] = field(default_factory=dict)


@dataclass
class _Reading:
    """One static reading: the names watched, the state so far, what it found."""

    watched: set[str]
    env: dict[str, str]
    exported: set[str]
    globals_set: set[str]  # names a startup file set as globals (they shadow universals)
    res: FishResult


def fish_files(home: str, env: Mapping[str, str]) -> list[str]:
    """conf.d snippets (user > /etc/fish > vendor, by basename), then the config.fish files."""
    config = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    data_dirs = (env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    dirs = [os.path.join(config, "fish", "conf.d"), "/etc/fish/conf.d"]
    dirs += [os.path.join(d, "fish", "vendor_conf.d") for d in data_dirs if d]
    dirs.append("/usr/share/fish/vendor_conf.d")
    chosen: dict[str, str] = {}
    for d in dirs:
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for name in names:
            if name.endswith(".fish") and name not in chosen:
                chosen[name] = os.path.join(d, name)
    files = [chosen[n] for n in sorted(chosen)]
    files += ["/etc/fish/config.fish", os.path.join(config, "fish", "config.fish")]
    return [f for f in files if os.path.isfile(f)]


def _join(name: str, values: list[str]) -> str:
    return (":" if name.endswith("PATH") else " ").join(values)


def _expand(word: str, env: Mapping[str, str]) -> tuple[str, str | None]:
    why = None
    if "(" in word:
        why = "value contains a command substitution"

    def sub(m: re.Match[str]) -> str:
        nonlocal why
        name = m.group(1) or m.group(2)
        if name in env:
            return env[name]
        why = why or f"the value uses ${name}, which the static reading does not know"
        return ""

    out = re.sub(r"\$\{(\w+)\}|\$(\w+)", sub, word)
    if out == "~" or out.startswith("~/"):
        out = env.get("HOME", "~") + out[1:]
    return out, why


def read_fish(home: str, names: list[str], base_env: Mapping[str, str]) -> FishResult:
    """Read fish's startup files statically (fish runs them for every fish, even `fish -c`)."""
    res = FishResult()
    watched = set(names)
    env = dict(base_env)
    exported = set(base_env)
    config = base_env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    uvars = os.path.join(config, "fish", "fish_variables")
    globals_set: set[str] = set()
    reading = _Reading(watched, env, exported, globals_set, res)
    for path in fish_files(home, base_env):
        res.files_read.append(path)
        _read_file(path, reading)
    if os.path.isfile(uvars):
        res.files_read.append(uvars)
        _read_uvars(uvars, reading)
    res.final_env = {n: env[n] for n in names if n in env and n in exported}
    return res


def _read_file(path: str, st: _Reading) -> None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return
    stack: list[str] = []
    for no, raw in enumerate(lines, 1):
        line = raw.strip()
        for part in re.split(r";\s*", line):
            part = part.strip()
            m = BLOCK_START.match(part)
            if m:
                stack.append(m.group(1))
                if m.group(1) in ("if", "while", "for", "switch", "begin"):
                    continue
            if part == "end" and stack:
                stack.pop()
                continue
            if part.startswith("set "):
                _set(part, no, path, stack, st)
            elif "function" not in stack:
                _source(part, no, path, st)


def _source(stmt: str, no: int, path: str, st: _Reading) -> None:
    """Follow `source FILE` / `. FILE` (also after `and`/`or`); a sourced command output
    (`source (goenv init -|psub)`) cannot be read, which makes what it sets uncertain."""
    from goenv_tui.core.acting import may_read

    words = stmt.split()
    while words and words[0] in ("and", "or", "not"):
        words = words[1:]
    if len(words) < 2 or words[0] not in ("source", "."):
        return
    target, why = _expand(words[1].strip("'\""), st.env)
    if why is not None:
        for name in st.watched:
            st.res.uncertain.setdefault(
                name, f"{path}:{no} sources a command's output, which is not read statically"
            )
        return
    if not os.path.isabs(target):
        target = os.path.join(st.env.get("HOME", "/"), target)  # fish: relative to the cwd
    seen = st.res.files_read
    if os.path.isfile(target) and may_read(target) and target not in seen and len(seen) < 200:
        st.res.files_read.append(target)
        _read_file(target, st)


def _set(stmt: str, no: int, path: str, stack: list[str], st: _Reading) -> None:
    try:
        words = shlex.split(stmt, comments=True)
    except ValueError:
        return
    flags: set[str] = set()
    rest = words[1:]
    while rest and rest[0].startswith("-"):
        w = rest.pop(0)
        if w == "--":
            break
        if w.startswith("--"):
            flags.add(w[2:])
        else:
            flags.update(SET_FLAGS_SHORT.get(c, c) for c in w[1:])
    if not rest or rest[0] not in st.watched or flags & {"query", "names", "show", "function"}:
        return
    name, values = rest[0], rest[1:]
    in_function = "function" in stack
    why = None
    if in_function:
        why = "inside a function"
    elif stack:
        why = f"inside a {stack[-1]} block"
    value: str | None
    if "erase" in flags:
        value = None
    else:
        parts = []
        for v in values:
            text, vwhy = _expand(v, st.env)
            why = why or vwhy
            parts.append(text)
        joined = _join(name, parts)
        old = st.env.get(name, "")
        if "append" in flags and old:
            joined = _join(name, [old, joined])
        elif "prepend" in flags and old:
            joined = _join(name, [joined, old])
        value = joined
    if "local" in flags:
        return
    if not in_function:
        if value is None:
            st.env.pop(name, None)
        else:
            st.env[name] = value
            st.globals_set.add(name)
        if "export" in flags:
            st.exported.add(name)
        elif "unexport" in flags:
            st.exported.discard(name)
    note = f"uncertain: {why}" if why else None
    if why:
        st.res.uncertain[name] = why
    is_exp = name in st.exported and value is not None
    st.res.assignments.append(Assignment(name, value, is_exp, path, no, True, note))


def _uvar_decode(text: str) -> str:
    text = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\\\\", "\\")


def _read_uvars(path: str, st: _Reading) -> None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return
    for no, line in enumerate(lines, 1):
        m = re.match(r"^SETUVAR\s+(--export\s+)?(\w+):(.*)$", line)
        if not m or m.group(2) not in st.watched:
            continue
        name = m.group(2)
        value = _join(name, _uvar_decode(m.group(3)).split("\x1e"))
        shadowed = name in st.globals_set
        note = (
            "universal variable; shadowed by a global set in a startup file"
            if shadowed
            else "universal variable (set -U)"
        )
        if not shadowed:
            st.env[name] = value
            if m.group(1):
                st.exported.add(name)
        st.res.assignments.append(
            Assignment(name, value, bool(m.group(1)), path, no, not shadowed, note)
        )
