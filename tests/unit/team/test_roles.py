"""The team's role table (fashionai.team.roles) on SQLite, and on PostgreSQL when FASHIONAI_TEST_POSTGRES_URL names a
server: a person's role, set and changed, the first admins of FASHIONAI_ADMINS always admins, a database that cannot
be used, and FASHIONAI_ADMINS read from the environment or secrets."""

from __future__ import annotations

import pytest

from fashionai.config import ConfigError
from fashionai.team import Role
from fashionai.team.roles import RoleTable, RoleTableUnavailable, resolve_admins
from tests import history_helpers

store_url = history_helpers.store_url  # the fixture: each test once per database


@pytest.fixture
def table(store_url):
    opened = RoleTable(store_url, admins={"Lead@Store.com"})
    yield opened
    opened.close()


def test_someone_the_table_does_not_name_is_a_viewer_and_a_first_admin_an_admin(table):
    assert table.role_of("new@store.com") == Role.VIEWER
    assert table.role_of(" LEAD@store.com ") == Role.ADMIN


def test_a_role_set_is_kept_and_says_what_changed(table):
    change = table.set_role("Ana@Store.com", Role.MERCHANDISER, by="lead@store.com")
    assert (change.email, change.before, change.after, change.changed) == (
        "ana@store.com", Role.VIEWER, Role.MERCHANDISER, True)
    assert table.role_of("ana@store.com") == Role.MERCHANDISER
    again = table.set_role("ana@store.com", "admin", by="lead@store.com")
    assert (again.before, again.after) == (Role.MERCHANDISER, Role.ADMIN)
    assert not table.set_role("ana@store.com", Role.ADMIN, by="lead@store.com").changed
    rows = {row.email: row for row in table.rows(also=["seen@store.com"])}
    assert list(rows) == ["ana@store.com", "lead@store.com", "seen@store.com"]
    assert rows["ana@store.com"].role == Role.ADMIN and rows["ana@store.com"].changed_by == "lead@store.com"
    assert rows["ana@store.com"].changed_at is not None
    assert rows["lead@store.com"].first_admin and rows["lead@store.com"].role == Role.ADMIN
    assert rows["seen@store.com"].role == Role.VIEWER and rows["seen@store.com"].changed_at is None


def test_a_first_admin_cannot_be_made_less_and_a_role_needs_an_email_and_a_known_role(table):
    with pytest.raises(ValueError, match="FASHIONAI_ADMINS"):
        table.set_role("lead@store.com", Role.VIEWER, by="ana@store.com")
    with pytest.raises(ValueError, match="not an e-mail address"):
        table.set_role("  ", Role.VIEWER, by="lead@store.com")
    with pytest.raises(ValueError):
        table.set_role("ana@store.com", "owner", by="lead@store.com")
    assert table.role_of("lead@store.com") == Role.ADMIN


def test_a_stored_role_this_version_does_not_know_reads_as_viewer(table):
    table.set_role("ana@store.com", Role.ADMIN, by="lead@store.com")
    with table._engine.begin() as conn:
        conn.exec_driver_sql("UPDATE fashionai_roles SET role = 'owner'")
    assert table.role_of("ana@store.com") == Role.VIEWER


def test_a_database_that_cannot_be_used_says_so(tmp_path):
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a database" * 100)
    table = RoleTable(path.as_posix(), admins=["lead@store.com"])
    assert table.role_of("lead@store.com") == Role.ADMIN  # the first admins need no database
    with pytest.raises(RoleTableUnavailable, match="role table .* cannot be used.*FASHIONAI_ADMINS still apply"):
        table.role_of("ana@store.com")


def test_the_first_admins_from_the_environment_or_secrets():
    assert resolve_admins({}) == frozenset()
    assert resolve_admins({"FASHIONAI_ADMINS": "Lead@Store.com, ops@store.com;x@y.io"}) == {
        "lead@store.com", "ops@store.com", "x@y.io"}
    assert resolve_admins({}, {"fashionai": {"admins": ["a@b.com", "C@d.com"]}}) == {"a@b.com", "c@d.com"}
    with pytest.raises(ConfigError, match="FASHIONAI_ADMINS environment variable must list e-mail addresses"):
        resolve_admins({"FASHIONAI_ADMINS": "lead@store.com, bob"})
