"""pam_env readers: /etc/environment simple syntax and ~/.pam_environment conf syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from goenv_tui.core.envfile import EnvFileError
from goenv_tui.core.pamenv import (
    parse_etc_environment,
    parse_pam_environment,
    read_etc_environment,
    read_pam_environment,
)


def by_line(lines: list) -> dict:  # type: ignore[type-arg]
    return {fl.line: fl for fl in lines}


def test_etc_environment_simple_syntax() -> None:
    text = (
        'PATH="/usr/local/bin:/usr/bin"\n'  # 1 quotes stripped
        "export GOPATH=$HOME/go\n"  # 2 export dropped, $HOME literal
        "GOPROXY=https://proxy.example.com # company proxy\n"  # 3 comment cut, space kept
        "  GOFLAGS=-mod=mod\n"  # 4 indented is fine for pam_env
        "# GOBIN=/x\n"  # 5 comment
        "GO-BAD=1\n"  # 6 non-alphanumeric key
        "GOPRIVATE='a.com,b.com'\n"  # 7 single quotes stripped
        "GONOSUMDB=x#y\n"  # 8 any '#' cuts
        "GOSUMDB=off\r\n"  # 9 CR kept
        "GOAMD64\n"  # 10 unset
        "GOINSECURE=a \\\n"  # 11 continuation
        "b.com\n"  # 12
        "GOTOOLCHAIN=local"  # 13 no final newline: ignored by pam_env 1.5
    )
    lines = parse_etc_environment(text)
    by = by_line(lines)
    assert by[1].key == "PATH" and by[1].value == "/usr/local/bin:/usr/bin"
    assert by[2].key == "GOPATH" and by[2].value == "$HOME/go"
    assert by[2].note == "'$' stays literal: /etc/environment is not shell"
    assert by[3].value == "https://proxy.example.com "
    assert by[3].note == "'#' starts a comment: pam_env cuts the value here"
    assert by[4].key == "GOFLAGS" and by[4].value == "-mod=mod"
    assert by[5].key is None
    assert by[6].key is None and by[6].note == "non-alphanumeric key: pam_env skips it"
    assert by[7].value == "a.com,b.com"
    assert by[8].value == "x"
    assert by[9].value == "off\r" and by[9].note == "CRLF: value ends in \\r"
    assert by[10].key == "GOAMD64" and by[10].note == "no '=': pam_env unsets it"
    assert by[11].key == "GOINSECURE" and by[11].value == "a b.com"
    assert 12 not in by
    assert by[13].key is None and "no newline" in (by[13].note or "")


def test_etc_quote_quirks() -> None:
    by = by_line(parse_etc_environment('A="x" # c\nB="a"b"\nC=x"y"\n'))
    assert by[1].value == 'x" '  # the closing quote is not last: kept
    assert by[2].value == 'a"b'
    assert by[3].value == 'x"y"'  # no leading quote: nothing stripped


def test_line_too_long_stops() -> None:
    text = "A=1\nB=" + "x" * 9000 + "\nC=3\n"
    lines = parse_etc_environment(text)
    keys = [fl.key for fl in lines if fl.key]
    assert keys == ["A"]
    assert any("too long" in (fl.note or "") for fl in lines)


def test_pam_environment_conf_syntax() -> None:
    text = (
        "GOPATH DEFAULT=@{HOME}/go\n"  # 1
        "GOBIN DEFAULT=${GOPATH}/bin\n"  # 2 expands earlier definition
        "GOPROXY DEFAULT=https://d OVERRIDE=${CORP_PROXY}\n"  # 3 override empty -> default
        'GOFLAGS DEFAULT="-mod=mod -trimpath"\n'  # 4 quoted with space
        "GOPRIVATE=corp.example.com\n"  # 5 plain KEY=value works
        "GONOSUMDB=a b\n"  # 6 plain with a space: bad line
        "GOAMD64\n"  # 7 unset
        "GOSUMDB DEFAULT=$HOME\n"  # 8 $ without braces literal
        "GOVCS DEFAULT=x \n"  # 9 trailing blank: bad line
        "GOTOOLCHAIN DEFAULT=\n"  # 10 empty unquoted: unset
        'GOEXPERIMENT DEFAULT=""\n'  # 11 empty quoted: defined empty
    )
    lines = parse_pam_environment(text, home="/home/u", env={"CORP_PROXY": ""})
    by = by_line(lines)
    assert (by[1].key, by[1].value) == ("GOPATH", "/home/u/go")
    assert by[2].value == "/home/u/go/bin"
    assert by[3].value == "https://d"
    assert by[4].value == "-mod=mod -trimpath"
    assert (by[5].key, by[5].value) == ("GOPRIVATE", "corp.example.com")
    assert by[6].key is None and by[6].intended_key == "GONOSUMDB"
    assert by[7].key == "GOAMD64" and by[7].note == "no value: pam_env unsets it"
    assert by[8].value == "$HOME" and by[8].note == "'$' without braces stays literal"
    assert by[9].key is None
    assert by[10].note == "no value: pam_env unsets it"
    assert by[11].key == "GOEXPERIMENT" and by[11].value == ""


def test_pam_override_and_abort() -> None:
    by = by_line(
        parse_pam_environment(
            "GOPROXY DEFAULT=d OVERRIDE=${P}\nGOPATH DEFAULT=${X\nGOBIN DEFAULT=/b\n",
            home="/h",
            env={"P": "https://p"},
        )
    )
    assert by[1].value == "https://p"
    assert by[2].key is None and "stops reading" in (by[2].note or "")
    assert 3 not in by


def test_files_on_disk(tmp_path: Path) -> None:
    etc = tmp_path / "environment"
    etc.write_text("GOPATH=/srv/go\n")
    assert read_etc_environment(str(etc))[0].value == "/srv/go"
    assert read_etc_environment(str(tmp_path / "missing")) == []
    home = tmp_path / "home"
    home.mkdir()
    (home / ".pam_environment").write_text("GOPATH DEFAULT=@{HOME}/gp\n")
    lines = read_pam_environment(home=str(home))
    assert lines[0].value == f"{home}/gp"
    with pytest.raises(EnvFileError):
        read_etc_environment(str(tmp_path))
