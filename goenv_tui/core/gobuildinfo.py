"""Read a Go binary's version from its embedded build info, without running it.

Go binaries carry a 32-byte header ``\\xff Go buildinf:`` + pointer size + flags, 16-byte
aligned in the data segment (debug/buildinfo). Since Go 1.18 (flag bit 2) the version and
the module info follow the header inline as varint-length-prefixed strings; older binaries
store pointers instead, which this reader does not follow (it returns None).
"""

from __future__ import annotations

import mmap
import os
import struct

MAGIC = b"\xff Go buildinf:"
_HEADER = 32
_FLAG_INLINE = 0x2
#: Only this many bytes from the start are scanned (the header is in the data segment).
MAX_SCAN = 512 * 1024 * 1024


def _uvarint(buf: bytes | mmap.mmap, pos: int) -> tuple[int, int]:
    """Decode an unsigned varint at ``pos``; (value, next position), (-1, pos) on error."""
    value = 0
    shift = 0
    for i in range(10):
        if pos + i >= len(buf):
            return -1, pos
        b = buf[pos + i]
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos + i + 1
        shift += 7
    return -1, pos


def _version_at(data: mmap.mmap, off: int) -> str | None:
    """The version at a candidate header offset, or None when it is not a valid header."""
    if off % 16 or off + _HEADER > len(data):
        return None
    ptr_size = data[off + 14]
    flags = data[off + 15]
    if ptr_size not in (4, 8) or not flags & _FLAG_INLINE:
        return None
    n, pos = _uvarint(data, off + _HEADER)
    if n <= 0 or n > 256 or pos + n > len(data):
        return None
    raw = bytes(data[pos : pos + n])
    try:
        version = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not (version.startswith("go") or version.startswith("devel")):
        return None
    return version


def _elf_buildinfo_offset(data: mmap.mmap) -> int | None:
    """File offset of the ``.go.buildinfo`` section of an ELF file.

    None when ``data`` is not a well-formed ELF file; -1 when it is one without that section.
    """
    if data[:4] != b"\x7fELF" or len(data) < 64:
        return None
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        (shoff,) = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 0x3A)
    else:
        (shoff,) = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 0x2E)
    if not shoff or shstrndx >= shnum or shoff + shnum * shentsize > len(data):
        return None

    def section(i: int) -> tuple[int, int, int]:
        base = shoff + i * shentsize
        if is64:
            (name,) = struct.unpack_from(end + "I", data, base)
            off, size = struct.unpack_from(end + "QQ", data, base + 0x18)
        else:
            (name,) = struct.unpack_from(end + "I", data, base)
            off, size = struct.unpack_from(end + "II", data, base + 0x10)
        return name, off, size

    _, str_off, str_size = section(shstrndx)
    names = data[str_off : str_off + str_size]
    for i in range(shnum):
        name, off, _size = section(i)
        if names[name : name + 14] == b".go.buildinfo\0":
            return int(off)
    return -1


def go_version(path: str) -> str | None:
    """The Go version a binary was built with (e.g. "go1.27.3"), or None.

    None for anything that is not a readable Go ≥ 1.18 binary: a script, a missing or
    unreadable file, an old pointer-format binary. Never raises.
    """
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size < _HEADER + 16:
                return None
            head = fh.read(4)
            if head.startswith(b"#!"):
                return None
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                try:
                    elf_off = _elf_buildinfo_offset(data)
                except struct.error:
                    elf_off = None
                if elf_off == -1:
                    return None
                if elf_off is not None and data[elf_off : elf_off + 14] == MAGIC:
                    version = _version_at(data, elf_off)
                    if version is not None:
                        return version
                limit = min(len(data), MAX_SCAN)
                off = data.find(MAGIC, 0, limit)
                while off >= 0:
                    version = _version_at(data, off)
                    if version is not None:
                        return version
                    off = data.find(MAGIC, off + 1, limit)
    except (OSError, ValueError):
        return None
    return None


def is_go_binary(path: str) -> bool:
    """True when ``path`` carries Go build info (a compiled Go program, ≥ 1.18)."""
    return go_version(path) is not None
