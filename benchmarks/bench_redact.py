"""Redaction time by value length: 10 KB, 100 KB and 1 MB values of each shape, side by side."""

from __future__ import annotations

import time

from goenv_tui.core.redact import Redactor

SHAPES = {
    "word": lambda n: "a" * n,
    "url": lambda n: "https://u:p@h.example/" + "a" * n,
    "goflags -X": lambda n: "-ldflags=-X main.v=" + "a" * n,
    "at signs": lambda n: "@" * n,
    "goauth": lambda n: "custom cmd --token=" + "a" * n,
}


def main() -> None:
    sizes = (10_000, 100_000, 1_000_000)
    print(f"{'shape':<12}" + "".join(f"{n // 1000:>10} KB" for n in sizes))
    for shape, make in SHAPES.items():
        cells = []
        for n in sizes:
            r = Redactor(home="/home/alice", user="alice", key=b"k" * 32)
            value = make(n)
            t = time.perf_counter()
            r.value("GOAUTH" if shape == "goauth" else "GOPROXY", value, "bench")
            r.text(value, "bench")
            cells.append(f"{time.perf_counter() - t:>11.3f}s")
        print(f"{shape:<12}" + "".join(cells))


if __name__ == "__main__":
    main()
