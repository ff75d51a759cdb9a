"""The doctor end to end: every rule against the real go (1.27.3 and 1.21.13) over a sandbox HOME.

Each case runs `goenv-tui doctor --json` (exit 1 exactly when an error finding exists, checked on
every run) and, for findings that offer a fix, `goenv-tui fix ID --yes`, then checks that
`go env -json` works and that the doctor no longer reports the id.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from goenv_tui.core.doctor.facts import go_error_text, shown
from goenv_tui.core.doctor.globs import covered_by, match_prefix_patterns
from tests.advice_check import follow_findings
from tests.conftest import (
    SKEL_BASHRC,
    SKEL_PROFILE,
    Sandbox,
    find_new_go,
    find_old_go,
    require,
    shell_path,
)

Finding = dict[str, Any]
ENV_FILE = "~/.config/go/env"


@cache
def version_of(go: Path) -> str:
    out = subprocess.run(
        [str(go), "env", "GOVERSION"],
        env={"HOME": "/nonexistent", "GOTOOLCHAIN": "local", "GOTELEMETRY": "off"},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def doctor(sb: Sandbox, env: Mapping[str, str] | None = None) -> dict[str, Finding]:
    """`doctor --json`: the findings by id; its exit status is 1 exactly with an error."""
    out = sb.goenv_tui("doctor", "--json", env=env)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    assert data["schema"] == "goenv-tui/doctor/1"
    found = {f["id"]: f for f in data["findings"]}
    assert len(found) == len(data["findings"]), "finding ids are unique"
    for f in data["findings"]:
        assert f["severity"] in ("error", "warning", "info")
        assert f["message"].strip() and "\n" not in f["message"]
    errors = [f["id"] for f in data["findings"] if f["severity"] == "error"]
    assert out.returncode == (1 if errors else 0), (out.returncode, errors)
    follow_findings(sb, found, env)  # every suggestion works as it stands
    return found


def expect(
    found: Mapping[str, Finding], fid: str, severity: str, variable: str | None, *words: str
) -> Finding:
    """The finding `fid` with this severity and variable, whose message has every word."""
    assert fid in found, f"{fid} not in {sorted(found)}"
    f = found[fid]
    assert (f["severity"], f["variable"]) == (severity, variable), f
    for w in words:
        assert w in f["message"], (w, f["message"])
    return f


def fix(sb: Sandbox, fid: str, env: Mapping[str, str] | None = None) -> None:
    """`fix ID --yes` succeeds, go runs afterwards, and the doctor no longer reports ID."""
    out = sb.goenv_tui("fix", fid, "--yes", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"Fixed: goenv-tui doctor no longer reports {fid}." in out.stdout, out.stdout
    go = sb.run(["go", "env", "-json"], env=env)
    assert go.returncode == 0, go.stderr
    json.loads(go.stdout)


def fix_and_recheck(
    sb: Sandbox, fid: str, env: Mapping[str, str] | None = None
) -> dict[str, Finding]:
    """fix, then a fresh `doctor --json` (returned) without the id."""
    fix(sb, fid, env)
    after = doctor(sb, env)
    assert fid not in after, after[fid]
    return after


def realistic(sb: Sandbox) -> dict[str, str]:
    """Debian's skel ~/.bashrc and ~/.profile, ~/go/bin on PATH with a program in it.
    Returns the session environment (what a login through ~/.profile gives)."""
    sb.write(".bashrc", SKEL_BASHRC.read_text())
    sb.write(".profile", SKEL_PROFILE.read_text() + '\nexport PATH="$PATH:$HOME/go/bin"\n')
    sb.write("go/bin/hello", "#!/bin/sh\necho hello\n", mode=0o755)
    return dict(sb.env, PATH=f"{sb.env['PATH']}:{sb.home}/go/bin")


def new_sandbox(tmp_path: Path, go: Path, name: str = "sb") -> Sandbox:
    root = tmp_path / name
    root.mkdir()
    return Sandbox(root, go)


def bad(found: Mapping[str, Finding]) -> list[str]:
    return sorted(i for i, f in found.items() if f["severity"] in ("error", "warning"))


# --------------------------------------------------------------------------- pure helpers


def test_module_path_patterns_follow_go() -> None:
    assert match_prefix_patterns("*.corp.com", "git.corp.com/x/y")
    assert not match_prefix_patterns("*.corp.com", "corp.com/x")
    assert not match_prefix_patterns("example.com", "example.company/x")
    assert match_prefix_patterns("a.com,github.com/org/*", "github.com/org/repo/sub")
    assert not match_prefix_patterns(" b.com", "b.com/x")  # go does not trim
    assert not match_prefix_patterns("[", "[")  # malformed globs never match
    assert covered_by("*.corp.com", ["x.org", "*.corp.com"])
    assert covered_by("git.corp.com", ["*.corp.com"])
    assert not covered_by("*.corp.com", ["corp.com"])


def test_go_error_text_and_shown_values() -> None:
    err = (
        'go env failed (exit 1): go: invalid GOTOOLCHAIN "x"; the values shown come from '
        "GOTOOLCHAIN=local."
    )
    assert go_error_text(err) == 'go: invalid GOTOOLCHAIN "x"'
    assert go_error_text(None) is None
    assert shown("https://alice:pw@h.example,direct") == "'https://alice:xxxxx@h.example,direct'"


# --------------------------------------------------------------------------- a clean machine


def test_clean_realistic_configuration(tmp_path: Path, any_go: Path) -> None:
    sb = new_sandbox(tmp_path, any_go)
    env = realistic(sb)
    env.pop("GOTOOLCHAIN")
    sb.write(
        ".config/go/env",
        "GOFLAGS=-mod=readonly\nGOINSECURE=*.corp.example\nGONOSUMDB=*.corp.example\n"
        "GOPRIVATE=*.corp.example\nGOPROXY=https://proxy.golang.org,direct\n",
    )
    found = doctor(sb, env)
    assert bad(found) == [], found
    text = sb.goenv_tui("doctor", env=env)
    assert text.returncode == 0
    if not found:
        assert "No problems found" in text.stdout


# --------------------------------------------------------------------------- go cannot run


GO_FAILS = {
    "GOTOOLCHAIN=bogus": 'invalid GOTOOLCHAIN "bogus"',
    "GOCACHE=relative/cache": "GOCACHE is not an absolute path",
    "GOPATH=/abs:rel": "GOPATH entry is relative",
    "GOROOT=/nowhere/go": "cannot find GOROOT directory",
    "GO111MODULE=On": "GO111MODULE=On",
    "GOTMPDIR=/nowhere/tmp": "creating work dir",
}


@pytest.mark.parametrize("line", list(GO_FAILS))
def test_go_fails_names_the_cause_and_the_fix_works_without_go(
    tmp_path: Path, any_go: Path, line: str
) -> None:
    sb = new_sandbox(tmp_path, any_go)
    env = realistic(sb)
    env.pop("GOTOOLCHAIN")  # the go env file decides it
    sb.write(".config/go/env", "GOPRIVATE=*.corp.example\n" + line + "\n")
    name = line.split("=", 1)[0]
    assert sb.run(["go", "env", "-json"], env=env).returncode != 0  # go really fails
    found = doctor(sb, env)
    fid = f"go-fails-{name.lower()}"
    f = expect(found, fid, "error", name, GO_FAILS[line], f"{ENV_FILE}:2")
    assert f["evidence"][0] == f"{ENV_FILE}:2"
    assert GO_FAILS[line] in f["evidence"][1]
    assert "go-fails" not in found  # explained, so no "unexplained" finding
    assert f["fix"]["changes"] == [{"op": "unset", "name": name, "value": None, "place": "goenv"}]
    after = fix_and_recheck(sb, fid, env)
    assert not any(i.startswith("go-fails") for i in after)
    assert sb.go_env_file.read_text() == "GOPRIVATE=*.corp.example\n"


def test_go_fails_gocacheprog_and_unexplained_failure(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(".config/go/env", "GOCACHEPROG=/nowhere/cacheprog\n")
    found = doctor(sb, env)
    expect(found, "go-fails-gocacheprog", "error", "GOCACHEPROG", "error starting GOCACHEPROG")
    fix_and_recheck(sb, "go-fails-gocacheprog", env)
    # go broken by something no variable explains: its own words, no fix
    (sb.bin / "go").unlink()
    (sb.bin / "go").write_text("#!/bin/sh\necho 'go: broken installation' >&2\nexit 3\n")
    (sb.bin / "go").chmod(0o755)
    found = doctor(sb, env)
    f = expect(found, "go-fails", "error", None, "go: broken installation")
    assert f["fix"] is None


def test_gofips140_depends_on_the_go_version(
    tmp_path: Path, go_bin: Path, old_go_bin: Path
) -> None:
    new = new_sandbox(tmp_path, go_bin, "new")
    old = new_sandbox(tmp_path, old_go_bin, "old")
    for sb in (new, old):
        sb.write(".config/go/env", "GOFIPS140=bogus\n")
    env_new, env_old = realistic(new), realistic(old)
    found = doctor(new, env_new)
    expect(found, "go-fails-gofips140", "error", "GOFIPS140", 'unknown GOFIPS140 version "bogus"')
    fix_and_recheck(new, "go-fails-gofips140", env_new)
    # go 1.21 does not know GOFIPS140: go runs, and the value has no effect
    found = doctor(old, env_old)
    assert not any(i.startswith("go-fails") for i in found)
    f = expect(found, "not-supported-gofips140", "error", "GOFIPS140", "go1.21", "go1.24")
    assert f["evidence"] == [f"{ENV_FILE}:1"]
    fix_and_recheck(old, "not-supported-gofips140", env_old)


def test_gotoolchain_in_the_session_has_no_file_fix(tmp_path: Path, any_go: Path) -> None:
    sb = new_sandbox(tmp_path, any_go)
    env = dict(realistic(sb), GOTOOLCHAIN="go1.bogus")
    found = doctor(sb, env)
    f = expect(found, "go-fails-gotoolchain", "error", "GOTOOLCHAIN", "unset GOTOOLCHAIN")
    assert f["fix"] is None and f["source"]["layer"] == "shell"


# --------------------------------------------------------------------------- layers


def test_goenv_value_shadowed_by_a_startup_file(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(
        ".bashrc",
        "export GOFLAGS=-trimpath\nexport GOPRIVATE=*.same.example\n" + SKEL_BASHRC.read_text(),
    )
    sb.write(".config/go/env", "GOFLAGS=-mod=mod\nGOPRIVATE=*.same.example\n")
    session = dict(env, GOFLAGS="-trimpath", GOPRIVATE="*.same.example")
    found = doctor(sb, session)
    f = expect(
        found,
        "goenv-shadowed-goflags",
        "warning",
        "GOFLAGS",
        f"{ENV_FILE}:1",
        "~/.bashrc:1 exports GOFLAGS='-trimpath'",
        "always wins over the go env file",
    )
    assert f["evidence"] == [f"{ENV_FILE}:1", "~/.bashrc:1"]
    assert "goenv-shadowed-goprivate" not in found  # the same value: nothing is lost
    # a session started before the line was added: new shells will lose the file's value
    fresh_only = doctor(sb, env)
    expect(fresh_only, "goenv-shadowed-goflags", "warning", "GOFLAGS", "every new shell")
    expect(fresh_only, "stale-session-goflags", "warning", "GOFLAGS", "~/.bashrc:1")
    # (fixed from the fresh-only session: with the value in this session too, the edit
    # engine's verification disagrees with its own prediction about the session's origin)
    fix_and_recheck(sb, "goenv-shadowed-goflags", env)
    assert "# goenv-tui: export GOFLAGS=-trimpath" in (sb.home / ".bashrc").read_text()
    # a session that still holds the old export: a different finding, with its remedy
    after = doctor(sb, session)
    assert "goenv-shadowed-goflags" not in after
    expect(after, "goenv-shadowed-by-session-goflags", "warning", "GOFLAGS", "unset GOFLAGS")


def test_go_env_file_lines_go_ignores_or_misreads(tmp_path: Path, any_go: Path) -> None:
    sb = new_sandbox(tmp_path, any_go)
    env = realistic(sb)
    sb.write(
        ".config/go/env",
        b"\xef\xbb\xbfGOVCS=public:git\n"  # 1 BOM
        b"GOPRIVATE = *.corp.example\n"  # 2 spaces around =
        b'GONOSUMDB="*.corp.example"\n'  # 3 quotes
        b"gonoproxy=*.corp.example\n"  # 4 lowercase
        b"  GOINSECURE=*.corp.example\n"  # 5 indented
        b"GOAMD64=v3 # faster\n"  # 6 trailing comment
        b"CGO_ENABLED=0\r\n"  # 7 CRLF
        b"GOFLAGS=-mod=mod\n"  # 8 duplicate
        b"GOFLAGS=-mod=readonly\n"  # 9 the one go uses
        b"GOSUMDB=off\r\n"  # 10 CRLF that breaks checksum verification
        b'CC="gcc"\n'  # 11 quotes are fine where go splits words
        b"GODEBUG=http2client=0\n"  # 12 go reads GODEBUG only from the OS environment
        b"GOPROXY= https://proxy.golang.org\n"  # 13 harmless: go trims GOPROXY entries
        b"GOPRIVTE=x.example\n",  # 14 a typo: go reads the key GOPRIVTE
    )
    found = doctor(sb, env)
    for line, name, why in [
        (1, "govcs", "UTF-8 BOM"),
        (2, "goprivate", "key has a trailing space"),
        (4, "gonoproxy", "lowercase"),
        (5, "goinsecure", "indented"),
    ]:
        f = expect(found, f"goenv-line-ignored-{name}-line-{line}", "warning", name.upper(), why)
        assert f"{ENV_FILE}:{line}" in f["message"]
        assert f["fix"] is not None, f["message"]
        change = f["fix"]["changes"][0]  # rewrite that very line in go's own form
        assert (
            change["place"].endswith(f"/.config/go/env:{line}") and change["name"] == name.upper()
        )
    expect(found, "goenv-os-only-godebug-line-12", "warning", "GODEBUG", "only from the OS")
    expect(found, "goenv-line-ignored-goprivate-line-14", "warning", "GOPRIVATE", "'GOPRIVTE'")
    assert not any("goproxy" in i or "goprivte" in i for i in found)
    f = expect(found, "goenv-line-misread-gonosumdb-line-3", "warning", "GONOSUMDB", "quotes")
    assert f["fix"]["changes"][0]["value"] == "*.corp.example"
    # go 1.21 fails every amd64 build on an invalid GOAMD64, go 1.23+ ignores it: both wrong
    expect(
        found, "goenv-line-misread-goamd64-line-6", "error", "GOAMD64", "comment", "'v3 # faster'"
    )
    expect(found, "goenv-line-misread-cgo-enabled-line-7", "error", "CGO_ENABLED", "'0\\r'")
    expect(found, "goenv-line-misread-gosumdb-line-10", "error", "GOSUMDB", "malformed verifier id")
    f = expect(
        found, "goenv-duplicate-goflags", "warning", "GOFLAGS", f"{ENV_FILE}:9", "-mod=readonly"
    )
    assert f["evidence"] == [f"{ENV_FILE}:8", f"{ENV_FILE}:9"]
    assert not any(i.endswith("-cc") or "-cc-" in i for i in found)
    # values explained by a misread line get no second finding
    assert not any(i.startswith(("goamd64-", "cgo-enabled-", "nul-newline")) for i in found)
    # go env -w sorts and renumbers the lines: fix what is fixable, one finding at a time
    fixed = 0
    while True:
        todo = [
            i
            for i, f in found.items()
            if f["fix"]
            and i.startswith(("goenv-line-misread-", "goenv-duplicate-", "goenv-line-ignored-"))
        ]
        if not todo:
            break
        found = fix_and_recheck(sb, todo[0], env)
        fixed += 1
    assert fixed >= 4  # go env -w also drops every earlier duplicate, of any key
    prefixes = ("goenv-line-misread-", "goenv-duplicate-", "goenv-line-ignored-")
    assert not any(i.startswith(prefixes) for i in found), sorted(found)
    text = sb.go_env_file.read_bytes()
    assert not text.startswith(b"\xef\xbb\xbf")
    for fixed_line in (
        b"GOVCS=public:git\n",
        b"GONOPROXY=*.corp.example\n",
        b"GOPRIVATE=x.example",
    ):
        assert fixed_line in text, text
    assert b"GONOSUMDB=*.corp.example\n" in text and b"GOSUMDB=off\n" in text
    assert text.count(b"GOFLAGS=") == 1
    expect(found, "gosumdb-off", "warning", "GOSUMDB")


def test_empty_values_mask_go_env_defaults(tmp_path: Path, any_go: Path) -> None:
    sb = new_sandbox(tmp_path, any_go)
    env = realistic(sb)
    env.pop("GOTOOLCHAIN")
    sb.write(".config/go/env", "GOPROXY=\nGOSUMDB=\nGOTOOLCHAIN=\n")
    found = doctor(sb, env)
    expect(
        found,
        "empty-masks-default-goproxy",
        "error",
        "GOPROXY",
        f"{ENV_FILE}:1",
        "go env -u GOPROXY",
    )
    expect(
        found, "empty-masks-default-gosumdb", "error", "GOSUMDB", f"{ENV_FILE}:2", "missing GOSUMDB"
    )
    expect(found, "empty-masks-default-gotoolchain", "warning", "GOTOOLCHAIN", f"{ENV_FILE}:3")
    for fid in list(found):
        if fid.startswith("empty-masks-default-"):
            fix(sb, fid, env)
    assert sb.go_env_file.read_text() == ""
    assert bad(doctor(sb, env)) == []


def test_myths_empty_export_and_the_wrong_file(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(
        ".bashrc",
        "export GOFLAGS=\nexport GOPRIVTE=*.corp.example\nexport GOGC=50\n"
        + SKEL_BASHRC.read_text(),
    )
    sb.write(".config/go/env", "GOFLAGS=-mod=mod\nGOFOO=1\n")
    sb.write("go/env", "GOPROXY=https://proxy.corp.example\n")  # "go env -w writes ~/go/env"
    found = doctor(sb, dict(env, GOFLAGS="", GOPRIVTE="*.corp.example", GOGC="50"))
    # names go does not know: a typo in an export, a line in the go env file
    f = expect(found, "unknown-name-goprivte", "warning", "GOPRIVTE", "~/.bashrc:2", "GOPRIVATE")
    assert f["fix"] is None  # it might be some other program's variable
    f = expect(found, "unknown-name-gofoo", "warning", "GOFOO", f"{ENV_FILE}:2", "no effect")
    assert f["fix"] is not None
    assert not any("gogc" in i for i in found)  # the Go runtime reads GOGC
    expect(
        found,
        "empty-export-ignored-goflags",
        "warning",
        "GOFLAGS",
        "~/.bashrc:1",
        "exactly like an unset one",
        f"'-mod=mod' from {ENV_FILE}:1",
        "go env -u GOFLAGS",
    )
    f = expect(found, "goenv-wrong-file", "warning", None, "~/go/env sets GOPROXY", ENV_FILE)
    assert f["evidence"] == ["~/go/env"]
    fix(sb, "unknown-name-gofoo", env)
    (sb.home / ".bashrc").write_text(SKEL_BASHRC.read_text())
    (sb.home / "go" / "env").unlink()
    assert bad(doctor(sb, env)) == []


def test_goenv_value_shadowed_by_etc_environment(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = dict(realistic(sb), GOFLAGS="-trimpath")
    sb.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    out = sb.goenv_tui(
        "doctor",
        "--json",
        env=env,
        etc={"/etc/environment": 'PATH="/usr/bin:/bin"\nGOFLAGS=-trimpath\n'},
    )
    assert out.returncode == 0, out.stderr
    found = {f["id"]: f for f in json.loads(out.stdout)["findings"]}
    f = expect(found, "goenv-shadowed-goflags", "warning", "GOFLAGS", "/etc/environment:2 exports")
    assert f["fix"] is None  # goenv-tui does not edit /etc/environment


def test_stale_session_and_the_interactive_guard(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(
        ".bashrc",
        "export GOFLAGS=-trimpath\n"
        + SKEL_BASHRC.read_text()
        + "export GOPRIVATE=*.corp.example\n",
    )
    last = len((sb.home / ".bashrc").read_text().splitlines())
    session = dict(env, GOFLAGS="-mod=readonly", GOPRIVATE="*.corp.example")
    found = doctor(sb, session)
    f = expect(
        found,
        "stale-session-goflags",
        "warning",
        "GOFLAGS",
        "This session has GOFLAGS='-mod=readonly'",
        "'-trimpath' (~/.bashrc:1)",
        "open a new terminal",
    )
    assert f["fix"] is None
    f = expect(
        found,
        "after-interactive-guard-goprivate",
        "warning",
        "GOPRIVATE",
        f"~/.bashrc:{last}",
        "ssh host cmd",
    )
    assert "after-interactive-guard-goflags" not in found  # line 1 is before the guard
    session = dict(session, GOFLAGS="-trimpath")
    assert "stale-session-goflags" not in doctor(sb, session)
    fix_and_recheck(sb, "after-interactive-guard-goprivate", session)
    bash = shell_path("bash")
    ssh = dict(sb.env, PYTHONPATH="", SSH_CLIENT="192.0.2.1 50000 22")  # bash reads ~/.bashrc
    out = sb.run([bash, "-c", "echo $GOPRIVATE"], env=ssh)
    assert out.stdout.strip() == "*.corp.example"  # what `ssh host cmd` (bash -c) now gets


def test_stale_value_held_by_a_tmux_server(tmp_path: Path, go_bin: Path) -> None:
    tmux = shell_path("tmux")
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    out_file = sb.root / "doctor.json"
    sock = f"goenv-tui-doctor-{os.getpid()}"
    server_env = dict(
        env,
        GOFLAGS="-trimpath",
        TMUX_TMPDIR=str(sb.root),
        PYTHONPATH=str(Path(__file__).parent.parent),
    )
    cmd = f"{sys.executable} -m goenv_tui doctor --json > {out_file}; tmux -L {sock} kill-server"
    try:
        sb.run(
            [tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", cmd],
            env=server_env,
            check=True,
        )
        deadline = time.monotonic() + 60
        data = None
        while data is None and time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                data = json.loads(out_file.read_text())
            except (OSError, ValueError):
                data = None  # not written (completely) yet
    finally:
        subprocess.run(
            [tmux, "-L", sock, "kill-server"], env=server_env, capture_output=True, check=False
        )
    assert data is not None, "doctor did not finish inside tmux"
    found = {f["id"]: f for f in data["findings"]}
    f = expect(
        found,
        "stale-session-goflags",
        "warning",
        "GOFLAGS",
        "tmux: server (pid ",
        "tmux set-environment -gu GOFLAGS",
    )
    assert f["evidence"][0].startswith("tmux: server (pid ")


# --------------------------------------------------------------------------- values


def test_invalid_values(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(
        ".config/go/env",
        "CGO_ENABLED=yes\n"
        "GO111MODULE=off\n"
        "GOFLAGS=-insecure -mod=mod\n"
        "GONOPROXY=https://git.corp.example\n"
        "GOPRIVATE=a.corp.example, b.corp.example\n"
        "GOPROXY=https://proxy.golang.org,nonsense\n"
        "GOSUMDB=https://sum.golang.org\n",
    )
    found = doctor(sb, env)
    loc = lambda n: f"({ENV_FILE}:{n})"  # noqa: E731
    expect(found, "cgo-enabled-ignored", "error", "CGO_ENABLED", loc(1), "only 0 and 1")
    expect(found, "go111module-off", "warning", "GO111MODULE", loc(2), "GOPATH mode")
    f = expect(found, "goflags-insecure", "error", "GOFLAGS", loc(3), "use GOINSECURE instead")
    assert f["fix"]["changes"][0]["value"] == "-mod=mod"  # only the removed flag goes
    f = expect(found, "glob-scheme-gonoproxy", "error", "GONOPROXY", loc(4), "never matches")
    assert f["fix"]["changes"][0]["value"] == "git.corp.example"
    f = expect(found, "glob-list-spaces-goprivate", "error", "GOPRIVATE", loc(5), "does not trim")
    assert f["fix"]["changes"][0]["value"] == "a.corp.example,b.corp.example"
    expect(found, "goproxy-missing-scheme", "error", "GOPROXY", loc(6), "missing scheme: nonsense")
    expect(found, "gosumdb-url", "error", "GOSUMDB", loc(7), "malformed verifier id")
    for fid in (
        "cgo-enabled-ignored",
        "go111module-off",
        "goflags-insecure",
        "glob-scheme-gonoproxy",
        "glob-list-spaces-goprivate",
        "goproxy-missing-scheme",
        "gosumdb-url",
    ):
        fix(sb, fid, env)
    after = doctor(sb, env)
    assert bad(after) == [], after
    text = sb.go_env_file.read_text()
    assert "GOFLAGS=-mod=mod\n" in text and "GOPRIVATE=a.corp.example,b.corp.example\n" in text


def test_gosumdb_key_and_credentials(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    path = sb.write(
        ".config/go/env",
        "GOPROXY=https://alice:s3cret@proxy.corp.example\n"
        "GOSUMDB=sum.corp.example+abcdef12+AAAA https://bob:hunter2@sum.corp.example\n",
        mode=0o644,
    )
    out = sb.goenv_tui("doctor", "--json", env=env)
    assert "s3cret" not in json.dumps([f["message"] for f in json.loads(out.stdout)["findings"]])
    found = doctor(sb, env)
    f = expect(
        found, "goenv-file-readable", "error", None, "mode 0644", "chmod 600 ~/.config/go/env"
    )
    assert f["fix"] is None
    expect(found, "goproxy-credentials", "warning", "GOPROXY", "alice:xxxxx@", ".netrc")
    expect(
        found, "gosumdb-key", "error", "GOSUMDB", loc := f"{ENV_FILE}:2", "invalid verifier hash"
    )
    assert loc in found["gosumdb-key"]["evidence"]
    for f in found.values():
        assert "s3cret" not in f["message"] and "hunter2" not in f["message"]
    path.chmod(0o600)
    found = doctor(sb, env)
    assert "goenv-file-readable" not in found and "goproxy-credentials" in found
    # credentials exported from a startup file that others can read
    sb.write(
        ".bashrc",
        "export GOPROXY=https://carol:pw123456@proxy.corp.example\n" + SKEL_BASHRC.read_text(),
        mode=0o644,
    )
    session = dict(env, GOPROXY="https://carol:pw123456@proxy.corp.example")
    found = doctor(sb, session)
    expect(found, "credentials-readable-goproxy", "error", "GOPROXY", "~/.bashrc:1", "mode 0644")


def test_goamd64_depends_on_the_go_version(tmp_path: Path, any_go: Path) -> None:
    sb = new_sandbox(tmp_path, any_go)
    env = realistic(sb)
    sb.write(".config/go/env", "GOAMD64=v9\n")
    found = doctor(sb, env)
    if version_of(any_go).startswith("go1.21"):
        fid = expect(found, "goamd64-invalid", "error", "GOAMD64", "GOARCH=amd64 fails")["id"]
    else:
        fid = expect(found, "goamd64-ignored", "error", "GOAMD64", "silently ignores")["id"]
    fix_and_recheck(sb, fid, env)


def test_gosumdb_off_and_goinsecure_without_gonosumdb(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(".config/go/env", "GOSUMDB=off\n")
    found = doctor(sb, env)
    f = expect(found, "gosumdb-off", "warning", "GOSUMDB", "GOPRIVATE or GONOSUMDB")
    assert f["fix"] is None
    sb.write(
        ".config/go/env", "GOINSECURE=*.corp.example,git.other.example\nGOPRIVATE=*.corp.example\n"
    )
    found = doctor(sb, env)
    f = expect(
        found, "goinsecure-checksums", "warning", "GOINSECURE", "'git.other.example'", "GONOSUMDB"
    )
    assert "'*.corp.example'" not in f["message"]  # covered by GOPRIVATE
    assert f["fix"]["changes"] == [
        {
            "op": "set",
            "name": "GONOSUMDB",
            "value": "*.corp.example,git.other.example",
            "place": None,
        }
    ]
    fix_and_recheck(sb, "goinsecure-checksums", env)
    assert "GONOSUMDB=*.corp.example,git.other.example\n" in sb.go_env_file.read_text()


# --------------------------------------------------------------------------- GOROOT


def _trees(go: Path) -> tuple[Path, Path, str, str]:
    """This go's GOROOT, the other go-bin's GOROOT, and their versions."""
    other_go = find_old_go() if version_of(go).startswith("go1.27") else find_new_go()
    require(other_go is not None, "the other go-bin")
    assert other_go is not None
    return go.parent.parent, other_go.parent.parent, version_of(go), version_of(other_go)


def test_goroot_exported_or_written(tmp_path: Path, any_go: Path) -> None:
    own, other, mine, theirs = _trees(any_go)
    sb = new_sandbox(tmp_path, any_go)
    env = realistic(sb)
    # exported, this go's own tree
    sb.write(".bashrc", f"export GOROOT={own}\n" + SKEL_BASHRC.read_text())
    found = doctor(sb, dict(env, GOROOT=str(own)))
    expect(found, "goroot-exported", "warning", "GOROOT", "~/.bashrc:1", "finds its own GOROOT")
    assert "goroot-mismatch" not in found
    # exported, another version's tree: builds fail
    sb.write(".bashrc", f"export GOROOT={other}\n" + SKEL_BASHRC.read_text())
    found = doctor(sb, dict(env, GOROOT=str(other)))
    f = expect(
        found,
        "goroot-mismatch",
        "error",
        "GOROOT",
        "~/.bashrc:1",
        f'version "{theirs}" does not match go tool version "{mine}"',
    )
    assert f["evidence"] == ["~/.bashrc:1", f"{other}/VERSION: {theirs}"]
    assert f["fix"]["changes"] == [
        {"op": "unset", "name": "GOROOT", "value": None, "place": f"{sb.home}/.bashrc:1"}
    ]
    assert "goroot-exported" not in found
    # typed in this session only: no file to fix
    sb.write(".bashrc", SKEL_BASHRC.read_text())
    f = expect(doctor(sb, dict(env, GOROOT=str(other))), "goroot-mismatch", "error", "GOROOT")
    assert f["fix"] is None and "unset GOROOT" in f["message"]
    # a folder that is not a Go installation
    found = doctor(sb, dict(env, GOROOT=str(sb.home)))
    expect(found, "goroot-not-go", "error", "GOROOT", "not a Go installation", "unset GOROOT")
    # written in the go env file
    sb.write(".config/go/env", f"GOROOT={own}\n")
    found = doctor(sb, env)
    expect(found, "goroot-in-file", "warning", "GOROOT", f"{ENV_FILE}:1", "go 1.27 refuses")
    sb.write(".config/go/env", f"GOROOT={other}\n")
    found = doctor(sb, env)
    expect(found, "goroot-mismatch", "error", "GOROOT", f"{ENV_FILE}:1", theirs)
    assert "goroot-in-file" not in found
    if mine.startswith("go1.21"):
        fix_and_recheck(sb, "goroot-mismatch", env)


def test_goroot_line_is_removed_on_go_127(tmp_path: Path, go_bin: Path) -> None:
    _own, other, _mine, _theirs = _trees(go_bin)
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(".config/go/env", f"GOROOT={other}\n")
    fix_and_recheck(sb, "goroot-mismatch", env)


def test_fix_of_a_value_this_session_also_holds(tmp_path: Path, go_bin: Path) -> None:
    _own, other, _mine, _theirs = _trees(go_bin)
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(".bashrc", f"export GOROOT={other}\n" + SKEL_BASHRC.read_text())
    session = dict(env, GOROOT=str(other))
    out = sb.goenv_tui("fix", "goroot-mismatch", "--yes", env=session)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "as predicted" in out.stdout  # the session value's origin is the same both times
    assert "Fixed in the files: a new shell no longer has goroot-mismatch" in out.stdout
    assert "goroot-mismatch" not in doctor(sb, env)  # a new shell's environment


def test_go_env_missing_from_goroot(tmp_path: Path, go_bin: Path) -> None:
    goroot = go_bin.parent.parent
    mini = tmp_path / "goroot"
    (mini / "bin").mkdir(parents=True)
    (mini / "pkg" / "tool").mkdir(parents=True)
    (mini / "src").mkdir()
    shutil.copy2(go_bin, mini / "bin" / "go")
    shutil.copy2(goroot / "VERSION", mini / "VERSION")
    sb = new_sandbox(tmp_path, mini / "bin" / "go")
    env = realistic(sb)
    found = doctor(sb, env)
    f = expect(
        found, "goroot-go-env-missing", "error", None, "go.env is missing", "GOPROXY and GOSUMDB"
    )
    assert [c["name"] for c in f["fix"]["changes"]] == ["GOPROXY", "GOSUMDB"]
    fix_and_recheck(sb, "goroot-go-env-missing", env)
    go = sb.run(["go", "env", "GOPROXY", "GOSUMDB"], env=env)
    assert go.stdout.split() == ["https://proxy.golang.org,direct", "sum.golang.org"]
    # go.env present: nothing to report
    shutil.copy2(goroot / "go.env", mini / "go.env")
    sb.go_env_file.unlink()
    assert "goroot-go-env-missing" not in doctor(sb, env)


# --------------------------------------------------------------------------- which go


def test_several_gos_on_path(tmp_path: Path, go_bin: Path, old_go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    same = sb.root / "same"
    same.mkdir()
    (same / "go").symlink_to(go_bin)
    assert "multiple-go" not in doctor(sb, dict(env, PATH=f"{env['PATH']}:{same}"))
    other = sb.root / "other"
    other.mkdir()
    (other / "go").symlink_to(old_go_bin)
    found = doctor(sb, dict(env, PATH=f"{env['PATH']}:{other}"))
    f = expect(found, "multiple-go", "warning", None, "go1.27.3", "go1.21.13")
    assert len(f["evidence"]) == 2 and f["fix"] is None


@pytest.mark.parametrize("direction", ["new-to-old", "old-to-new"])
def test_toolchain_switch(tmp_path: Path, go_bin: Path, old_go_bin: Path, direction: str) -> None:
    first, target = (go_bin, old_go_bin) if direction == "new-to-old" else (old_go_bin, go_bin)
    mine, theirs = version_of(first), version_of(target)
    sb = new_sandbox(tmp_path, first)
    (sb.bin / theirs).symlink_to(target)  # go finds goX.Y.Z on PATH: no download
    env = realistic(sb)
    env.pop("GOTOOLCHAIN")
    sb.write(".config/go/env", f"GOTOOLCHAIN={theirs}\n")
    found = doctor(sb, env)
    expect(
        found,
        "toolchain-switch",
        "warning",
        "GOTOOLCHAIN",
        mine,
        theirs,
        f"{ENV_FILE}:1",
        "GOTOOLCHAIN=local go version",
    )
    fix_and_recheck(sb, "toolchain-switch", env)
    if direction == "old-to-new":
        # GOTOOLCHAIN=auto (go.env) and a go.mod that needs a newer go: expected, so info
        sb.write("go.mod", f"module example.com/m\n\ngo {theirs.removeprefix('go')}\n")
        found = doctor(sb, env)
        expect(found, "toolchain-switch", "info", "GOTOOLCHAIN", "GOTOOLCHAIN=auto", "go.mod")
        assert found["toolchain-switch"]["fix"] is None


def test_gopath_and_gobin(tmp_path: Path, any_go: Path) -> None:
    sb = new_sandbox(tmp_path, any_go)
    env = realistic(sb)
    goroot = any_go.parent.parent
    sb.write(".config/go/env", f"GOPATH={goroot}\n")
    found = doctor(sb, env)
    expect(found, "gopath-is-goroot", "warning", "GOPATH", f"{ENV_FILE}:1", "same directory")
    fix_and_recheck(sb, "gopath-is-goroot", env)
    # ~/go/bin holds a program but is not on PATH
    found = doctor(sb, sb.env)
    f = expect(
        found, "gobin-not-on-path", "warning", "GOPATH", "~/go/bin", "hello", "never $GOROOT/bin"
    )
    assert f["evidence"] == [f"PATH={sb.env['PATH']}"]
    # GOBIN set to a folder on PATH
    sb.write(".config/go/env", f"GOBIN={sb.bin}\n")
    assert "gobin-not-on-path" not in doctor(sb, sb.env)
    sb.write(".config/go/env", f"GOBIN={sb.home}/tools\n")
    found = doctor(sb, sb.env)
    expect(found, "gobin-not-on-path", "info", "GOBIN", "~/tools", f"{ENV_FILE}:1")


# --------------------------------------------------------------------------- the text report


def test_text_report_and_fix_refusals(tmp_path: Path, go_bin: Path) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    sb.write(".config/go/env", "GOSUMDB=off\nGO111MODULE=off\n")
    out = sb.goenv_tui("doctor", env=env)
    assert out.returncode == 0  # warnings only
    assert "2 warnings" in out.stdout and "goenv-tui fix go111module-off" in out.stdout
    assert all(len(line) <= 80 for line in out.stdout.splitlines())
    no_fix = sb.goenv_tui("fix", "gosumdb-off", "--yes", env=env)
    assert no_fix.returncode == 2 and "has no automatic fix" in no_fix.stderr
    missing = sb.goenv_tui("fix", "no-such-finding", "--yes", env=env)
    assert missing.returncode == 2 and "go111module-off" in missing.stderr
    dry = sb.goenv_tui("fix", "go111module-off", "--dry-run", env=env)
    assert dry.returncode == 0 and "GO111MODULE=off" in sb.go_env_file.read_text()


@pytest.mark.parametrize(
    ("line", "fid", "go_says"),
    [
        # go cannot even run `go env`: the fix edits the file without it
        ("GOTOOLCHAIN=go1.22+auto", "go-fails-gotoolchain", "download go1.22"),
        ("GOCACHE=off", "go-fails-gocache", "build cache is disabled by GOCACHE=off"),
        # go env runs, every build fails or does nothing
        ("GOFLAGS=-p=0", "goflags-bad-p", "-p must be a positive integer: 0"),
        ("GOFLAGS=-n", "goflags-dry-run", ""),
        ("CC=no-such-cc", "cc-missing", 'C compiler "no-such-cc" not found'),
    ],
)
def test_what_breaks_go_is_an_error_with_a_fix_that_works(
    tmp_path: Path, go_bin: Path, line: str, fid: str, go_says: str
) -> None:
    sb = new_sandbox(tmp_path, go_bin)
    env = realistic(sb)
    env.pop("GOTOOLCHAIN")  # (the sandbox's own GOTOOLCHAIN=local would win over the file)
    sb.write(".config/go/env", f"GOPRIVATE=*.corp.example\n{line}\n")
    out = sb.goenv_tui("doctor", env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    name = line.split("=", 1)[0]
    f = expect(doctor(sb, env), fid, "error", name)
    assert go_says in " ".join(f["evidence"]), f["evidence"]
    fix(sb, fid, env)
    assert sb.go_env_file.read_text() == "GOPRIVATE=*.corp.example\n"
