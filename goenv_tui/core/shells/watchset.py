"""Which names a trace watches at every command (each one costs time at every command).

A trace watches the names that can matter: those in the starting environment and those a
startup file or traced command mentions. The marker's record shows every name; a name
that changed without being watched, or that the files read mention, makes the caller
trace again with it, unless the records already tell its whole story (`settled`): every
command that mentions it is a plain `NAME=value` or `export NAME=value`, whose traced
text shows the value, and the last of them gave the value the marker shows.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import Record

#: Bytes of one file scanned for names (a startup file is far smaller).
SCAN_LIMIT = 4 << 20


@lru_cache(maxsize=32)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")


def mentioned(names: Iterable[str], texts: Iterable[str]) -> set[str]:
    """The names that occur as whole words in `texts`."""
    wanted = tuple(sorted(set(names)))
    found: set[str] = set()
    if not wanted:
        return found
    pattern = _pattern(wanted)
    for text in texts:
        found.update(pattern.findall(text))
        if len(found) == len(wanted):
            break
    return found


def file_texts(paths: Iterable[str]) -> Iterable[str]:
    """The text of each readable regular file (bounded), skipping the rest."""
    for path in paths:
        if not os.path.isabs(path) or path.startswith(("/dev/", "/proc/")):
            continue
        try:
            with open(path, "rb") as handle:
                yield handle.read(SCAN_LIMIT).decode("utf-8", "surrogateescape")
        except OSError:
            continue


def first_names(
    names: Iterable[str], env: Mapping[str, str], top_files: Iterable[str], always: Iterable[str]
) -> list[str]:
    """The names to watch from the start: set in `env`, named in a top-level startup file,
    or in `always`."""
    pool = set(names)
    watch = {n for n in pool if n in env} | (set(always) & pool)
    watch |= mentioned(pool - watch, file_texts(top_files))
    return sorted(watch)


def missed_names(records: list[Record], watched: Iterable[str], names: Iterable[str]) -> set[str]:
    """Names the trace should have watched: set at the end though unwatched (the marker's
    record shows every name), or mentioned by a file read or a traced command."""
    cold = set(names) - set(watched)
    closing = next((r for r in reversed(records) if r.all_names), None)
    missed = {n for n in closing.vars if n in cold} if closing is not None else set()
    missed |= mentioned(cold - missed, ["\n".join(r.text for r in records)])
    missed |= mentioned(cold - missed, file_texts(dict.fromkeys(r.file for r in records)))
    return missed


def narrowed(records: list[Record], watched: Iterable[str]) -> list[Record]:
    """The records with the marker's record showing only the watched names, as every other
    record does (an unwatched name there would look set by the command before it)."""
    keep = set(watched)
    return [
        replace(r, vars={n: v for n, v in r.vars.items() if n in keep}) if r.all_names else r
        for r in records
    ]


def settled(records: list[Record], missed: Iterable[str]) -> list[Record] | None:
    """The records with each missed name's value filled in from the plain assignments that
    set it, or None when a name's story cannot be read from the texts (trace again)."""
    closing = next((r for r in reversed(records) if r.all_names), None)
    if closing is None or any(_allexport(r.text) for r in records if r.main):
        return None
    out = list(records)
    for name in sorted(missed):
        pattern = _pattern((name,))
        state: tuple[bool, str] | None = None
        changes: list[tuple[int, tuple[bool, str]]] = []
        for i, rec in enumerate(out):
            if not rec.main or rec.all_names or pattern.search(rec.text) is None:
                continue
            assigned = _plain_assignment(rec.text, name)
            if assigned is None:
                return None
            exported, value = assigned
            state = (exported or (state is not None and state[0]), value)
            changes.append((i, state))
        if state != closing.vars.get(name):
            return None  # set where no text shows it (`: ${X:=v}`), or unset at the end
        for n, (i, now) in enumerate(changes):
            # a record shows the state before its command: up to the next assignment's own
            end = changes[n + 1][0] + 1 if n + 1 < len(changes) else len(out)
            for j in range(i + 1, end):
                if not out[j].all_names:
                    out[j] = replace(out[j], vars={**out[j].vars, name: now})
    return out


def _plain_assignment(text: str, name: str) -> tuple[bool, str] | None:
    """(exported, value) of a traced `NAME=value` or `export NAME=value`, else None."""
    first = text.split("\n", 1)[0]
    if "$'" in first or "\n" in text.strip():
        return None
    try:
        words = shlex.split(first)
    except ValueError:
        return None
    exported = bool(words) and words[0] == "export"
    if exported:
        words = words[1:]
    if len(words) != 1 or not words[0].startswith(name + "="):
        return None
    return exported, words[0][len(name) + 1 :]


def _allexport(text: str) -> bool:
    """`set -a` / `set -o allexport`: a plain assignment exports too (trace again)."""
    return re.match(r"\s*set\s+(?:-[A-Za-z]*a|(?:-\S+\s+)*-o\s+allexport\b)", text) is not None
