"""trace_startup with real bash: attribution, modes, not-run entries, safety."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from goenv_tui.core.model import Assignment, ShellTrace
from goenv_tui.core.names import KNOWN_GO_NAMES
from goenv_tui.core.shells import trace_startup
from tests.conftest import REPO, SKEL_BASHRC, etc_namespace_argv, require, shell_path

NAMES = sorted(KNOWN_GO_NAMES)


def base_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "USER": "u",
        "LOGNAME": "u",
        "SHELL": "/bin/bash",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "TERM": "dumb",
        "LANG": "C.UTF-8",
    }


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


def trace(home: Path, mode: str = "login+interactive", **kw: object) -> ShellTrace:
    return trace_startup(
        "bash", shell_path("bash"), str(home), NAMES, base_env(home), mode=mode, **kw
    )  # type: ignore[arg-type]


def ran(t: ShellTrace, name: str) -> list[Assignment]:
    return [a for a in t.assignments if a.name == name and a.ran]


def write(home: Path, rel: str, text: str) -> Path:
    p = home / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def test_bashrc_export_interactive(home: Path) -> None:
    rc = write(home, ".bashrc", "# hi\nexport GOPATH=$HOME/work\n")
    t = trace(home, "interactive")
    assert t.traced and t.complete and t.error is None
    assert t.final_env["GOPATH"] == f"{home}/work"
    [a] = ran(t, "GOPATH")
    assert (a.file, a.line, a.exported, a.value) == (str(rc), 2, True, f"{home}/work")
    assert str(rc) in t.files_read
    assert t.version and "bash" in t.version


def test_assign_then_export(home: Path) -> None:
    rc = write(home, ".bashrc", "GOFLAGS=-mod=mod\n:\nexport GOFLAGS\n")
    t = trace(home, "interactive")
    assert [(a.line, a.exported, a.value) for a in ran(t, "GOFLAGS")] == [
        (1, False, "-mod=mod"),
        (3, True, "-mod=mod"),
    ]
    assert all(a.file == str(rc) for a in ran(t, "GOFLAGS"))


def test_a_default_set_while_expanding_is_its_own_line(home: Path) -> None:
    """`: ${GOFLAGS:=...}` sets GOFLAGS while bash expands the words, before it prints the
    command: the line is that one, not the command before; an already set name stays with
    the line that set it."""
    rc = write(
        home,
        ".bashrc",
        "export GOPATH=/a\n: ${GOPATH:=/b}\necho x >/dev/null\n: ${GOFLAGS:=-x}\nexport GOFLAGS\n",
    )
    t = trace(home, "interactive")
    assert [(a.line, a.exported) for a in ran(t, "GOFLAGS")] == [(4, False), (5, True)]
    assert [(a.file, a.line) for a in ran(t, "GOPATH")] == [(str(rc), 1)]


def test_a_file_sourced_by_a_loader_function_is_placed(home: Path) -> None:
    """Frameworks source their files from a loader function, where bash names each file's
    frame "source" (FUNCNAME): that is no redefined `source`, and the line is known."""
    write(home, ".bashrc", 'load() {\n  for f in ~/lib/*.sh; do . "$f"; done\n}\nload\n')
    lib = write(home, "lib/go.sh", "# go\nexport GOPATH=/srv/lib\n")
    t = trace(home, "interactive")
    [a] = ran(t, "GOPATH")
    assert (a.file, a.line, a.exported) == (str(lib), 2, True), a.note
    assert "GOPATH" not in t.uncertain


def test_branch_not_taken_and_multiline(home: Path) -> None:
    write(
        home, ".bashrc", 'if false; then\n  export GOROOT=/nope\nfi\nexport GOPRIVATE="a,\nb,\nc"\n'
    )
    t = trace(home, "interactive")
    [nr] = [a for a in t.assignments if a.name == "GOROOT"]
    assert not nr.ran and nr.line == 2 and "if branch" in (nr.note or "")
    [mp] = ran(t, "GOPRIVATE")
    assert mp.line == 4 and mp.value == "a,\nb,\nc"  # bash itself reports line 6
    assert "GOROOT" not in t.final_env


def test_sourced_file_function_and_eval(home: Path) -> None:
    lib = write(home, "lib.sh", "setgo() {\n  export GOBIN=$1\n}\nexport GOAMD64=v3\n")
    rc = write(
        home,
        ".bashrc",
        f". {lib}\nsetgo /b\n"
        "eval \"$(printf 'export GOFLAGS=-mod=mod')\"\n"
        "source <(echo 'export GOSUMDB=off')\n",
    )
    t = trace(home, "interactive")
    [amd] = ran(t, "GOAMD64")
    assert (amd.file, amd.line) == (str(lib), 4)
    [gobin] = ran(t, "GOBIN")
    assert (gobin.file, gobin.line, gobin.value) == (str(lib), 2, "/b")
    assert gobin.note == f"in function setgo called from {rc}:2"
    [ev] = ran(t, "GOFLAGS")
    assert (ev.file, ev.line, ev.note) == (str(rc), 3, "via eval")
    [ps] = ran(t, "GOSUMDB")
    assert (ps.file, ps.line, ps.note) == (str(rc), 4, "via source <(...)")
    assert t.files_read.index(str(rc)) < t.files_read.index(str(lib))


def test_subshell_and_temporary_ignored(home: Path) -> None:
    write(
        home,
        ".bashrc",
        "( export GOOS=plan9 )\nGOARCH=arm64 true\n"
        "f() { :; }\nGOARM=7 f\necho $(export GOOS=x) >/dev/null\nexport GOPROXY=off\n",
    )
    t = trace(home, "interactive")
    assert not ran(t, "GOOS") and not ran(t, "GOARCH") and not ran(t, "GOARM")
    assert [a.line for a in ran(t, "GOPROXY")] == [6]
    assert "GOOS" not in t.final_env and "GOARCH" not in t.final_env


def test_bash_profile_shadows_profile(home: Path) -> None:
    bp = write(home, ".bash_profile", "export GOPATH=/bp\n")
    prof = write(home, ".profile", "export GOPATH=/profile\n")
    rc = write(home, ".bashrc", "export GOBIN=/rc\n")
    t = trace(home, "login+interactive")
    assert t.final_env["GOPATH"] == "/bp" and "GOBIN" not in t.final_env
    [p] = [a for a in t.assignments if a.file == str(prof)]
    assert not p.ran and p.note == (
        "not read: bash reads only the first of ~/.bash_profile, ~/.bash_login, ~/.profile"
    )
    [r] = [a for a in t.assignments if a.file == str(rc)]
    assert not r.ran and "sources it" in (r.note or "")
    assert str(bp) in t.files_read and str(prof) not in t.files_read


def test_debian_skel_guard_noninteractive(home: Path) -> None:
    skel = SKEL_BASHRC
    text = "export GOTOOLCHAIN=local\n" + skel.read_text() + "\nexport GOPATH=/after\n"
    rc = write(home, ".bashrc", text)
    last = len(text.splitlines())
    t = trace(home, "noninteractive")
    assert t.traced and t.complete
    assert t.final_env.get("GOTOOLCHAIN") == "local" and "GOPATH" not in t.final_env
    [after] = [a for a in t.assignments if a.name == "GOPATH"]
    assert (after.file, after.line, after.ran) == (str(rc), last, False)
    t2 = trace(home, "interactive")
    assert t2.final_env.get("GOPATH") == "/after"


def test_exec_at_end_is_incomplete(home: Path) -> None:
    write(home, ".bashrc", "export GOPATH=/x\nexec /bin/true\n")
    t = trace(home, "interactive")
    assert t.traced and not t.complete
    assert t.error and "ended before" in t.error
    assert ran(t, "GOPATH") and "GOPATH" in t.uncertain


def _alive(tag: str) -> list[int]:
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if tag in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                    out.append(int(pid))
            except OSError:
                pass
    return out


def test_background_daemon_dies(home: Path) -> None:
    tag = f"1000.{os.getpid()}{int(time.time())}"
    write(
        home,
        ".bashrc",
        f"sleep {tag} &\nnohup setsid sleep {tag}9 >/dev/null 2>&1 &\nexport GOPATH=/d\n",
    )
    start = time.monotonic()
    t = trace(home, "interactive", timeout=5.0)
    assert time.monotonic() - start < 4
    assert t.complete and t.final_env["GOPATH"] == "/d"
    time.sleep(0.2)
    assert _alive(tag) == []


def test_infinite_loop_times_out_to_static(home: Path) -> None:
    write(home, ".bashrc", "export GOPATH=/loop\nwhile :; do :; done\n")
    start = time.monotonic()
    t = trace(home, "interactive", timeout=1.0)
    assert time.monotonic() - start < 10  # the loop never ends: only the timeout stops it
    assert not t.traced and not t.complete
    assert t.error and "did not finish" in t.error
    assert t.final_env.get("GOPATH") == "/loop"  # from the static reading


def test_no_trace_static_uncertain(home: Path) -> None:
    write(
        home,
        ".bashrc",
        "export GOPATH=/s\nif [ -d /x ]; then export GOBIN=/b; fi\nexport GOFLAGS=$(echo x)\n",
    )
    t = trace(home, "interactive", trace=False)
    assert not t.traced and t.error is None
    assert t.final_env["GOPATH"] == "/s"
    assert t.uncertain["GOBIN"] == "inside an if branch"
    assert t.uncertain["GOFLAGS"] == "value contains a command substitution"
    assert "GOPATH" not in t.uncertain


def test_missing_shell_falls_back(home: Path) -> None:
    write(home, ".bashrc", "export GOPATH=/m\n")
    t = trace_startup(
        "bash", "/nonexistent/bash", str(home), NAMES, base_env(home), mode="interactive"
    )
    assert not t.traced and t.error and t.final_env["GOPATH"] == "/m"


def test_cache_hit_and_invalidation(home: Path, tmp_path: Path) -> None:
    rc = write(home, ".bashrc", "export GOPATH=/c1\n")
    cache = str(tmp_path / "cache")
    t1 = trace(home, "interactive", cache_dir=cache)
    assert os.listdir(cache)
    t2 = trace(home, "interactive", cache_dir=cache)
    assert t2 == t1
    rc.write_text("export GOPATH=/c2\n")
    t3 = trace(home, "interactive", cache_dir=cache)
    assert t3.final_env["GOPATH"] == "/c2"


def _json_trace(
    argv_prefix: list[str], home: Path, mode: str, env: dict[str, str] | None = None
) -> dict[str, object]:
    code = (
        "import json,sys,dataclasses;from goenv_tui.core.shells import trace_startup;"
        "from goenv_tui.core.names import KNOWN_GO_NAMES as N;"
        "t=trace_startup('bash','/bin/bash',sys.argv[1],sorted(N),"
        "{'HOME':sys.argv[1],'PATH':'/usr/bin:/bin'},mode=sys.argv[2]);"
        "print(json.dumps(dataclasses.asdict(t)))"
    )
    done = subprocess.run(
        [*argv_prefix, sys.executable, "-c", code, str(home), mode],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_etc_profile_d_and_bashrc_override(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    argv = etc_namespace_argv(tmp_path, {"/etc/profile.d/": ""}, ["true"])
    fixdir = tmp_path / "etc-fixtures" / "0"
    (fixdir / "go.sh").write_text("export GOPROXY=https://corp.example\nexport GOPATH=/sys\n")
    write(home, ".bash_profile", ". ~/.bashrc\n")
    write(home, ".bashrc", "export GOPROXY=direct\n")
    res = _json_trace(argv[:-1], home, "login+interactive")
    entries = [
        (a["file"], a["line"], a["value"], a["ran"])  # type: ignore[index]
        for a in res["assignments"]
        if a["name"] == "GOPROXY"
    ]  # type: ignore[attr-defined,index]
    assert entries == [
        ("/etc/profile.d/go.sh", 1, "https://corp.example", True),
        (str(home / ".bashrc"), 1, "direct", True),
    ]
    assert res["final_env"]["GOPATH"] == "/sys"  # type: ignore[index]
    assert "/etc/profile.d/go.sh" in res["files_read"]  # type: ignore[operator]


@pytest.fixture
def nobody_home() -> Iterator[Path]:
    require(os.geteuid() == 0 and shutil.which("setpriv") is not None, "root + setpriv")
    d = Path(tempfile.mkdtemp(prefix="goenv-tui-nobody-"))
    d.chmod(0o755)
    home = d / "home"
    home.mkdir()
    try:
        yield home
    finally:
        shutil.rmtree(d)


@pytest.mark.root
@pytest.mark.parametrize("user", ["root", "nobody"])
def test_root_and_unprivileged(nobody_home: Path, user: str) -> None:
    write(nobody_home, ".bash_profile", "export GOPATH=/lp\n. ~/.bashrc\n")
    write(
        nobody_home,
        ".bashrc",
        "case $- in *i*) ;; *) return;; esac\n"
        'shopt -q login_shell && export GOFLAGS=login\nexport GOBIN="$0"\n',
    )
    os.system(f"chown -R 65534:65534 {nobody_home}")
    prefix = (
        [] if user == "root" else ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    )
    res = _json_trace(prefix, nobody_home, "login+interactive")
    assert res["traced"] and res["complete"], res["error"]
    fe = res["final_env"]
    assert fe == {"GOPATH": "/lp", "GOFLAGS": "login", "GOBIN": "-bash"}  # login shell either way
    lines = sorted((a["name"], a["line"]) for a in res["assignments"] if a["ran"])  # type: ignore[index,attr-defined]
    assert lines == [("GOBIN", 3), ("GOFLAGS", 2), ("GOPATH", 1)]
