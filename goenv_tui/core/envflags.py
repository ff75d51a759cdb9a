"""GOFLAGS that would turn goenv-tui's own `go env` runs into writes or another output.

go applies every GOFLAGS flag that a command defines to that command, `go env` included:
with GOFLAGS=-u in the go env file, `go env GOPATH` *deletes* the GOPATH line; `-w` makes it
write, `-json`/`-changed` change what it prints. So every `go env` goenv-tui runs gets a
harmless GOFLAGS of its own when the one in effect holds such a flag (a non-empty OS value
beats the file's, and `go env` ignores flags it does not define), and the real GOFLAGS is
reported from where it was set instead.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The flags `go env` defines (any of them in GOFLAGS changes what `go env` does).
GO_ENV_FLAGS = frozenset({"u", "w", "json", "changed"})
#: What goenv-tui's own `go env` runs use instead: a build flag `go env` ignores.
NEUTRAL = "-mod=mod"


def in_effect(env: Mapping[str, str]) -> str:
    """The GOFLAGS go would use: the OS environment's when non-empty, else the go env
    file's (as go reads it)."""
    from goenv_tui.core.envfile import read_env_map
    from goenv_tui.core.goprobe import user_config_env_file

    if env.get("GOFLAGS"):
        return env["GOFLAGS"]
    path = user_config_env_file(env)
    try:
        return read_env_map(path).get("GOFLAGS", "") if path else ""
    except (OSError, ValueError):
        return ""


def hijacking(goflags: str) -> list[str]:
    """The flags of ``goflags`` that `go env` itself would take (`-u`, `--json=true`, the
    stray `-w` of an unquoted `-ldflags=-s -w`)."""
    found = []
    for word in goflags.split():
        name = word.lstrip("-").split("=", 1)[0]
        if word.startswith("-") and name in GO_ENV_FLAGS:
            found.append(word)
    return found


def guarded(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` for a `go env` run of goenv-tui's: GOFLAGS neutralized when the one in
    effect would hijack it, else unchanged."""
    out = dict(env)
    if hijacking(in_effect(env)):
        out["GOFLAGS"] = NEUTRAL
    return out
