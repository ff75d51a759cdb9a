"""Static parsing (tree-sitter-bash), the candidate-file table, and a real-world rc corpus."""

from __future__ import annotations

from pathlib import Path

from goenv_tui.core.names import KNOWN_GO_NAMES
from goenv_tui.core.shells import trace_startup
from goenv_tui.core.shells.bashparse import parse_bytes, parse_file
from goenv_tui.core.shells.quoting import unquote
from goenv_tui.core.shells.startup_files import bash_candidates, zsh_candidates
from tests.conftest import shell_path

CORPUS = Path(__file__).parent / "data" / "rc_corpus"
NAMES = sorted(KNOWN_GO_NAMES)


def test_parse_forms() -> None:
    p = parse_bytes(
        b"export A=1 B\ndeclare -x C='x\ny'\nX=v cmd\nunset GOPATH\n"
        b"export -n GOFLAGS\nf() { local GOBIN=1; export GOOS=linux; }\n"
        b"( export GOARCH=arm )\nreadonly GOROOT=/r\n. ~/lib.sh\n"
    )
    got = {(a.name, a.op, a.exported, a.line, a.function) for a in p.assignments}
    assert got == {
        ("A", "set", True, 1, None),
        ("B", "export", True, 1, None),
        ("C", "set", True, 2, None),
        ("GOPATH", "unset", None, 5, None),
        ("GOFLAGS", "export", False, 6, None),
        ("GOOS", "set", True, 7, "f"),
        ("GOROOT", "set", None, 9, None),
    }
    assert [s.target_text for s in p.sources] == ["~/lib.sh"]
    st = p.statement_at(3)  # the last line of the multi-line C='...'
    assert st is not None and st.start == 2


def test_parse_never_aborts(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_bytes(b"if then fi ((( \x00\xff export GOPATH=/x\n'unterminated\n")
    p = parse_file(str(bad))
    assert p.error is None
    assert parse_file(str(tmp_path / "missing")).error


def test_unquote_roundtrip() -> None:
    assert unquote("$'a\\nb\\'c\\303\\251'") == "a\nb'cé"
    assert unquote("'it'\\''s'") == "it's"


def test_candidate_tables(tmp_path: Path) -> None:
    (tmp_path / ".profile").write_text("")
    c = bash_candidates(str(tmp_path), "login+interactive")
    assert [x.path for x in c if x.read] == ["/etc/profile", str(tmp_path / ".profile")]
    z = zsh_candidates(str(tmp_path), "noninteractive", None, "/zd")
    assert [x.path for x in z if x.read] == ["/etc/zsh/zshenv", str(tmp_path / ".zshenv")]
    assert str(tmp_path / ".zshrc") in [x.path for x in z if not x.read]


def test_corpus_static() -> None:
    inits = parse_file(str(CORPUS / "tool_inits.sh"))
    names = {a.name: a for a in inits.assignments}
    assert names["GOPATH"].line == 22 and names["GOPATH"].exported
    assert names["GOPRIVATE"].exported and names["GONOSUMDB"].exported
    assert names["GOTELEMETRY"].conditional == "inside a case branch"
    assert "GOROOT" not in names  # inside a heredoc
    skel = parse_file(str(CORPUS / "debian_skel_bashrc"))
    assert skel.error is None and any(s.word == "shopt" for s in skel.statements)


def test_corpus_traced(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    text = (CORPUS / "debian_skel_bashrc").read_text() + (CORPUS / "tool_inits.sh").read_text()
    (home / ".bashrc").write_text(text)
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "xterm"}
    t = trace_startup("bash", shell_path("bash"), str(home), NAMES, env, mode="interactive")
    assert t.traced and t.complete, t.error
    assert t.final_env["GOPATH"] == f"{home}/go"
    assert t.final_env["GONOSUMDB"] == "*.corp.example.com"
    assert t.final_env["GOTELEMETRY"] == "off"
    skel_lines = len((CORPUS / "debian_skel_bashrc").read_text().splitlines())
    [gp] = [a for a in t.assignments if a.name == "GOPATH" and a.ran]
    assert gp.line == skel_lines + 22
    s = trace_startup(
        "bash", shell_path("bash"), str(home), NAMES, env, mode="interactive", trace=False
    )
    assert s.final_env["GOPATH"] == f"{home}/go" and not s.traced
