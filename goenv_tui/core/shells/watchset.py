"""Which names a trace watches at every command (each one costs time at every command).

A trace watches the names that can matter: those in the starting environment and those a
startup file or traced command mentions. The marker's record shows every name; a name
that changed without being watched, or that the files read mention, makes the caller
trace again with it.
"""

from __future__ import annotations

import os
import re
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
