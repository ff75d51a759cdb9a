"""Every answer about a change is the truth for a fresh terminal: the preview's AFTER, the
verdict per change, the check after apply and its exit status — and the advice they give works."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from tests.conftest import REPO, Sandbox, shell_path

FILE_PROXY = "https://file.example,direct"
RC_PROXY = "https://rc.example"


def _login(sb: Sandbox, cmd: str, env: dict[str, str] | None = None) -> str:
    """What a fresh login terminal (bash -lic) prints for ``cmd``, with the sandbox's go."""
    bash = shell_path("bash")
    out = sb.run([bash, "-lic", f"PATH={sb.bin}:$PATH; {cmd}"], env=env or sb.env)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def _shadowed(sb: Sandbox) -> dict[str, str]:
    """The go env file's GOPROXY shadowed by ~/.bashrc's export; this session has it too."""
    sb.write(".config/go/env", f"GOPROXY={FILE_PROXY}\n")
    sb.write(".bashrc", f"export GOPROXY={RC_PROXY}\n")
    sb.write(".profile", ". ~/.bashrc\n")
    return dict(sb.env, GOPROXY=RC_PROXY)


def test_the_shadowed_value_fix_says_what_a_new_terminal_gets(sandbox: Sandbox) -> None:
    env = _shadowed(sandbox)
    dry = sandbox.goenv_tui("fix", "goenv-shadowed-goproxy", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    # AFTER: a fresh terminal's go, from the go env file (not the session's value)
    assert re.search(r"^GOPROXY .*~/\.config/go/env:1$", dry.stdout, re.M), dry.stdout
    assert f"this session keeps {RC_PROXY}" in dry.stdout
    verdict = (
        f"ok GOPROXY: a fresh terminal gets '{FILE_PROXY}' from ~/.config/go/env:1; this "
        f"session keeps '{RC_PROXY}' until you open a new terminal (or run `unset GOPROXY` here)."
    )
    assert verdict in dry.stdout
    done = sandbox.goenv_tui("fix", "goenv-shadowed-goproxy", "--yes", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"a fresh terminal gets '{FILE_PROXY}' from ~/.config/go/env:1, as predicted" in (
        done.stdout
    )
    assert _login(sandbox, "go env GOPROXY") == FILE_PROXY  # the truth, in a real terminal
    # the advice for this terminal works: unset the session's export
    assert _login(sandbox, "unset GOPROXY; go env GOPROXY", env) == FILE_PROXY


def test_a_change_that_does_nothing_says_so_exits_1_and_its_advice_works(
    sandbox: Sandbox,
) -> None:
    sandbox.write(".bashrc", "export GOPATH=/srv/rc-go\n")
    sandbox.write(".profile", ". ~/.bashrc\n")
    env = dict(sandbox.env, GOPATH="/srv/rc-go")
    staged = sandbox.goenv_tui("stage", "set", "GOPATH=/srv/go", "--to", "goenv", env=env)
    assert staged.returncode == 0, staged.stderr
    out = sandbox.goenv_tui("apply", "--yes", env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    said = re.search(r"!! GOPATH: no effect — .*`(goenv-tui unset GOPATH --from \S+)`", out.stdout)
    assert said is not None, out.stdout
    assert "a fresh terminal still gets '/srv/rc-go' from ~/.bashrc:1" in out.stdout
    assert "as predicted" in out.stdout and "ok GOPATH = " not in out.stdout
    # follow the advice: it is a command that works on today's files, and it takes effect
    argv = said.group(1).split()[1:]
    follow = sandbox.goenv_tui(*argv, "--dry-run", env=env)
    assert follow.returncode == 0, follow.stdout + follow.stderr
    assert "ok GOPATH: a fresh terminal gets '/srv/go' from ~/.config/go/env:1" in follow.stdout
    assert sandbox.goenv_tui(*argv, "--yes", env=env).returncode == 0
    assert _login(sandbox, "go env GOPATH") == "/srv/go"


def test_explain_walks_down_the_chain_naming_who_would_decide(sandbox: Sandbox) -> None:
    """Without the session's value the last ~/.bashrc line decides, then the one before it,
    then the go env file, then $GOROOT/go.env: the go env file is never skipped."""
    sandbox.write(".config/go/env", f"GOPROXY={FILE_PROXY}\n")
    sandbox.write(".bashrc", "export GOPROXY=https://a.example\nexport GOPROXY=https://b.example\n")
    sandbox.write(".profile", ". ~/.bashrc\n")
    env = dict(sandbox.env, GOPROXY="https://session.example")
    text = sandbox.goenv_tui("explain", "GOPROXY", env=env).stdout
    want = [
        "Without it, it would be 'https://b.example' from ~/.bashrc:2.",
        "  and without that, 'https://a.example' from ~/.bashrc:1.",
        f"  and without that, '{FILE_PROXY}' from the go env file (~/.config/go/env:1).",
        "  and without that, 'https://proxy.golang.org,direct' from $GOROOT/go.env",
    ]
    lines = text.splitlines()
    start = lines.index(want[0])
    assert [ln[: len(w)] for ln, w in zip(lines[start:], want, strict=False)] == want, text


def test_a_nologin_account_traces_the_shell_it_runs_in(sandbox: Sandbox) -> None:
    """SHELL=/usr/sbin/nologin (service accounts, containers): goenv-tui run from bash traces
    bash — its parent process — instead of "tracing" nologin."""
    bash = shell_path("bash")
    sandbox.write(".bashrc", "export GOFLAGS=-trimpath\n")
    sandbox.write(".profile", ". ~/.bashrc\n")
    env = dict(sandbox.env, SHELL="/usr/sbin/nologin", PYTHONPATH=str(REPO))
    cmd = f"{sys.executable} -m goenv_tui show --json GOFLAGS"
    out = sandbox.run([bash, "-c", cmd], env=env)
    data = json.loads(out.stdout)
    assert data["shell"]["name"] == "bash" and data["shell"]["traced"], data["shell"]
    assert os.path.realpath(data["shell"]["path"]) == os.path.realpath(bash), data["shell"]
    src = data["variables"]["GOFLAGS"]["chain"]
    assert any(e["layer"] == "startup" and e.get("file", "").endswith(".bashrc") for e in src)
    # with no shell around it at all, nologin is skipped too: bash, never nologin
    direct = sandbox.goenv_tui("show", "--json", "GOFLAGS", env=env)
    shell = json.loads(direct.stdout)["shell"]
    assert shell["name"] == "bash" and os.path.basename(shell["path"]) == "bash", shell


def test_staging_refuses_an_empty_value_unless_asked_and_says_what_it_replaces(
    sandbox: Sandbox,
) -> None:
    refused = sandbox.goenv_tui("stage", "set", "GOPROXY=", "--to", "goenv")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "empty value" in refused.stderr and "--empty" in refused.stderr
    assert "`goenv-tui unset GOPROXY`" in refused.stderr
    assert "Nothing is staged." in sandbox.goenv_tui("stage", "list").stdout
    first = sandbox.goenv_tui("stage", "set", "GOFLAGS=-trimpath", "--to", "goenv")
    assert first.returncode == 0 and "replaces" not in first.stdout, first.stdout
    again = sandbox.goenv_tui("stage", "set", "GOFLAGS=", "--to", "goenv", "--empty")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "It replaces the staged change: set GOFLAGS=-trimpath  [to goenv]." in again.stdout
    listed = sandbox.goenv_tui("stage", "list").stdout.splitlines()
    assert listed == ["1. set GOFLAGS=  [to goenv]"], listed


@pytest.mark.parametrize(
    ("checkpoint", "ends"),
    [
        ("apply.preflighted", "interrupted: not applied — every file is as it was before"),
        ("apply.file-replaced", "interrupted: not applied — every file is as it was before"),
        ("apply.committed", "interrupted after the change was applied as "),
    ],
)
def test_ctrl_c_during_apply_ends_with_one_line_that_says_whether_it_applied(
    sandbox: Sandbox, checkpoint: str, ends: str
) -> None:
    """A real SIGINT (Ctrl+C) at a real checkpoint of the transaction."""
    sandbox.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    before = sandbox.go_env_file.read_bytes()
    env = dict(sandbox.env, GOENV_TUI_FAULT=f"{checkpoint}@int")
    out = sandbox.goenv_tui("set", "GOPATH=/srv/go", "--to", "goenv", "--yes", env=env)
    assert out.returncode == 130, out.stdout + out.stderr
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith(f"goenv-tui: {ends}"), line
    applied = "applied as" in ends
    assert (sandbox.go_env_file.read_bytes() != before) == applied
    if applied:
        txid = line.split("applied as ")[1].split()[0]
        assert f"`goenv-tui rollback {txid}`" in line
        assert sandbox.goenv_tui("rollback", txid, "--yes").returncode == 0
        assert sandbox.go_env_file.read_bytes() == before
    assert not (sandbox.state / "journal.json").exists()


def test_the_doctor_recommends_one_fix_per_variable_that_makes_nothing_worse(
    sandbox: Sandbox,
) -> None:
    """The go env file's GOPROXY hidden by an export after ~/.bashrc's interactive guard: two
    findings about GOPROXY; disabling the line is the one recommended fix, and moving it above
    the guard (which would spread the hiding to ssh) is not offered."""
    guard = "case $- in\n    *i*) ;;\n      *) return;;\nesac\n"
    sandbox.write(".config/go/env", f"GOPROXY={FILE_PROXY}\n")
    sandbox.write(".bashrc", guard + f"export GOPROXY={RC_PROXY}\n")
    sandbox.write(".profile", ". ~/.bashrc\n")
    env = dict(sandbox.env, GOPROXY=RC_PROXY)
    found = sandbox.doctor_findings(env)
    mine = [f for f in found if f["variable"] == "GOPROXY"]
    assert {f["id"] for f in mine} >= {"goenv-shadowed-goproxy", "after-interactive-guard-goproxy"}
    assert [f["id"] for f in mine if f["recommended"]] == ["goenv-shadowed-goproxy"]
    assert mine[0]["id"] == "goenv-shadowed-goproxy"  # grouped, the recommended one first
    ids = [f["id"] for f in found]
    assert ids.index("after-interactive-guard-goproxy") == ids.index("goenv-shadowed-goproxy") + 1
    guard_finding = next(f for f in mine if f["id"] == "after-interactive-guard-goproxy")
    assert (
        guard_finding["fix"] is None
        and "Take goenv-shadowed-goproxy's fix first" in (guard_finding["message"])
    )
    assert "VS Code and GoLand do" in guard_finding["message"]
    text = sandbox.goenv_tui("doctor", env=env).stdout
    assert "fix (recommended): disable ~/.bashr" in text
    # the recommended fix takes effect in a fresh terminal and leaves no GOPROXY finding
    done = sandbox.goenv_tui("fix", "goenv-shadowed-goproxy", "--yes", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _login(sandbox, "go env GOPROXY") == FILE_PROXY
    after = sandbox.doctor_findings()
    assert not [f["id"] for f in after if f["variable"] == "GOPROXY"], after


def test_no_warning_for_go_defaults_but_one_for_no_go_over_ssh(sandbox: Sandbox) -> None:
    """A ~/.bashrc that adds go's folder to PATH and exports GOPATH=$HOME/go (go's own
    default), both after the interactive guard: `ssh host go` finds no go (a finding); the
    GOPATH line changes nothing go sees (no finding)."""
    guard = "case $- in\n    *i*) ;;\n      *) return;;\nesac\n"
    sdk = sandbox.home / "sdk" / "go" / "bin"
    sdk.mkdir(parents=True)
    (sdk / "go").symlink_to((sandbox.bin / "go").resolve())
    (sandbox.bin / "go").unlink()
    sandbox.write(
        ".bashrc", guard + 'export PATH="$HOME/sdk/go/bin:$PATH"\nexport GOPATH=$HOME/go\n'
    )
    sandbox.write(".profile", ". ~/.bashrc\n")
    env = dict(sandbox.env, PATH=f"{sdk}:{sandbox.env['PATH']}", GOPATH=str(sandbox.home / "go"))
    found = {f["id"]: f for f in sandbox.doctor_findings(env)}
    assert "go-not-on-path-remote" in found, sorted(found)
    remote = found["go-not-on-path-remote"]
    assert remote["severity"] == "warning"
    assert "~/sdk/go/bin" in remote["message"]
    # the line that adds it, after the guard that starts at line 1
    assert (
        "~/.bashrc:5 puts it on PATH after the interactive guard at ~/.bashrc:1"
        in (remote["message"])
    )
    assert remote["evidence"][0] == "~/.bashrc:5"
    assert not [i for i in found if i.endswith("-gopath") and i != "gobin-not-on-path"], sorted(
        found
    )


def test_a_script_shell_does_not_choose_the_traced_shell(sandbox: Sandbox) -> None:
    """`sh -c` (make, scripts, subprocess shell=True) says nothing about the user's shell:
    $SHELL decides then, so a zsh user run from a script still gets zsh traced."""
    zsh = shell_path("zsh")
    env = dict(sandbox.env, SHELL=zsh, PYTHONPATH=str(REPO))
    cmd = f"{sys.executable} -m goenv_tui show --json GOPATH"
    out = sandbox.run([shell_path("sh"), "-c", cmd], env=env)
    assert json.loads(out.stdout)["shell"]["name"] == "zsh", out.stdout[:300]


def test_an_interrupted_apply_keeps_the_staged_plan(sandbox: Sandbox) -> None:
    assert sandbox.goenv_tui("stage", "set", "GOPATH=/srv/go", "--to", "goenv").returncode == 0
    env = dict(sandbox.env, GOENV_TUI_FAULT="apply.file-replaced@int")
    out = sandbox.goenv_tui("apply", "--yes", env=env)
    assert out.returncode == 130, out.stdout + out.stderr
    assert "not applied" in out.stderr
    assert sandbox.goenv_tui("stage", "list").stdout.startswith("1. set GOPATH=/srv/go")
    done = sandbox.goenv_tui("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Nothing is staged." in sandbox.goenv_tui("stage", "list").stdout


def test_a_fix_that_would_do_nothing_is_not_offered(sandbox: Sandbox) -> None:
    """Rewriting the go env file's misspelt GOPRIVATE line so that go reads it changes
    nothing go gets: ~/.bashrc's export shadows it (seen in the predicted world). That fix
    is dropped and its finding says why; doctor and fix agree."""
    sandbox.write(".config/go/env", "GOPRIVATE =*.corp.example\n")
    sandbox.write(".bashrc", "export GOPRIVATE=*.other.example\n")
    sandbox.write(".profile", ". ~/.bashrc\n")
    env = dict(sandbox.env, GOPRIVATE="*.other.example")
    found = {f["id"]: f for f in sandbox.doctor_findings(env)}
    line = found["goenv-line-ignored-goprivate-line-1"]
    assert line["fix"] is None and not line["recommended"]
    assert "is not offered here: it would have no effect: GOPRIVATE: no effect" in (line["message"])
    assert "~/.bashrc:1" in line["message"]
    refused = sandbox.goenv_tui("fix", "goenv-line-ignored-goprivate-line-1", "--yes", env=env)
    assert refused.returncode == 2 and "has no automatic fix" in refused.stderr
    assert sandbox.go_env_file.read_text() == "GOPRIVATE =*.corp.example\n"
