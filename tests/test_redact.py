"""Redaction by value (go-env-facts.md §7): exact outputs per rule, then property tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from goenv_tui.core.doctor.globs import match_prefix_patterns
from goenv_tui.core.redact import GENERIC_USERS, KEEP_WORDS, Redaction, Redactor

KEY = bytes(range(32))
F = "variables.X.value"


def tag(word: str, key: bytes = KEY) -> str:
    """The pseudonym the spec asks for, computed independently of the module."""
    return "h-" + hmac.new(key, word.encode(), hashlib.sha256).hexdigest()[:6]


def red(home: str | None = "/home/alice", user: str | None = "alice") -> Redactor:
    return Redactor(home=home, user=user, key=KEY)


# -- rule 1: URL userinfo and query tokens


def test_goproxy_userinfo_keeps_scheme_host_path_and_separators() -> None:
    r = red()
    value = "https://bob:s3cr3t@proxy.golang.org/mod|https://ghp_abcdEFGH1234@goproxy.io,direct"
    out = r.value("GOPROXY", value, F)
    assert out == "https://REDACTED@proxy.golang.org/mod|https://REDACTED@goproxy.io,direct"
    assert r.redactions == [Redaction(F, "URL credentials")]


def test_goproxy_password_with_comma_and_at_is_hidden_whole() -> None:
    # go splits GOPROXY on "," first; the password must not leak through either half.
    out = red().value("GOPROXY", "https://u:pa,ss@word@proxy.golang.org,off", F)
    assert out == "https://REDACTED@proxy.golang.org,off"


def test_goproxy_raw_slash_in_password() -> None:
    # Not a valid URL (go refuses it), but the password must not leak either.
    r = red()
    assert r.value("GOPROXY", "https://u:pa/ss@proxy.golang.org,direct", F) == (
        "https://REDACTED@proxy.golang.org,direct"
    )
    assert r.text("pa/ss", "n") == "REDACTED"


def test_schemeless_goproxy_entry_userinfo() -> None:
    assert red().value("GOPROXY", "tok3n:xyz@proxy.golang.org", F) == "REDACTED@proxy.golang.org"


def test_module_version_at_sign_in_a_path_is_not_userinfo() -> None:
    text = "GET https://proxy.golang.org/github.com/x/y/@v/list: 404"
    assert red().text(text, "note") == text


def test_query_tokens() -> None:
    r = red()
    value = "https://proxy.golang.org/go?access_token=abc123&x=1&sig=zz9|direct"
    out = r.value("GOPROXY", value, F)
    assert out == "https://proxy.golang.org/go?access_token=REDACTED&x=REDACTED&sig=REDACTED|direct"
    assert r.redactions == [Redaction(F, "URL query value")]


def test_gosumdb_url_field_and_public_key_kept() -> None:
    r = red()
    key = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
    assert r.value("GOSUMDB", key, F) == key
    assert r.value("GOSUMDB", "off", F) == "off"
    out = r.value("GOSUMDB", "sum.golang.org https://u:pw12@sum.golang.org/x", F)
    assert out == "sum.golang.org https://REDACTED@sum.golang.org/x"


def test_gosumdb_private_name_and_its_key_are_hidden() -> None:
    c, e = tag("corp"), tag("example")
    out = red().value("GOSUMDB", "sum.corp.example+1a2b3c4d+AQAB https://sum.corp.example/x", F)
    # The key would let anyone confirm a guessed name through its hash: it goes too.
    assert out == f"sum.{c}.{e}+REDACTED https://sum.{c}.{e}/x"


def test_userinfo_in_free_text() -> None:
    r = red()
    out = r.text("git fetch https://oauth2:gloas-XyZ@gitlab.com/grp/p.git failed", "note")
    assert out == "git fetch https://REDACTED@gitlab.com/grp/p.git failed"
    # The password learnt here is hidden in later text, even outside a URL.
    assert r.text("token gloas-XyZ expired", "log") == "token REDACTED expired"
    assert Redaction("log", "URL credentials") in r.redactions


# -- rule 2: -X linker values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-ldflags=-X=main.apiKey=abc123", "-ldflags=-X=main.apiKey=REDACTED"),
        (
            "-mod=mod '-ldflags=-s -w -X main.a=b -X main.c=d' -trimpath",
            "-mod=mod '-ldflags=-s -w -X main.a=REDACTED -X main.c=REDACTED' -trimpath",
        ),
        (
            "\"-ldflags=-X 'main.msg=hello world' -X=x.y=z\"",
            "\"-ldflags=-X 'main.msg=REDACTED' -X=x.y=REDACTED\"",
        ),
        ('-ldflags="-X main.k=v"', '-ldflags="-X main.k=REDACTED"'),
        ("-ldflags=--X=main.k=v", "-ldflags=--X=main.k=REDACTED"),
    ],
)
def test_goflags_x_values(value: str, expected: str) -> None:
    r = red()
    assert r.value("GOFLAGS", value, F) == expected
    assert r.redactions == [Redaction(F, "-X linker value")]


def test_flags_without_secrets_are_byte_identical() -> None:
    r = red()
    for name, value in [
        ("GOFLAGS", "-mod=mod -trimpath -tags=netgo,osusergo  -buildvcs=false"),
        ("CGO_CFLAGS", "-O2 -g -DNDEBUG=1 -Xlinker"),
        ("GOFLAGS", "-ldflags=-X=main.version="),
    ]:
        assert r.value(name, value, F) == value
    assert r.redactions == []


def test_cgo_flags_home_paths() -> None:
    out = red().value("CGO_LDFLAGS", "-L/home/alice/lib -Wl,-rpath,/home/alice/lib -lfoo", F)
    assert out == "-L~/lib -Wl,-rpath,~/lib -lfoo"


# -- rule 3: GOAUTH


def test_goauth_command_arguments() -> None:
    r = red()
    assert r.value("GOAUTH", "mycred --token abc", F) == "mycred REDACTED"
    value = "netrc; git /home/alice/src;/usr/local/bin/cred-helper --user bob --pass=hunter22"
    out = r.value("GOAUTH", value, F)
    assert out == "netrc; git ~/src;/usr/local/bin/cred-helper REDACTED"
    assert r.value("GOAUTH", "off", F) == "off"
    assert r.redactions == [
        Redaction(F, "GOAUTH command argument"),
        Redaction(F, "home directory"),
    ]
    # The value of --pass=... is a secret everywhere now; the flag name is not.
    assert r.text("helper said hunter22 --pass", "log") == "helper said REDACTED --pass"


# -- rule 4: home and user name


def test_home_only_at_path_boundaries() -> None:
    r = red(home="/home/al", user="al")  # "al" is too short to be replaced as a word
    value = "/home/al/go:/home/alice/go:/mnt/home/al/go:/home/al"
    assert r.value("GOPATH", value, F) == "~/go:/home/alice/go:/mnt/home/al/go:~"
    assert r.text("file:///home/al/proxy and /home/al.bak", "note") == (
        "file://~/proxy and /home/al.bak"
    )
    assert red(home="/home/al/").text("x=/home/al/y", "n") == "x=~/y"


def test_user_name_whole_words_only() -> None:
    r = red(home="/home/alice", user="alice")
    out = r.text("open /srv/alice/cache: alice@corp, alicex and malice stay", "note")
    assert out == "open /srv/<user>/cache: <user>@corp, alicex and malice stay"
    assert r.redactions == [Redaction("note", "user name")]


@pytest.mark.parametrize("user", ["go", "root", "runner", "al"])
def test_generic_and_short_user_names_are_kept(user: str) -> None:
    r = red(home=f"/{user}" if user == "root" else f"/home/{user}", user=user)
    text = f"go build as {user}: GOROOT=/usr/local/go"
    assert r.text(text, "note") == text


def test_root_home() -> None:
    r = red(home="/root", user="root")
    assert r.value("GOPATH", "/root/go", F) == "~/go"
    assert r.text("/rootfs/x /var/root/y", "n") == "/rootfs/x /var/root/y"


def test_no_home_no_user() -> None:
    r = Redactor(home=None, user=None, key=KEY)
    assert r.value("GOPATH", "/home/alice/go", F) == "/home/alice/go"
    assert Redactor(home="/", user="", key=KEY).text("/x /", "n") == "/x /"


# -- rule 5: private host patterns


def test_goprivate_words_pseudonymised_structure_kept() -> None:
    r = red()
    value = "*.corp.example.com,github.com/myorg/*, git.corp.example.com/a ,corp-[a-z]?.io"
    c, e, o, a = tag("corp"), tag("example"), tag("myorg"), tag("a")
    expected = f"*.{c}.{e}.com,github.com/{o}/*, git.{c}.{e}.com/{a} ,{tag('corp-')}[a-z]?.io"
    assert r.value("GOPRIVATE", value, F) == expected
    assert r.redactions == [Redaction(F, "private host pattern (pseudonymised)")]


def test_public_patterns_unchanged() -> None:
    r = red()
    value = "github.com,*.googlesource.com,gopkg.in, go.dev"
    assert r.value("GONOSUMDB", value, F) == value
    assert r.redactions == []


def test_govcs_keeps_keywords_and_vcs() -> None:
    out = red().value("GOVCS", "private:git|hg,public:off,*.corp.example:git,github.com:all", F)
    assert out == f"private:git|hg,public:off,*.{tag('corp')}.{tag('example')}:git,github.com:all"


def test_same_word_same_tag_everywhere_and_key_dependent() -> None:
    r = red()
    a = r.value("GOPRIVATE", "*.corp.example", F)
    b = r.value("GONOSUMDB", "*.corp.example", F)
    proxy = r.value("GOPROXY", "https://goproxy.corp.example/api/go,direct", F)
    assert a == b == f"*.{tag('corp')}.{tag('example')}"
    assert proxy == f"https://goproxy.{tag('corp')}.{tag('example')}/api/go,direct"
    note = r.text("go: git.corp.example/lib@v1.2.3: 410 Gone", "note")
    assert note == f"go: git.{tag('corp')}.{tag('example')}/lib@v1.2.3: 410 Gone"
    other = Redactor(home=None, user=None, key=b"another key, 16+ bytes")
    assert other.value("GOPRIVATE", "*.corp.example", F) != a


def test_private_words_replaced_only_inside_names() -> None:
    r = red()
    r.value("GOPRIVATE", "api.vendor.example", F)
    api, vendor, example = tag("api"), tag("vendor"), tag("example")
    assert r.value("GOFLAGS", "-trimpath", F) == "-trimpath"
    out = r.text("the api of api.vendor.example/x, vendor:443 and /srv/vendor", "n")
    assert out == f"the api of {api}.{vendor}.{example}/x, {vendor}:443 and /srv/{vendor}"


def test_learn_makes_order_irrelevant() -> None:
    r = red()
    r.learn("GOPRIVATE", "corpnet.example")
    r.learn("GOFLAGS", "-ldflags=-X=main.token=t0ps3cret")
    assert r.redactions == []
    out = r.value("GOFLAGS", "-modfile=/srv/corpnet.example/go.mod", F)
    assert out == f"-modfile=/srv/{tag('corpnet')}.{tag('example')}/go.mod"
    assert r.text("echo t0ps3cret", "n") == "echo REDACTED"
    assert r.redactions == [
        Redaction(F, "private host (pseudonymised)"),
        Redaction("n", "-X linker value"),
    ]


def test_gonosumdb_covers_goprivate_after_redaction() -> None:
    goprivate = "*.corp.example.com,github.com/myorg/*,gitlab.com/team"
    covering = "*.corp.example.com,github.com/myorg,gitlab.com/team"
    partial = "*.corp.example.com"
    modules = [
        "git.corp.example.com/a/b",
        "corp.example.com/x",
        "a.b.corp.example.com/x",
        "github.com/myorg/repo/sub",
        "github.com/myorg",
        "github.com/other/repo",
        "gitlab.com/team/x",
        "gitlab.com/teamx/y",
        "example.company/x",
    ]
    r = red()
    red_private = r.value("GOPRIVATE", goprivate, F)
    red_covering = r.value("GONOSUMDB", covering, F)
    red_partial = r.value("GONOSUMDB", partial, F)
    for module in modules:
        rm = r.value("GOPRIVATE", module, F)  # a module path is a one-pattern list
        for before, after in [
            (goprivate, red_private),
            (covering, red_covering),
            (partial, red_partial),
        ]:
            assert match_prefix_patterns(before, module) == match_prefix_patterns(after, rm)
    covers = all(
        match_prefix_patterns(red_covering, r.value("GOPRIVATE", m, F))
        for m in modules
        if match_prefix_patterns(red_private, r.value("GOPRIVATE", m, F))
    )
    gap = [
        m
        for m in modules
        if match_prefix_patterns(goprivate, m) and not match_prefix_patterns(partial, m)
    ]
    assert covers
    assert gap == ["github.com/myorg/repo/sub", "gitlab.com/team/x"]


# -- rule 6: netrc-looking values


def test_netrc_line() -> None:
    r = red()
    out = r.text("machine corp.example login bob password hunter2 ", "n")
    assert out == "machine corp.example login REDACTED password REDACTED "
    assert r.text("please enter login and password", "n") == "please enter login and password"
    assert r.redactions == [Redaction("n", "netrc credentials")]


# -- rule 7: idempotence, and what redactions say

SAMPLES = [
    ("GOPROXY", "https://bob:s3cr3t@proxy.corp.example:8443/x?token=abcd,direct"),
    ("GOPROXY", "file:///home/alice/proxy|off"),
    ("GOSUMDB", "sum.corp.example+1a2b3c4d+AQAB https://u:p@sum.corp.example"),
    ("GOFLAGS", "-mod=mod '-ldflags=-X main.a=b -X \"main.m=x y\"' -modfile=/home/alice/a.mod"),
    ("GOAUTH", "netrc;git /home/alice/s; mycred --token abc"),
    ("GOPRIVATE", " *.corp.example.com,github.com/myorg/*,corp-[a-z]*"),
    ("GOVCS", "private:git|hg,*.corp.example.com:git"),
    ("GOPATH", "/home/alice/go:/srv/alice/go"),
    (None, "machine corp.example login bob password hunter22"),
]


@pytest.mark.parametrize(("name", "value"), SAMPLES)
def test_idempotent(name: str | None, value: str) -> None:
    r = red()
    once = r.value(name, value, F)
    assert once != value
    assert r.value(name, once, F) == once
    assert r.text(once, "n") == once
    assert red().value(name, once, F) == once  # a fresh redactor agrees


def test_redactions_never_hold_secrets_and_are_deduplicated() -> None:
    r = red()
    for name, value in SAMPLES * 2:
        r.value(name, value, f"variables.{name}.value")
    seen = [(x.field, x.reason) for x in r.redactions]
    assert len(seen) == len(set(seen))
    assert seen[0] == ("variables.GOPROXY.value", "URL credentials")
    for x in r.redactions:
        for secret in ("s3cr3t", "bob", "corp", "myorg", "hunter22", "alice", "abcd"):
            assert secret not in x.field + x.reason


def test_short_key_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        Redactor(home=None, user=None, key=b"short")


# -- property tests

PROTECTED_TEXT = "REDACTED <user> ~"


def not_in_output(secret: str) -> bool:
    """A secret that can be checked for: long enough, not part of what redaction writes."""
    hexish = set(secret) <= set("0123456789abcdefh-")
    return len(secret) >= 4 and secret not in PROTECTED_TEXT and not hexish


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

userinfo_user = st.from_regex(r"[A-Za-z0-9._~-]{1,12}", fullmatch=True)
password = st.text(
    alphabet=string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/?#% |\"",
    min_size=4,
    max_size=16,
)
safe_chars = st.sampled_from(["", "!$&'()*+,;=", "!$&'()*+,;=:", ":/"])


@FAST
@given(user=userinfo_user, pw=password, safe=safe_chars)
def test_property_url_credentials(user: str, pw: str, safe: str) -> None:
    enc = quote(pw, safe=safe)
    info = f"{quote(user, safe='')}:{enc}"
    values = [
        ("GOPROXY", f"https://{info}@proxy.golang.org/mod,https://proxy.golang.org|direct"),
        ("GOPROXY", f"https://proxy.golang.org,https://{info}@goproxy.io/x|off"),
        ("GOSUMDB", f"sum.golang.org https://{info}@sum.golang.org"),
        (None, f"go: reading https://{info}@gitlab.com/x/@v/list: 401"),
    ]
    skeleton = " ".join(v.replace(info, "") for _, v in values) + " password was"
    secrets = [s for s in {pw, enc, info} if not_in_output(s)]
    assume(all(s not in skeleton for s in secrets))
    r = red()
    outs = [r.value(n, v, F) for n, v in values]
    outs.append(r.text(f"password was {pw}", "note"))
    for out in outs:
        for s in secrets:
            assert s not in out
    assert outs[0] == "https://REDACTED@proxy.golang.org/mod,https://proxy.golang.org|direct"
    assert outs[1] == "https://proxy.golang.org,https://REDACTED@goproxy.io/x|off"
    assert outs[2] == "sum.golang.org https://REDACTED@sum.golang.org"
    assert outs[3] == "go: reading https://REDACTED@gitlab.com/x/@v/list: 401"


b64 = st.binary(min_size=12, max_size=30).map(lambda b: base64.b64encode(b).decode())
b64url = st.binary(min_size=6, max_size=24).map(
    lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
)
token = st.one_of(
    st.text(alphabet="0123456789abcdef", min_size=20, max_size=40),
    b64,
    st.tuples(b64url, b64url, b64url).map(".".join),
    st.from_regex(r"ghp_[A-Za-z0-9]{20,36}", fullmatch=True),
)


@FAST
@given(t=token)
def test_property_tokens(t: str) -> None:
    values = [
        ("GOFLAGS", f"-mod=mod -ldflags=-X=main.token={t}"),
        ("GOFLAGS", f"'-ldflags=-s -w -X main.version=v1.2.3 -X main.token={t}' -trimpath"),
        ("GOFLAGS", f"-ldflags=\"-X 'main.token={t}'\" -mod=mod"),
        ("GOAUTH", f"netrc; mycred --token {t}"),
        ("GOAUTH", f"mycred --token={t}"),
        ("GOPROXY", f"https://proxy.golang.org/?access_token={t},direct"),
        (None, f"machine gitlab.com login oauth2 password {t}"),
    ]
    skeleton = " ".join(v.replace(t, "") for _, v in values) + " server said: bad token"
    assume(t not in skeleton)
    r = red()
    outs = [r.value(n, v, F) for n, v in values]
    outs.append(r.text(f"server said: bad token {t}", "note"))
    for out in outs:
        assert t not in out
    assert outs[0] == "-mod=mod -ldflags=-X=main.token=REDACTED"
    assert outs[1].startswith("'-ldflags=-s -w -X main.version=REDACTED -X main.token=")
    assert outs[1].endswith("' -trimpath")
    assert outs[2].endswith(" -mod=mod")
    assert outs[3] == "netrc; mycred REDACTED"
    assert outs[4] == "mycred REDACTED"
    assert outs[5] == "https://proxy.golang.org/?access_token=REDACTED,direct"
    assert outs[6] == "machine gitlab.com login REDACTED password REDACTED"
    assert outs[7] == "server said: bad token REDACTED"


label = st.from_regex(r"[g-z][a-z0-9]{3,9}", fullmatch=True).filter(lambda s: s not in KEEP_WORDS)
tld = st.sampled_from(["com", "net", "internal", "example", "io"])


@FAST
@given(labels=st.lists(label, min_size=1, max_size=3), top=tld, org=label)
def test_property_private_hosts(labels: list[str], top: str, org: str) -> None:
    host = ".".join([*labels, top])
    values = [
        ("GOPRIVATE", f"*.{host},github.com/{org}/*"),
        ("GONOSUMDB", f"*.{host},github.com/{org}/*"),
        ("GONOPROXY", host),
        ("GOINSECURE", f" {host} ,"),
        ("GOVCS", f"{host}:git,private:git|hg,public:off"),
        ("GOPROXY", f"https://goproxy.{host}/api/go,https://proxy.golang.org,direct"),
        ("GOSUMDB", f"sum.{host}+12345678+AQAB https://sum.{host}/x"),
    ]
    note = f"go: downloading git.{host}/lib v1.2.3; verifying github.com/{org}/lib: 410 Gone"
    secrets = [s for s in {*labels, top, org} if s not in KEEP_WORDS and not_in_output(s)]
    skeleton = " ".join(v for _, v in values) + note
    for s in secrets:
        skeleton = skeleton.replace(s, "")
    assume(all(s not in skeleton for s in secrets))
    r = red()
    outs = [r.value(n, v, F) for n, v in values]
    outs.append(r.text(note, "note"))
    for out in outs:
        for s in secrets:
            assert s not in out
    private, nosumdb, _, insecure, govcs, proxy, sumdb, text = outs
    assert private == nosumdb
    assert private.startswith("*.") and ",github.com/" in private and private.endswith("/*")
    assert insecure.startswith(" ") and insecure.endswith(" ,")
    assert govcs.endswith(":git,private:git|hg,public:off")
    assert proxy.startswith("https://goproxy.") and proxy.endswith(
        ",https://proxy.golang.org,direct"
    )
    assert sumdb.startswith("sum.") and "+REDACTED https://sum." in sumdb
    assert text.startswith("go: downloading git.") and "verifying github.com/" in text
    for (name, _), out in zip(values, outs, strict=False):
        assert r.value(name, out, F) == out
    for module in (f"git.{host}/lib", f"{host}/a/b", f"github.com/{org}/x", "github.com/o/x"):
        before = match_prefix_patterns(values[0][1], module)
        assert before == match_prefix_patterns(private, r.value("GOPRIVATE", module, F))


user_name = st.from_regex(r"[a-z][a-z0-9_]{3,11}", fullmatch=True).filter(
    lambda s: s not in GENERIC_USERS
)


@FAST
@given(
    user=user_name,
    layout=st.sampled_from(["/home/{}", "/Users/{}", "/var/lib/{}", "/home/{}/"]),
)
def test_property_home_and_user(user: str, layout: str) -> None:
    home = layout.format(user)
    h = home.rstrip("/")

    def render(home_: str, user_: str) -> list[tuple[str | None, str]]:
        home_ = home_.rstrip("/")
        return [
            ("GOPATH", f"{home_}/go:/opt/go"),
            ("GOMODCACHE", f"{home_}/go/pkg/mod"),
            ("GOFLAGS", f"-modfile={home_}/alt.mod -mod=mod"),
            ("GOAUTH", f"git {home_}/src"),
            ("CGO_LDFLAGS", f"-L{home_}/lib -lz"),
            ("GOPROXY", f"file://{home_}/proxy,direct"),
            (None, f"open {home_}/.config/go/env: permission denied (uid of {user_})"),
        ]

    expected = render("~", "<user>")
    skeleton = " ".join(v for _, v in expected)
    assume(user not in skeleton)
    r = Redactor(home=home, user=user, key=KEY)
    for (name, value), want in zip(render(home, user), expected, strict=True):
        out = r.value(name, value, F)
        assert user not in out and h not in out
        assert out == want[1]
        assert r.value(name, out, F) == out


def test_a_1mb_value_is_redacted_in_linear_time() -> None:
    import time

    r = red()
    big = "a" * 1_000_000
    t = time.perf_counter()
    out = r.value("GOPROXY", f"https://bob:{big}@h.example/{big}?token={big}", F)
    r.text(f"-X main.v={big} {big}", F)
    assert big not in out and time.perf_counter() - t < 5


def test_go_parse_errors_and_every_url_form_lose_the_password() -> None:
    r = red()
    for pw in ("paXY/ssWORD1", "paXY,ssWORD1", "paXY#ssWORD1", "paXY@ssWORD1"):
        value = f"https://user:{pw}@h.example/x"
        outs = [r.value("GOPROXY", value, F), r.text(f'go: parse "{value}": x', F)]
        outs.append(r.text('go: parse "https://user:paXY": invalid port ":paXY" after host', F))
        for out in outs:
            assert "ssWORD1" not in out and "paXY" not in out
    assert "pass1234" not in r.value("GOPROXY", "user:pass1234@host/path", F)
    tok = "glpat-" + "Ab1" * 8
    assert tok not in r.text(f"https://h.example/api/v4/{tok}/go", F)
    assert "XYZsecret" not in r.text("https://h.example/artifactory/token/XYZsecret/x", F)
    assert "abc9" not in r.text("curl -H 'Authorization: Bearer abc9'", F)
    goauth = "GOAUTH='netrc;git /dir;custom \"cmd --token=abc9\"'"
    assert "abc9" not in r.text(goauth, F) and "git /dir" in r.text(goauth, F)


@pytest.mark.parametrize("password", ["x/y", "ab/cdef", "p/", "/x"])
def test_go_invalid_port_text_never_quotes_a_piece_of_a_password(password: str) -> None:
    """A password with `/` makes go read `user:pa` as host:port and quote the piece."""
    r = red()
    entry = f"https://alice:{password}@proxy.example.com"
    piece = password.split("/")[0]
    said = f'parse "{entry}": invalid port ":{piece}" after host'
    out = r.text(said, "error")
    assert f'":{piece}"' not in out or piece == ""
    assert password not in out
    assert r.text(
        'parse "https://proxy.example.com:zz": invalid port ":zz" after host', "e"
    ).endswith('invalid port ":zz" after host')
