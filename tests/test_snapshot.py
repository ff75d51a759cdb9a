"""Snapshots: every format round-trips, nothing secret survives, diff, hostile files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goenv_tui.core.model import ChainEntry, GoInfo, ShellTrace, Variable
from goenv_tui.core.redact import Redactor
from goenv_tui.core.resolve import Resolution
from goenv_tui.core.snapdiff import diff
from goenv_tui.core.snapshot import FORMATS, SnapshotError, dumps, load, loads, take, to_data

from .conftest import Sandbox
from .tui_fixtures import fixture_result

KEY = b"k" * 32


def fixture_resolution() -> Resolution:
    res = fixture_result().resolution
    assert res is not None
    return res


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_unredacted(fmt: str) -> None:
    snap = take(fixture_resolution(), redactor=None, now=0)
    back = loads(dumps(snap, fmt))
    assert to_data(back) == to_data(snap)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_redacted(fmt: str) -> None:
    red = Redactor(home="/home/gopher", user="gopher", key=KEY)
    snap = take(fixture_resolution(), redactor=red, now=0)
    text = dumps(snap, fmt)
    assert "/home/gopher" not in text
    back = loads(text)
    assert to_data(back) == to_data(snap)
    assert back.redacted and back.redactions
    assert diff(back, snap) == []


def test_markdown_reads_well() -> None:
    md = dumps(take(fixture_resolution(), redactor=None, now=0), "md")
    head = md.split("<details>")[0]
    assert "| GOPROXY |" in head and "| startup |" in head  # what the user set, up front
    assert "| AR |" not in head  # go's own defaults are folded away
    assert md.count("<details>") == md.count("</details>") >= 3


def secret_resolution(secret: str, host: str, home: str) -> Resolution:
    proxy = f"https://alice:{secret}@proxy.{host}/go,direct"
    flags = f"-mod=mod -ldflags=-X=main.apiToken={secret}"
    variables = {
        "GOPROXY": Variable(
            "GOPROXY",
            proxy,
            [
                ChainEntry(
                    "goroot", "https://proxy.golang.org,direct", "shadowed", "/go/go.env", 7
                ),
                ChainEntry(
                    "startup",
                    proxy,
                    "active",
                    f"{home}/.bashrc",
                    3,
                    note=f"exported at {home}/.bashrc:4",
                ),
            ],
        ),
        "GOFLAGS": Variable(
            "GOFLAGS", flags, [ChainEntry("goenv", flags, "active", f"{home}/.config/go/env", 1)]
        ),
        "GOPRIVATE": Variable(
            "GOPRIVATE", f"*.{host}", [ChainEntry("goenv", f"*.{host}", "active")]
        ),
        "GONOSUMDB": Variable(
            "GONOSUMDB", f"*.{host}", [ChainEntry("goenv", f"*.{host}", "active")]
        ),
        "GOPATH": Variable("GOPATH", f"{home}/go", [ChainEntry("default", f"{home}/go", "active")]),
    }
    go = GoInfo(
        path=f"{home}/sdk/go/bin/go",
        version="go1.27.3",
        env_file=f"{home}/.config/go/env",
        error=f"go: GOPROXY {proxy} is odd",
    )
    shell = ShellTrace(
        "bash", "/bin/bash", "login+interactive", True, files_read=[f"{home}/.bashrc"]
    )
    return Resolution(go, shell, variables, warnings=[f"cannot read {home}/.netrc"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.text(
        st.characters(min_codepoint=48, max_codepoint=122, whitelist_categories=("Ll", "Lu", "Nd")),
        min_size=8,
        max_size=24,
    ).filter(lambda s: any(ch.isdigit() for ch in s)),  # not a word of the format ("warnings")
    host=st.from_regex(r"[a-z]{4,10}[0-9]\.(corp|internal|example)", fullmatch=True),
    user=st.from_regex(r"[a-z]{4,10}", fullmatch=True),
)
def test_no_secret_survives_any_format(secret: str, host: str, user: str) -> None:
    home = f"/home/{user}"
    red = Redactor(home=home, user=user, key=KEY)
    snap = take(secret_resolution(secret, host, home), redactor=red, now=0)
    private_label = host.split(".")[0]
    for fmt in FORMATS:
        text = dumps(snap, fmt)
        assert secret not in text, fmt
        assert home not in text, fmt
        assert private_label not in text, fmt
        assert "proxy.golang.org" in text and "-mod=mod" in text
    data = to_data(snap)
    assert data["variables"]["GOPRIVATE"]["value"] == data["variables"]["GONOSUMDB"]["value"]
    assert all(secret not in json.dumps(r) for r in snap.redactions)


def test_cli_snapshot_formats_and_redaction(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOPROXY=https://bob:hunter2hunter2@goproxy.corp.example\n")
    out = sandbox.goenv_tui("snapshot")
    assert out.returncode == 0, out.stderr
    assert "hunter2hunter2" not in out.stdout and str(sandbox.home) not in out.stdout
    assert loads(out.stdout).redacted
    md = sandbox.root / "snap.md"
    assert sandbox.goenv_tui("snapshot", "-o", str(md)).returncode == 0
    assert load(str(md)).resolution.variables["GOPROXY"].source is not None
    raw = sandbox.root / "raw.json"
    out = sandbox.goenv_tui("snapshot", "--no-redact", "--format", "json", "-o", str(raw))
    assert out.returncode == 0 and "NOT redacted" in out.stderr
    assert "hunter2hunter2" in raw.read_text()
    assert (raw.stat().st_mode & 0o777) == 0o600  # it holds secrets


def test_cli_diff_exit_statuses(sandbox: Sandbox) -> None:
    a = sandbox.root / "a.toml"
    assert sandbox.goenv_tui("snapshot", "-o", str(a)).returncode == 0
    same = sandbox.goenv_tui("diff", str(a), "-")
    assert same.returncode == 0, same.stdout + same.stderr
    assert sandbox.goenv_tui("diff", str(a), str(a)).returncode == 0
    sandbox.write(".config/go/env", "GOFLAGS=-trimpath\n")
    changed = sandbox.goenv_tui("diff", str(a), "-")
    assert changed.returncode == 1
    assert "GOFLAGS" in changed.stdout and "-trimpath" in changed.stdout
    as_json = sandbox.goenv_tui("diff", "--json", str(a), "-")
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and data["equal"] is False
    assert any(d["name"] == "GOFLAGS" and d["field"] == "value" for d in data["differences"])
    bad = sandbox.root / "bad.toml"
    bad.write_text("schema = 'goenv-tui/snapshot/1'\nvariables = 5\n")
    broken = sandbox.goenv_tui("diff", str(bad), "-")
    assert broken.returncode == 2 and broken.stderr.count("\n") == 1
    assert "Traceback" not in broken.stderr
    missing = sandbox.goenv_tui("diff", str(sandbox.root / "nope.toml"), str(a))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


HOSTILE = {
    "truncated-toml": 'schema = "goenv-tui/snapshot/1"\n[variables.GOPATH]\nvalue = "/ho',
    "truncated-json": '{"schema": "goenv-tui/snapshot/1", "variables": {"GOPATH": {"val',
    "deep-json": "[" * 100_000 + "]" * 100_000,
    "deep-toml": "a = " + "[" * 5000 + "]" * 5000,
    "wrong-types": json.dumps(
        {"schema": "goenv-tui/snapshot/1", "go": [], "variables": {"X": {"value": 1}}}
    ),
    "bad-layer": json.dumps(
        {
            "schema": "goenv-tui/snapshot/1",
            "variables": {
                "X": {"value": "v", "chain": [{"layer": "evil", "state": "active", "value": "v"}]}
            },
        }
    ),
    "newer-schema": json.dumps({"schema": "goenv-tui/snapshot/9", "variables": {}}),
    "not-a-snapshot": json.dumps({"hello": "world"}),
    "list": "[1, 2, 3]",
    "md-without-json": "<!-- goenv-tui snapshot: the JSON below is what `goenv-tui "
    "--snapshot` reads -->\nno json here",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_fail_cleanly(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.snap"
    path.write_text(HOSTILE[name])
    with pytest.raises(SnapshotError) as err:
        load(str(path))
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    if name == "newer-schema":
        assert "upgrade" in message


def test_huge_and_binary_files_fail_cleanly(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    with open(huge, "wb") as fh:
        fh.truncate(9 * 1024 * 1024)
    with pytest.raises(SnapshotError, match="MiB"):
        load(str(huge))
    binary = tmp_path / "bin.toml"
    binary.write_bytes(os.urandom(4096) + b"\xff\xfe")
    with pytest.raises(SnapshotError):
        load(str(binary))


def test_show_json_output_loads_as_a_snapshot(sandbox: Sandbox) -> None:
    out = sandbox.goenv_tui("show", "--json")
    path = sandbox.root / "show.json"
    path.write_text(out.stdout)
    snap = load(str(path))
    assert "GOPATH" in snap.resolution.variables


def test_unusable_state_dir_is_one_sentence(sandbox: Sandbox) -> None:
    blocker = sandbox.root / "not-a-dir"
    blocker.write_text("a file where the state directory should be\n")
    out = sandbox.goenv_tui("snapshot", "--state-dir", str(blocker / "state"))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "--state-dir" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_snapshot_holds_redacted_findings_and_diff_compares_them(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOPROXY=https://alice:s3cr3t-pw@proxy.corp.example\n")
    out = sandbox.goenv_tui("snapshot", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert "s3cr3t-pw" not in out.stdout and "alice" not in out.stdout
    assert "corp" not in out.stdout  # the private host, in values and in finding messages
    data = json.loads(out.stdout)
    ids = {f["id"] for f in data["findings"]}
    assert "goproxy-credentials" in ids
    path = sandbox.root / "before.json"
    path.write_text(out.stdout)
    assert sandbox.goenv_tui("diff", str(path), "-").returncode == 0
    sandbox.write(".config/go/env", "GOPROXY=https://proxy.corp.example\n")
    changed = sandbox.goenv_tui("diff", str(path), "-", "--json")
    assert changed.returncode == 1
    kinds = {(d["kind"], d["name"]) for d in json.loads(changed.stdout)["differences"]}
    assert ("finding", "goproxy-credentials") in kinds
