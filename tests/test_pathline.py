"""Finding the line that puts go's folder on PATH, and ~/.bashrc's interactive guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from goenv_tui.core.doctor.pathline import guard_line, login_only, path_line


@pytest.mark.parametrize(
    "guard",
    [
        "case $- in\n    *i*) ;;\n      *) return;;\nesac",  # Debian and Ubuntu's skeleton
        '[ -z "$PS1" ] && return',  # older skeletons
        "[[ $- != *i* ]] && return",  # Arch, Gentoo
        "[[ $- == *i* ]] || return",
    ],
)
def test_the_guard_is_found_in_every_common_form(tmp_path: Path, guard: str) -> None:
    rc = tmp_path / ".bashrc"
    rc.write_text("# mine\nexport A=1\n" + guard + "\nexport PATH=$HOME/go/bin:$PATH\n")
    assert guard_line(str(rc)) == 3


def test_no_guard_and_a_return_elsewhere(tmp_path: Path) -> None:
    rc = tmp_path / ".bashrc"
    rc.write_text("f() { return 1; }\n# case $- in\n")
    assert guard_line(str(rc)) is None


def test_the_last_line_that_adds_the_folder_in_any_spelling(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    profile, rc = home / ".profile", home / ".bashrc"
    profile.write_text(f'PATH="{home}/sdk/go/bin:$PATH"\n')
    rc.write_text(
        "export PATH=~/sdk/go/bin2:$PATH\n"  # another folder with the same start: not it
        "# export PATH=$HOME/sdk/go/bin:$PATH\n"  # a comment: not it
        'export PATH="${HOME}/sdk/go/bin:$PATH"\n'
        "echo $HOME/sdk/go/bin\n"  # mentions it, but does not set PATH
    )
    files = [str(profile), str(rc)]
    folder = str(home / "sdk" / "go" / "bin")
    assert path_line(files, folder, str(home)) == (str(rc), 3)
    assert path_line(files[:1], folder, str(home)) == (str(profile), 1)
    assert path_line([str(rc)], str(home / "elsewhere"), str(home)) is None
    assert login_only(str(profile)) and not login_only(str(rc))


def test_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    assert path_line([str(tmp_path / "gone")], "/usr/local/go/bin", None) is None
    assert guard_line(str(tmp_path / "gone")) is None
