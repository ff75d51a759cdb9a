"""Reading a Go binary's version from its build info, without running it."""

from __future__ import annotations

import shutil
from pathlib import Path

from goenv_tui.core.gobuildinfo import go_version, is_go_binary


def test_real_binaries(go_bin: Path, old_go_bin: Path) -> None:
    assert go_version(str(go_bin)) == "go1.27.3"
    assert go_version(str(old_go_bin)) == "go1.21.13"
    assert is_go_binary(str(go_bin))


def test_scan_without_section_table(go_bin: Path, tmp_path: Path) -> None:
    """A Go binary whose ELF header is damaged is still found by the aligned scan."""
    data = bytearray(go_bin.read_bytes())
    data[0:4] = b"XELF"
    copy = tmp_path / "go"
    copy.write_bytes(bytes(data))
    assert go_version(str(copy)) == "go1.27.3"


def test_not_go(tmp_path: Path) -> None:
    script = tmp_path / "go"
    script.write_text('#!/bin/sh\nexec /usr/bin/true "$@"\n')
    script.chmod(0o755)
    assert go_version(str(script)) is None
    ls = shutil.which("ls")
    assert ls is not None and go_version(ls) is None
    (tmp_path / "empty").write_bytes(b"")
    assert go_version(str(tmp_path / "empty")) is None
    assert go_version(str(tmp_path / "missing")) is None
    assert go_version(str(tmp_path)) is None
    junk = tmp_path / "junk"
    junk.write_bytes(b"\xff Go buildinf:" + b"\x00" * 200)
    assert go_version(str(junk)) is None
