"""Who is signed in: roles from the provider's claim, else the role table, else viewer; and the safe default."""

import pytest

from fashionai.config import ConfigError
from fashionai.team import Role
from fashionai.team.signin import (
    SignInConfig,
    is_loopback,
    live_calls_closed,
    provider_role,
    provider_role_words,
    person_from_claims,
    resolve_sign_in_config,
    roles_from_claim,
)

ADMINS_TABLE = {"boss@example.com": frozenset({Role.ADMIN})}


def table(email: str) -> frozenset[Role]:
    return ADMINS_TABLE.get(email, frozenset())


@pytest.mark.parametrize(("value", "roles"), [
    (["admin"], {Role.ADMIN}),
    (["Merchandiser", "marketing-team"], {Role.MERCHANDISER}),
    ("viewer, merchandiser", {Role.VIEWER, Role.MERCHANDISER}),
    ("ADMIN", {Role.ADMIN}),
    (["staff", "everyone"], set()),
    ("", set()),
    (None, set()),
    (7, set()),
    ({"admin": True}, set()),
])
def test_a_claim_names_roles_in_any_case_and_a_providers_own_groups_are_ignored(value, roles):
    assert roles_from_claim(value) == frozenset(roles)


def test_the_claim_wins_over_the_role_table():
    person = person_from_claims({"email": "Boss@Example.com", "name": "Ana", "groups": ["viewer"]},
                                table_roles=table)
    assert (person.email, person.name, person.role) == ("boss@example.com", "Ana", Role.VIEWER)


def test_a_first_admin_is_an_admin_whatever_the_claim_says():
    """FASHIONAI_ADMINS are "admins always" (README): a first admin whose provider sent `viewer` was a viewer, and
    a team whose provider puts everyone in a viewer group could not reach its own Team page."""
    claims = {"email": "Lead@Store.com", "groups": ["viewer"]}
    assert person_from_claims(claims, admins=frozenset({"lead@store.com"})).role is Role.ADMIN
    assert person_from_claims(claims, admins=frozenset({"ops@store.com"})).role is Role.VIEWER


def test_without_a_role_in_the_claim_the_role_table_decides():
    person = person_from_claims({"email": "boss@example.com", "groups": ["staff"]}, table_roles=table)
    assert person.role is Role.ADMIN


def test_a_person_with_neither_is_a_viewer():
    assert person_from_claims({"email": "new@example.com"}, table_roles=table).role is Role.VIEWER
    assert person_from_claims({"email": "new@example.com"}).roles == frozenset({Role.VIEWER})


def test_the_role_claim_is_the_one_configured():
    claims = {"email": "a@example.com", "groups": ["viewer"], "studio_roles": "admin"}
    assert person_from_claims(claims, role_claim="studio_roles").role is Role.ADMIN
    assert person_from_claims(claims).role is Role.VIEWER


def test_a_provider_without_email_names_its_users_otherwise_and_the_tokens_are_never_kept():
    person = person_from_claims({"preferred_username": "Ana.Lima", "sub": "123", "tokens": {"id": "secret"}})
    assert person.email == "ana.lima"
    assert "secret" not in repr(person)
    assert person_from_claims({"sub": "abc"}).email == "abc"


def test_the_settings_default_to_groups_and_closed():
    assert resolve_sign_in_config({}, {}) == SignInConfig(role_claim="groups", allow_anonymous=False)


@pytest.mark.parametrize(("text", "allow"), [("true", True), ("TRUE", True), ("1", True), ("yes", True),
                                             ("false", False), ("0", False), ("off", False)])
def test_allow_anonymous_reads_true_and_false_words(text, allow):
    assert resolve_sign_in_config({"FASHIONAI_ALLOW_ANONYMOUS": text}).allow_anonymous is allow


def test_allow_anonymous_from_the_secrets_file_as_a_toml_boolean():
    secrets = {"fashionai": {"allow_anonymous": True, "role_claim": "roles"}}
    assert resolve_sign_in_config({}, secrets) == SignInConfig(role_claim="roles", allow_anonymous=True)


def test_allow_anonymous_refuses_a_word_it_cannot_read():
    with pytest.raises(ConfigError, match=r"FASHIONAI_ALLOW_ANONYMOUS .* must be true or false"):
        resolve_sign_in_config({"FASHIONAI_ALLOW_ANONYMOUS": "maybe"})


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("LOCALHOST", True), ("::1", True),
    ("[::1]", True), ("", False), (None, False), ("0.0.0.0", False), ("::", False), ("192.168.1.5", False),
    ("studio.example.com", False),
])
def test_only_loopback_addresses_are_loopback_and_empty_means_every_interface(address, loopback):
    assert is_loopback(address) is loopback


def test_the_safe_default_closes_live_calls_only_when_every_condition_holds():
    closed = dict(live=True, address="", signs_in=False, allow_anonymous=False)
    assert live_calls_closed(**closed)
    assert not live_calls_closed(**{**closed, "live": False})  # the simulator still works
    assert not live_calls_closed(**{**closed, "address": "127.0.0.1"})
    assert not live_calls_closed(**{**closed, "signs_in": True})
    assert not live_calls_closed(**{**closed, "allow_anonymous": True})
    assert live_calls_closed(**{**closed, "address": "0.0.0.0"})


# --------------------------------------------------------------------------- FASHIONAI_ROLE_MAP

from fashionai.team.signin import parse_role_map  # noqa: E402

TEAM_MAP = parse_role_map("Merch Team=merchandiser, IT  Admins = admin; readers=viewer")


def test_a_role_map_is_read_from_the_setting_and_from_a_table_in_secrets():
    assert TEAM_MAP == (("merch team", Role.MERCHANDISER), ("it admins", Role.ADMIN), ("readers", Role.VIEWER))
    config = resolve_sign_in_config({}, {"fashionai": {"role_map": {"Merch Team": "Merchandiser"}}})
    assert config.role_map == (("merch team", Role.MERCHANDISER),)
    assert resolve_sign_in_config({"FASHIONAI_ROLE_MAP": "Ops=admin"}).role_map == (("ops", Role.ADMIN),)
    assert resolve_sign_in_config({}).role_map == ()


@pytest.mark.parametrize(("value", "roles"), [
    (["Merch Team", "staff"], {Role.MERCHANDISER}),
    (["it admins"], {Role.ADMIN}),
    ("IT Admins, staff", {Role.ADMIN}),
    ("Merch Team", {Role.MERCHANDISER}),
    (["Merch", "Team"], set()),  # a value is matched whole, not word by word
    (["viewer", "it admins"], {Role.VIEWER, Role.ADMIN}),
    (["marketing"], set()),
])
def test_the_providers_values_are_roles_by_the_map(value, roles):
    assert roles_from_claim(value, TEAM_MAP) == roles


def test_a_person_in_a_mapped_group_has_its_role_before_the_table():
    claims = {"email": "boss@example.com", "groups": ["IT Admins"]}
    assert person_from_claims(claims, role_map=TEAM_MAP).role == Role.ADMIN
    assert person_from_claims(claims, table_roles=table).role == Role.ADMIN  # the table's
    assert person_from_claims({"email": "x@example.com", "groups": ["Merch Team"]}, table_roles=table).role == Role.VIEWER


@pytest.mark.parametrize(("text", "words"), [
    ("Merch Team", r"has no \"=\""),
    ("=admin", "given to a blank value"),
    ("Merch Team=boss", "'boss', which is no role: use viewer, merchandiser or admin"),
    ("Ops=admin, OPS=viewer", "mapped to two roles"),
])
def test_a_role_map_that_cannot_be_read_is_refused_in_words(text, words):
    with pytest.raises(ConfigError, match=f"FASHIONAI_ROLE_MAP environment variable.*{words}"):
        resolve_sign_in_config({"FASHIONAI_ROLE_MAP": text})


def test_the_role_a_claim_gave_is_said_with_the_values_that_gave_it_and_read_back():
    mapped = parse_role_map("Merch Team=merchandiser")
    claims = {"groups": ["Everyone", "Merch Team", "viewer"], "tokens": {"id": "secret-id-token"}}
    words = provider_role_words(claims, role_map=mapped)
    assert words == "merchandiser from the identity provider (groups: Merch Team, viewer)"
    assert "secret" not in words and "Everyone" not in words
    assert provider_role(words) == (Role.MERCHANDISER, "the identity provider (groups: Merch Team, viewer)")
    assert provider_role_words({"roles": "admin; Staff"}, role_claim="roles") == (
        "admin from the identity provider (roles: admin)")
    assert provider_role_words({"groups": ["Everyone"]}) == "" and provider_role_words({}) == ""
    assert provider_role("") is None and provider_role("3 live calls to Fashion.AI") is None
