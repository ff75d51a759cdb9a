"""Rules for module fetching: GOSUMDB (verifier keys), GOPROXY, the private-pattern lists
(GOPRIVATE, GONOPROXY, GONOSUMDB, GOINSECURE), GOVCS, GOAUTH."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re

from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.syntax import _glob_ok, _is_abs, _parse_url, _redact
from goenv_tui.core.validate.tables import _KNOWN_SUMDB


def _goquote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _b64std(s: str) -> bytes | None:
    """encoding/base64.StdEncoding.DecodeString (padding required), or None."""
    s = s.replace("\r", "").replace("\n", "")
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", s) or len(s) % 4:
        return None
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return None


def _verifier_error(vkey: str) -> str:
    """golang.org/x/mod/sumdb/note.NewVerifier plus dbDial's name check: "" when valid."""
    name, _, rest = vkey.partition("+")
    hash16, _, key64 = rest.partition("+")
    key = _b64std(key64)
    name_ok = name != "" and "+" not in name and not any(ch.isspace() for ch in name)
    if len(hash16) != 8 or not re.fullmatch(r"[0-9A-Fa-f]{8}", hash16) or key is None:
        return "malformed verifier id"
    if not name_ok or not key:
        return "malformed verifier id"
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape") + b"\n" + key).digest()
    if int(hash16, 16) != int.from_bytes(digest[:4], "big"):
        return "invalid verifier hash"
    if key[0] != 1:
        return "unknown verifier algorithm"
    if len(key) != 33:
        return "malformed verifier id"
    u = _parse_url("https://" + name)
    if (
        isinstance(u, str)
        or name.endswith("/")
        or not u.host
        or u.userinfo
        or "?" in u.rest
        or "#" in u.rest
        or "%" in name
    ):
        return f"invalid sumdb name (must be host[/path]): {name}"
    return ""


def _gosumdb(c: _Check) -> None:
    v = c.value
    if v == "off":
        c.warn(
            "gosumdb-off",
            "GOSUMDB=off turns off checksum verification for every module, so a tampered "
            "download goes unnoticed; list only your private paths in GOPRIVATE or GONOSUMDB "
            "instead.",
        )
        return
    if v == "sum.golang.google.cn":
        return
    fields = v.split()
    if not fields:
        c.err(
            "gosumdb-missing",
            "GOSUMDB holds only spaces, so every download of a public module fails (“missing "
            "GOSUMDB”); use `go env -u GOSUMDB`.",
        )
        return
    if len(fields) > 2:
        c.err(
            "gosumdb-fields",
            "GOSUMDB takes a name or key and at most one URL, so every download fails "
            "(“invalid GOSUMDB: too many fields”).",
        )
        return
    first = fields[0]
    if "://" in first:
        c.err(
            "gosumdb-url",
            f"GOSUMDB starts with a URL, which go reads as a key, so every download fails "
            f"(“invalid GOSUMDB: malformed verifier id”); write “sum.golang.org "
            f"{_redact(first)}” to reach the database through that URL.",
        )
        return
    if first not in _KNOWN_SUMDB:
        err = _verifier_error(first)
        if err:
            if "+" not in first:
                hint = (
                    "only sum.golang.org is known by name; any other database needs its full "
                    "key name+hash+key"
                )
            else:
                hint = "copy the key exactly as the database operator publishes it"
            c.err(
                "gosumdb-key",
                f"every download fails (“invalid GOSUMDB: {err}”); {hint}.",
            )
            return
    if len(fields) == 2:
        u = _parse_url(fields[1])
        if isinstance(u, str):
            c.err("gosumdb-url", f"every download fails (“invalid GOSUMDB URL: {u}”).")
        elif u.scheme not in {"http", "https"}:
            c.warn(
                "gosumdb-url-scheme",
                f"the GOSUMDB URL {_redact(fields[1])!r} has no http(s) scheme, so lookups "
                "fail; write https://host.",
            )
        elif u.userinfo:
            c.warn(
                "gosumdb-credentials",
                "the GOSUMDB URL holds credentials, which `go env` and `go bug` print "
                "verbatim; put them in ~/.netrc or GOAUTH instead.",
            )


def _goproxy(c: _Check) -> None:
    rest = c.value
    entries: list[tuple[str, str]] = []  # (entry, separator that follows)
    while rest:
        m = re.search(r"[,|]", rest)
        if m:
            entries.append((rest[: m.start()], m.group()))
            rest = rest[m.end() :]
        else:
            entries.append((rest, ""))
            rest = ""
    seen = 0
    terminal = ""
    for raw, _sep in entries:
        url = raw.strip()
        if not url:
            continue
        if terminal:
            c.warn(
                "goproxy-after-terminal",
                f"GOPROXY entries after {terminal!r} are never used because go stops at "
                f"{terminal!r}; move {terminal!r} to the end.",
            )
            return
        seen += 1
        if url in {"off", "direct"}:
            terminal = url
            continue
        if (
            any(ch in url for ch in ".:/")
            and ":/" not in url
            and not _is_abs(url, c.hostos)
            and not url.startswith("/")
        ):
            url = "https://" + url
        u = _parse_url(url)
        if isinstance(u, str):
            c.err("goproxy-url", f"every download fails ({u}); fix the GOPROXY entry.")
            return
        shown = _redact(url)
        if u.scheme == "":
            hint = (
                f"use file://{url} for a directory"
                if url.startswith("/")
                else "write https://HOST, or off/direct"
            )
            c.err(
                "goproxy-missing-scheme",
                f"every download fails (“invalid proxy URL missing scheme: {shown}”); {hint}.",
            )
            return
        if u.scheme not in {"http", "https", "file"}:
            c.err(
                "goproxy-scheme",
                f"every download fails (“invalid proxy URL scheme (must be https, http, file): "
                f"{shown}”).",
            )
            return
        if u.scheme == "file" and (u.host or u.userinfo or "?" in u.rest or "#" in u.rest):
            c.err(
                "goproxy-file",
                f"every download fails (“invalid file:// proxy URL with non-path elements: "
                f"{shown}”); write file:///absolute/dir.",
            )
            return
        if u.userinfo:
            c.warn(
                "goproxy-credentials",
                f"the GOPROXY entry {shown} holds credentials, which `go env`, `go bug` and "
                "logs print verbatim; move them to ~/.netrc or GOAUTH.",
            )
        if u.scheme == "http" and u.host.partition(":")[0] not in {"localhost", "127.0.0.1"}:
            c.warn(
                "goproxy-http",
                f"the GOPROXY entry {shown} uses plain http, so modules (and any credentials) "
                "travel unencrypted; use https.",
            )
    if seen == 0:
        c.err(
            "goproxy-empty",
            "GOPROXY has no entries, so every download fails (“GOPROXY list is not the empty "
            "string, but contains no entries”); use `go env -u GOPROXY`.",
        )


def _globs(c: _Check) -> None:
    for raw in c.value.split(","):
        pattern = raw.removesuffix("/")
        if not pattern:
            continue
        if pattern != pattern.strip():
            c.err(
                "glob-list-spaces",
                f"the {c.name} pattern {raw!r} has spaces around it and go does not trim "
                f"them, so it never matches (a private path leaks to the public proxy and "
                f"checksum database); write {c.name}={_joined(c.value)}.",
            )
        elif "://" in pattern:
            c.err(
                "glob-scheme",
                f"the {c.name} pattern {raw!r} has a URL scheme, but patterns match module "
                f"paths, so it never matches; write {pattern.split('://', 1)[1]!r}.",
            )
        elif not _glob_ok(pattern):
            c.err(
                "glob-malformed",
                f"the {c.name} pattern {raw!r} is not a valid glob (path.Match), so go "
                "silently ignores it; close the '[' or escape it with '\\'.",
            )
    if c.name == "GOINSECURE" and c.value.strip(", "):
        c.warn(
            "goinsecure-checksums",
            "GOINSECURE allows plain http and unverified TLS for these paths but still "
            "checks them against the public checksum database; add them to GONOSUMDB (or "
            "GOPRIVATE) if they are private.",
        )


def _joined(value: str) -> str:
    return ",".join(p.strip() for p in value.split(",") if p.strip())


def _govcs(c: _Check) -> None:
    s = c.value.strip()
    if not s:
        return
    vcs = {"git", "hg", "svn", "fossil", "all", "off"} | ({"bzr"} if c.minor < 27 else set())
    have: dict[str, str] = {}
    for raw in s.split(","):
        item = raw.strip()
        pattern, found, lst = item.partition(":")
        pattern, lst = pattern.strip(), lst.strip()
        err = ""
        if not item:
            err = "empty entry in GOVCS"
        elif not found:
            err = f"malformed entry in GOVCS (missing colon): {_goquote(item)}"
        elif not pattern:
            err = f"empty pattern in GOVCS: {_goquote(item)}"
        elif not lst:
            err = f"empty VCS list in GOVCS: {_goquote(item)}"
        elif pattern.startswith(("./", "../")) or pattern in {".", ".."}:
            err = f"relative pattern not allowed in GOVCS: {_goquote(pattern)}"
        elif pattern in have:
            err = f"unreachable pattern in GOVCS: {_goquote(item)} after {_goquote(have[pattern])}"
        elif any(not a.strip() for a in lst.split("|")):
            err = f"empty VCS name in GOVCS: {_goquote(item)}"
        if err:
            c.err(
                "govcs-syntax",
                f"every fetch from a version control system fails (“{err}”); write "
                "pattern:vcs|vcs entries separated by commas.",
            )
            return
        have[pattern] = item
        for a in lst.split("|"):
            if a.strip() not in vcs:
                c.err(
                    "govcs-unknown-vcs",
                    f"GOVCS names {a.strip()!r}, which is not a version control system go "
                    f"knows, so it allows nothing; use {', '.join(sorted(vcs))}.",
                )
        if pattern not in {"public", "private"} and not _glob_ok(pattern):
            c.err(
                "glob-malformed",
                f"the GOVCS pattern {pattern!r} is not a valid glob (path.Match), so it never "
                "matches; fix the brackets.",
            )


def _goauth(c: _Check) -> None:
    cmds = c.value.split(";")
    for raw in cmds:
        words = raw.split()
        if not words:
            c.err(
                "goauth-empty-command",
                "GOAUTH has an empty command (a stray ';'), so every authenticated download "
                "fails (“GOAUTH encountered an empty command”); remove it.",
            )
            return
        head = words[0]
        if head == "off":
            if len(cmds) != 1:
                c.err(
                    "goauth-off-combined",
                    "GOAUTH=off cannot be combined with other methods (“GOAUTH=off cannot be "
                    "combined with other authentication commands”); use off alone.",
                )
                return
        elif head == "netrc":
            continue
        elif head == "git":
            if len(words) != 2 or not c.abs(words[1]):
                c.err(
                    "goauth-git",
                    "the GOAUTH git method needs exactly one absolute directory (“GOAUTH=git "
                    "dir method requires an absolute path to the git working directory”); "
                    "write `git /abs/dir`.",
                )
                return
            if not os.path.isdir(words[1]):
                c.warn(
                    "goauth-git-missing",
                    f"the GOAUTH git directory {words[1]} does not exist, so authenticated "
                    "downloads fail (“cannot stat”); create it or fix the path.",
                )
        elif not c.which(head):
            c.warn(
                "goauth-command-missing",
                f"the GOAUTH command {head!r} is not found, so go gets no credentials from "
                "it; install it or give its absolute path.",
            )
