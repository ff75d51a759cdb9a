"""go_accepts(): ask the real go (`go env -w` on a scratch GOENV file) and report its refusal."""

from __future__ import annotations

import os
import subprocess
import tempfile

from goenv_tui.core.acting import as_acting_user, give_tree_to_acting_user
from goenv_tui.core.validate.problem import ERROR, WARNING, Problem


def go_accepts(
    go_path: str | os.PathLike[str],
    name: str,
    value: str,
    *,
    goos: str | None = None,
    goarch: str | None = None,
    timeout: float = 30.0,
) -> Problem | None:
    """Run `go env -w NAME=VALUE` on a scratch GOENV file; go's refusal as an error.

    HOME and GOENV point into a temporary directory, GOTOOLCHAIN=local, so neither the
    user's file nor the network is touched. Returns None when go accepts; a warning
    with code "go-unavailable" when go cannot be run.
    """
    with tempfile.TemporaryDirectory(
        prefix="goenv-tui-validate-", ignore_cleanup_errors=True
    ) as tmp:
        # Telemetry mode "off" (the env var is ignored): no counter files, no upload child.
        telemetry = os.path.join(tmp, "config", "go", "telemetry")
        os.makedirs(telemetry)
        with open(os.path.join(telemetry, "mode"), "w", encoding="utf-8") as f:
            f.write("off")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "GOENV": os.path.join(tmp, "env"),
            "GOTOOLCHAIN": "local",
            "GOFLAGS": "",
        }
        if goos:
            env["GOOS"] = goos
        if goarch:
            env["GOARCH"] = goarch
        env.pop(name, None)
        try:
            argv = [os.fsencode(go_path), b"env", b"-w", os.fsencode(f"{name}={value}")]
            give_tree_to_acting_user(tmp)
            out = subprocess.run(
                argv,
                env=env,
                cwd=tmp,
                capture_output=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
                **as_acting_user(),
            )
        except (OSError, ValueError, UnicodeError, subprocess.SubprocessError) as exc:
            return Problem(WARNING, "go-unavailable", f"could not ask go about {name}: {exc}.")
        if out.returncode == 0:
            return None
        text = out.stderr.decode("utf-8", "replace").strip().splitlines()
        said = text[0].removeprefix("go: ") if text else f"exit status {out.returncode}"
        return Problem(
            ERROR, "go-refused", f"go env -w refuses {name}: “{_hidden(name, value, said)}”."
        )


def _hidden(name: str, value: str, said: str) -> str:
    """go's refusal with the value's secrets hidden (go quotes URL passwords back)."""
    from goenv_tui.core.redact import secrets_only

    redactor = secrets_only()
    redactor.learn(name, value)
    return redactor.text(said, "go.error")
