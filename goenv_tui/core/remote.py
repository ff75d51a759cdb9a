"""What `ssh host cmd` (a non-interactive, non-login shell) gets from the startup files."""

from __future__ import annotations

from collections.abc import Iterable

from goenv_tui.core.resolve import Options, detect_shell, login_base_env, read_system_layer
from goenv_tui.core.shells import trace_startup


def remote_env(opts: Options, names: Iterable[str]) -> dict[str, str | None] | None:
    """Each name's exported value in a traced non-interactive shell of the user's kind, or
    None when that cannot be known (fish, no trace, a trace error)."""
    kind, shell_path = detect_shell(opts.env, opts.shell)
    if not opts.trace or kind not in ("bash", "zsh"):
        return None
    watched = sorted(set(names))
    system, _ = read_system_layer(opts.env, opts.etc_environment)
    pam = {fl.key: fl.value for _, fl in system if fl.key}
    base = login_base_env(opts.env, shell_path, pam)
    trace = trace_startup(
        kind, shell_path, base["HOME"], watched, base, mode="noninteractive", cache_dir=None
    )
    if not trace.traced or trace.error is not None:
        return None
    return {n: trace.final_env.get(n) for n in watched}
