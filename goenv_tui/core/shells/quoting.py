"""Decode the quoted values bash (`${V@Q}`, xtrace) and zsh (`${(qqqq)V}`) print."""

from __future__ import annotations

_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


def _ansi_c(body: str) -> str:
    """Decode the inside of a $'...' string (bash/zsh ANSI-C quoting)."""
    out: list[str] = []
    raw = bytearray()

    def flush() -> None:
        if raw:
            out.append(raw.decode("utf-8", "surrogateescape"))
            raw.clear()

    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            flush()
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _SIMPLE_ESCAPES:
            flush()
            out.append(_SIMPLE_ESCAPES[nxt])
            i += 2
        elif nxt in "01234567":
            j = i + 1
            while j < len(body) and j < i + 4 and body[j] in "01234567":
                j += 1
            raw.append(int(body[i + 1 : j], 8) & 0xFF)
            i = j
        elif nxt == "x":
            j = i + 2
            while j < len(body) and j < i + 4 and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 2:
                flush()
                out.append("\\x")
            else:
                raw.append(int(body[i + 2 : j], 16))
            i = j
        elif nxt in "uU":
            width = 4 if nxt == "u" else 8
            j = i + 2
            while j < len(body) and j < i + 2 + width and body[j] in "0123456789abcdefABCDEF":
                j += 1
            flush()
            out.append(chr(int(body[i + 2 : j], 16)) if j > i + 2 else "\\" + nxt)
            i = j
        elif nxt == "c" and i + 2 < len(body):
            flush()
            out.append(chr(ord(body[i + 2]) & 0x1F))
            i += 3
        else:
            flush()
            out.append("\\" + nxt)
            i += 2
    flush()
    return "".join(out)


def unquote(text: str) -> str:
    """Decode one shell word made of '...', $'...', "..." and bare parts (no expansion)."""
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            end = text.find("'", i + 1)
            end = n if end < 0 else end
            out.append(text[i + 1 : end])
            i = end + 1
        elif ch == "$" and i + 1 < n and text[i + 1] == "'":
            j = i + 2
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append(_ansi_c(text[i + 2 : min(j, n)]))
            i = j + 1
        elif ch == '"':
            j = i + 1
            buf: list[str] = []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '"\\$`\n':
                    buf.append(text[j + 1])
                    j += 2
                else:
                    buf.append(text[j])
                    j += 1
            out.append("".join(buf))
            i = j + 1
        elif ch == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)
