"""The `direnv` layer: values direnv's hook loaded from an .envrc into this session.

direnv keeps its own state in the session: DIRENV_FILE names the .envrc it loaded and
DIRENV_DIFF holds what it changed, as base64url(zlib(JSON {"p": previous, "n": next})). A
session value that equals the diff's "next" value came from that .envrc, not from the user
typing it (and a new terminal in that folder gets it again, once the hook runs).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

#: DIRENV_DIFF is untrusted input: bound what we decode and inflate.
MAX_DIFF = 1024 * 1024


@dataclass(frozen=True)
class DirenvValue:
    """Where direnv got a value: the .envrc and, when it assigns the name plainly, the line."""

    envrc: str
    line: int | None


def loaded(env: Mapping[str, str]) -> dict[str, str]:
    """The values direnv loaded into ``env`` (its diff's "next" map); {} when none."""
    return dict(_decoded(env.get("DIRENV_DIFF", "")))


@lru_cache(maxsize=4)
def _decoded(diff: str) -> tuple[tuple[str, str], ...]:
    """DIRENV_DIFF's "next" map, decoded once per value (every variable asks)."""
    if not diff or len(diff) > MAX_DIFF:
        return ()
    try:
        raw = base64.urlsafe_b64decode(diff + "=" * (-len(diff) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(raw, MAX_DIFF)
        data = json.loads(text.decode("utf-8", "surrogateescape"))
    except (binascii.Error, ValueError, zlib.error):
        return ()
    nxt = data.get("n") if isinstance(data, dict) else None
    if not isinstance(nxt, dict):
        return ()
    return tuple((k, v) for k, v in nxt.items() if isinstance(k, str) and isinstance(v, str))


def direnv_value(name: str, value: str | None, env: Mapping[str, str]) -> DirenvValue | None:
    """The .envrc (and line) that gave the session ``name=value``, else None."""
    if value is None or loaded(env).get(name) != value:
        return None
    envrc = env.get("DIRENV_FILE", "")
    if not os.path.isabs(envrc):
        return None
    return DirenvValue(envrc, _assignment_line(envrc, name))


def _assignment_line(envrc: str, name: str) -> int | None:
    """The last line of the .envrc that assigns ``name`` (bash syntax), if any."""
    from goenv_tui.core.acting import may_read
    from goenv_tui.core.shells.bashparse import parse_file

    if not os.path.isfile(envrc) or not may_read(envrc):
        return None
    lines = [a.line for a in parse_file(envrc).assignments if a.name == name]
    return lines[-1] if lines else None
