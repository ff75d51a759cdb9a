"""The go env file reader: Go's rules, notes, errors, and parity with the real go."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goenv_tui.core.envfile import (
    EnvFileError,
    effective_map,
    merge_go_files,
    parse_env_text,
    read_env_file,
    read_env_map,
)

from .conftest import go_env_json

TRICKY = (
    b"\xef\xbb\xbfGOPATH=/bom/hidden\n"  # BOM hides line 1
    b"# a comment\n"
    b"\n"
    b" GOFLAGS=-indented\n"
    b"\tGOBIN=/tab\n"
    b"export GOPATH=/exported\n"
    b"gopath=/lower\n"
    b"GOPRIVATE = spaced.example.com\n"
    b'GONOSUMDB="quoted.example.com"\n'
    b"GOINSECURE=insecure.example.com # trailing comment\n"
    b"GOVCS=private:git\r\n"
    b"GONOPROXY=first.example.com\n"
    b"GONOPROXY=second.example.com\n"
    b"GOPROXY\n"
    b"GOAUTH=no-final-newline"
)


def write(tmp_path: Path, data: bytes, name: str = "env") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_rules_and_notes(tmp_path: Path) -> None:
    lines = read_env_file(str(write(tmp_path, TRICKY)))
    by = {fl.line: fl for fl in lines}
    assert [fl.line for fl in lines] == list(range(1, 16))
    assert by[1].key is None and by[1].note == "UTF-8 BOM hides this line"
    assert by[1].intended_key == "GOPATH"
    assert by[2].key is None and by[2].note is None
    assert by[3].key is None and by[3].note is None
    assert by[4].key is None and by[4].note.startswith("indented")
    assert by[4].intended_key == "GOFLAGS"
    assert by[5].intended_key == "GOBIN"
    assert by[6].note == "export prefix: go skips it" and by[6].intended_key == "GOPATH"
    assert by[7].note == "lowercase key: go skips it" and by[7].intended_key == "GOPATH"
    assert by[8].key == "GOPRIVATE " and by[8].value == " spaced.example.com"
    assert by[8].note == "key has a trailing space: go reads key 'GOPRIVATE '"
    assert by[8].intended_key == "GOPRIVATE"
    assert by[9].value == '"quoted.example.com"' and by[9].note == "value keeps the quotes"
    assert by[10].value == "insecure.example.com # trailing comment"
    assert by[10].note == "trailing comment is part of the value"
    assert by[11].value == "private:git\r" and by[11].note == "CRLF: value ends in \\r"
    assert by[12].note == "duplicate: line 13 wins" and by[13].note is None
    assert by[14].key is None and by[14].note == "no '=': go skips it"
    assert by[14].intended_key == "GOPROXY"
    assert by[15].key == "GOAUTH" and by[15].value == "no-final-newline"
    m = effective_map(lines)
    assert m["GONOPROXY"] == "second.example.com"
    assert "GOPATH" not in m and "GOFLAGS" not in m


def test_split_on_newline_only() -> None:
    assert [fl.line for fl in parse_env_text("A=1\rB=2\n")] == [1]
    assert parse_env_text("A=1\rB=2\n")[0].value == "1\rB=2"
    assert parse_env_text("") == []
    assert len(parse_env_text("\n")) == 1
    assert parse_env_text("GOPATH==x")[0].value == "=x"


def test_mixed_case_and_unknown() -> None:
    fl = parse_env_text("Gopath=/x\nGOPROXXY=y\nPATH=/bin\n")
    assert fl[0].key == "Gopath" and fl[0].intended_key == "GOPATH"
    assert fl[1].intended_key == "GOPROXY"
    assert fl[2].note == "not a Go variable: go ignores it"


def test_invalid_utf8_kept_as_bytes(tmp_path: Path) -> None:
    lines = read_env_file(str(write(tmp_path, b"GOPRIVATE=a\xff\xfeb\n\xffGOPATH=/x\n")))
    assert lines[0].value.encode("utf-8", "surrogateescape") == b"a\xff\xfeb"
    assert lines[0].note == "value is not valid UTF-8"
    assert lines[1].key is None


def test_missing_is_empty(tmp_path: Path) -> None:
    assert read_env_file(str(tmp_path / "nope")) == []
    assert read_env_file(str(tmp_path / "nope" / "deeper")) == []
    assert read_env_map(str(tmp_path / "nope")) == {}


def test_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(EnvFileError) as exc:
        read_env_file(str(tmp_path))
    assert exc.value.kind == "directory"
    assert str(exc.value).endswith(".") and str(tmp_path) in str(exc.value)


def test_permission_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, b"GOPATH=/x\n")
    path.chmod(0)
    if os.geteuid() == 0:
        # Root ignores mode bits: inject the EACCES at the real open() call instead.
        import builtins

        real_open = builtins.open

        def deny(file: object, *args: object, **kw: object) -> object:
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(file, *args, **kw)  # type: ignore[call-overload]

        monkeypatch.setattr(builtins, "open", deny)
    with pytest.raises(EnvFileError) as exc:
        read_env_file(str(path))
    assert exc.value.kind == "permission"
    assert str(path) in str(exc.value)


def test_too_large_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import goenv_tui.core.envfile as ef

    monkeypatch.setattr(ef, "MAX_FILE_BYTES", 10)
    with pytest.raises(EnvFileError) as exc:
        read_env_file(str(write(tmp_path, b"GOPATH=/a/long/value\n")))
    assert exc.value.kind == "too-large"


def test_merge_user_wins() -> None:
    assert merge_go_files({"GOPROXY": "u"}, {"GOPROXY": "g", "GOSUMDB": "s"}) == {
        "GOPROXY": "u",
        "GOSUMDB": "s",
    }


def test_parity_with_go(any_go: Path, tmp_path: Path) -> None:
    """Our effective map is exactly what go reads from a tricky file."""
    home = tmp_path / "home"
    home.mkdir()
    data = (
        TRICKY.replace(b"GOAUTH=no-final-newline", b"GOAMD64=v2")
        + b"\nGOFLAGS=-mod=mod\n  GOEXPERIMENT=bogus\n"
        + b"GO111MODULE=on\nGOSUMDB=off\r\nCGO_ENABLED=0\nGOPROXY=http://a.example|direct\n"
    )
    envfile = write(tmp_path, data)
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "GOENV": str(envfile),
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
    }
    go = go_env_json(any_go, env, tmp_path)
    ours = effective_map(read_env_file(str(envfile)))
    checked = 0
    for key, value in ours.items():
        if key in go:
            assert go[key] == value, key
            checked += 1
    assert checked >= 9
    # Lines go skips must not reach go's view either.
    assert go["GOPATH"] == str(home / "go")
    assert go["GOBIN"] in ("", str(home / "go" / "bin"))
    assert go["GOEXPERIMENT"] == ""
    assert go["GOPRIVATE"] == ""  # the key was "GOPRIVATE "
    assert go["GOINSECURE"] == "insecure.example.com # trailing comment"
    assert go["GOVCS"] == "private:git\r"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_reader_never_raises(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    lines = parse_env_text(text)
    nums = [fl.line for fl in lines]
    assert nums == sorted(set(nums))
    for fl in lines:
        if fl.key is not None:
            assert "A" <= fl.key[0] <= "Z"
            assert "=" not in fl.key
    m = effective_map(lines)
    for key in m:
        assert f"{key}=".encode("utf-8", "surrogateescape") in data


def test_quotes_are_syntax_where_go_splits_quoted_fields() -> None:
    from goenv_tui.core.envfile import parse_env_text

    lines = parse_env_text('CC="gcc"\nGOFLAGS="-tags=a b"\nGOPROXY="https://p.example"\n')
    notes = {fl.key: fl.note for fl in lines}
    assert notes["CC"] is None and notes["GOFLAGS"] is None
    assert notes["GOPROXY"] == "value keeps the quotes"
