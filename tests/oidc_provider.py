"""A small OpenID Connect provider on loopback, for the sign-in tests (as Streamlit's own e2e suite serves one).

Run in the test process, in a thread (like tests/fakeapi.py). It speaks the authorization code flow that
Streamlit's st.login uses through Authlib: discovery, /authorize (no login form: it signs in `provider.next_user`
at once and redirects back with a code), /token (client_secret_basic or _post; an RS256 id token with the
nonce, the person's e-mail, name and `groups`), /jwks and /userinfo. Every token it hands out is kept in
`provider.issued`, so a test can look for them where they must never be (pages, URLs, websocket frames).

    provider = start_provider(client_id="studio", client_secret="...")
    provider.next_user = {"email": "ana@example.com", "name": "Ana", "groups": ["viewer"]}
    ...
    stop_provider(provider)

It needs joserfc (Authlib's dependency, so installed with sign-in); without it `start_provider` raises
ImportError, and the tests skip saying so.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

ID_TOKEN_SECONDS = 600


@dataclass
class Provider:
    server: ThreadingHTTPServer
    client_id: str
    client_secret: str = field(repr=False)
    key: Any = field(repr=False)
    next_user: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    issued: list[str] = field(default_factory=list, repr=False)
    """Every access and id token handed out, and every code."""
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def issuer(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["sub", "email", "name", "groups"],
        }


def _claims(user: dict[str, Any]) -> dict[str, Any]:
    return {"sub": user.get("sub") or user.get("email") or "someone", **user}


def start_provider(*, client_id: str, client_secret: str) -> Provider:
    """Serve the provider on 127.0.0.1 (a free port) in a daemon thread. Raises ImportError without joserfc."""
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
    holder: dict[str, Provider] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None):
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            provider = holder["provider"]
            url = urlparse(self.path)
            query = {name: values[0] for name, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                return self._send(200, provider.metadata())
            if url.path == "/jwks":
                return self._send(200, {"keys": [provider.key.as_dict(private=False)]})
            if url.path == "/authorize":
                if query.get("client_id") != provider.client_id or query.get("response_type") != "code":
                    return self._send(400, {"error": "invalid_request"})
                code = secrets.token_urlsafe(24)
                provider.codes[code] = {"user": dict(provider.next_user), "nonce": query.get("nonce"),
                                        "redirect_uri": query.get("redirect_uri")}
                provider.issued.append(code)
                target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
                return self._send(302, headers={"Location": target})
            if url.path == "/userinfo":
                bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                if bearer not in provider.tokens:
                    return self._send(401, {"error": "invalid_token"})
                return self._send(200, _claims(provider.tokens[bearer]))
            return self._send(404, {"error": "not_found"})

        def do_POST(self):
            provider = holder["provider"]
            if urlparse(self.path).path != "/token":
                return self._send(404, {"error": "not_found"})
            length = int(self.headers.get("Content-Length") or 0)
            form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
            client_id, client_secret = form.get("client_id"), form.get("client_secret")
            basic = self.headers.get("Authorization") or ""
            if basic.startswith("Basic "):
                pair = base64.b64decode(basic[6:]).decode()
                client_id, _, client_secret = pair.partition(":")
                client_id, client_secret = unquote(client_id), unquote(client_secret)
            if (client_id, client_secret) != (provider.client_id, provider.client_secret):
                return self._send(401, {"error": "invalid_client"})
            grant = provider.codes.pop(form.get("code", ""), None)
            if form.get("grant_type") != "authorization_code" or grant is None:
                return self._send(400, {"error": "invalid_grant"})
            now = int(time.time())
            claims = {**_claims(grant["user"]), "iss": provider.issuer, "aud": provider.client_id, "iat": now,
                      "exp": now + ID_TOKEN_SECONDS, "auth_time": now}
            if grant["nonce"]:
                claims["nonce"] = grant["nonce"]
            id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, provider.key)
            access_token = "access-" + secrets.token_urlsafe(24)
            provider.tokens[access_token] = grant["user"]
            provider.issued.extend([id_token, access_token])
            return self._send(200, {"access_token": access_token, "token_type": "Bearer", "id_token": id_token,
                                    "expires_in": ID_TOKEN_SECONDS, "scope": "openid profile email"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider = Provider(server=server, client_id=client_id, client_secret=client_secret, key=key)
    holder["provider"] = provider
    threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True).start()
    return provider


def stop_provider(provider: Provider) -> None:
    provider.server.shutdown()
    provider.server.server_close()
