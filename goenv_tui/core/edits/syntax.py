"""Syntax checks with the real shells: ``bash -n``, ``dash -n``, ``zsh -n``, ``fish --no-execute``.

The text is written to a private temp dir and checked there, with a scratch HOME so that no
shell touches the user's files. ``sh`` text (~/.profile, /etc/profile.d) is checked by dash
AND bash: a login bash reads those files too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from goenv_tui.core.acting import as_acting_user, give_tree_to_acting_user
from goenv_tui.core.edits.errors import EditError

TIMEOUT = 15.0


def _checkers(shell: str) -> list[list[str]]:
    if shell == "fish":
        return [["fish", "--no-execute"]]
    if shell == "zsh":
        return [["zsh", "-n"]]
    if shell == "bash":
        return [["bash", "-n"]]
    first = "dash" if shutil.which("dash") else "sh"
    out = [[first, "-n"]]
    if shutil.which("bash"):
        out.append(["bash", "-n"])
    return out


def syntax_error(shell: str, data: bytes, label: str) -> str | None:
    """The first error line the shell reports for ``data`` (None: it parses).

    ``label`` replaces the temp file's path in the message. Raises EditError when the
    checking shell is not installed.
    """
    with tempfile.TemporaryDirectory(prefix="goenv-tui-check-") as tmp:
        path = os.path.join(tmp, "file")
        with open(path, "wb") as fh:
            fh.write(data)
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        env = {
            "HOME": home,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
        }
        give_tree_to_acting_user(tmp)  # the user's text is parsed as the user, never as root
        for argv in _checkers(shell):
            exe = shutil.which(argv[0])
            if exe is None:
                raise EditError(
                    f"Cannot check the {shell} syntax: {argv[0]} is not installed, "
                    "so goenv-tui will not edit the file."
                )
            try:
                run = subprocess.run(
                    [exe, *argv[1:], path],
                    env=env,
                    cwd=tmp,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=TIMEOUT,
                    check=False,
                    **as_acting_user(),
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise EditError(
                    f"Cannot check the {shell} syntax: {argv[0]} failed ({exc})."
                ) from exc
            if run.returncode != 0:
                text = run.stderr.decode("utf-8", "replace").replace(path, label)
                lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
                first = lines[0] if lines else f"exit status {run.returncode}"
                return f"{argv[0]} {argv[1]} reports {first}"
    return None


def require_valid(
    shell: str,
    new: bytes,
    old: bytes | None,
    label: str,
    *,
    allow_same_error: bool = True,
    allow_if_old_broken: bool = False,
) -> None:
    """Refuse ``new`` when it fails the shell's check and the failure is the change's doing.

    A file that already failed is accepted when the error is unchanged (``allow_same_error``)
    or always (``allow_if_old_broken``, for removals, which must stay possible).
    """
    err = syntax_error(shell, new, label)
    if err is None:
        return
    old_err = syntax_error(shell, old, label) if old is not None else None
    if old_err is not None and (allow_if_old_broken or (allow_same_error and old_err == err)):
        return
    if old_err is not None:
        raise EditError(f"{_cap(label)} already has a syntax error ({old_err}); fix it first.")
    raise EditError(f"The change would break {label}: {err}.")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
