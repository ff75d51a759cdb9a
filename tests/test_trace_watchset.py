"""A trace watches only the names that can matter, and still misses none: a name set where
no file names it is caught by the marker's record and traced again."""

from __future__ import annotations

from pathlib import Path

import pytest

from goenv_tui.core.names import KNOWN_GO_NAMES
from goenv_tui.core.shells import trace_startup, tracer
from goenv_tui.core.shells.records import Record
from goenv_tui.core.shells.watchset import first_names, missed_names
from tests.conftest import shell_path

NAMES = sorted(KNOWN_GO_NAMES)


def _env(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"}


def _record(text: str, file: str = "/x", **values: str) -> Record:
    found = {n: (True, v) for n, v in values.items()}
    return Record(True, file, 1, "", "", 0, 0, found, text)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The names each trace run of the test watched, in order."""
    watched: list[list[str]] = []
    real = tracer.run_trace

    def counted(*args: object, **kwargs: object) -> tracer.RawTrace:
        watched.append(list(args[3]))  # type: ignore[call-overload]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tracer, "run_trace", counted)
    return watched


def _closing(**values: str) -> Record:
    found = {n: (True, v) for n, v in values.items()}
    return Record(True, "zsh", 1, "", "", 0, 0, found, ": marker", all_names=True)


def test_first_names_are_the_environment_the_top_files_and_the_always_watched(
    tmp_path: Path,
) -> None:
    rc = tmp_path / ".bashrc"
    rc.write_text("export GOPATH=$HOME/go  # GOFLAGSX and XGOBIN are other words\n")
    watch = first_names([*NAMES, "ZDOTDIR"], {"GOPROXY": "off"}, [str(rc)], ["ZDOTDIR"])
    assert watch == ["GOPATH", "GOPROXY", "ZDOTDIR"]


def test_missed_names_come_from_the_marker_record_the_commands_and_the_files(
    tmp_path: Path,
) -> None:
    sourced = tmp_path / "lib.sh"
    sourced.write_text('[ -n "$GOROOT" ] && :\n')
    records = [
        _record("export GOBIN=/b"),  # a traced command names it
        _record(":", file=str(sourced)),  # a file read names it
        _closing(GOPATH="/p", GOFLAGS="-x"),  # set at the end, whoever set it
    ]
    missed = missed_names(records, ["GOPATH"], NAMES)
    assert missed == {"GOBIN", "GOROOT", "GOFLAGS"}
    assert missed_names(records[:2], ["GOPATH", "GOBIN", "GOROOT"], NAMES) == set()


def test_a_name_set_without_being_named_is_traced_again(
    tmp_path: Path, runs: list[list[str]]
) -> None:
    """zsh's `: ${(P)name::=value}` under allexport sets GOFLAGS with no file or traced
    command naming it: only the marker's record shows it, and the second trace places it."""
    home = tmp_path / "h"
    home.mkdir()
    (home / ".zshrc").write_text(
        "n=GO\nn+=FLAGS\nsetopt allexport\n: ${(P)n::=-mod=mod}\nunsetopt allexport\n"
    )
    t = trace_startup("zsh", shell_path("zsh"), str(home), NAMES, _env(home))
    assert t.traced and t.complete, t.error
    assert t.final_env == {"GOFLAGS": "-mod=mod"}
    [flags] = [a for a in t.assignments if a.name == "GOFLAGS" and a.ran]
    assert (flags.file, flags.line, flags.exported) == (str(home / ".zshrc"), 4, True)
    assert [("GOFLAGS" in watched) for watched in runs] == [False, True]


def test_a_startup_naming_no_go_variable_is_traced_once_watching_almost_nothing(
    tmp_path: Path, runs: list[list[str]]
) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / ".profile").write_text(". ~/.bashrc\n")
    (home / ".bashrc").write_text("alias ll='ls -l'\nexport EDITOR=vi\n")
    t = trace_startup("bash", shell_path("bash"), str(home), NAMES, _env(home))
    assert t.traced and t.complete, t.error
    assert runs == [[]]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_a_file_sourced_from_elsewhere_is_placed_from_its_plain_assignments(
    tmp_path: Path, runs: list[list[str]], shell: str
) -> None:
    """~/.bashrc sources a file no startup list names; it sets GOPATH twice with plain
    assignments: their traced texts show the values, so one trace places both lines."""
    home = tmp_path / "h"
    (home / "dots").mkdir(parents=True)
    (home / ".profile").write_text(". ~/.bashrc\n")
    (home / ".bashrc").write_text(". ~/dots/go.sh\n")
    (home / ".zshrc").write_text(". ~/dots/go.sh\n")
    (home / "dots" / "go.sh").write_text(
        "# go\nGOPATH='/srv/a b'\nexport GOPATH=/srv/dots\n: done\n"
    )
    t = trace_startup(shell, shell_path(shell), str(home), NAMES, _env(home))
    assert t.final_env == {"GOPATH": "/srv/dots"}
    ran = [(a.line, a.value, a.exported) for a in t.assignments if a.name == "GOPATH" and a.ran]
    assert ran == [(2, "/srv/a b", False), (3, "/srv/dots", True)]
    assert {a.file for a in t.assignments if a.name == "GOPATH"} == {str(home / "dots" / "go.sh")}
    assert len(runs) == 1


def test_a_name_a_sourced_file_sets_in_another_way_is_traced_again(
    tmp_path: Path, runs: list[list[str]]
) -> None:
    """`read` sets GOPATH without the value in the command's text: a second trace, watching
    GOPATH, places it."""
    home = tmp_path / "h"
    (home / "dots").mkdir(parents=True)
    (home / ".profile").write_text(". ~/dots/go.sh\n")
    (home / "dots" / "go.sh").write_text("read -r GOPATH <<< /srv/read\nexport GOPATH\n")
    t = trace_startup("bash", shell_path("bash"), str(home), NAMES, _env(home))
    assert t.final_env == {"GOPATH": "/srv/read"}
    assert next(a.line for a in t.assignments if a.name == "GOPATH" and a.ran) == 1
    assert len(runs) == 2


def test_after_an_edit_the_names_found_last_time_are_watched_from_the_start(
    tmp_path: Path, runs: list[list[str]]
) -> None:
    """A stale cache entry still says which names the startup set: the next trace watches
    them at once and runs once, and its answer is the edited one."""
    home = tmp_path / "h"
    (home / "dots").mkdir(parents=True)
    (home / ".profile").write_text(". ~/dots/go.sh\n")
    script = home / "dots" / "go.sh"
    script.write_text("export GOPATH=/srv/one\n")
    cache_dir = str(tmp_path / "cache")

    def gopath() -> str:
        t = trace_startup(
            "bash", shell_path("bash"), str(home), NAMES, _env(home), cache_dir=cache_dir
        )
        return t.final_env["GOPATH"]

    assert gopath() == "/srv/one" and len(runs) == 1  # placed from its plain assignment
    script.write_text("# moved\nexport GOPATH=/srv/two\n")
    runs.clear()
    assert gopath() == "/srv/two" and len(runs) == 1 and "GOPATH" in runs[0]


def test_the_marker_record_is_narrowed_to_the_watched_names() -> None:
    """A name still unwatched after the second trace must not look set by the last command."""
    from goenv_tui.core.shells.watchset import narrowed

    records = [_record(":", GOPATH="/p"), _closing(GOPATH="/p", GOFLAGS="-x")]
    assert [r.vars for r in narrowed(records, ["GOPATH"])] == [
        {"GOPATH": (True, "/p")},
        {"GOPATH": (True, "/p")},
    ]
