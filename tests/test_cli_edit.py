"""The edit commands end to end: real go, real bash, real files in a sandbox HOME."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import NOBODY, Sandbox, shell_path

SKEL_GUARD = (
    "# If not running interactively, don't do anything\n"
    "case $- in\n    *i*) ;;\n      *) return;;\nesac\n"
)
PROFILE = 'if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi\n'


def files_of(sb: Sandbox) -> dict[str, bytes | None]:
    """Every regular file under HOME (and the state dir's history count)."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirs, files in os.walk(sb.home):
        # go's own side effects of any `go env`: build cache, telemetry counters
        dirs[:] = [d for d in dirs if d not in (".cache", "telemetry")]
        for f in files:
            p = Path(dirpath) / f
            out[str(p.relative_to(sb.home))] = p.read_bytes() if not p.is_symlink() else None
    return out


def fresh(sb: Sandbox, cmd: str, mode: str = "-lic") -> str:
    """What a fresh login+interactive bash prints for `cmd` (mode "-c": like `ssh host cmd`,
    which makes bash read ~/.bashrc)."""
    env = dict(sb.env, SSH_CLIENT="192.0.2.1 50000 22", PYTHONPATH="")
    out = sb.run([shell_path("bash"), mode, f"PATH={sb.bin}:$PATH; {cmd}"], env=env)
    return out.stdout.strip()


@pytest.fixture
def home(sandbox: Sandbox) -> Iterator[Sandbox]:
    """Debian-like: ~/.profile sources ~/.bashrc, which has the interactive guard."""
    sandbox.write(".profile", PROFILE)
    sandbox.write(".bashrc", "# rc\n" + SKEL_GUARD + "alias ll='ls -l'\n")
    yield sandbox


def test_set_goenv_writes_go_env_w_bytes_and_takes_effect(home: Sandbox, tmp_path: Path) -> None:
    home.write(".config/go/env", "# mine\nGOFLAGS=-mod=mod\n")
    out = home.goenv_tui("set", "GOPRIVATE=*.corp.example", "--to", "goenv", "--yes")
    assert out.returncode == 0, out.stderr
    assert "go env -w GOPRIVATE=*.corp.example" in out.stdout.replace("'", "")
    assert "ok GOPRIVATE: a fresh terminal gets '*.corp.example' from ~/.config/go/env:" in (
        out.stdout
    )
    # the bytes are what the real `go env -w` writes to the same file
    ref = tmp_path / "ref-env"
    ref.write_text("# mine\nGOFLAGS=-mod=mod\n")
    env = dict(home.env, GOENV=str(ref))
    subprocess.run(["go", "env", "-w", "GOPRIVATE=*.corp.example"], env=env, check=True)
    assert home.go_env_file.read_bytes() == ref.read_bytes()
    assert fresh(home, "go env GOPRIVATE") == "*.corp.example"
    assert home.run(["go", "env", "GOPRIVATE"]).stdout.strip() == "*.corp.example"


def test_default_place_rewrites_the_winning_line_and_warns_about_ssh(home: Sandbox) -> None:
    home.write(".bashrc", "# rc\n" + SKEL_GUARD + "export GOFLAGS=-mod=mod\n")
    dry = home.goenv_tui("set", "GOFLAGS=-trimpath", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "~/.bashrc:7" in dry.stdout
    assert "does not reach `ssh host cmd`" in dry.stdout
    # (this test session has no GOFLAGS: it takes effect in new terminals)
    assert (
        "ok GOFLAGS: a fresh terminal gets '-trimpath' from ~/.bashrc:7; this session has no"
        in (dry.stdout)
    )
    assert "-mod=mod" in (home.home / ".bashrc").read_text()  # dry run changed nothing
    out = home.goenv_tui("set", "GOFLAGS=-trimpath", "--yes")
    assert out.returncode == 0, out.stderr
    assert (home.home / ".bashrc").read_text().endswith("export GOFLAGS=-trimpath\n")
    assert fresh(home, "go env GOFLAGS") == "-trimpath"


def test_to_startup_reaches_login_and_noninteractive_shells(home: Sandbox) -> None:
    out = home.goenv_tui("set", "GOFLAGS=-trimpath", "--to", "startup", "--yes")
    assert out.returncode == 0, out.stderr
    assert "ssh host cmd" not in out.stdout  # the block is at the top: it reaches them
    text = (home.home / ".bashrc").read_text()
    assert text.index("# >>> goenv-tui >>>") < text.index("case $-")
    assert fresh(home, "go env GOFLAGS") == "-trimpath"
    assert fresh(home, "go env GOFLAGS", "-c") == "-trimpath"  # `ssh host cmd` style
    # a later line of the file sets it too: the block moves to the end, where it wins (and
    # says it no longer reaches `ssh host cmd`) instead of staying above that line and losing
    home.write(".bashrc", text + "export GOFLAGS=-mod=mod\n")
    dry = home.goenv_tui("set", "GOFLAGS=-race", "--to", "startup", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "ok GOFLAGS: a fresh terminal gets '-race' from ~/.bashrc" in dry.stdout
    assert "no effect" not in dry.stdout
    assert "does not reach `ssh host cmd`" in dry.stdout
    out = home.goenv_tui("set", "GOFLAGS=-race", "--to", "startup", "--yes")
    assert out.returncode == 0, out.stdout
    assert fresh(home, "go env GOFLAGS") == "-race"


def test_goenv_value_shadowed_by_bashrc_is_predicted(home: Sandbox) -> None:
    home.write(".bashrc", "export GOPROXY=https://rc.example\n" + SKEL_GUARD)
    dry = home.goenv_tui("set", "GOPROXY=https://file.example", "--to", "goenv", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "no effect — a fresh terminal still gets 'https://rc.example' from ~/.bashrc:1" in (
        dry.stdout
    )
    assert "`goenv-tui unset GOPROXY --from ~/.bashrc:1`" in dry.stdout
    out = home.goenv_tui("set", "GOPROXY=https://file.example", "--to", "goenv", "--yes")
    assert out.returncode == 1, out.stdout  # applied, but it has no effect: say so, exit 1
    assert "!! GOPROXY: no effect" in out.stdout


@pytest.mark.parametrize(
    ("assignment", "words"),
    [
        ("GOSUMDB=https://sum.golang.org", "GOSUMDB"),
        ("CGO_ENABLED=2", "CGO_ENABLED"),
        ("GOPRIVATE=a.example, b.example", "GOPRIVATE"),
        ("GOCACHE=relative/dir", "GOCACHE"),
        ("GOTOOLCHAIN=bogus", "GOTOOLCHAIN"),
        ("GOFLAGS=-insecure", "-insecure"),
        ("GOVERSION=go1.2", "GOVERSION"),
    ],
)
def test_refused_value_changes_nothing_and_exits_2(
    home: Sandbox, assignment: str, words: str
) -> None:
    home.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    before = files_of(home)
    out = home.goenv_tui("set", assignment, "--to", "goenv", "--yes")
    assert out.returncode == 2, out.stdout + out.stderr
    assert words in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert files_of(home) == before
    assert not (home.state / "history").exists() or not os.listdir(home.state / "history")


def test_no_terminal_without_yes_changes_nothing(home: Sandbox) -> None:
    before = files_of(home)
    out = home.goenv_tui("set", "GOPATH=/srv/go", "--to", "goenv")
    assert out.returncode == 2
    assert "no terminal to confirm on; add --yes" in out.stderr
    assert "GOPATH=/srv/go" in out.stdout  # the preview was shown
    assert files_of(home) == before


def test_stage_list_drop_preview_apply(home: Sandbox) -> None:
    assert home.goenv_tui("stage", "set", "GOPATH=/srv/go", "--to", "goenv").returncode == 0
    assert home.goenv_tui("stage", "set", "GOFLAGS=-mod=mod", "--to", "startup").returncode == 0
    assert home.goenv_tui("stage", "set", "GOBIN=/srv/bin", "--to", "goenv").returncode == 0
    bad = home.goenv_tui("stage", "set", "GOSUMDB=https://x.example", "--to", "goenv")
    assert bad.returncode == 2
    listed = home.goenv_tui("stage", "list").stdout.splitlines()
    assert [line.split(".")[0] for line in listed] == ["1", "2", "3"]
    assert home.goenv_tui("stage", "drop", "3").returncode == 0
    assert home.goenv_tui("stage", "drop", "7").returncode == 2
    pv = home.goenv_tui("preview")
    assert pv.returncode == 0, pv.stderr
    assert "2 changes, 2 files to write" in pv.stdout
    assert "+GOPATH=/srv/go" in pv.stdout and "+export GOFLAGS=-mod=mod" in pv.stdout
    assert not home.go_env_file.exists()  # preview changed nothing
    out = home.goenv_tui("apply", "--yes")
    assert out.returncode == 0, out.stdout + out.stderr
    assert home.go_env_file.read_text() == "GOPATH=/srv/go\n"
    assert "Nothing is staged." in home.goenv_tui("stage", "list").stdout
    hist = json.loads(home.goenv_tui("history", "--json").stdout)
    assert len(hist["transactions"]) == 1
    assert len(hist["transactions"][0]["files"]) == 2
    assert home.goenv_tui("apply", "--yes").returncode == 2  # nothing staged


def test_unset_default_and_from_line(home: Sandbox) -> None:
    home.write(".config/go/env", "GOPATH=/srv/go\nGOFLAGS=-mod=mod\n")
    home.write(".bashrc", "export GOBIN=/srv/bin\n" + SKEL_GUARD)
    out = home.goenv_tui("unset", "GOPATH", "--yes")
    assert out.returncode == 0, out.stderr
    assert home.go_env_file.read_text() == "GOFLAGS=-mod=mod\n"
    # without --from it unsets where the value takes effect: the line that decides it
    dry = home.goenv_tui("unset", "GOBIN", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "~/.bashrc:1" in dry.stdout and "no effect" not in dry.stdout
    out = home.goenv_tui("unset", "GOBIN", "--from", "~/.bashrc:1", "--yes")
    assert out.returncode == 0, out.stderr
    assert fresh(home, "go env GOBIN") == str(home.home / "go" / "bin")  # go's default
    assert (home.home / ".bashrc").read_text().startswith("# goenv-tui: ")


def test_rollback_restores_every_byte(home: Sandbox) -> None:
    home.write(".config/go/env", "# keep me\r\nGOFLAGS=-mod=mod\r\n")
    before = files_of(home)
    assert home.goenv_tui("set", "GOPATH=/srv/go", "--to", "goenv", "--yes").returncode == 0
    assert home.goenv_tui("set", "GOBIN=/srv/bin", "--to", "startup", "--yes").returncode == 0
    assert files_of(home) != before
    # a bare rollback steps back through the history: the second change, then the first
    for _ in range(2):
        out = home.goenv_tui("rollback", "--yes")
        assert out.returncode == 0, out.stderr
        assert "file(s) restored" in out.stdout and "as None" not in out.stdout
    assert files_of(home) == before, "every byte restored"
    out = home.goenv_tui("rollback", "--yes")
    assert out.returncode == 2 and "rolled back already" in out.stderr
    hist = json.loads(home.goenv_tui("history", "--json").stdout)["transactions"]
    first = hist[0]["txid"]
    again = home.goenv_tui("rollback", first, "--yes")  # already as it was: says so
    assert again.returncode == 0 and "Nothing to do" in again.stdout, again.stdout


def test_rollback_refuses_when_the_file_changed_since(home: Sandbox) -> None:
    assert home.goenv_tui("set", "GOPATH=/srv/go", "--to", "goenv", "--yes").returncode == 0
    with home.go_env_file.open("a") as fh:
        fh.write("GOBIN=/mine\n")
    out = home.goenv_tui("rollback", "--yes")
    assert out.returncode == 2
    assert "changed since" in out.stderr and "--force" in out.stderr
    assert "+GOBIN" not in out.stdout and "-GOBIN=/mine" in out.stdout  # the diff shows the loss
    assert "GOBIN=/mine" in home.go_env_file.read_text()
    assert home.goenv_tui("rollback", "--yes", "--force").returncode == 0
    assert not home.go_env_file.exists()


def test_history_and_preview_redact_secrets(home: Sandbox) -> None:
    value = "https://alice:s3cr3t-token@proxy.corp.example,direct"
    out = home.goenv_tui("set", f"GOPROXY={value}", "--to", "goenv", "--yes")
    assert out.returncode == 0, out.stderr
    assert "s3cr3t-token" not in out.stdout
    assert "s3cr3t-token" in home.go_env_file.read_text()  # the file itself has it
    for args in (("history",), ("history", "--json")):
        shown = home.goenv_tui(*args)
        assert shown.returncode == 0
        assert "s3cr3t-token" not in shown.stdout and "REDACTED" in shown.stdout


def test_symlink_and_hard_link_notes(home: Sandbox) -> None:
    dots = home.home / "dotfiles"
    dots.mkdir()
    (home.home / ".bashrc").rename(dots / "bashrc")
    (home.home / ".bashrc").symlink_to(dots / "bashrc")
    out = home.goenv_tui("set", "GOFLAGS=-mod=mod", "--to", "startup", "--yes")
    assert out.returncode == 0, out.stderr
    assert "writes through symlink → ~/dotfiles/bashrc" in out.stdout
    assert (home.home / ".bashrc").is_symlink()
    assert "GOFLAGS=-mod=mod" in (dots / "bashrc").read_text()
    home.write(".config/go/env", "GOPATH=/a\n")
    os.link(home.go_env_file, home.home / "env-copy")
    dry = home.goenv_tui("set", "GOPATH=/b", "--to", "goenv", "--dry-run")
    assert "has 2 hard links" in dry.stdout


def test_bad_place_is_one_sentence(home: Sandbox) -> None:
    for args in (
        ("set", "GOPATH=/x", "--to", "nowhere"),
        ("set", "GOPATH", "--to", "goenv"),
        ("set", "GOPATH=/x", "--to", "~/.bashrc:999", "--yes"),
        ("unset", "GOPATH=/x"),
    ):
        out = home.goenv_tui(*args)
        assert out.returncode == 2, args
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_system_file_in_a_private_etc(home: Sandbox) -> None:
    """As root: /etc/profile.d/goenv-tui.sh is created, and a login bash reads it."""
    profile_d = {"00-base.sh": "export GOBIN=/from/base\n"}
    script = (
        f"{sys.executable} -m goenv_tui set GOFLAGS=-mod=mod "
        "--to startup:/etc/profile.d/goenv-tui.sh --yes && cat /etc/profile.d/goenv-tui.sh && "
        f"bash -lc 'PATH={home.bin}:$PATH; go env GOFLAGS'"
    )
    out = home.run(["sh", "-c", script], etc={"/etc/profile.d": profile_d})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "export GOFLAGS=-mod=mod" in out.stdout
    assert "ok GOFLAGS" in out.stdout
    assert out.stdout.strip().endswith("-mod=mod")


def _nobody_home(kit: dict[str, str]) -> tuple[Path, dict[str, str]]:
    root = Path(tempfile.mkdtemp(prefix="goenv-tui-nobody-", dir="/tmp"))
    root.chmod(0o755)
    home = root / "home"
    home.mkdir()
    (home / ".profile").write_text(PROFILE)
    gobin = Path(kit["go"]).parent
    (home / ".bashrc").write_text(f"export PATH={gobin}:$PATH\n" + SKEL_GUARD)
    for dirpath, _dirs, files in os.walk(root):
        os.chown(dirpath, NOBODY, NOBODY)
        for f in files:
            os.chown(os.path.join(dirpath, f), NOBODY, NOBODY)
    env = {
        "HOME": str(home),
        "USER": "nobody",
        "LOGNAME": "nobody",
        "PATH": f"{gobin}:/usr/bin:/bin",
        "SHELL": "/bin/bash",
        "LANG": "C.UTF-8",
        "PYTHONPATH": kit["pythonpath"],
        "GOTOOLCHAIN": "local",
    }
    return root, env


def _as_nobody(
    kit: dict[str, str], env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            kit["python"],
            "-m",
            "goenv_tui",
            *args,
        ],
        env=env,
        cwd=env["HOME"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def test_unprivileged_user_edits_home_and_is_refused_etc(nobody_kit: dict[str, str]) -> None:
    root, env = _nobody_home(nobody_kit)
    try:
        home = Path(env["HOME"])
        out = _as_nobody(nobody_kit, env, "set", "GOPATH=/srv/go", "--to", "goenv", "--yes")
        assert out.returncode == 0, out.stdout + out.stderr
        assert "as predicted" in out.stdout  # the prediction ran in a user namespace
        env_file = home / ".config" / "go" / "env"
        assert env_file.read_text() == "GOPATH=/srv/go\n"
        assert env_file.stat().st_uid == NOBODY
        before = sorted(os.listdir("/etc/profile.d"))
        out = _as_nobody(
            nobody_kit,
            env,
            "set",
            "GOFLAGS=-mod=mod",
            "--to",
            "startup:/etc/profile.d/goenv-tui.sh",
            "--yes",
        )
        assert out.returncode == 2
        assert "not writable by you" in out.stderr
        assert "run: sudo goenv-tui set GOFLAGS=-mod=mod" in out.stderr
        assert sorted(os.listdir("/etc/profile.d")) == before
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_root_editing_a_users_file_keeps_its_owner(home: Sandbox) -> None:
    rc = home.home / ".bashrc"
    os.chown(rc, NOBODY, NOBODY)
    rc.chmod(0o640)
    out = home.goenv_tui("set", "GOFLAGS=-mod=mod", "--to", "startup", "--yes")
    assert out.returncode == 0, out.stderr
    assert "stays owned by nobody" in out.stdout
    st = rc.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (NOBODY, NOBODY, 0o640)


def _on_a_terminal(sb: Sandbox, answer: bytes, *args: str) -> tuple[int, str]:
    """Run goenv-tui on a pseudo-terminal, answer its question, return (status, output)."""
    import pty
    import select

    env = dict(sb.env, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec at once
        os.chdir(sb.home)
        os.execve(sys.executable, [sys.executable, "-m", "goenv_tui", *args], env)
    out = b""
    answered = False
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, f"no output within 60 s: {out!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
        if not answered and b"[y/N]" in out:
            os.write(fd, answer)
            answered = True
    _, status = os.waitpid(pid, 0)
    assert answered, out.decode(errors="replace")
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_asks_on_a_terminal(home: Sandbox) -> None:
    status, out = _on_a_terminal(home, b"n\n", "set", "GOPATH=/srv/go", "--to", "goenv")
    assert status == 1 and "Nothing was changed." in out
    assert not home.go_env_file.exists()
    status, out = _on_a_terminal(home, b"y\n", "set", "GOPATH=/srv/go", "--to", "goenv")
    assert status == 0, out
    assert home.go_env_file.read_text() == "GOPATH=/srv/go\n"
    status, out = _on_a_terminal(home, b"y\n", "rollback")
    assert status == 0, out
    assert not home.go_env_file.exists()


def test_interrupted_apply_is_recovered_by_the_next_command(home: Sandbox) -> None:
    home.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    before = files_of(home)
    env = dict(home.env, GOENV_TUI_FAULT="apply.before-commit")
    out = home.goenv_tui("set", "GOPATH=/srv/go", "--to", "goenv", "--yes", env=env)
    assert out.returncode == -9, out.stderr
    assert files_of(home) != before  # killed after writing, before the commit point
    shown = home.goenv_tui("show", "GOPATH", "--json")
    assert shown.returncode == 0, shown.stderr
    assert "Recovered from an interrupted change" in shown.stderr
    assert json.loads(shown.stdout)["variables"]["GOPATH"]["value"] == str(home.home / "go")
    assert files_of(home) == before


def test_zsh_user_gets_zshenv(sandbox: Sandbox) -> None:
    zsh = shell_path("zsh")
    sandbox.env["SHELL"] = zsh
    out = sandbox.goenv_tui("set", "GOFLAGS=-mod=mod", "--to", "startup", "--yes")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ok GOFLAGS: a fresh terminal gets '-mod=mod' from ~/.zshenv:" in out.stdout
    assert "export GOFLAGS=-mod=mod" in (sandbox.home / ".zshenv").read_text()
    got = sandbox.run([zsh, "-c", f"PATH={sandbox.bin}:$PATH; go env GOFLAGS"])
    assert got.stdout.strip() == "-mod=mod"


def test_fish_user_gets_conf_d_with_its_folders(sandbox: Sandbox) -> None:
    fish = shell_path("fish")
    sandbox.env["SHELL"] = fish
    out = sandbox.goenv_tui("set", "GOFLAGS=-mod=mod", "--to", "startup", "--yes")
    assert out.returncode == 0, out.stdout + out.stderr
    conf = sandbox.home / ".config" / "fish" / "conf.d" / "goenv-tui.fish"
    assert "set -gx -- GOFLAGS -mod=mod" in conf.read_text()
    assert "created folder ~/.config/fish" in out.stdout
    assert conf.parent.stat().st_mode & 0o777 == 0o700
    got = sandbox.run([fish, "-c", f"set PATH {sandbox.bin} $PATH; go env GOFLAGS"])
    assert got.stdout.strip() == "-mod=mod"


def test_session_value_keeps_its_origin_in_the_prediction(home: Sandbox) -> None:
    env = dict(home.env, GOFLAGS="-race")
    out = home.goenv_tui("set", "GOFLAGS=-mod=mod", "--to", "goenv", "--yes", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        "ok GOFLAGS: a fresh terminal gets '-mod=mod' from ~/.config/go/env:1; this session "
        "keeps '-race' until you open a new terminal (or run `unset GOFLAGS` here)."
    ) in out.stdout
    assert (
        "ok GOFLAGS: a fresh terminal gets '-mod=mod' from ~/.config/go/env:1, as predicted; "
        "this session keeps '-race'"
    ) in out.stdout


def test_without_a_mount_namespace_the_preview_says_so_and_apply_still_verifies(
    home: Sandbox,
) -> None:
    env = dict(home.env, GOENV_TUI_DENY_NAMESPACE="1")
    out = home.goenv_tui("set", "GOPATH=/srv/go", "--to", "goenv", "--yes", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "The result could not be predicted" in out.stdout
    assert "private mount namespace" in out.stdout
    assert "After apply:" not in out.stdout  # no made-up table
    assert "ok GOPATH: a fresh terminal gets '/srv/go'" in out.stdout  # the requested value
    assert home.go_env_file.read_text() == "GOPATH=/srv/go\n"
    # a value that does not take effect is reported, exit 1
    home.write(".bashrc", "export GOFLAGS=-mod=mod\n" + SKEL_GUARD)
    out = home.goenv_tui(
        "set", "GOFLAGS=-trimpath", "--to", "goenv", "--yes", env=dict(env, GOFLAGS="-mod=mod")
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "!! GOFLAGS" in out.stdout
