"""Store endpoint URLs: parsed and checked once, before anything is read or sent, and shown without secrets.

An ``--endpoint`` is checked as a user typed it: an http(s) scheme (any case), a host, a port in
1-65535, no spaces; anything else is a usage error (exit 2) whose message shows the URL redacted.
A ``user:password@`` in it becomes Basic auth and a query string (``?apikey=…``) is sent with every
request, after the path, never inside it. :func:`redact` takes the secrets out of any text a server
sends back before kg prints it.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from kg.errors import UsageError

_HOST = re.compile(r"[\w.~-]+")  # a DNS name or IPv4 address (an IPv6 one is checked by ipaddress)
_USERINFO = re.compile(r"(?<=//).*@")  # up to the last @: a password may hold / or @ unescaped
_QUERY_VALUE = re.compile(r"([?&;])([^=&;#\s]*)=([^&;#\s]*)")
_AUTH_SCHEME = re.compile(r"\b(Basic|Bearer|Digest|Token)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_SECRET_FIELD = re.compile(
    r"\b(password|passwd|pwd|token|access_token|api_?key|secret)([\"']?\s*[:=]\s*[\"']?)[^\s\"'&,;}]+",
    re.IGNORECASE,
)
HIDDEN = "***"


@dataclass(slots=True, frozen=True)
class Endpoint:
    """A store's base URL, split into what is sent where and what must never be printed."""

    scheme: str  # http or https, lower case
    netloc: str  # host[:port], without any user:password
    path: str  # the base path, without a trailing slash
    params: tuple[tuple[str, str], ...] = ()  # the query string: sent with every request
    user: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str, option: str = "--endpoint") -> Endpoint:
        """``url`` checked; a :class:`UsageError` naming ``option`` (and the URL, redacted) otherwise."""
        shown = redact_url(url)
        example = "e.g. http://127.0.0.1:7878"
        if not url or any(c.isspace() for c in url):
            raise UsageError(f"{option} {shown!r} has a space in it (or is empty); {example}")
        if "://" not in url:
            raise UsageError(f"{option} {shown!r} has no scheme; did you mean 'http://{shown}'?")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:  # its text may quote a password that looked like a port: not shown
            raise UsageError(f"{option} {shown!r} is not a valid URL: {_why(str(error))}; {example}") from None
        if parts.scheme.lower() not in {"http", "https"}:
            raise UsageError(f"{option} must be an http(s) URL, not {shown!r}")
        host = parts.hostname or ""
        if not host:
            raise UsageError(f"{option} {shown!r} has no host; {example}")
        if not _valid_host(host, bracketed="[" in parts.netloc):
            raise UsageError(f"{option} {shown!r}: {host!r} is not a host name or IP address")
        if port == 0:
            raise UsageError(f"{option} {shown!r} is not a valid URL: the port is not in 1-65535; {example}")
        if parts.fragment:
            raise UsageError(f"{option} {shown!r} has a #fragment, which is never sent; remove it")
        netloc = f"[{host}]" if ":" in host else host
        return cls(
            parts.scheme.lower(),
            netloc + (f":{port}" if port is not None else ""),
            parts.path.rstrip("/"),
            tuple(parse_qsl(parts.query, keep_blank_values=True)),
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password is not None else None,
        )

    def url(self, path: str = "") -> str:
        """The URL of ``path`` under the endpoint (the query string goes in ``params``, never here)."""
        base = f"{self.scheme}://{self.netloc}{self.path}"
        return f"{base}/{path.strip('/')}" if path.strip("/") else base or "/"

    def shown(self, path: str = "") -> str:
        """The URL of ``path`` as it may be printed: no user:password, query values hidden."""
        query = "&".join(f"{name}={HIDDEN}" for name, _ in self.params)
        return self.url(path) + (f"?{query}" if query else "")

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.password, *(value for _, value in self.params)) if s)


def _why(error: str) -> str:
    if "out of range" in error:
        return "the port is not in 1-65535"
    if "integer" in error:
        return "the port is not a number"
    if "IPv6" in error:
        return "an IPv6 address needs [ and ] around it"
    return "it does not parse"


def _valid_host(host: str, *, bracketed: bool) -> bool:
    if bracketed:
        try:
            ipaddress.IPv6Address(host.split("%")[0])
        except ValueError:
            return False
        return True
    return bool(_HOST.fullmatch(host))


def redact_url(url: str) -> str:
    """A URL as typed, with any user:password and query values hidden: safe to print even if it does not parse."""
    return _QUERY_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}={HIDDEN}", _USERINFO.sub(f"{HIDDEN}@", url))


def basic_credentials(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without the given secrets (also percent-encoded), credentials after an auth scheme
    (``Basic …``, ``Bearer …``) or a field named like one (``password=…``, ``"token": "…"``)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            text = text.replace(form, HIDDEN)
    text = _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {HIDDEN}", text)
    return _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}", text)


_TAG = re.compile(r"<[^>]*>")


def summary(body: str, secrets: Iterable[str], limit: int = 200) -> str:
    """A server's answer as one short printable line: tags dropped, secrets redacted, at most ``limit`` chars."""
    text = " ".join(_TAG.sub(" ", body).split()) if "<" in body else " ".join(body.split())
    text = redact(text, secrets)
    if not text:
        return "(no message)"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
