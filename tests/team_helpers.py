"""Sign-in as the page tests fake it: an [auth] section for `at.secrets`, and `at.user` for a signed-in person.

AppTest reads `at.user` as st.user (Streamlit 1.67) and `at.secrets` as st.secrets, which is where the studio looks
for [auth] (fashionai.ui.identity): no hook of the studio's own is needed.
"""

from __future__ import annotations

PROVIDER = {"client_id": "studio", "client_secret": "provider-secret-7d3f",
            "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
AUTH_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                         "cookie_secret": "cookie-secret-0a9c", **PROVIDER}}
TWO_PROVIDERS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "cookie-secret-0a9c",
                          "google": PROVIDER, "okta": PROVIDER}}


def signed_in(email: str, name: str, groups: list[str] | str) -> dict:
    """st.user of a signed-in person whose provider sends `groups` (the default role claim)."""
    return {"is_logged_in": True, "email": email, "name": name, "groups": groups, "sub": email,
            "tokens": {"id": "id-token-SECRET-55aa"}}
