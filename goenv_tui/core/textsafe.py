"""Untrusted text made safe for a terminal: control characters and stray bytes shown escaped.

Every value, name, host, path or message that came from a file, a snapshot or the environment
goes through `for_terminal` before it reaches the terminal (the CLI's stdout/stderr and the
TUI's renderables). The escaping, documented for users in the README:

- C0 controls, DEL (including ESC, so no OSC/CSI sequence survives): ``\\xNN`` (NN < 80);
- a byte that is not UTF-8 (held as a surrogateescape lone surrogate U+DC80..U+DCFF): ``\\xNN``
  with NN ≥ 80 — so ``\\x1b`` is always the character ESC and ``\\xff`` always the byte 0xFF;
- C1 controls, bidi overrides/isolates and any other lone surrogate: ``\\uNNNN``.

Everything else is kept as it is (backslashes included), so the output is readable and distinct
inputs that differ in control characters show distinctly; `unescape` reverses it for text that
held no backslash escapes of its own.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

#: Bidi embeddings/overrides (U+202A..202E) and isolates (U+2066..2069): they reorder what
#: follows on the line, so a value could display as something else.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
#: A lone surrogate: in memory, a byte that was not UTF-8 (surrogateescape) or a JSON escape.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})")
#: The control characters of a screen's own layout, kept when whole output is escaped.
LAYOUT = "\n\t"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x80:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def for_terminal(text: str, keep: str = "") -> str:
    """``text`` with every control character, bidi control and stray byte escaped.

    ``keep`` names control characters to leave alone (the CLI's output stream keeps the
    newlines and tabs of its own layout; a single value keeps none).
    """
    if not keep:
        return _UNSAFE.sub(_escape, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def escape_bytes(text: str) -> str:
    """``text`` with only its lone surrogates (stray bytes) escaped: valid UTF-8 for files."""
    return LONE_SURROGATE.sub(_escape, text)


def unescape(shown: str) -> str:
    """The text `for_terminal` was given (exact when it held no ``\\x``/``\\u`` of its own)."""

    def back(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            code = int(match.group(1), 16)
            return chr(code if code < 0x80 else 0xDC00 + code)
        return chr(int(match.group(2), 16))

    return _ESCAPE.sub(back, shown)


class TerminalStream:
    """A text stream that escapes what it is given (all but the layout's newlines and tabs)
    before passing it on: the CLI's stdout and stderr, its one output choke point."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        """Write ``text`` escaped; returns the length given (as a text stream does)."""
        self.inner.write(for_terminal(text, keep=LAYOUT))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextlib.contextmanager
def terminal_streams() -> Iterator[None]:
    """Within: sys.stdout and sys.stderr escape untrusted text (restored after)."""
    saved = sys.stdout, sys.stderr
    sys.stdout = TerminalStream(saved[0])
    sys.stderr = TerminalStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def raw_streams() -> Iterator[None]:
    """Within: the streams `terminal_streams` wraps, for a full-screen app that renders
    (and escapes) its own output."""
    saved = sys.stdout, sys.stderr
    sys.stdout = getattr(saved[0], "inner", saved[0])
    sys.stderr = getattr(saved[1], "inner", saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
