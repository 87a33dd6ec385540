"""Who is signed in, from the identity provider's claims, and when a studio without sign-in may call the live API.

    SignInConfig, resolve_sign_in_config   the role claim's name, FASHIONAI_ROLE_MAP and FASHIONAI_ALLOW_ANONYMOUS,
                                           from the settings
    parse_role_map                         FASHIONAI_ROLE_MAP (`Merch Team=merchandiser, IT Admins=admin`) read, or
                                           refused in words
    roles_from_claim                       the roles a claim names (a list, or words in one text), and those its
                                           values mean by the role map (others ignored)
    person_from_claims                     a Person from st.user's claims: roles from the claim, else the team's
                                           role table, else viewer
    provider_role_words, provider_role     the role the claim gave, in words for the "signed in" row's detail, and
                                           read back from it (the Team page's "Role comes from")
    is_loopback                            whether the server's address (server.address) is loopback only
    live_calls_closed, CLOSED_WITHOUT_SIGN_IN
                                           the safe default: a live token, an address beyond loopback, no sign-in
                                           and no FASHIONAI_ALLOW_ANONYMOUS: no live call, and the words saying why

The identity provider's tokens are never read here: only the claims that name a person and their roles.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fashionai.config import ALLOW_ANONYMOUS, ROLE_CLAIM, ROLE_MAP, ConfigError, read_setting
from fashionai.team.people import ROLE_ORDER, Person, Role

__all__ = ["CLOSED_WITHOUT_SIGN_IN", "RoleMap", "SignInConfig", "is_loopback", "live_calls_closed", "parse_role_map",
           "person_from_claims", "provider_role", "provider_role_words", "resolve_sign_in_config", "roles_from_claim"]

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})
IDENTITY_CLAIMS = ("email", "preferred_username", "sub")
"""The claims that name a person, the first present wins (a provider without e-mail still names its users)."""

CLOSED_WITHOUT_SIGN_IN = (
    "Live calls are off: this studio has the live Fashion.AI token and is open beyond this machine "
    "(server.address is not a loopback address), but nobody signs in, so anyone who reaches it would act with "
    "the team's token. Configure sign-in ([auth] in .streamlit/secrets.toml), or serve it on 127.0.0.1 only, "
    "or set FASHIONAI_ALLOW_ANONYMOUS=true if your team chose an open studio. The simulator, the history and "
    "the catalog still work."
)
"""What every page says while the safe default keeps live calls off."""


RoleMap = tuple[tuple[str, Role], ...]
"""The provider's values of the role claim that mean a role: (value in lower case, role), each value once."""


@dataclass(frozen=True)
class SignInConfig:
    role_claim: str = ROLE_CLAIM.default
    allow_anonymous: bool = ALLOW_ANONYMOUS.default
    role_map: RoleMap = ()


def _value_key(value: object) -> str:
    """A claim's value as the role map matches it: spaces at its ends and inside squeezed, any letter case."""
    return " ".join(str(value).split()).casefold()


def parse_role_map(raw: object, source: str = ROLE_MAP.env) -> RoleMap:
    """FASHIONAI_ROLE_MAP read: ``Merch Team=merchandiser, IT Admins=admin`` (also ``;`` or new lines between
    pairs), or a table in secrets (``"Merch Team" = "merchandiser"``). ConfigError, naming `source` and what is
    wrong, for a pair without ``=``, a blank value, a role that is none of viewer, merchandiser, admin, or a value
    given two different roles."""
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        pairs = [(str(key), str(role)) for key, role in raw.items()]
    else:
        pairs = []
        for item in re.split(r"[,;\n]+", str(raw)):
            if not item.strip():
                continue
            value, equals, role = item.rpartition("=")
            if not equals:
                raise ConfigError(f"{source} must pair each of the provider's values with a role, as "
                                  f"\"Merch Team=merchandiser, IT Admins=admin\"; {item.strip()!r} has no \"=\".")
            pairs.append((value, role))
    known = {role.value: role for role in Role}
    mapped: dict[str, Role] = {}
    for value, role_text in pairs:
        key, role_word = _value_key(value), role_text.strip().lower()
        if not key:
            raise ConfigError(f"{source}: a role ({role_text.strip()!r}) is given to a blank value; write the "
                              "provider's value before \"=\".")
        if role_word not in known:
            raise ConfigError(f"{source}: {value.strip()!r} is mapped to {role_text.strip()!r}, which is no role: "
                              "use viewer, merchandiser or admin.")
        if mapped.get(key, known[role_word]) != known[role_word]:
            raise ConfigError(f"{source}: {value.strip()!r} is mapped to two roles ({mapped[key].value} and "
                              f"{role_word}); keep one.")
        mapped[key] = known[role_word]
    return tuple(mapped.items())


def resolve_sign_in_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> SignInConfig:
    """The role claim's name, its values mapped to roles, and whether live calls are open without sign-in.
    Raises ConfigError."""
    claim, _ = read_setting(ROLE_CLAIM, environ, secrets)
    raw_map, map_source = read_setting(ROLE_MAP, environ, secrets)
    role_map = parse_role_map(raw_map, map_source)
    allow_text, source = read_setting(ALLOW_ANONYMOUS, environ, secrets)
    allow = ALLOW_ANONYMOUS.default
    if allow_text is not None:
        word = allow_text.lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ConfigError(f"{ALLOW_ANONYMOUS.env} ({source}) must be true or false, not {allow_text!r}.")
        allow = word in TRUE_WORDS
    return SignInConfig(role_claim=claim or ROLE_CLAIM.default, allow_anonymous=allow, role_map=role_map)


def _role_items(value: object) -> list[str]:
    """A claim's values as the role map matches them: a list's texts, or a text whole and its parts between commas
    or semicolons ([] for anything else)."""
    if isinstance(value, str):
        return [value, *re.split(r"[,;]+", value)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [item for item in value if isinstance(item, str)]
    return []


def _item_roles(item: str, role_map: RoleMap) -> list[Role]:
    known = {role.value: role for role in Role}
    mapped = dict(role_map)
    return [*(known[word.lower()] for word in re.split(r"[\s,;]+", item) if word.lower() in known),
            *([mapped[_value_key(item)]] if _value_key(item) in mapped else [])]


def roles_from_claim(value: object, role_map: RoleMap = ()) -> frozenset[Role]:
    """The studio's roles a claim names, in any letter case: a list of words, or words in one text
    (``"admin"``, ``"viewer, merchandiser"``); and the roles `role_map` gives its values (a list's items, or a
    text's parts between commas or semicolons, whole: ``"Merch Team"``). Other values are ignored."""
    return frozenset(role for item in _role_items(value) for role in _item_roles(item, role_map))


PROVIDER_ROLE = re.compile(rf"^(?P<role>{'|'.join(role.value for role in Role)}) from "
                           r"(?P<source>the identity provider \(.*)$")
"""A "signed in" row's detail when the role came from the provider's claim (`provider_role_words`), read back by
`provider_role` for the Team page (a detail the log cut short still reads)."""


def provider_role_words(claims: Mapping[str, object], *, role_claim: str = ROLE_CLAIM.default,
                        role_map: RoleMap = ()) -> str:
    """Where a signed-in person's role came from, when the provider's claim gave it: "merchandiser from the
    identity provider (groups: Merch Team)", naming only the claim's values that give a role ("" when none does,
    and the role table decides). Claims only: never a token."""
    value = claims.get(role_claim)
    roles = roles_from_claim(value, role_map)
    if not roles:
        return ""
    items = _role_items(value)
    parts = items[1:] if isinstance(value, str) else items  # a text's parts, not the text again
    values = list(dict.fromkeys(" ".join(item.split()) for item in parts if _item_roles(item, role_map)))
    role = max(roles, key=ROLE_ORDER.index)
    return f"{role.value} from the identity provider ({role_claim}: {', '.join(values)})"


def provider_role(detail: str) -> tuple[Role, str] | None:
    """A "signed in" row's detail read back: the role the provider's claim gave and where it came from in words,
    or None when the role did not come from the provider (or the row is older than this record)."""
    match = PROVIDER_ROLE.match(detail or "")
    return (Role(match["role"]), match["source"]) if match else None


def person_from_claims(claims: Mapping[str, object], *, role_claim: str = ROLE_CLAIM.default,
                       table_roles: Callable[[str], frozenset[Role]] | None = None, role_map: RoleMap = (),
                       admins: frozenset[str] = frozenset()) -> Person:
    """A signed-in person: identified by e-mail (lower case), named by the `name` claim.

    The first admins (`admins`: FASHIONAI_ADMINS) are admins whatever the provider's claim says (the
    deployment named them: a team is never locked out of its own Team page). Anyone else's roles come from
    the claim named `role_claim` when it names any of ours (or a value `role_map` maps); otherwise from the
    team's role table (`table_roles(email)`); a person with neither is a viewer.
    """
    email = next((str(claims[key]).strip().lower() for key in IDENTITY_CLAIMS
                  if isinstance(claims.get(key), str) and str(claims[key]).strip()), "")
    name = claims.get("name")
    roles = frozenset({Role.ADMIN}) if email and email in admins else roles_from_claim(claims.get(role_claim),
                                                                                         role_map)
    if not roles and table_roles is not None and email:
        roles = frozenset(table_roles(email))
    return Person(email=email, name=name.strip() if isinstance(name, str) else "",
                  roles=roles or frozenset({Role.VIEWER}))


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to `address` (Streamlit's server.address) is reachable from this machine only.

    Empty means every interface (Streamlit's default): not loopback. ``localhost`` and loopback IPs
    (127.0.0.0/8, ::1) are; any other name or address is not (a name is not resolved: the safe side)."""
    text = (address or "").strip().strip("[]")
    if not text:
        return False
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def live_calls_closed(*, live: bool, address: str | None, signs_in: bool, allow_anonymous: bool) -> bool:
    """The safe default: a studio with the live token, open beyond loopback, where nobody signs in and the
    team did not choose so (FASHIONAI_ALLOW_ANONYMOUS), sends no live call."""
    return live and not signs_in and not allow_anonymous and not is_loopback(address)
