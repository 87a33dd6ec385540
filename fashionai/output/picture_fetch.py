"""Product pictures at an address, fetched on the server for a deck or a report, safely.

    policy = FetchPolicy(hosts=("img.store.com", "*.cdn.store.com"))
    fetch_picture("https://img.store.com/a.jpg", policy)     # "data:image/jpeg;base64,..." or None
    fetch_pictures(addresses, policy)                       # {address: data URI or None}, in parallel
    host_allowed("a.cdn.store.com", policy.hosts)           # True
    public_address("10.0.0.1")                              # False

Only the deployment's image hosts (`config.resolve_image_hosts`; none by default) are asked, over http or
https, and only at addresses that resolve to public IPs: every address a name resolves to is checked, and
the connection goes to the address checked (a second lookup could answer another: DNS rebinding). At most
`MAX_REDIRECTS` redirects are followed, each to the same host and checked again. An answer is read to
`MAX_PICTURE_BYTES` within one deadline for the whole fetch (a trickling server is cut off), must say it is
an image and decode as one (Pillow, under `MAX_PICTURE_PIXELS`; a decompression bomb is refused), and is
shrunk and re-encoded as PNG or JPEG. Pictures fetched are kept in memory up to `CACHE_BYTES`, the least
recently used going first. Anything else is None: the card shows its placeholder. No Streamlit here.
"""

from __future__ import annotations

import base64
import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from PIL import Image

__all__ = ["CACHE_BYTES", "FETCH_TIMEOUT", "MAX_PICTURE_BYTES", "MAX_PICTURE_PIXELS", "MAX_REDIRECTS",
           "FetchPolicy", "PictureCache", "fetch_picture", "fetch_pictures", "fetchable", "host_allowed",
           "public_address", "shrink_picture"]

MAX_PICTURE_BYTES = 8 << 20
"""The most bytes of one picture read (a product photo is a few hundred kilobytes)."""
MAX_PICTURE_PIXELS = 25_000_000
"""The most pixels a picture may declare (a 24 MP camera's photo fits); more is refused as a decompression bomb
(decoded, 25 MP is 100 MB at most, and `PARALLEL` pictures are decoded at once)."""
MAX_REDIRECTS = 3
FETCH_TIMEOUT = 5.0
"""Seconds for one picture, every redirect and the last byte included."""
DECK_BUDGET = 30.0
"""Seconds for all the pictures of one deck or report: those not fetched by then are placeholders."""
PARALLEL = 4
"""Pictures fetched at once."""
CACHE_BYTES = 64 << 20
"""Bytes of fetched pictures kept in memory (re-encoded, a few tens of kilobytes each)."""
PICTURE_SIDE = 720
"""The longest side of a fetched picture once shrunk (a card is a fifth of a slide wide)."""

_IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/gif": "GIF",
                "image/webp": "WEBP"}
_FORMATS = frozenset(_IMAGE_TYPES.values())
_CHUNK = 64 << 10


@dataclass(frozen=True)
class FetchPolicy:
    """Where pictures may come from and how much a fetch may take. `allow_loopback` is for tests only: it lets
    a picture host on 127.0.0.1 or ::1 answer (every other private range stays refused)."""

    hosts: tuple[str, ...] = ()
    max_bytes: int = MAX_PICTURE_BYTES
    timeout: float = FETCH_TIMEOUT
    budget: float = DECK_BUDGET
    allow_loopback: bool = False


class _Refused(Exception):
    """This picture is not fetched or not used (the message says why, for logs and tests)."""


def host_allowed(host: str, hosts: Iterable[str]) -> bool:
    """`host` is one of `hosts`: the same name, or under a ``*.domain`` entry (a subdomain, not the domain)."""
    name = host.lower().rstrip(".").strip("[]")
    for pattern in hosts:
        if pattern.startswith("*."):
            if name.endswith(pattern[1:]) and len(name) > len(pattern) - 1:
                return True
        elif name == pattern:
            return True
    return False


def public_address(address: str, *, allow_loopback: bool = False) -> bool:
    """The IP address is one a server may fetch from: not loopback, private, link-local, multicast, reserved,
    unspecified or shared (an IPv4 address mapped into IPv6 is checked as the IPv4 it is)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not (ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
                                 or ip.is_unspecified)


def _resolve(host: str, port: int, policy: FetchPolicy) -> list[tuple[int, tuple]]:
    """Every address `host` resolves to (family, socket address), all checked public; raises _Refused if any
    is not."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        raise _Refused(f"{host} does not resolve") from err
    addresses = list(dict.fromkeys((int(info[0]), tuple(info[4])) for info in infos))
    if not addresses or not all(public_address(str(sockaddr[0]), allow_loopback=policy.allow_loopback)
                                for _family, sockaddr in addresses):
        raise _Refused(f"{host} resolves to a private address")
    return addresses


def _connect(address: tuple[int, tuple], timeout: float | None) -> socket.socket:
    """A socket connected to that very address (no second lookup of any name)."""
    family, sockaddr = address
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except OSError:
        sock.close()
        raise
    return sock


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to one checked IP address, whatever the host name would resolve to now."""

    def __init__(self, host: str, port: int, address: tuple[int, tuple], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = _connect(self._address, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to one checked IP address, the certificate checked for the host name."""

    def __init__(self, host: str, port: int, address: tuple[int, tuple], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = _connect(self._address, self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def _get(url: str, policy: FetchPolicy, deadline: float) -> tuple[int, str, str | None, bytes]:
    """One GET of `url` on a checked address: (status, content type, location, body up to the limit)."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("http", "https") or not host:
        raise _Refused("not an http(s) address")
    if not host_allowed(host, policy.hosts):
        raise _Refused(f"{host} is not an allowed image host")
    port = parts.port or (443 if scheme == "https" else 80)
    address = _resolve(host, port, policy)[0]
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Refused("out of time")
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address, timeout=left)
    cutoff = threading.Timer(left, _cut, (connection,))  # a hard stop, whatever the server trickles
    cutoff.daemon = True
    cutoff.start()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"Accept": "image/png,image/jpeg,image/gif,image/webp",
                                                 "Accept-Encoding": "identity",
                                                 "User-Agent": "FashionAI-Studio/1 (deck pictures)"})
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            return response.status, "", response.getheader("Location"), b""
        kind_header = (response.getheader("Content-Type") or "").split(";", 1)[0].strip().lower()
        if response.status != 200 or kind_header not in _IMAGE_TYPES:
            raise _Refused(f"answered {response.status} {kind_header or 'without a type'}")
        length = response.getheader("Content-Length")
        if length and length.strip().isdigit() and int(length) > policy.max_bytes:
            raise _Refused("too big")
        body = bytearray()
        while True:
            if time.monotonic() > deadline:
                raise _Refused("out of time")
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            body += chunk
            if len(body) > policy.max_bytes:
                raise _Refused("too big")
        return response.status, kind_header, None, bytes(body)
    except (OSError, http.client.HTTPException, ValueError) as err:
        raise _Refused(f"the fetch failed: {err}") from err
    finally:
        cutoff.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def shrink_picture(data: bytes, side: int = PICTURE_SIDE) -> tuple[str, bytes] | None:
    """The picture in `data` decoded (PNG, JPEG, GIF or WebP only, at most `MAX_PICTURE_PIXELS`), shrunk to
    `side` pixels at most and re-encoded: ("image/png" or "image/jpeg", bytes); None if it is not such a picture
    or is a decompression bomb."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in _FORMATS:
                    return None
                width, height = image.size
                if width <= 0 or height <= 0 or width * height > MAX_PICTURE_PIXELS:
                    return None
                image.draft("RGB", (side, side))  # a JPEG decodes at a fraction of its size (no-op for others)
                image.thumbnail((side, side))
                clear = image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info
                picture = image.convert("RGBA" if clear else "RGB")
        out = io.BytesIO()
        if clear:
            picture.save(out, "PNG", optimize=True)
            return "image/png", out.getvalue()
        picture.save(out, "JPEG", quality=85)
        return "image/jpeg", out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            MemoryError):
        return None


class PictureCache:
    """Fetched pictures by address, at most `limit` bytes in all; the least recently used go first."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self._items: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: str, value: str) -> None:
        size = len(value) + len(key)
        if size > self.limit:
            return
        with self._lock:
            if key in self._items:
                self._bytes -= len(self._items.pop(key)) + len(key)
            self._items[key] = value
            self._bytes += size
            while self._bytes > self.limit:
                old_key, old = self._items.popitem(last=False)
                self._bytes -= len(old) + len(old_key)

    @property
    def size(self) -> int:
        return self._bytes


CACHE = PictureCache()
"""The server's fetched pictures (shared by every session: a picture is the same for everyone)."""


def fetch_picture(url: str, policy: FetchPolicy, *, deadline: float | None = None,
                  cache: PictureCache | None = CACHE) -> str | None:
    """The picture at `url` as an inline data: URI (PNG or JPEG, shrunk), fetched under `policy`; None if it
    may not be fetched or is not a picture (see the module's text)."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if not fetchable(url, policy.hosts):
        return None
    if cache is not None and (kept := cache.get(url)) is not None:
        return kept
    end = time.monotonic() + policy.timeout
    end = min(end, deadline) if deadline is not None else end
    address = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            _status, _kind, location, body = _get(address, policy, end)
            if location is None:
                shrunk = shrink_picture(body)
                if shrunk is None:
                    return None
                picture = f"data:{shrunk[0]};base64,{base64.b64encode(shrunk[1]).decode('ascii')}"
                if cache is not None:
                    cache.put(url, picture)
                return picture
            target = urljoin(address, location.strip())
            if not _same_host(address, target):
                return None  # a redirect to another host (or another port of it) is not followed
            address = target
        return None
    except (_Refused, ValueError):  # ValueError: an address that does not parse (a port that is no number)
        return None


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def _same_host(current: str, target: str) -> bool:
    """A redirect from `current` to `target` stays on its host and port (http to https on the default ports too)."""
    (scheme, host, port), (new_scheme, new_host, new_port) = _origin(current), _origin(target)
    if host != new_host or new_scheme not in ("http", "https"):
        return False
    return port == new_port or (scheme, port, new_scheme, new_port) == ("http", 80, "https", 443)


def fetchable(url: str, hosts: Iterable[str]) -> bool:
    """`url` is an http(s) address on one of `hosts` (it may be fetched, if its name resolves to public IPs)."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in ("http", "https") and host_allowed(parts.hostname or "", hosts)
    except ValueError:
        return False


def fetch_pictures(urls: Iterable[str], policy: FetchPolicy, *,
                   cache: PictureCache | None = CACHE) -> dict[str, str | None]:
    """Each address's picture (`fetch_picture`), `PARALLEL` at once within `policy.budget` seconds in all; an
    address not allowed is never asked, one not fetched in time is None."""
    wanted = [url for url in dict.fromkeys(urls) if isinstance(url, str) and url.strip()]
    results: dict[str, str | None] = dict.fromkeys(wanted)
    allowed = [url for url in wanted if fetchable(url, policy.hosts)]
    if not allowed:
        return results
    deadline = time.monotonic() + policy.budget
    pool = ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="fai-picture")
    try:
        futures = {pool.submit(fetch_picture, url, policy, deadline=deadline, cache=cache): url for url in allowed}
        done, _late = wait(futures, timeout=policy.budget)
        for future in done:
            results[futures[future]] = future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results
