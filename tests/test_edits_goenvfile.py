"""goenv_set/goenv_unset through the real go (both versions) vs the direct writer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goenv_tui.core.edits.errors import EditError, GoUnavailable
from goenv_tui.core.edits.goenvfile import (
    goenv_set,
    goenv_set_direct,
    goenv_unset,
    goenv_unset_direct,
)
from tests.conftest import find_new_go, find_old_go

INPUTS: list[bytes | None] = [
    None,
    b"",
    b"\n",
    b"GOPROXY=direct\n",
    b"GOPROXY=direct",  # no final newline: go adds one
    b"GOSUMDB=off\r\nGOPROXY=direct\r\n",  # CRLF: \r stays in untouched values
    b"\xef\xbb\xbfGOPROXY=x\nGOBIN=/b\n",  # BOM hides the first key
    b"ZZ=1\nGOPROXY=a\nGOPROXY=b\nAA=2\n# comment\nGOFLAGS=-v\nGOBIN=/b\nGOPROXY=c\n",
    b"export GOPATH=/x\n  GOBIN=/i\ngoproxy=lower\n=nokey\n#GOPROXY=c\nA#B=1\nnoequals\n",
    b"GOPRIVATE = spaced\nGOPRIVATE=real\nGO386=x\nGO=y\n",
    b"GONOSUMDB=\xff\xfe\nGOAMD64=v3\n",  # invalid UTF-8 kept
]
SETS: list[dict[str, str]] = [
    {"GOPROXY": "off"},
    {"GOFLAGS": "-mod=mod", "GOBIN": "/new/bin", "GOAMD64": "v2"},
    {"GOPRIVATE": "*.corp.example.com,ünï"},
    {"GOPATH": "/a:/b", "GOPROXY": ""},
]
UNSETS = [["GOPROXY"], ["GOBIN", "GOFLAGS"], ["GOTOOLCHAIN"]]


@pytest.mark.parametrize("current", INPUTS)
def test_set_parity(any_go: Path, current: bytes | None) -> None:
    for assignments in SETS:
        want = goenv_set(str(any_go), current, assignments)
        assert goenv_set_direct(current, assignments) == want


@pytest.mark.parametrize("current", INPUTS)
def test_unset_parity(any_go: Path, current: bytes | None) -> None:
    for names in UNSETS:
        want = goenv_unset(str(any_go), current, names)
        assert goenv_unset_direct(current, names) == want


def test_known_shapes(go_bin: Path) -> None:
    cur = b"ZZ=1\nGOPROXY=a\nGOPROXY=b\n# c\nGOBIN=/b\nGOFLAGS=-v"
    out = goenv_set(str(go_bin), cur, {"GOAMD64": "v2"})
    # dedupe keeps the last copy; the dropped copy still splits the run (so ZZ stays first);
    # the new key joins the last run, which is sorted
    assert out == b"ZZ=1\nGOPROXY=b\n# c\nGOAMD64=v2\nGOBIN=/b\nGOFLAGS=-v\n"


def test_unset_missing_key_and_file(any_go: Path) -> None:
    go = str(any_go)
    assert goenv_unset(go, b"GOBIN=/b\n", ["GOPROXY"]) == b"GOBIN=/b\n"
    assert goenv_unset(go, b"GOBIN=/b", ["GOPROXY"]) == b"GOBIN=/b\n"  # go normalises
    assert goenv_unset(go, None, ["GOPROXY"]) is None
    assert goenv_unset_direct(None, ["GOPROXY"]) is None
    with pytest.raises(EditError, match="unknown go command variable NOPE"):
        goenv_unset(go, None, ["NOPE"])  # validated even without a file


@pytest.mark.parametrize(
    ("assignments", "fragment"),
    [
        ({"NOPE": "1"}, "unknown go command variable NOPE."),
        ({"GOPATH": "rel/dir"}, 'GOPATH entry is relative; must be absolute path: "rel/dir".'),
        ({"GOPATH": "~/go"}, "GOPATH entry cannot start with shell metacharacter '~'"),
        ({"GOENV": "/x"}, "GOENV can only be set using the OS environment."),
        ({"GOVERSION": "x"}, "GOVERSION cannot be modified."),
        ({"GO111MODULE": "ON"}, 'invalid GO111MODULE value "ON".'),
        ({"GOPROXY": "a\nb"}, "invalid newline in GOPROXY=... value."),
        ({"GOPROXY": "a\0b"}, "invalid NUL in GOPROXY=... value."),
    ],
)
def test_refusals(any_go: Path, assignments: dict[str, str], fragment: str) -> None:
    with pytest.raises(EditError) as go_err:
        goenv_set(str(any_go), b"GOBIN=/b\n", assignments)
    msg = str(go_err.value)
    assert not isinstance(go_err.value, GoUnavailable)
    assert msg.startswith("Go refuses the change: ") and fragment in msg
    assert msg.count("\n") == 0 and msg.endswith(".")
    with pytest.raises(EditError) as direct_err:
        goenv_set_direct(b"GOBIN=/b\n", assignments)
    assert fragment in str(direct_err.value)


def test_unknown_key_known_from_file(any_go: Path) -> None:
    # go accepts a name it does not know when the file already has it
    cur = b"MYVAR=1\n"
    assert goenv_set(str(any_go), cur, {"MYVAR": "2"}) == goenv_set_direct(cur, {"MYVAR": "2"})
    assert goenv_unset(str(any_go), cur, ["MYVAR"]) == goenv_unset_direct(cur, ["MYVAR"]) == b""


def test_goroot_nowhere_falls_back(any_go: Path, tmp_path: Path) -> None:
    broken = b"GOPROXY=direct\nGOROOT=/nowhere/at/all\n"
    with pytest.raises(GoUnavailable) as err:
        goenv_unset(str(any_go), broken, ["GOROOT"])
    assert "cannot find GOROOT directory: /nowhere/at/all" in str(err.value)
    fixed = goenv_unset_direct(broken, ["GOROOT"])
    assert fixed == b"GOPROXY=direct\n"
    env_file = tmp_path / "env"
    env_file.write_bytes(fixed)
    run = subprocess.run(
        [str(any_go), "env", "GOPROXY"],
        env={"HOME": str(tmp_path), "GOENV": str(env_file), "GOTOOLCHAIN": "local"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "direct"


def test_file_that_breaks_go_is_unavailable(go_bin: Path) -> None:
    with pytest.raises(GoUnavailable) as err:
        goenv_set(str(go_bin), b"GOPATH=/a:rel\n", {"GOPATH": "/a"})
    assert "relative" in err.value.go_line
    assert goenv_set_direct(b"GOPATH=/a:rel\n", {"GOPATH": "/a"}) == b"GOPATH=/a\n"


def test_missing_go_binary(tmp_path: Path) -> None:
    with pytest.raises(GoUnavailable, match="could not start"):
        goenv_set(str(tmp_path / "nogo"), None, {"GOPROXY": "off"})


def test_scratch_never_touches_default_file(go_bin: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    goenv_set(str(go_bin), b"", {"GOPROXY": "off"})
    goenv_unset(str(go_bin), b"GOPROXY=off\n", ["GOPROXY"])
    assert not any(tmp_path.rglob("env"))


# ----------------------------------------------------------------------- hypothesis parity

_KEYS = ["GOPROXY", "GOBIN", "GOFLAGS", "GOAMD64", "GOPRIVATE", "CGO_ENABLED", "GOSUMDB"]
_LINE = st.one_of(
    st.builds(
        lambda k, v: f"{k}={v}",
        st.sampled_from([*_KEYS, "ZZ", "A1"]),
        st.text("ab/:, ", max_size=5),
    ),
    st.sampled_from(["# note", "", "  GOBIN=/i", "export GOPROXY=x", "x=1", "=v", "A#B=1", "noeq"]),
)
_FILE = st.builds(
    lambda lines, eol, final: eol.join(lines) + (eol if final and lines else ""),
    st.lists(_LINE, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
).map(lambda s: s.encode())
_VALUE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6)


def _gos() -> list[str]:
    return [str(p) for p in (find_new_go(), find_old_go()) if p is not None]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    current=st.one_of(st.none(), _FILE),
    add=st.dictionaries(st.sampled_from(_KEYS), _VALUE, max_size=3),
    remove=st.lists(st.sampled_from(_KEYS), max_size=2, unique=True),
)
def test_hypothesis_parity(current: bytes | None, add: dict[str, str], remove: list[str]) -> None:
    gos = _gos()
    assert gos
    for go in gos:
        if add:
            assert goenv_set(go, current, add) == goenv_set_direct(current, add)
        if remove:
            assert goenv_unset(go, current, remove) == goenv_unset_direct(current, remove)
