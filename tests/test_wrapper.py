"""The `wrapper` layer: a go on PATH that is a version manager's shim, which sets GOROOT and
GOPATH before it execs the real go (goenv's shim -> goenv exec), traced as go is run."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, Sandbox

SHIM = Path(__file__).parent / "data" / "managers" / "goenv-shim"


def _goenv_shims(sandbox: Sandbox, go: Path) -> Path:
    """A HOME with goenv's layout: shims/go -> libexec/goenv exec go -> goenv-exec, which
    exports the chosen version's GOROOT and GOPATH and execs versions/V/bin/go."""
    root = sandbox.home / ".goenv"
    for folder in ("shims", "libexec", "versions"):
        (root / folder).mkdir(parents=True)
    shim = root / "shims" / "go"
    shim.write_text((SHIM / "shim").read_text().replace("@GOENV_ROOT@", str(root)))
    for name in ("goenv", "goenv-exec", "goenv-version-file"):
        (root / "libexec" / name).write_text((SHIM / name).read_text())
        (root / "libexec" / name).chmod(0o755)
    shim.chmod(0o755)
    (root / "versions" / "1.21.13").symlink_to(go.resolve().parent.parent)
    (root / "version").write_text("1.21.13\n")
    sandbox.env["PATH"] = f"{root / 'shims'}:{sandbox.env['PATH']}"
    return root


@pytest.mark.parametrize("session", ["clean", "init exported the same", "an older export"])
def test_values_the_shim_sets_are_the_wrapper_layer(
    sandbox: Sandbox, go_bin: Path, session: str
) -> None:
    """Also when `goenv init` already exported the same values into the session: the shim
    re-exports them every time go runs, so it is what decides them. A session whose export
    is older than the startup files' (an in-session `goenv global`) is not stale for them:
    neither value reaches go."""
    root = _goenv_shims(sandbox, go_bin)
    if session == "init exported the same":
        sandbox.env |= {
            "GOROOT": str(root / "versions" / "1.21.13"),
            "GOPATH": f"{sandbox.home}/go/1.21.13",
        }
    elif session == "an older export":
        sandbox.env |= {"GOROOT": str(root / "versions" / "1.20"), "GOPATH": "/srv/old"}
        sandbox.write(
            ".profile", f"export GOROOT={root}/versions/1.21.13\nexport GOPATH=$HOME/go/1.21.13\n"
        )
    done = sandbox.goenv_tui("show", "--json", "GOROOT", "GOPATH", "GOPROXY")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert not [w for w in shown["warnings"] if "wrapper" in w]  # the real go ran through it
    assert not [w for w in shown["warnings"] if "go.env" in w]
    # go.env is the go.env of the GOROOT the shim gave go, not of this session's $GOROOT
    proxy = shown["variables"]["GOPROXY"]["source"]
    assert proxy["file"] == f"{root}/versions/1.21.13/go.env", proxy
    variables = shown["variables"]
    truth = subprocess.run(
        ["go", "env", "GOROOT", "GOPATH"],
        env=dict(sandbox.env, PATH=sandbox.env["PATH"]),
        cwd=sandbox.home,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name, line, value in (("GOROOT", 9, truth[0]), ("GOPATH", 12, truth[1])):
        src = variables[name]["source"]
        assert (src["layer"], src["line"], variables[name]["value"]) == ("wrapper", line, value)
        assert src["file"] == str(root / "libexec" / "goenv-exec")
        assert "goenv's go shim" in src["note"] and str(root / "version") in src["note"]
        assert "stale" not in variables[name]["flags"]


def test_the_shim_chain_is_cached_until_a_version_file_changes(
    sandbox: Sandbox, go_bin: Path, old_go_bin: Path
) -> None:
    """The wrapper trace is cached; a switch (`goenv global` rewrites $GOENV_ROOT/version)
    gives the new answer on the next run, go's own version and defaults included, and in a
    project folder its .go-version decides, as the shim decides when go runs there."""
    root = _goenv_shims(sandbox, go_bin)
    (root / "versions" / "old").symlink_to(old_go_bin.resolve().parent.parent)

    def probe(cwd: Path | None = None) -> tuple[dict[str, object], str]:
        done = sandbox.goenv_tui("show", "--json", "GOROOT", cwd=cwd)
        assert done.returncode == 0, done.stderr
        shown = json.loads(done.stdout)
        return shown["variables"]["GOROOT"]["source"], shown["go"]["local_version"]

    first, version = probe()
    assert (first["value"], version) == (str(root / "versions" / "1.21.13"), "go1.27.3")
    cached = list((sandbox.home / ".cache" / "goenv-tui").glob("wrapper-*.json"))
    assert len(cached) == 1
    inode = cached[0].stat().st_ino
    assert probe()[0]["value"] == str(root / "versions" / "1.21.13")
    assert cached[0].stat().st_ino == inode  # a hit: a new trace would replace the file
    (root / "version").write_text("old\n")
    switched, version = probe()
    assert (switched["value"], version) == (str(root / "versions" / "old"), "go1.21.13")
    assert f"the version old is chosen by {root / 'version'}" in str(switched["note"])
    project = sandbox.home / "src" / "app"
    project.mkdir(parents=True)
    (sandbox.home / "src" / ".go-version").write_text("1.21.13\n")
    here, version = probe(cwd=project)
    assert (here["value"], version) == (str(root / "versions" / "1.21.13"), "go1.27.3")
    assert str(sandbox.home / "src" / ".go-version") in str(here["note"])


def test_set_refuses_a_value_the_shim_decides_and_names_goenvs_way(
    sandbox: Sandbox, go_bin: Path
) -> None:
    _goenv_shims(sandbox, go_bin)
    done = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--yes")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "set by the go wrapper" in done.stderr and "GOENV_DISABLE_GOPATH=1" in done.stderr
    assert not sandbox.go_env_file.exists()
    assert not os.path.exists(sandbox.home / ".profile")


ASDF = Path(__file__).parent / "data" / "managers" / "asdf-go"
PROGS = Path(__file__).parent / "data" / "managers" / "progs"  # manager-like programs


@pytest.fixture(scope="session")
def asdf_program(go_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An asdf-like `asdf exec`, compiled with the real go (asdf >= 0.16 is a Go program:
    its own child bash runs the plugin's exec-env, not a script the shim sources)."""
    out = tmp_path_factory.mktemp("asdf") / "asdf"
    scratch = out.parent
    subprocess.run(
        [str(go_bin), "build", "-o", str(out), str(PROGS / "asdf.go"), str(PROGS / "lines.go")],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(scratch),
            "GOCACHE": str(REPO / ".cache" / "gocache"),
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOFLAGS": "",
        },
        cwd=scratch,
        check=True,
        capture_output=True,
    )
    return out


def _asdf_home(sandbox: Sandbox, go_bin: Path, asdf_program: Path, data: Path) -> Path:
    """asdf's layout under ``data``: shims/go (`asdf exec go`), the golang plugin's exec-env,
    golang 1.21.13 installed; ~/.tool-versions chooses it. Returns exec-env's path."""
    version = "1.21.13"
    for folder in ("shims", "bin", "plugins/golang/bin", "installs/golang"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    (data / "installs" / "golang" / version).mkdir()
    (data / "installs" / "golang" / version / "go").symlink_to(go_bin.resolve().parent.parent)
    shim = data / "shims" / "go"
    shim.write_text((ASDF / "shim").read_text().replace("@VERSION@", version))
    hook = data / "plugins" / "golang" / "bin" / "exec-env"
    hook.write_text((ASDF / "exec-env").read_text())
    (data / "bin" / "asdf").symlink_to(asdf_program)
    for script in (shim, hook):
        script.chmod(0o755)
    (sandbox.home / ".tool-versions").write_text(f"golang {version}\n")
    sandbox.env["PATH"] = f"{data / 'shims'}:{data / 'bin'}:{sandbox.env['PATH']}"
    return hook


def test_a_compiled_managers_exec_env_is_traced_through_it(
    sandbox: Sandbox, go_bin: Path, asdf_program: Path
) -> None:
    """asdf's shim execs `asdf exec go`; the compiled asdf sources exec-env in a bash of its
    own and runs go with what it exported: GOROOT and GOPATH are the wrapper layer at
    exec-env's lines, the manager is named with the file that chose the version."""
    data = sandbox.home / ".asdf"
    version = "1.21.13"
    hook = _asdf_home(sandbox, go_bin, asdf_program, data)
    done = sandbox.goenv_tui("show", "--json", "GOROOT", "GOPATH")
    assert done.returncode == 0, done.stderr
    variables = json.loads(done.stdout)["variables"]
    install = data / "installs" / "golang" / version
    for name, line, value in (
        ("GOROOT", 8, f"{install}/go"),
        ("GOPATH", 11, f"{install}/packages"),
    ):
        src = variables[name]["source"]
        assert (src["layer"], src["file"], src["line"]) == ("wrapper", str(hook), line), src
        assert variables[name]["value"] == value
        assert "asdf" in src["note"] and str(sandbox.home / ".tool-versions") in src["note"]
    refused = sandbox.goenv_tui("set", "GOROOT=/srv/go", "--yes")
    assert refused.returncode == 2 and "asdf set golang" in refused.stderr
    findings = sandbox.doctor_findings()
    gobin = [f for f in findings if f["id"] == "gobin-not-on-path"]
    assert gobin and "asdf reshim golang" in gobin[0]["message"], findings


def test_asdf_is_named_with_the_file_that_chose_its_version(
    sandbox: Sandbox, go_bin: Path, old_go_bin: Path, asdf_program: Path
) -> None:
    """asdf's data dir elsewhere (ASDF_DATA_DIR), a .tool-versions whose first line is
    another tool's, a project .tool-versions without golang (asdf walks on up), a legacy
    .go-version (legacy_version_file = yes): the manager and the file asdf really used are
    named, and creating a version file gives the new answer on the next (cached) run."""
    data = sandbox.home / ".local" / "share" / "asdf"
    _asdf_home(sandbox, go_bin, asdf_program, data)
    sandbox.env["ASDF_DATA_DIR"] = str(data)
    (data / "installs" / "golang" / "old").mkdir()
    (data / "installs" / "golang" / "old" / "go").symlink_to(old_go_bin.resolve().parent.parent)
    tool_versions = sandbox.home / ".tool-versions"
    tool_versions.write_text("nodejs 20.11.0\ngolang 1.21.13\n")
    (sandbox.home / ".asdfrc").write_text("legacy_version_file = yes\n")
    python_only = sandbox.home / "py"
    python_only.mkdir()
    (python_only / ".tool-versions").write_text("python 3.12.0\n")
    legacy = sandbox.home / "legacy" / "sub"
    legacy.mkdir(parents=True)

    def goroot(cwd: Path) -> dict[str, object]:
        done = sandbox.goenv_tui("show", "--json", "GOROOT", cwd=cwd)
        assert done.returncode == 0, done.stderr
        src: dict[str, object] = json.loads(done.stdout)["variables"]["GOROOT"]["source"]
        return src

    for cwd in (sandbox.home, python_only, legacy):
        src = goroot(cwd)
        assert src["layer"] == "wrapper" and "asdf's go shim" in str(src["note"]), src
        assert f"the version 1.21.13 is chosen by {tool_versions}" in str(src["note"])
    (legacy.parent / ".go-version").write_text("old\n")
    src = goroot(legacy)
    assert src["value"] == str(data / "installs" / "golang" / "old" / "go")
    assert f"the version old is chosen by {legacy.parent / '.go-version'}" in str(src["note"])


def test_a_value_asdf_sets_only_when_unset_is_set_in_a_startup_file(
    sandbox: Sandbox, go_bin: Path, asdf_program: Path
) -> None:
    """asdf-golang's exec-env exports GOPATH and GOBIN only when the environment has none:
    `set` writes a startup line (which go then sees through the shim), not the go env file
    (the shim's export would beat it); unsetting cannot change it; GOROOT stays asdf's."""
    _asdf_home(sandbox, go_bin, asdf_program, sandbox.home / ".asdf")
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", "# mine\n")
    goenv = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--to", "goenv", "--yes")
    assert goenv.returncode == 2 and "beats the go env file" in goenv.stderr, goenv.stderr
    unset = sandbox.goenv_tui("unset", "GOBIN", "--yes")
    assert unset.returncode == 2 and "set by the go wrapper" in unset.stderr
    done = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "--to goenv` would)" not in done.stdout  # the shim's export would beat it there
    assert "/srv/mine" in (sandbox.home / ".bashrc").read_text()
    assert not sandbox.go_env_file.exists()
    sandbox.env["GOPATH"] = "/srv/mine"  # a new terminal
    shown = json.loads(sandbox.goenv_tui("show", "--json", "GOPATH").stdout)
    src = shown["variables"]["GOPATH"]["source"]
    assert (src["layer"], src["value"]) == ("startup", "/srv/mine"), src
    refused = sandbox.goenv_tui("set", "GOROOT=/srv/go", "--yes")
    assert refused.returncode == 2 and "asdf set golang" in refused.stderr


def test_a_shim_that_is_a_link_to_a_program_is_the_wrapper_layer(
    sandbox: Sandbox, go_bin: Path, old_go_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """mise's shims are links to mise itself, a program: what it passes go (GOBIN, unless
    the environment has one) is the difference between go's answer through it and the real
    go's; mise and the file that chose the version are named; go's own version and
    defaults are the real go's."""
    built = tmp_path_factory.mktemp("mise") / "mise"
    subprocess.run(
        [str(go_bin), "build", "-o", str(built), str(PROGS / "mise.go"), str(PROGS / "lines.go")],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(built.parent),
            "GOCACHE": str(REPO / ".cache" / "gocache"),
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOFLAGS": "",
        },
        cwd=built.parent,
        check=True,
        capture_output=True,
    )
    data = sandbox.home / ".local" / "share" / "mise"
    (data / "shims").mkdir(parents=True)
    (data / "installs" / "go").mkdir(parents=True)
    (data / "installs" / "go" / "1.21.13").symlink_to(old_go_bin.resolve().parent.parent)
    (data / "shims" / "go").symlink_to(built)
    config = sandbox.write(".config/mise/config.toml", '[tools]\ngo = "1.21.13"\n')
    sandbox.env["PATH"] = f"{data / 'shims'}:{sandbox.env['PATH']}"
    done = sandbox.goenv_tui("show", "--json", "GOBIN", "GOROOT")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["go"]["local_version"] == "go1.21.13"
    gobin = shown["variables"]["GOBIN"]
    src = gobin["source"]
    install = old_go_bin.resolve().parent.parent
    assert (src["layer"], gobin["value"]) == ("wrapper", f"{install}/bin"), gobin["chain"]
    assert src["file"] == str(data / "shims" / "go")
    assert "mise's go shim" in src["note"]
    assert f"the version 1.21.13 is chosen by {config}" in src["note"]
    assert shown["variables"]["GOROOT"]["value"] == str(install)
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", "# mine\n")
    changed = sandbox.goenv_tui("set", "GOBIN=/srv/bin", "--yes")  # mise keeps a set GOBIN
    assert changed.returncode == 0, changed.stdout + changed.stderr
    sandbox.env["GOBIN"] = "/srv/bin"
    after = json.loads(sandbox.goenv_tui("show", "--json", "GOBIN").stdout)["variables"]
    assert after["GOBIN"]["source"]["layer"] == "startup", after["GOBIN"]["chain"]


def test_a_shim_running_another_go_than_the_sessions_goroot_is_a_mismatch(
    sandbox: Sandbox, go_bin: Path, old_go_bin: Path, asdf_program: Path
) -> None:
    """`asdf set golang` in a session whose GOROOT an earlier set-env exported: the shim
    keeps that GOROOT (exec-env sets it only when unset) but runs the other version's go, so
    builds fail; the doctor finds go's own version through the shim and says so."""
    data = sandbox.home / ".asdf"
    _asdf_home(sandbox, go_bin, asdf_program, data)
    (data / "installs" / "golang" / "old").mkdir()
    (data / "installs" / "golang" / "old" / "go").symlink_to(old_go_bin.resolve().parent.parent)
    sandbox.env["GOROOT"] = str(data / "installs" / "golang" / "old" / "go")
    findings = sandbox.doctor_findings()
    shown = json.loads(sandbox.goenv_tui("show", "--json", "GOROOT").stdout)
    assert shown["go"]["local_version"] == "go1.27.3"
    ids = {f["id"] for f in findings}
    assert "goroot-mismatch" in ids and "toolchain-switch" not in ids, ids
