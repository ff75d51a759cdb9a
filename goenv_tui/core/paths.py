"""Where goenv-tui keeps its state and cache (XDG), and how paths are shown to people."""

from __future__ import annotations

import os
from collections.abc import Mapping

#: The rollback journal in the state directory: present only while an apply is in flight or
#: was interrupted (core/txn/journal.py writes it; every start looks for it).
JOURNAL_NAME = "journal.json"


def which(program: str, path_env: str | None = None) -> str | None:
    """The first executable ``program`` on ``path_env`` (default $PATH), as an absolute path;
    a name with a slash is checked as it is. (shutil.which without shutil's import cost.)"""
    if os.sep in program:
        return os.path.abspath(program) if _executable(program) else None
    search = os.environ.get("PATH", os.defpath) if path_env is None else path_env
    for entry in search.split(os.pathsep) if search else []:
        candidate = os.path.join(entry or ".", program)
        if _executable(candidate):
            return os.path.abspath(candidate)
    return None


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def state_dir(env: Mapping[str, str], override: str | None = None) -> str:
    """$XDG_STATE_HOME/goenv-tui (default ~/.local/state/goenv-tui); --state-dir wins.

    Root acting for a user (core/acting.py) keeps its own state, journal and history in
    root's HOME, never in the user's: what root replays is never a file the user wrote.
    """
    if override:
        return override
    if env.get("GOENV_TUI_STATE_DIR"):
        return env["GOENV_TUI_STATE_DIR"]
    if os.geteuid() == 0:
        from goenv_tui.core.acting import acting_user, own_identity

        if not acting_user(env).is_self:
            return os.path.join(own_identity().home, ".local", "state", "goenv-tui")
    base = env.get("XDG_STATE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(env.get("HOME", os.path.expanduser("~")), ".local", "state")
    return os.path.join(base, "goenv-tui")


def cache_dir(env: Mapping[str, str]) -> str:
    """$XDG_CACHE_HOME/goenv-tui (default ~/.cache/goenv-tui): trace and probe caches."""
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(env.get("HOME", os.path.expanduser("~")), ".cache")
    return os.path.join(base, "goenv-tui")


def tilde(path: str, home: str | None) -> str:
    """Show a path under HOME as ~/... (display only; JSON keeps absolute paths)."""
    if home and home != "/":
        home = home.rstrip("/")
        if path == home:
            return "~"
        if path.startswith(home + "/"):
            return "~" + path[len(home) :]
    return path


def clip(text: str, width: int) -> str:
    """Cut to `width` columns with an ellipsis in the middle (keeps a path's file name)."""
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    head = (width - 1) // 2
    tail = width - 1 - head
    return text[:head] + "…" + text[len(text) - tail :]


def clip_location(text: str, width: int) -> str:
    """:func:`clip` for FILE:LINE that never cuts the ``:LINE`` (the path gives way)."""
    path, sep, line = text.rpartition(":")
    if not sep or not line.isdigit() or len(text) <= width:
        return clip(text, width)
    suffix = sep + line
    return clip(path, max(width - len(suffix), 1)) + suffix


def nearest_dir(path: str) -> str:
    """The closest existing folder above ``path`` (where a new file's folders would start)."""
    cur = os.path.dirname(path)
    while not os.path.isdir(cur) and os.path.dirname(cur) != cur:
        cur = os.path.dirname(cur)
    return cur
