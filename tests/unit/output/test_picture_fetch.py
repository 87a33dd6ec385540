"""Product pictures at an address fetched for a deck or a report (fashionai.output.picture_fetch), against a picture
host on loopback: only the allowed hosts, no redirect elsewhere, no private address, a size limit, a deadline, only
real pictures, no decompression bomb; and the handover's note when a host is not allowed."""

from __future__ import annotations

import base64
import io
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fashionai.output import picture_fetch
from fashionai.output.deck import deck_bytes
from fashionai.output.handover import Card, Handover, Section, cards_from_frame, now, with_fetched_pictures
from fashionai.output.picture_fetch import (
    PICTURE_SIDE,
    FetchPolicy,
    PictureCache,
    fetch_picture,
    fetch_pictures,
    host_allowed,
    public_address,
    shrink_picture,
)
from fashionai.output.report import report_html

pytestmark = pytest.mark.slow


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), 90 if mode == "L" else (200, 40, 90)).save(out, "PNG")
    return out.getvalue()


def _bomb(side: int = 20_000) -> bytes:
    """A PNG of side × side pixels (1 bit each) of compressed zeros: a few kilobytes declaring 400 megapixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"\x00" * ((side // 8 + 1) * side), 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


GOOD = _png(1000, 800)


class _Handler(BaseHTTPRequestHandler):
    seen: list[str]

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        port = self.server.server_address[1]
        if self.path == "/good.png":
            self._send(200, "image/png", GOOD)
        elif self.path == "/other-host":
            self._send(302, "text/plain", b"", {"Location": f"http://localhost:{port}/good.png"})
        elif self.path == "/same-host":
            self._send(302, "text/plain", b"", {"Location": "/good.png"})
        elif self.path == "/loop":
            self._send(302, "text/plain", b"", {"Location": "/loop"})
        elif self.path == "/lie.png":
            self._send(200, "image/png", b"<!DOCTYPE html><html><body>not a picture</body></html>")
        elif self.path == "/html":
            self._send(200, "text/html", GOOD)
        elif self.path == "/bomb.png":
            self._send(200, "image/png", _bomb())
        elif self.path == "/huge.png":  # 50 MB, no length said
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            try:
                for _ in range(50 * 16):
                    self.wfile.write(b"\x00" * (64 << 10))
            except OSError:
                self.server.cut.set()  # type: ignore[attr-defined]
        elif self.path == "/trickle.png":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            try:
                for byte in GOOD[:100]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        else:
            self._send(404, "text/plain", b"no")


@pytest.fixture(scope="module")
def host() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    server.cut = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def seen(host) -> list[str]:
    host.seen.clear()
    return host.seen


def url(host, path: str) -> str:
    return f"http://127.0.0.1:{host.server_address[1]}{path}"


LOOPBACK = FetchPolicy(hosts=("127.0.0.1",), allow_loopback=True, timeout=3.0)


def fetch(address: str, policy: FetchPolicy = LOOPBACK) -> str | None:
    return fetch_picture(address, policy, cache=None)


def decoded(uri: str) -> Image.Image:
    assert uri.startswith(("data:image/png;base64,", "data:image/jpeg;base64,"))
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


def test_a_good_picture_is_fetched_shrunk_and_reencoded(host, seen):
    picture = decoded(fetch(url(host, "/good.png")))
    assert picture.format == "JPEG" and picture.size == (PICTURE_SIDE, PICTURE_SIDE * 800 // 1000)
    assert seen == ["/good.png"]


def test_a_redirect_to_the_same_host_is_followed_and_to_another_host_is_not(host, seen):
    assert fetch(url(host, "/same-host")) is not None
    assert seen == ["/same-host", "/good.png"]
    seen.clear()
    other = FetchPolicy(hosts=("127.0.0.1", "localhost"), allow_loopback=True)  # even an allowed other host
    assert fetch(url(host, "/other-host"), other) is None
    assert seen == ["/other-host"]
    seen.clear()
    assert fetch(url(host, "/loop")) is None
    assert len(seen) == picture_fetch.MAX_REDIRECTS + 1


@pytest.mark.parametrize("path", ["/lie.png", "/html", "/missing.png", "/bomb.png"])
def test_what_is_not_a_usable_picture_is_a_placeholder(host, seen, path):
    assert fetch(url(host, path)) is None
    assert seen == [path]


def test_a_50_mb_answer_is_cut_at_the_limit(host, seen):
    started = time.monotonic()
    assert fetch(url(host, "/huge.png")) is None
    assert time.monotonic() - started < 3
    assert host.cut.wait(3), "the server could send all 50 MB: the fetch did not stop reading"


def test_a_trickling_host_is_cut_off_at_the_deadline(host, seen):
    started = time.monotonic()
    assert fetch(url(host, "/trickle.png"), FetchPolicy(hosts=("127.0.0.1",), allow_loopback=True,
                                                         timeout=1.0)) is None
    assert time.monotonic() - started < 2


def test_a_host_not_allowed_is_never_contacted(host, seen):
    assert fetch(url(host, "/good.png"), FetchPolicy(hosts=("img.example.com",), allow_loopback=True)) is None
    assert fetch(url(host, "/good.png"), FetchPolicy()) is None
    assert fetch_pictures([url(host, "/good.png")], FetchPolicy(hosts=("*.example.com",))) == {
        url(host, "/good.png"): None}
    assert seen == []


def test_an_allowed_host_on_a_private_address_is_never_contacted(host, seen):
    assert fetch(url(host, "/good.png"), FetchPolicy(hosts=("127.0.0.1",))) is None  # no test switch
    assert seen == []


def test_the_connection_goes_to_the_address_checked(host, seen, monkeypatch):
    # The name is resolved once and checked; a second answer (DNS rebinding) would never be asked for.
    port = host.server_address[1]
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]])
    monkeypatch.setattr(picture_fetch.socket, "getaddrinfo", lambda *args, **kwargs: next(answers))
    policy = FetchPolicy(hosts=("pictures.test",), allow_loopback=True)
    picture = fetch(f"http://pictures.test:{port}/good.png", policy)
    assert picture is not None and seen == ["/good.png"]


@pytest.mark.parametrize(("target", "followed"), [
    ("http://img.store.com/b.png", True), ("http://IMG.store.com:80/b.png", True),
    ("https://img.store.com/b.png", True),  # http to https on the default ports
    ("http://img.store.com:8080/b.png", False), ("https://img.store.com:8443/b.png", False),
    ("http://cdn.store.com/b.png", False), ("ftp://img.store.com/b.png", False), ("file:///etc/passwd", False),
])
def test_a_redirect_is_followed_only_on_the_same_host_and_port(target, followed):
    assert picture_fetch._same_host("http://img.store.com/a.png", target) is followed


def test_other_schemes_are_refused(host, seen):
    for address in ("ftp://127.0.0.1/a.png", "file:///etc/passwd", "gopher://127.0.0.1/", "http://127.0.0.1:x/a"):
        assert fetch(address) is None
    assert seen == []


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.1.2.3", "172.16.0.9", "172.31.255.1", "192.168.1.1",
                                     "169.254.169.254", "fc00::1", "fd12::1", "fe80::1", "::ffff:127.0.0.1",
                                     "::ffff:10.0.0.1", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "240.0.0.1",
                                     "100.64.0.1", "255.255.255.255", "not an address"])
def test_private_and_special_addresses_are_refused(address):
    assert not public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert public_address(address)


def test_the_test_switch_allows_loopback_only():
    assert public_address("127.0.0.1", allow_loopback=True) and public_address("::1", allow_loopback=True)
    assert not public_address("10.0.0.1", allow_loopback=True)


def test_hosts_match_exactly_or_as_subdomains():
    hosts = ("img.store.com", "*.cdn.store.com")
    assert host_allowed("IMG.store.com", hosts) and host_allowed("a.b.cdn.store.com", hosts)
    for host in ("store.com", "cdn.store.com", "evilcdn.store.com", "img.store.com.evil.com", "x.img.store.com"):
        assert not host_allowed(host, hosts)


def test_a_decompression_bomb_and_odd_bytes_are_refused_when_decoded():
    assert shrink_picture(_bomb()) is None
    assert shrink_picture(_png(8_000, 6_000, "L")) is None  # 48 megapixels: over the limit, under Pillow's own
    assert shrink_picture(b"GIF89a nonsense") is None
    assert shrink_picture(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    kind, data = shrink_picture(_png(50, 40, "RGBA"))
    assert kind == "image/png" and Image.open(io.BytesIO(data)).size == (50, 40)


def test_the_cache_keeps_the_latest_pictures_within_its_bytes():
    cache = PictureCache(limit=100)
    cache.put("a", "x" * 40)
    cache.put("b", "y" * 40)
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", "z" * 40)
    assert cache.get("b") is None and cache.get("a") and cache.get("c") and cache.size <= 100
    cache.put("huge", "w" * 1000)
    assert cache.get("huge") is None


def test_a_deck_of_slow_pictures_takes_the_budget_not_each_timeout(host, seen):
    addresses = [url(host, f"/trickle.png?{number}") for number in range(12)]
    policy = FetchPolicy(hosts=("127.0.0.1",), allow_loopback=True, timeout=10.0, budget=1.5)
    started = time.monotonic()
    assert set(fetch_pictures(addresses, policy, cache=None).values()) == {None}
    assert time.monotonic() - started < 3


def test_pictures_are_fetched_in_parallel_for_a_handover(host, seen):
    cards = cards_from_frame(pd.DataFrame({
        "product_id": ["1", "2"], "name": ["Dress", "Skirt"], "image_url": [url(host, "/good.png"), "/local.png"]}))
    assert cards[0].image is None and cards[0].address == url(host, "/good.png") and cards[1].address is None
    handover = Handover("Compare", "lanes", now(), "Built-in simulator", "Sample", (Section("Top", cards=cards),))
    fetched = with_fetched_pictures(handover, LOOPBACK)
    assert fetched.sections[0].cards[0].image.startswith("data:image/jpeg;base64,")
    assert fetched.notes == ()
    slides = Presentation(io.BytesIO(deck_bytes(fetched))).slides
    assert [shape.shape_type for slide in slides for shape in slide.shapes].count(MSO_SHAPE_TYPE.PICTURE) == 1
    assert report_html(fetched).count('<img src="data:image/jpeg;base64,') == 1


def test_a_picture_from_a_host_not_allowed_leaves_a_note_naming_the_host(host, seen):
    cards = (Card("Dress", address="https://img.store.example/a.jpg"),
             Card("Skirt", address="https://img.store.example/b.jpg"), Card("Top", address=url(host, "/lie.png")))
    handover = Handover("Compare", "lanes", now(), "Built-in simulator", "Sample", (Section("Top", cards=cards),))
    fetched = with_fetched_pictures(handover, LOOPBACK)
    assert [card.image for card in fetched.sections[0].cards] == [None, None, None]
    assert seen == ["/lie.png"]
    allow, failed = fetched.notes
    assert "img.store.example" in allow and "FASHIONAI_IMAGE_HOSTS" in allow
    assert failed.startswith("1 product picture could not be fetched")
    assert "img.store.example" in report_html(fetched)
    assert b"img.store.example" in zipfile.ZipFile(io.BytesIO(deck_bytes(fetched))).read(
        "ppt/slides/slide1.xml")


def test_an_https_host_without_a_valid_certificate_is_a_placeholder(host, seen):
    assert fetch(f"https://127.0.0.1:{host.server_address[1]}/good.png") is None  # it speaks no TLS at all


def _certificate(folder, name: str) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate to serve https with")
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"],
                   check=True, capture_output=True, timeout=60)
    return str(cert), str(key)


@pytest.mark.parametrize(("served", "trusted"), [("pictures.test", True), ("other.test", False)])
def test_https_is_pinned_to_the_address_checked_and_the_certificate_to_the_host(tmp_path, monkeypatch, served,
                                                                                trusted):
    cert, key = _certificate(tmp_path, served)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads, server.seen, server.cut = True, [], threading.Event()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        monkeypatch.setenv("SSL_CERT_FILE", cert)  # the test's own certificate authority
        monkeypatch.setattr(picture_fetch.socket, "getaddrinfo", lambda *args, **kwargs: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))])
        policy = FetchPolicy(hosts=("pictures.test",), allow_loopback=True)
        picture = fetch(f"https://pictures.test:{port}/good.png", policy)
        assert (picture is not None) is trusted
    finally:
        server.shutdown()
        server.server_close()
