"""End to end: `goenv-tui show --json` inside real login shells over sandbox HOMEs.

Each test writes real startup files, runs the user's real shell as a login+interactive
shell that then runs goenv-tui (as a user would type it), and checks the layer, file and
line that decided each value, against the real go.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import NOBODY, REPO, Sandbox, go_env_json, shell_path

DEFAULT_PROFILE = 'export PATH="{bin}:$PATH"\n[ -f ~/.bashrc ] && . ~/.bashrc\n'


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing needle."""
    for i, text in enumerate(path.read_text().splitlines(), 1):
        if needle in text:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def login_show(
    sb: Sandbox,
    *args: str,
    shell: str = "bash",
    pre: str = "",
    etc: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    expect_rc: int = 0,
) -> dict[str, Any]:
    """Run `goenv-tui show --json ARGS` typed into a fresh login+interactive shell."""
    sh = shell_path(shell)
    if shell == "bash" and not (sb.home / ".bash_profile").exists():
        sb.write(".bash_profile", DEFAULT_PROFILE.format(bin=sb.bin))
    full = dict(sb.env if env is None else env)
    full["SHELL"] = sh
    cmd = f"{pre}\n{sys.executable} -m goenv_tui show --json {' '.join(args)}"
    out = sb.run([sh, "-lic", cmd], env=full, etc=etc)
    assert out.returncode == expect_rc, out.stderr
    return json.loads(out.stdout)


def var(data: dict[str, Any], name: str) -> dict[str, Any]:
    return data["variables"][name]


def entries(v: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    return [e for e in v["chain"] if e["layer"] == layer]


# -- precedence over the go env file ------------------------------------------------------


def test_bashrc_export_beats_go_env_file(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOPROXY=https://file.example\n")
    rc = sandbox.write(".bashrc", "# rc\nexport GOPROXY=https://rc.example,direct\n")
    data = login_show(sandbox)
    v = var(data, "GOPROXY")
    assert v["value"] == "https://rc.example,direct"
    assert v["source"] == {
        "layer": "startup",
        "file": str(rc),
        "line": 2,
        "value": "https://rc.example,direct",
        "state": "active",
    }
    (goenv,) = entries(v, "goenv")
    assert goenv["state"] == "shadowed" and goenv["line"] == 1
    assert goenv["file"] == str(sandbox.go_env_file)
    (goroot,) = entries(v, "goroot")
    assert goroot["state"] == "shadowed" and goroot["value"] == "https://proxy.golang.org,direct"
    layers = [e["layer"] for e in v["chain"]]
    assert layers == sorted(
        layers, key=["default", "goroot", "goenv", "system", "startup", "shell"].index
    )


def test_profile_d_then_bashrc_override(sandbox: Sandbox) -> None:
    rc = sandbox.write(".bashrc", "export GOFLAGS=-trimpath\n")
    etc = {"/etc/profile.d": {"go.sh": "# go\nexport GOFLAGS=-mod=mod\n"}}
    data = login_show(sandbox, etc=etc)
    v = var(data, "GOFLAGS")
    assert v["value"] == "-trimpath"
    assert (v["source"]["file"], v["source"]["line"]) == (str(rc), 1)
    prof = [e for e in entries(v, "startup") if e["file"] == "/etc/profile.d/go.sh"]
    assert prof and prof[0]["line"] == 2 and prof[0]["state"] == "shadowed"


def test_assignment_then_later_export(sandbox: Sandbox) -> None:
    rc = sandbox.write(".bashrc", "GOFLAGS=-mod=mod\n: other\n: more\nexport GOFLAGS\n")
    v = var(login_show(sandbox), "GOFLAGS")
    assert v["value"] == "-mod=mod"
    assert (v["source"]["file"], v["source"]["line"]) == (str(rc), 1)
    assert f"{rc}:4" in v["source"].get("note", "")


def test_branch_that_did_not_run(sandbox: Sandbox) -> None:
    rc = sandbox.write(
        ".bashrc",
        'if [ -n "$NO_SUCH_THING" ]; then\n  export GOPRIVATE=never.example\nfi\n',
    )
    v = var(login_show(sandbox), "GOPRIVATE")
    assert v["value"] == ""
    assert v["source"]["layer"] == "default"
    not_run = [e for e in v["chain"] if e["state"] == "not-run"]
    assert not_run and (not_run[0]["file"], not_run[0]["line"]) == (str(rc), 2)
    assert not_run[0]["value"] == "never.example"


def test_sourced_file(sandbox: Sandbox) -> None:
    extra = sandbox.write(".config/go.sh", "# go settings\nexport GOBIN=$HOME/gobin\n")
    sandbox.write(".bashrc", f". {extra}\n")
    v = var(login_show(sandbox), "GOBIN")
    assert v["value"] == str(sandbox.home / "gobin")
    assert (v["source"]["file"], v["source"]["line"]) == (str(extra), 2)


def test_function_that_exports(sandbox: Sandbox) -> None:
    rc = sandbox.write(
        ".bashrc",
        "setgo() {\n  export GOPATH=$HOME/work\n}\n# later\nsetgo\n",
    )
    v = var(login_show(sandbox), "GOPATH")
    assert v["value"] == str(sandbox.home / "work")
    assert (v["source"]["file"], v["source"]["line"]) == (str(rc), 2)


def test_eval_tool_init(sandbox: Sandbox) -> None:
    sandbox.write(
        str(sandbox.bin / "tool"),
        "#!/bin/sh\necho 'export GOMODCACHE=/tmp/tool-modcache'\n",
        mode=0o755,
    )
    rc = sandbox.write(".bashrc", '# init\neval "$(tool init -)"\n')
    v = var(login_show(sandbox), "GOMODCACHE")
    assert v["value"] == "/tmp/tool-modcache"
    assert (v["source"]["file"], v["source"]["line"]) == (str(rc), 2)


def test_bash_profile_hides_profile(sandbox: Sandbox) -> None:
    bp = sandbox.write(
        ".bash_profile", f'export PATH="{sandbox.bin}:$PATH"\nexport GOPATH=$HOME/from-bp\n'
    )
    prof = sandbox.write(".profile", "export GOPATH=$HOME/from-profile\n")
    v = var(login_show(sandbox), "GOPATH")
    assert v["value"] == str(sandbox.home / "from-bp")
    assert (v["source"]["file"], v["source"]["line"]) == (str(bp), 2)
    hidden = [e for e in v["chain"] if e.get("file") == str(prof)]
    assert hidden and hidden[0]["state"] == "not-run"


# -- the shell layer -----------------------------------------------------------------------


def test_value_set_only_in_this_session(sandbox: Sandbox) -> None:
    sandbox.write(".bashrc", ": nothing\n")
    v = var(login_show(sandbox, pre="export GOINSECURE=typed.example"), "GOINSECURE")
    assert v["value"] == "typed.example"
    assert v["source"]["layer"] == "shell" and v["source"]["origin"] == "session"
    assert "stale" not in v["flags"]


def test_stale_value(sandbox: Sandbox) -> None:
    rc = sandbox.write(".bashrc", "export GOFLAGS=-mod=mod\n")
    # The session started before ~/.bashrc was edited: it still has the old value.
    data = login_show(sandbox, pre="export GOFLAGS=-mod=readonly")
    v = var(data, "GOFLAGS")
    assert v["value"] == "-mod=readonly"
    assert v["source"]["layer"] == "shell"
    assert "stale" in v["flags"]
    stale = [e for e in v["chain"] if e["state"] == "stale"]
    assert stale and (stale[0]["file"], stale[0]["line"]) == (str(rc), 1)


def test_fresh_shell_would_set_missing_variable(sandbox: Sandbox) -> None:
    sandbox.write(".bashrc", "export GONOSUMDB=corp.example\n")
    v = var(login_show(sandbox, pre="unset GONOSUMDB"), "GONOSUMDB")
    assert v["value"] == ""
    assert "stale" in v["flags"]
    assert any(e["state"] == "stale" for e in v["chain"])


def test_exported_empty_is_flagged(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    sandbox.write(".bashrc", "export GOFLAGS=\n")
    v = var(login_show(sandbox), "GOFLAGS")
    assert v["value"] == "-mod=mod"
    assert v["source"]["layer"] == "goenv"
    assert "empty-ignored" in v["flags"]
    assert any(e["layer"] == "startup" and e["state"] == "ignored" for e in v["chain"])


# -- go's own layers -----------------------------------------------------------------------


def test_goenv_exported_to_custom_file(sandbox: Sandbox) -> None:
    custom = sandbox.write("custom-go.env", "# mine\nGOPROXY=off\n")
    rc = sandbox.write(".bashrc", f"export GOENV={custom}\n")
    data = login_show(sandbox)
    assert data["go"]["env_file"] == str(custom)
    v = var(data, "GOPROXY")
    assert v["value"] == "off"
    assert v["source"] == {
        "layer": "goenv",
        "file": str(custom),
        "line": 2,
        "value": "off",
        "state": "active",
    }
    g = var(data, "GOENV")
    assert g["value"] == str(custom)
    assert (g["source"]["file"], g["source"]["line"]) == (str(rc), 1)


def test_values_from_goroot_go_env_and_defaults(sandbox: Sandbox, go_bin: Path) -> None:
    sandbox.write(".bashrc", ": nothing\n")
    data = login_show(sandbox)
    goenv_file = go_bin.parent.parent / "go.env"
    v = var(data, "GOSUMDB")
    assert v["value"] == "sum.golang.org"
    assert v["source"]["layer"] == "goroot"
    assert v["source"]["file"] == str(goenv_file)
    assert v["source"]["line"] == line_of(goenv_file, "GOSUMDB=")
    p = var(data, "GOPATH")
    assert p["value"] == str(sandbox.home / "go")
    assert p["source"]["layer"] == "default"
    m = var(data, "GOMODCACHE")
    assert m["source"]["layer"] == "default"
    assert m["value"] == str(sandbox.home / "go" / "pkg" / "mod")


def test_zshenv(sandbox: Sandbox) -> None:
    zshenv = sandbox.write(".zshenv", "# zsh\nexport GOFLAGS=-trimpath\n")
    v = var(login_show(sandbox, shell="zsh"), "GOFLAGS")
    assert v["value"] == "-trimpath"
    assert (v["source"]["file"], v["source"]["line"]) == (str(zshenv), 2)


def test_etc_environment(sandbox: Sandbox) -> None:
    sandbox.write(".bashrc", ": nothing\n")
    etc = {"/etc/environment": 'PATH="/usr/local/bin:/usr/bin:/bin"\nGONOSUMDB=corp.example\n'}
    env = dict(sandbox.env, GONOSUMDB="corp.example")  # what PAM gave the session
    v = var(login_show(sandbox, etc=etc, env=env), "GONOSUMDB")
    assert v["value"] == "corp.example"
    assert v["source"] == {
        "layer": "system",
        "file": "/etc/environment",
        "line": 2,
        "value": "corp.example",
        "state": "active",
    }


# -- a missing or broken go ----------------------------------------------------------------


def test_go_missing(bare_sandbox: Sandbox) -> None:
    sb = bare_sandbox
    sb.write(".config/go/env", "GOPROXY=https://file.example\n")
    sb.write(".bashrc", ": nothing\n")
    data = login_show(sb)
    assert data["go"]["path"] is None
    assert data["go"]["error"]
    v = var(data, "GOPROXY")
    assert v["value"] == "https://file.example"
    assert v["source"]["file"] == str(sb.go_env_file)


@pytest.mark.parametrize("line", ["GOTOOLCHAIN=bogus", "GOCACHE=relative/cache"])
def test_go_broken(sandbox: Sandbox, line: str) -> None:
    sandbox.write(".config/go/env", f"# broken\n{line}\n")
    sandbox.write(".bashrc", ": nothing\n")
    env = {k: v for k, v in sandbox.env.items() if k != "GOTOOLCHAIN"}
    data = login_show(sandbox, env=env)
    name, value = line.split("=")
    assert data["go"]["error"] and name in data["go"]["error"]
    v = var(data, name)
    assert v["value"] == value
    assert (v["source"]["file"], v["source"]["line"]) == (str(sandbox.go_env_file), 2)


# -- parity with go env -json --------------------------------------------------------------


def test_parity_with_go_env_json(tmp_path: Path, any_go: Path) -> None:
    sb = Sandbox(tmp_path, any_go)
    sb.write(".config/go/env", "GOPRIVATE=corp.example\nGOFLAGS=-mod=mod\n")
    sb.write(".bashrc", "export GOBIN=$HOME/bin\nexport CGO_ENABLED=0\n")
    data = login_show(sb)
    env = dict(sb.env, GOBIN=str(sb.home / "bin"), CGO_ENABLED="0")
    env["PATH"] = f"{sb.bin}:{env['PATH']}"
    truth = go_env_json(any_go, env, sb.home)
    assert set(truth) <= set(data["variables"])
    for name, value in truth.items():
        if name == "GOGCCFLAGS":  # holds a fresh /tmp/go-build* path on every run
            continue
        assert data["variables"][name]["value"] == value, name
    assert data["go"]["version"] == truth["GOVERSION"]


# -- bad input, text output, explain, --changed --------------------------------------------


def test_show_unknown_name_is_one_sentence(sandbox: Sandbox) -> None:
    out = sandbox.goenv_tui("show", "NOTAVAR")
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "NOTAVAR" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_go_path_is_one_sentence(sandbox: Sandbox) -> None:
    out = sandbox.goenv_tui("--go", "/nonexistent/go", "show")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "--go" in out.stderr


def test_unreadable_go_env_file_is_reported(sandbox: Sandbox) -> None:
    sandbox.go_env_file.parent.mkdir(parents=True)
    sandbox.go_env_file.mkdir()  # a directory where the file should be
    out = sandbox.goenv_tui("show", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert any(str(sandbox.go_env_file) in w for w in data["warnings"]) or data["go"]["error"]


def test_text_table_fits_80_columns(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOPRIVATE=" + ",".join(f"h{i}.example" for i in range(30)))
    env = dict(sandbox.env, COLUMNS="80")
    out = sandbox.goenv_tui("show", env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.startswith("GOPRIVATE") for line in lines)
    assert max(len(line) for line in lines) <= 80


def test_explain_tells_the_story(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "# x\nGOPROXY=https://file.example\n")
    sandbox.write(".bashrc", "export GOPROXY=https://rc.example\n")
    sandbox.write(".bash_profile", DEFAULT_PROFILE.format(bin=sandbox.bin))
    out = sandbox.run(
        [shell_path("bash"), "-lic", f"{sys.executable} -m goenv_tui explain GOPROXY"]
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "GOPROXY is 'https://rc.example' because ~/.bashrc:1" in text
    assert "~/.config/go/env:2" in text and "shadowed" in text
    assert "https://proxy.golang.org,direct" in text and "go.env" in text


def test_changed_matches_go_env_changed(sandbox: Sandbox, go_bin: Path) -> None:
    sandbox.write(".config/go/env", "GOPRIVATE=corp.example\nGOSUMDB=sum.golang.org\n")
    env = dict(sandbox.env, GOFLAGS="-mod=mod")
    out = sandbox.goenv_tui("show", "--changed", "--json", env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    truth = subprocess.run(
        [str(go_bin), "env", "-changed", "-json"],
        env=env,
        cwd=sandbox.home,
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(data["variables"]) == set(json.loads(truth.stdout))
    assert "GOPRIVATE" in data["variables"] and "GOSUMDB" not in data["variables"]
    assert "go.env" not in data["changed"]["reasons"]["GOPRIVATE"]


def test_changed_on_old_go_is_emulated(tmp_path: Path, old_go_bin: Path) -> None:
    sb = Sandbox(tmp_path, old_go_bin)
    sb.write(".config/go/env", "GOPRIVATE=corp.example\nGOSUMDB=sum.golang.org\n")
    out = sb.goenv_tui("show", "--changed", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert "GOPRIVATE" in data["variables"] and "GOSUMDB" not in data["variables"]
    assert data["changed"]["method"].startswith("emulated")


# -- as an unprivileged user ---------------------------------------------------------------


RC_CASES = """\
# rc
export GOPROXY=https://rc.example
setgo() {
  export GOPATH=$HOME/work
}
setgo
GOFLAGS=-mod=mod
export GOFLAGS
eval "$(printf 'export GOMODCACHE=/tmp/eval-modcache')"
if [ -n "$NO_SUCH_THING" ]; then
  export GOPRIVATE=never.example
fi
"""


def check_rc_cases(data: dict[str, Any], home: Path) -> None:
    """The layer, file and line of every case in RC_CASES (+ the .profile hidden by it)."""
    rc = str(home / ".bashrc")
    want = {
        "GOPROXY": ("https://rc.example", 2),
        "GOPATH": (f"{home}/work", 4),
        "GOFLAGS": ("-mod=mod", 7),
        "GOMODCACHE": ("/tmp/eval-modcache", 9),
    }
    for name, (value, line) in want.items():
        v = data["variables"][name]
        assert v["value"] == value, name
        assert (v["source"]["layer"], v["source"]["file"], v["source"]["line"]) == (
            "startup",
            rc,
            line,
        ), name
    (goenv,) = entries(data["variables"]["GOPROXY"], "goenv")
    assert goenv["state"] == "shadowed"
    priv = data["variables"]["GOPRIVATE"]
    assert priv["source"]["layer"] == "default"
    assert [(e["line"], e["state"]) for e in entries(priv, "startup")] == [(11, "not-run")]
    gobin = data["variables"]["GOBIN"]
    hidden = [e for e in gobin["chain"] if e.get("file") == str(home / ".profile")]
    assert [e["state"] for e in hidden] == ["not-run"]


def test_rc_cases_as_root(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOPROXY=https://file.example\n")
    sandbox.write(".bashrc", RC_CASES)
    sandbox.write(".profile", "export GOBIN=$HOME/never\n")
    check_rc_cases(login_show(sandbox), sandbox.home)


def test_rc_cases_as_unprivileged_user(nobody_kit: dict[str, str]) -> None:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="goenv-tui-nobody-", dir="/tmp"))
    try:
        root.chmod(0o755)
        home = root / "home"
        (home / ".config" / "go").mkdir(parents=True)
        (home / ".config" / "go" / "env").write_text("GOPROXY=https://file.example\n")
        (home / ".bashrc").write_text(RC_CASES)
        (home / ".profile").write_text("export GOBIN=$HOME/never\n")
        gobin = Path(nobody_kit["go"]).parent
        (home / ".bash_profile").write_text(DEFAULT_PROFILE.format(bin=gobin))
        for dirpath, _dirs, files in os.walk(root):
            os.chown(dirpath, NOBODY, NOBODY)
            for f in files:
                os.chown(os.path.join(dirpath, f), NOBODY, NOBODY)
        env = {
            "HOME": str(home),
            "USER": "nobody",
            "LOGNAME": "nobody",
            "PATH": "/usr/bin:/bin",
            "SHELL": "/bin/bash",
            "LANG": "C.UTF-8",
            "PYTHONPATH": nobody_kit["pythonpath"],
            "GOTOOLCHAIN": "local",
        }
        cmd = f"{nobody_kit['python']} -m goenv_tui show --json"
        out = subprocess.run(
            [
                "setpriv",
                f"--reuid={NOBODY}",
                f"--regid={NOBODY}",
                "--clear-groups",
                shell_path("bash"),
                "-lic",
                cmd,
            ],
            env=env,
            cwd=home,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert data["shell"]["traced"] is True
        check_rc_cases(data, home)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_python_m_and_console_script_agree() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "goenv_tui", "--version"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("goenv-tui ")


# -- more shells, static reading, toolchain switching, the tmux server ---------------------


def test_fish_config(sandbox: Sandbox) -> None:
    conf = sandbox.write(".config/fish/conf.d/go.fish", "# go\nset -gx GOFLAGS -mod=mod\n")
    out = sandbox.run(
        [sys.executable, "-m", "goenv_tui", "--shell", "fish", "show", "--json", "GOFLAGS"],
        env=dict(sandbox.env, GOFLAGS="-mod=mod"),
    )
    shell_path("fish")
    assert out.returncode == 0, out.stderr
    v = json.loads(out.stdout)["variables"]["GOFLAGS"]
    assert (v["source"]["file"], v["source"]["line"]) == (str(conf), 2)


def test_sh_login_profile(sandbox: Sandbox) -> None:
    prof = sandbox.write(
        ".profile", f'export PATH="{sandbox.bin}:$PATH"\nexport GOBIN=/opt/gobin\n'
    )
    sh = shell_path("dash")
    env = dict(sandbox.env, SHELL=sh)
    out = sandbox.run([sh, "-lc", f"{sys.executable} -m goenv_tui show --json GOBIN"], env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["shell"]["name"] == "sh"
    v = data["variables"]["GOBIN"]
    assert v["value"] == "/opt/gobin"
    assert (v["source"]["file"], v["source"]["line"]) == (str(prof), 2)


def test_no_trace_marks_uncertain(sandbox: Sandbox) -> None:
    rc = sandbox.write(".bashrc", 'if [ -n "$SOMETHING" ]; then\n  export GOFLAGS=-mod=mod\nfi\n')
    sandbox.write(".bash_profile", DEFAULT_PROFILE.format(bin=sandbox.bin))
    out = sandbox.goenv_tui("--no-trace", "show", "--json", "GOFLAGS")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["shell"]["traced"] is False
    v = data["variables"]["GOFLAGS"]
    assert "uncertain" in v["flags"]
    assert any(e.get("file") == str(rc) and e.get("line") == 2 for e in v["chain"])
    text = sandbox.goenv_tui("show", "--no-trace", "GOFLAGS")
    assert "statically" in text.stdout and "?" in text.stdout


def test_toolchain_switch_is_reported(sandbox: Sandbox, old_go_bin: Path) -> None:
    # GOTOOLCHAIN=go1.21.13 makes the new go run a `go1.21.13` found on PATH.
    (sandbox.bin / "go1.21.13").symlink_to(old_go_bin)
    env = dict(sandbox.env, GOTOOLCHAIN="go1.21.13")
    out = sandbox.goenv_tui("show", "--json", env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["go"]["version"] == "go1.21.13"
    assert data["go"]["local_version"] == "go1.27.3"
    assert data["variables"]["GOVERSION"]["value"] == "go1.21.13"
    text = sandbox.goenv_tui("show", "GOVERSION", env=env)
    assert "switched from go1.27.3 by GOTOOLCHAIN" in text.stdout


def test_goroot_line_pointing_nowhere(tmp_path: Path, old_go_bin: Path) -> None:
    sb = Sandbox(tmp_path, old_go_bin)
    sb.write(".config/go/env", "GOROOT=/nowhere/go\n")
    out = sb.goenv_tui("show", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["go"]["error"] and "GOROOT" in data["go"]["error"]
    v = data["variables"]["GOROOT"]
    assert v["value"] == "/nowhere/go"
    assert (v["source"]["file"], v["source"]["line"]) == (str(sb.go_env_file), 1)


def test_tmux_server_keeps_a_stale_value(sandbox: Sandbox) -> None:
    tmux = shell_path("tmux")
    sandbox.write(".bashrc", ": nothing\n")
    out_file = sandbox.root / "out.json"
    sock = f"goenv-tui-test-{os.getpid()}"
    env = dict(sandbox.env, GOFLAGS="-trimpath", TMUX_TMPDIR=str(sandbox.root))
    cmd = (
        f"{sys.executable} -m goenv_tui show --json GOFLAGS > {out_file}; "
        f"tmux -L {sock} kill-server"
    )
    try:
        sandbox.run(
            [tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", cmd],
            env=env,
            check=True,
        )
        import time

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (out_file.exists() and out_file.stat().st_size):
            time.sleep(0.1)
        time.sleep(0.2)
    finally:
        subprocess.run([tmux, "-L", sock, "kill-server"], env=env, capture_output=True, check=False)
    v = json.loads(out_file.read_text())["variables"]["GOFLAGS"]
    assert v["source"]["layer"] == "shell"
    assert v["source"]["origin"].startswith("tmux: server (pid ")
    assert "stale" in v["flags"]


def test_go_missing_text_output_has_no_traceback(bare_sandbox: Sandbox) -> None:
    out = bare_sandbox.goenv_tui("show")
    assert out.returncode == 0
    assert "not found on PATH" in out.stdout and "Traceback" not in out.stderr
    ex = bare_sandbox.goenv_tui("explain", "GOPROXY")
    assert ex.returncode == 0 and "go cannot answer" in ex.stdout


@pytest.mark.parametrize("argv", [["show", "--bogus"], ["frobnicate"], ["explain"]])
def test_usage_errors_are_one_sentence(sandbox: Sandbox, argv: list[str]) -> None:
    out = sandbox.goenv_tui(*argv)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("goenv-tui: ")


def test_debug_checkpoints_lists_every_checkpoint(sandbox: Sandbox) -> None:
    from goenv_tui.core.txn import CHECKPOINTS

    out = sandbox.goenv_tui("debug", "checkpoints")
    assert out.returncode == 0
    assert tuple(out.stdout.split()) == CHECKPOINTS
    assert "apply.before-commit" in out.stdout.splitlines()


def test_goenv_off_shows_the_unread_file_as_ignored(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "# x\nGONOSUMDB=corp.example\n")
    out = sandbox.goenv_tui("show", "--json", "GONOSUMDB", env=dict(sandbox.env, GOENV="off"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["go"]["env_file"] == ""
    v = data["variables"]["GONOSUMDB"]
    assert v["value"] == "" and v["source"]["layer"] == "default"
    (entry,) = entries(v, "goenv")
    assert (entry["file"], entry["line"], entry["state"]) == (
        str(sandbox.go_env_file),
        2,
        "ignored",
    )
    assert "GOENV=off" in entry["note"]
