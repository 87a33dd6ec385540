"""A misbehaving stand-in for the live API on loopback, for page tests of the live mode.

``FakeAPI.mode`` says how the next requests are answered; every request is kept in
``FakeAPI.requests`` (method, path, headers, body) so tests can count what was sent.

The ``echo-*`` modes (``ECHO_MODES``) are a hostile API that sends back the app token it
was sent, in another form than the header's: URL-encoded, base64 or JSON-escaped in an
error body, the request's headers in an extra field of a good answer, the token as a
product id. Whatever the request's ``X-FashionAI-APP-Token`` header held is what is echoed.

In the ``ok`` and ``empty`` modes the two searches answer in their own shapes (`search_answer`): a page of
``products`` with its totals, or the first five as detailed products. The ``raw`` mode answers every call
HTTP 200 with ``FakeAPI.raw`` as it is (a hostile body of a test's own).

The ``echo-200-encoded`` mode (``ENCODED_ECHO``) answers every call well (a ranking, a collection's
slice, a profile, a search, by path) with the token in every form a browser decodes on its own (``BROWSER_FORMS``:
HTML entities, invisible characters between its letters, fullwidth, reversed) in every text.
"""

from __future__ import annotations

import base64
import html
import json
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

MODES = {
    "ok": (200, {"products": ["000001", "000002", "999999"]}),
    "empty": (200, {"products": []}),
    "400": (400, {"error": "bad request"}),
    "401": (401, {"error": "invalid or expired token"}),
    "403": (403, {"error": "forbidden"}),
    "404": (404, {"error": "not found"}),
    "429": (429, {"error": "slow down"}),
    "500": (500, {"error": "boom"}),
    "502": (502, {"error": "bad gateway"}),
    "503": (503, {"error": "unavailable"}),
}

TOKEN_HEADER = "X-FashionAI-APP-Token"
OK_PRODUCTS = MODES["ok"][1]["products"]


def _b64(text: str, *, urlsafe: bool = False, padded: bool = True) -> str:
    encoded = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(text.encode()).decode()
    return encoded if padded else encoded.rstrip("=")


def _json_escaped(text: str) -> str:
    """Every character as a JSON \\uXXXX escape (as some servers write non-letters, and all is legal JSON)."""
    return "".join(f"\\u{ord(c):04x}" if i % 2 else f"\\u{ord(c):04X}" for i, c in enumerate(text))


def echo_answer(mode: str, token: str, headers: dict[str, str], products: list[str] | None) -> tuple[int, bytes]:
    """(status, JSON body) of an ``echo-*`` mode, for a request that carried `token` and `headers`."""
    products = list(OK_PRODUCTS if products is None else products)
    if mode == "echo-400-urlencoded":
        body = json.dumps({"error": f"invalid token {quote(token, safe='')}",
                           "detail": f"token={quote_plus(token)}&path={quote(token)}"}).encode()
    elif mode == "echo-400-base64":
        body = json.dumps({"error": f"invalid credentials {_b64(token)}",
                           "urlsafe": _b64(token, urlsafe=True, padded=False),
                           "basic": _b64(f"{TOKEN_HEADER}: {token}")}).encode()
    elif mode == "echo-400-json":  # written by hand: json.dumps would not escape plain ASCII
        body = ('{"error": "invalid token \\"' + _json_escaped(token) + '\\"", "token": "'
                + token.replace("/", "\\/") + '"}').encode()
    elif mode == "echo-200-headers":
        body = json.dumps({"products": products, "request_headers": headers,
                           "debug": {"raw": _b64(f"{TOKEN_HEADER}: {token}"),
                                     "urlsafe": _b64(json.dumps(headers), urlsafe=True, padded=False),
                                     # as MIME writes it: lines of 76 characters
                                     "mime": base64.encodebytes(json.dumps(headers).encode()).decode()},
                           **({"account": int(token)} if token.isdigit() else {})}).encode()  # a token of digits
        return 200, body
    elif mode == "echo-200-product":
        body = json.dumps({"products": [products[0], token, *products[1:]]}).encode()
        return 200, body
    else:
        raise ValueError(f"no echo mode {mode!r}; the modes are {ECHO_MODES}")
    return 400, body


INVISIBLE = {"zero-width space": "\u200b", "zero-width non-joiner": "\u200c", "zero-width joiner": "\u200d",
             "word joiner": "\u2060", "BOM": "\ufeff", "soft hyphen": "\u00ad"}
"""Characters a browser draws as nothing."""


def fullwidth(text: str) -> str:
    """ASCII letters, digits and signs as their fullwidth forms (ｔｏｋ), which NFKC folds back."""
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text)


BROWSER_FORMS = {
    "HTML decimal": lambda t: "".join(f"&#{ord(c)};" for c in t),
    "HTML hex": lambda t: "".join(f"&#x{ord(c):x};" for c in t),
    "HTML hex upper, zero-padded": lambda t: "".join(f"&#X{ord(c):04X};" for c in t),
    "HTML, some letters only": lambda t: "".join(f"&#{ord(c)};" if i % 3 == 0 else c for i, c in enumerate(t)),
    **{f"split by {name}": (lambda t, ch=ch: ch.join(t)) for name, ch in INVISIBLE.items()},
    "split by entity-encoded zero-width spaces": lambda t: "&#8203;".join(t),
    "fullwidth": fullwidth,
    "fullwidth, split by zero-width joiners": lambda t: "\u200d".join(fullwidth(t)),
    "reversed": lambda t: t[::-1],
}
"""The forms of a text that a browser shows as the text itself (or, reversed, that a reader reads back)."""
ENCODED_ECHO = "echo-200-encoded"


def visible(text: str) -> str:
    """What a browser shows of `text`, worked out independently: entities decoded, NFKC, format characters
    (Unicode category Cf: zero-width, joiners, BOM, soft hyphen) dropped."""
    shown = unicodedata.normalize("NFKC", html.unescape(text))
    return "".join(c for c in shown if unicodedata.category(c) != "Cf")


def encoded_echo_answer(path: str, token: str, products: list[str] | None) -> tuple[int, bytes]:
    """(status, JSON body) of ``ENCODED_ECHO`` for a request to `path` that carried `token`: every text
    of the answer ends with the token in every one of ``BROWSER_FORMS``."""
    echo = " | ".join(form(token) for form in BROWSER_FORMS.values())
    products = list(OK_PRODUCTS if products is None else products)
    if "/merchandising-collections/" in path:
        body = {"collectionId": 1, "collectionName": f"Inverno {echo}", "collectionDescription": f"Casacos {echo}",
                "sliceId": 10, "sliceName": f"Lã {echo}", "startsAt": "2025-01-01T00:00:00.000Z",
                "endsAt": "2099-12-31T23:59:59.000Z",
                "products": [{"productId": p, "position": n, "active": True} for n, p in enumerate(products, 1)]}
    elif "/crm/protected/profile/" in path:
        body = {"userProfileId": f"u-90 {echo}", "profile": {
            "perfil_cliente": {"descricao_geral": f"Cliente {echo}", "estilo_geral": f"Minimalista {echo}"},
            "ocasioes_relevantes": [{"ocasião": f"Trabalho {echo}", "persona_na_ocasião": f"Executiva {echo}",
                                     "sugestao_look": ["Blazer", f"Mules {echo}"]}],
            "briefing_marketing": {"tom_de_voz": [echo], "direcao_visual": [echo], "orientacao_campanhas": [echo]},
            "ganchos_conteudo": [echo],
            "momento_compra_atual": {"navegacoes": [echo], "resumo_momento": echo, "relacao_com_historico": echo,
                                     "novo_comportamento": False, "oportunidades": [echo]}}}
    elif (found := search_answer(path, products)) is not None:  # a search: every text of it holds the echo
        body = {**found, "debug": echo}
        for product in body.get("items") is None and body["products"] or ():
            product.update(name=f"Vestido {echo}", sku=f"SKU {echo}", size=f"M {echo}",
                           link=f"https://store.example/p?x={echo}", images=[f"https://img.example/{echo}.jpg"])
    else:
        body = {"products": products, "debug": echo}
    return 200, json.dumps(body, ensure_ascii=False).encode()


def search_answer(path: str, products: list[str], *, empty: bool = False) -> dict | None:
    """The answer of a search path (a site search's page of `products`, or a detailed search's first five with
    made-up details); None for any other path."""
    parts = urlsplit(path)
    if not parts.path.endswith(("/products/protected/search", "/products/protected/search/detailed")):
        return None
    if empty:
        products = []
    if parts.path.endswith("/detailed"):
        return {"products": [{"productId": pid, "sku": f"SKU-{pid}", "name": f"Product {pid}",
                              "images": [f"https://img.example/{pid}.jpg"], "price": 199.9, "salePrice": 159.9,
                              "size": "M", "link": f"https://store.example/p/{pid}"} for pid in products[:5]]}
    query = parse_qs(parts.query)
    page, limit = int(query.get("page", ["1"])[0]), int(query.get("limit", ["20"])[0])
    pages = -(-len(products) // limit)
    return {"totalItems": len(products), "totalPages": pages, "currentPage": page,
            "items": products[(page - 1) * limit: page * limit]}


ECHO_MODES = ("echo-400-urlencoded", "echo-400-base64", "echo-400-json", "echo-200-headers", "echo-200-product")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeAPI:
    server: ThreadingHTTPServer
    mode: str = "ok"
    products: list[str] | None = None
    raw: bytes = b""  # the body of every answer in the "raw" mode
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/v1"


def start_fake_api() -> FakeAPI:
    holder: dict[str, FakeAPI] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _answer(self) -> None:
            api = holder["api"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            api.requests.append(Seen(self.command, self.path, dict(self.headers), body))
            mode = api.mode
            if mode == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if mode == "slow":
                api.release.wait(5)
            if mode == "html":
                self._send(200, b"<html><body>Login</body></html>", "text/html")
                return
            if mode == "badjson":
                self._send(200, b'{"products": ["1", ', "application/json")
                return
            if mode == "redirect":
                self._send(302, b"", "text/plain", {"Location": "https://example.invalid/login"})
                return
            if mode == ENCODED_ECHO:
                status, echoed = encoded_echo_answer(self.path, self.headers.get(TOKEN_HEADER, ""), api.products)
                self._send(status, echoed, "application/json")
                return
            if mode in ECHO_MODES:
                status, echoed = echo_answer(mode, self.headers.get(TOKEN_HEADER, ""), dict(self.headers),
                                             api.products)
                self._send(status, echoed, "application/json")
                return
            if mode == "raw":
                self._send(200, api.raw, "application/json")
                return
            status, payload = MODES.get(mode, MODES["ok"])
            if mode == "ok" and api.products is not None:
                payload = {"products": api.products}
            if mode in ("ok", "empty"):
                products = list(OK_PRODUCTS if api.products is None else api.products)
                payload = search_answer(self.path, products, empty=mode == "empty") or payload
            headers = {"Retry-After": "1"} if status == 429 else {}
            self._send(status, json.dumps(payload).encode(), "application/json", headers)

        def _send(self, status, body, ctype, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    api = FakeAPI(server)
    holder["api"] = api
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return api


def stop_fake_api(api: FakeAPI) -> None:
    api.release.set()
    api.server.shutdown()
    api.server.server_close()
    time.sleep(0)  # let handler threads see the release
