"""The GOOS/GOARCH pair go uses once a plan is applied, by go's own rule for `go env -u`
(cmd/go/internal/envcmd.checkBuildConfig): a variable the plan sets takes that value; one it
removes takes the OS environment's value, else the go env file's, else go's default (the host's);
the others keep theirs. A pair that is not a port is refused, as go refuses it."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from goenv_tui.core.validate import port_problem

#: The variables of the pair, and the go env names of their defaults.
PORT = {"GOOS": "GOHOSTOS", "GOARCH": "GOHOSTARCH"}


def pair_after(
    current: Mapping[str, str],
    *,
    staged: Mapping[str, str],
    unset: Collection[str],
    exported: Mapping[str, str],
    in_file: Mapping[str, str],
) -> tuple[str, str]:
    """(GOOS, GOARCH) after the plan; ``current`` is go's effective environment now."""
    pair = []
    for name, host in PORT.items():
        if name in staged:
            pair.append(staged[name])
        elif name in unset:
            pair.append(exported.get(name) or in_file.get(name) or current.get(host) or "")
        else:
            pair.append(current.get(name) or "")
    return pair[0], pair[1]


def port_refusal(goos: str, goarch: str, go_version: str | None) -> str | None:
    """Why go would refuse the pair (one sentence without the final period), or None."""
    found = port_problem(goos, goarch, go_version)
    if found is None:
        return None
    return (
        f"After this change go would use GOOS={goos} and GOARCH={goarch}, and "
        + found.message.rstrip(".")
        + " (go env -u refuses it for the same reason); change GOOS and GOARCH together"
    )
