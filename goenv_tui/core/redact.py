"""Redaction by value for snapshots, previews, history and logs (go-env-facts.md §7).

A :class:`Redactor` hides secrets wherever they appear, whatever the variable is called: URL
userinfo and query tokens, `-X name=value` linker values, GOAUTH command arguments, netrc
login/password words, the home directory (`~`) and the user name (`<user>`).

Private host patterns (GOPRIVATE, GONOPROXY, GONOSUMDB, GOINSECURE, GOVCS) and the hosts of
GOPROXY/GOSUMDB URLs are pseudonymised word by word: each word between glob syntax and the
separators `.` `/` `:` `@` becomes `h-` + the first 6 hex digits of HMAC-SHA256(key, word),
unless it is a label of a well-known public host (:data:`KEEP_WORDS`). One word always maps to
one tag, so a pattern whose globs are whole words (`*.corp.com`, `github.com/org/*`) matches a
redacted module path exactly when it matched the real one: "GONOSUMDB covers GOPRIVATE" stays
checkable. (`corp-*` or `?` inside a word keep their shape but not their matches.)

Secrets of :data:`MIN_SECRET` characters or more learnt from values are replaced anywhere in
later values and text; private words only inside names (next to `.` `/` `:` `@`), so a private
`vendor.corp.com` leaves `-mod=vendor` alone. Call :meth:`Redactor.learn` on every value first
to make that independent of the order. Redacting redacted output changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

REDACTED = "REDACTED"
USER_TAG = "<user>"

#: Hosts whose labels are public knowledge and stay readable.
PUBLIC_HOSTS: tuple[str, ...] = (
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "golang.org",
    "proxy.golang.org",
    "sum.golang.org",
    "go.dev",
    "go.googlesource.com",
    "google.golang.org",
    "gopkg.in",
    "cloud.google.com",
    "k8s.io",
    "goproxy.io",
    "goproxy.cn",
    "sum.golang.google.cn",
)

#: Words never pseudonymised: labels of public hosts, schemes, generic host words.
KEEP_WORDS: frozenset[str] = frozenset(
    {label for host in PUBLIC_HOSTS for label in host.split(".")}
    | {"http", "https", "file", "ssh", "git", "www", "localhost"}
)

#: Account names that identify nobody and are common words: never replaced by `<user>`.
GENERIC_USERS: frozenset[str] = frozenset(
    """
    root admin user nobody runner ubuntu debian vagrant build builder docker git go gopher
    test dev guest home www daemon jenkins node app ci
    """.split()  # noqa: SIM905
)

#: Secrets shorter than this are redacted where found but not searched for in other text.
MIN_SECRET = 4

PATTERN_LISTS: frozenset[str] = frozenset({"GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"})

R_URL = "URL credentials"
R_QUERY = "URL query value"
R_PATH = "token in a URL path"
R_HEADER = "authorization header"
R_FLAG = "token or password argument"
R_XFLAG = "-X linker value"
R_GOAUTH = "GOAUTH command argument"
R_NETRC = "netrc credentials"
R_SUMDB_KEY = "checksum database key of a private host"
R_HOME = "home directory"
R_USER = "user name"
R_PATTERN = "private host pattern (pseudonymised)"
R_HOST = "private host (pseudonymised)"

# Output of a redaction: never redacted again.
_PROTECTED = r"REDACTED|<user>|(?<![A-Za-z0-9])h-[0-9a-f]{6}(?![A-Za-z0-9])"
# A run of text that may hold a URL (a raw quote may be part of a password).
_TOKEN = re.compile(r"\S+")
# Where a scheme starts: never inside a longer scheme-like word (linear time).
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://")
# Any query value, whatever the key is called.
_QUERY = re.compile(r"(?P<key>[?&][^\s=&#?'\"]+=)(?P<val>[^&#\s'\",|]+)")
# A path segment that follows one of these names is a credential (GitLab, Artifactory...).
_PATH_KEYS = frozenset(
    {
        *("token", "tokens", "private-token", "private_token", "access-token", "access_token"),
        *("auth", "key", "keys", "apikey", "api-key", "api_key", "secret", "secrets"),
        *("password", "passwd", "credential", "credentials"),
    }
)
# A path segment that looks like a token: long hex, prefixed tokens, long mixed-case base64.
_PATH_TOKEN = re.compile(
    r"[0-9a-fA-F]{32,}|(?:glpat-|ghp_|gho_|ghs_|ghu_|github_pat_|AKCp)[\w-]{8,}"
    r"|(?=[\w+=~-]*[a-z])(?=[\w+=~-]*[A-Z])(?=[\w+=~-]*[0-9])[\w+=~-]{24,}"
)
_HEADER = re.compile(
    r"(?i)(?P<key>(?<![\w-])(?:proxy-)?authorization\s*:\s*"
    r"(?:(?:bearer|basic|token|digest|negotiate)\s+)?|(?<![\w-])bearer\s+)"
    r"(?P<val>[^\s'\"]+)"
)
_SECRET_WORDS = r"(?:token|password|passwd|secret|api[-_]?key|apikey|credential)"
# --token=abc, --password abc, GITHUB_TOKEN=abc, api_key=abc.
_SECRET_FLAG = re.compile(
    rf"(?i)(?P<key>(?<![\w.-])--?[\w.-]*{_SECRET_WORDS}[\w.-]*(?:=|\s+)"
    rf"|(?<![\w.-])[\w.-]*{_SECRET_WORDS}[\w.-]*=)(?P<val>'[^']*'|\"[^\"]*\"|[^\s'\"&,|;]+)"
)
_GOAUTH_NAME = re.compile(r"(?<![A-Za-z0-9_])GOAUTH['\"]?\s*[=:]\s*")
_NETRC_MACHINE = re.compile(r"(?<!\S)machine\s+\S")
_NETRC_CRED = re.compile(r"(?<!\S)(?:login|password|account)\s+(?P<val>\S+)")
# -X name=value, -X=name=value, --X ...; the value may be quoted, or the whole name=value.
_XFLAG = re.compile(
    r"""(?<![^\s'"=])--?X(?:=|\s+)"""
    r"""(?:(?P<q>['"])[^\s='"]+=(?P<qval>[^'"]*)(?P=q)"""
    r"""|[^\s='"]+=(?P<val>'[^']*'|"[^"]*"|[^\s'"]*))"""
)
# Kept verbatim inside a host pattern; the runs between are the words.
_PATTERN_SPLIT = re.compile(r"(\[[^\]]*\]|\\.|[*?./:@\s])")
# One GOPROXY entry or GOSUMDB URL: [scheme://][userinfo@]host[rest]; a proxy URL has no "@"
# in its path, so the userinfo runs to the last "@" even past a raw "/" in a password.
_URL = re.compile(
    r"(?P<head>\s*(?:[A-Za-z][A-Za-z0-9+.-]*://)?)(?P<info>[^\s/?#][^\s?#]*@)?"
    r"(?P<host>[^\s/?#:@]*)(?P<rest>.*)",
    re.DOTALL,
)
_GOAUTH_CMD = re.compile(r"(?P<lead>\s*)(?P<cmd>\S+)(?P<ws>\s+)(?P<args>.*?)(?P<trail>\s*)", re.S)
_WORD_EDGE = r"\w~+%-"


def _last_at(s: str, lo: int, hi: int) -> int:
    """The last "@" of s[lo:hi] that ends a userinfo (not "/@", as in a proxy's `/@v/list`)."""
    at = s.rfind("@", lo, hi)
    while at > lo and s[at - 1] == "/":
        at = s.rfind("@", lo, at)
    return at if at > lo else -1


@lru_cache(maxsize=128)
def _compile(body: str) -> re.Pattern[str]:
    return re.compile(f"(?P<keep>{_PROTECTED})|{body}")


@dataclass(frozen=True)
class Redaction:
    """One field where something was hidden, and why (never the hidden text itself)."""

    field: str
    reason: str


#: Private words longer than this are replaced as plain text, not through the word regex.
_LONG_WORD = 256


class Redactor:
    """Redacts values and free text consistently for one user (see the module docstring)."""

    def __init__(self, *, home: str | None, user: str | None, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must have at least 16 bytes")
        self._key = key
        home = (home or "").rstrip("/")
        self._home = home if home.startswith("/") else None
        generic = not user or len(user) < 3 or user.lower() in GENERIC_USERS
        self._user = None if generic else user
        self._secrets: dict[str, str] = {}  # secret -> reason
        self._short: set[str] = set()  # secrets too short to replace everywhere
        self._words: dict[str, str] = {}  # private word -> pseudonym
        self._seen: dict[Redaction, None] = {}
        self._record = True

    @property
    def redactions(self) -> list[Redaction]:
        """Every redaction so far, de-duplicated, in first-seen order."""
        return list(self._seen)

    def value(self, name: str | None, value: str, field: str) -> str:
        """Redact one variable value; `name` selects the list rules (GOPROXY, GOPRIVATE...)."""
        out = value
        if name == "GOAUTH":
            out = ";".join(self._goauth(item, field) for item in out.split(";"))
        out = self._secret_syntax(out, field)
        if name in PATTERN_LISTS or name == "GOVCS":
            out = self._patterns(out, field, govcs=name == "GOVCS")
        elif name == "GOPROXY":
            parts = re.split(r"([,|])", out)
            out = "".join(p if i % 2 else self._url(p, field) for i, p in enumerate(parts))
        elif name == "GOSUMDB":
            out = self._gosumdb(out, field)
        return self._known(out, field)

    def text(self, text: str, field: str) -> str:
        """Redact free text: paths, notes, error messages, origins."""
        return self._known(self._secret_syntax(text, field), field)

    def learn(self, name: str | None, value: str) -> None:
        """Learn a value's secrets and private words without recording a redaction."""
        record, self._record = self._record, False
        try:
            self.value(name, value, "")
        finally:
            self._record = record

    def learn_secrets(self, name: str | None, value: str) -> None:
        """Learn only a value's secrets (passwords, tokens): host names stay readable."""
        words = dict(self._words)
        self.learn(name, value)
        self._words = words  # the private words it learnt are forgotten again

    def hide_learnt(self, text: str, field: str) -> str:
        """``text`` with every secret learnt so far replaced (no syntax rules: for text that
        quotes values, e.g. a finding that already masks what it shows)."""
        return self._known(text, field)

    # -- bookkeeping

    def _note(self, field: str, reason: str) -> None:
        if self._record:
            self._seen.setdefault(Redaction(field, reason), None)

    def _remember(self, secret: str, reason: str) -> None:
        for cand in (secret, unquote(secret)):
            if (
                len(cand) >= MIN_SECRET
                and cand != self._user
                and not re.fullmatch(_PROTECTED, cand)
            ):
                self._secrets.setdefault(cand, reason)
            elif cand and len(self._short) < 1000:
                self._short.add(cand)

    def _port_piece(self, s: str, field: str) -> str:
        """go's `invalid port ":PIECE" after host` quotes a piece of a password that holds
        `/` (go took `user:pa` as the host): hide it when it is part of a learnt secret."""

        def piece(m: re.Match[str]) -> str:
            text = m[1]
            if text and any(text in secret for secret in (*self._secrets, *self._short)):
                self._note(field, R_URL)
                return f'invalid port ":{REDACTED}"'
            return m[0]

        return re.sub(r'invalid port ":([^"\s]{0,256})"', piece, s)

    def _hide(self, secret: str, reason: str, field: str) -> str:
        """Remember `secret`, note the redaction and return the placeholder."""
        self._remember(secret, reason)
        self._note(field, reason)
        return REDACTED

    def _word(self, word: str) -> str:
        if word in ("", "~") or word.lower() in KEEP_WORDS or re.fullmatch(_PROTECTED, word):
            return word
        tag = self._words.get(word)
        if tag is None:
            digest = hmac.new(
                self._key, word.encode("utf-8", "surrogateescape"), hashlib.sha256
            ).hexdigest()
            tag = self._words[word] = "h-" + digest[:6]
        return tag

    def _pattern(self, pattern: str) -> str:
        parts = _PATTERN_SPLIT.split(pattern)
        return "".join(p if i % 2 else self._word(p) for i, p in enumerate(parts))

    # -- rules that find secrets by their syntax, in any value or text

    def _secret_syntax(self, s: str, field: str) -> str:
        def keyed(reason: str) -> Callable[[re.Match[str]], str]:
            def repl(m: re.Match[str]) -> str:
                val = m["val"]
                inner = val[1:-1] if len(val) > 1 and val[0] == val[-1] in "'\"" else val
                if not inner or re.fullmatch(_PROTECTED, inner):
                    return m[0]
                quote = val[0] if inner is not val else ""
                return m["key"] + quote + self._hide(inner, reason, field) + quote

            return repl

        def netrc(m: re.Match[str]) -> str:
            if m["val"] == REDACTED:
                return m[0]
            return m[0][: m.start("val") - m.start()] + self._hide(m["val"], R_NETRC, field)

        def xflag(m: re.Match[str]) -> str:
            group = "qval" if m["q"] else "val"
            start, end = m.span(group)
            if m[group][:1] in ("'", '"'):
                start, end = start + 1, end - 1
            secret = m.string[start:end]
            if not secret or secret == REDACTED:
                return m[0]
            at, to = start - m.start(), end - m.start()
            return m[0][:at] + self._hide(secret, R_XFLAG, field) + m[0][to:]

        if "GOAUTH" in s:
            s = self._goauth_text(s, field)
        if "@" in s or "://" in s:
            s = _TOKEN.sub(lambda m: self._url_token(m[0], field), s)
        s = _XFLAG.sub(xflag, s)
        if "=" in s:
            s = _QUERY.sub(keyed(R_QUERY), s)
        s = _SECRET_FLAG.sub(keyed(R_FLAG), s)
        s = _HEADER.sub(keyed(R_HEADER), s)
        if _NETRC_MACHINE.search(s):
            s = _NETRC_CRED.sub(netrc, s)
        return s

    def _url_token(self, tok: str, field: str) -> str:
        """One run of text: the userinfo, a password cut short by go's parser (`host:pa`)
        and token-like path segments of every URL in it, scheme or not (GOPROXY's form)."""
        schemes = list(_SCHEME.finditer(tok))
        if not schemes:
            base = tok.find("=") + 1  # GOPROXY=user:pass@host
            while tok[base : base + 1] in ("'", '"', "(", "["):
                base += 1
            at = _last_at(tok, base, len(tok))
            if at < 0 or ":" not in tok[base:at]:
                return tok
            return tok[:base] + self._userinfo(tok[base:at], field) + tok[at:]
        out = [tok[: schemes[0].start()]]
        for m, after in zip(schemes, [*schemes[1:], None], strict=True):
            end = len(tok) if after is None else after.start()
            out += [m[0], self._url_rest(tok[m.end() : end], field)]
        return "".join(out)

    def _url_rest(self, rest: str, field: str) -> str:
        """What follows `scheme://`, up to the next URL: userinfo@host/path?query."""
        at = _last_at(rest, 0, len(rest))
        head = ""
        if at >= 0:
            head, rest = self._userinfo(rest[:at], field), rest[at:]
        cut = min((i for i in map(rest.find, "/?#") if i >= 0), default=len(rest))
        authority, path = rest[:cut], rest[cut:]
        host, colon, port = authority.rpartition(":")
        cut_short = at < 0 and colon and port and "]" not in port and not port.isdigit()
        if cut_short and not re.fullmatch(_PROTECTED, port):  # `https://user:pa` from go
            authority = host + ":" + self._hide(port, R_URL, field)
        if path.startswith("/") and len(path) > 1:
            path = self._url_path(path, field)
        return head + authority + path

    def _userinfo(self, info: str, field: str) -> str:
        if info == REDACTED or not info:
            return info
        password = info.partition(":")[2]
        self._remember(password, R_URL)  # the password; a user alone is no secret
        for piece in re.split(r"[/,|#?@;]", password):
            self._remember(piece, R_URL)  # what go's parser may print of it
        return self._hide(info, R_URL, field)

    def _url_path(self, path: str, field: str) -> str:
        end = min((i for i in map(path.find, "?#") if i >= 0), default=len(path))
        parts = path[:end].split("/")
        after_key = False
        for i, part in enumerate(parts):
            token_like = after_key or _PATH_TOKEN.fullmatch(part)
            if part and token_like and not re.fullmatch(_PROTECTED, part):
                parts[i] = self._hide(part, R_PATH, field)
            after_key = part.lower() in _PATH_KEYS
        return "/".join(parts) + path[end:]

    def _goauth_text(self, s: str, field: str) -> str:
        """`GOAUTH=...` in free text (a diff, a command line, a description): its value ends at
        the quote around it, else at two spaces or the end of the line."""
        out: list[str] = []
        pos = 0
        for m in _GOAUTH_NAME.finditer(s):
            if m.start() < pos:
                continue
            begin = m.end()
            before = s[m.start() - 1 : m.start()]
            quote = before if before in ("'", '"') else ""
            if not quote and s[begin : begin + 1] in ("'", '"'):
                quote, begin = s[begin], begin + 1
            stops = [s.find(quote, begin)] if quote else [s.find("  ", begin)]
            stops.append(s.find("\n", begin))
            end = min((i for i in stops if i >= 0), default=len(s))
            value = ";".join(self._goauth(item, field) for item in s[begin:end].split(";"))
            out += [s[pos:begin], value]
            pos = end
        return "".join(out) + s[pos:]

    # -- rules chosen by the variable's name

    def _patterns(self, s: str, field: str, *, govcs: bool) -> str:
        items = s.split(",")
        for i, item in enumerate(items):
            pattern, colon, vcs = item.partition(":") if govcs else (item, "", "")
            if not (govcs and pattern.strip() in ("public", "private")):
                items[i] = self._pattern(pattern) + colon + vcs
        out = ",".join(items)
        if out != s:
            self._note(field, R_PATTERN)
        return out

    def _url(self, entry: str, field: str) -> str:
        m = _URL.fullmatch(entry)
        if m is None or entry.strip() in ("", "off", "direct"):
            return entry
        info = m["info"] or ""
        if info and info != REDACTED + "@":
            self._remember(info[:-1].partition(":")[2], R_URL)
            info = self._hide(info[:-1], R_URL, field) + "@"
        host = self._pattern(m["host"])
        if host != m["host"]:
            self._note(field, R_HOST)
        return m["head"] + info + host + m["rest"]

    def _gosumdb(self, s: str, field: str) -> str:
        parts = re.split(r"(\s+)", s)
        first = next((i for i in range(0, len(parts), 2) if parts[i]), len(parts))
        for i in range(first, len(parts), 2):
            name, plus, key = parts[i].partition("+")
            if i > first or "://" in name:
                parts[i] = self._url(parts[i], field)
            elif name != "off":
                public = self._pattern(name)
                if public != name:
                    self._note(field, R_HOST)
                    if key and key != REDACTED:
                        key = self._hide(key, R_SUMDB_KEY, field)
                parts[i] = public + plus + key
        return "".join(parts)

    def _goauth(self, item: str, field: str) -> str:
        m = _GOAUTH_CMD.fullmatch(item)
        if m is None or m["cmd"] in ("off", "netrc", "git") or m["args"] in ("", REDACTED):
            return item
        for arg in m["args"].split():
            flag, eq, val = arg.partition("=")
            self._remember(val if flag.startswith("-") and eq else arg, R_GOAUTH)
        args = self._hide(m["args"], R_GOAUTH, field)
        return m["lead"] + m["cmd"] + m["ws"] + args + m["trail"]

    # -- what the redactor already knows: secrets, home, private words, user name

    def _sub(self, s: str, body: str, repl: Callable[[re.Match[str]], str]) -> str:
        return _compile(body).sub(lambda m: m[0] if m["keep"] else repl(m), s)

    def _known(self, s: str, field: str) -> str:
        if "invalid port" in s:
            s = self._port_piece(s, field)
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in s:  # str.replace: linear, unlike one alternation of long secrets
                self._note(field, self._secrets[secret])
                s = s.replace(secret, REDACTED)
        if self._home:
            home = re.escape(self._home)
            body = rf"(?:(?<=://)|(?<=(?<![^\s=:,;])-[A-Za-z])|(?<![\w.~+/-])){home}(?![\w.~+-])"
            s = self._sub(s, body, lambda m: self._replace(field, R_HOME, "~"))
        for long_word in [w for w in self._words if len(w) > _LONG_WORD]:
            if long_word in s:  # str.replace: a regex of a megabyte word compiles slowly
                s = s.replace(long_word, self._replace(field, R_HOST, self._words[long_word]))
        short = [w for w in self._words if len(w) <= _LONG_WORD]
        if short:
            alts = "|".join(map(re.escape, sorted(short, key=len, reverse=True)))

            def word(m: re.Match[str]) -> str:
                w, at, end = m[0], m.start(), m.end()
                near = m.string[at - 1 : at] + m.string[end : end + 1]
                if not set(near) & set("./:@"):
                    return w  # a lone word: not a host name or a path
                return self._replace(field, R_HOST, self._words[w])

            s = self._sub(s, rf"(?<![{_WORD_EDGE}])(?:{alts})(?![{_WORD_EDGE}])", word)
        if self._user:
            body = rf"(?<![A-Za-z0-9_]){re.escape(self._user)}(?![A-Za-z0-9_])"
            s = self._sub(s, body, lambda m: self._replace(field, R_USER, USER_TAG))
        return s

    def _replace(self, field: str, reason: str, by: str) -> str:
        self._note(field, reason)
        return by


def secrets_only() -> Redactor:
    """A redactor for what the user reads on their own machine (previews, history, checks):
    secrets hidden; home paths, the user name and host names kept (a fresh random key)."""
    return Redactor(home=None, user=None, key=os.urandom(32))


def hide_secrets(text: str, field: str) -> str:
    """``text`` with its secrets (URL passwords, tokens, -X values) redacted, nothing else."""
    return secrets_only().text(text, field)


def for_user(text: str) -> str:
    """Free text the user reads on their own machine (staged changes, history descriptions,
    apply checks), secrets hidden: the one redactor the CLI and the TUI both print through."""
    return hide_secrets(text, "history")
