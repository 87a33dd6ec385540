"""The team's role table: each person's role when the identity provider sends none (issue 23).

    table = RoleTable("sqlite:////data/history.db", admins=resolve_admins(os.environ, secrets))
    table.role_of("ana@store.com")                      # Role.VIEWER for someone the table does not name
    table.set_role("ana@store.com", Role.MERCHANDISER, by="lead@store.com")   # -> RoleChange
    table.rows()                                        # everyone the table names, and the first admins

One row a person (`fashionai_roles`: e-mail, role, when and by whom it was last set), in the history's
database, made if missing. The e-mails of FASHIONAI_ADMINS are admins always: the table cannot make
them less (so a team can never lock itself out of its Team page). A person the table does not name,
and who is not a first admin, is a viewer. Roles are cumulative (viewer < merchandiser < admin), so one
role a person says all.

A database that cannot be used raises `RoleTableUnavailable` (plain words, no password).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.config import ADMINS, ConfigError, normalize_url, read_setting
from fashionai.database import (
    Database,
    DatabaseUnavailable,
    guard_database,
    naive_utc_now,
    utc,
)
from fashionai.team.people import Role

__all__ = ["RoleChange", "RoleRow", "RoleTable", "RoleTableUnavailable", "clean_email", "resolve_admins"]

_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+$")
"""What a team member's e-mail looks like (the provider's own: no more checking than that)."""


def clean_email(email: object) -> str:
    """An e-mail as the table keys it: trimmed, lower case."""
    return str(email or "").strip().lower()


def resolve_admins(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> frozenset[str]:
    """The first admins' e-mails (FASHIONAI_ADMINS, comma- or space-separated; a list in secrets), lower case.
    Raises ConfigError for one that is no e-mail address."""
    raw, source = read_setting(ADMINS, environ, secrets)
    if raw is None:
        return frozenset()
    items = raw if isinstance(raw, (list, tuple)) else re.split(r"[\s,;]+", str(raw))
    admins = set()
    for item in items:
        email = clean_email(item)
        if not email:
            continue
        if not _EMAIL.match(email):
            raise ConfigError(f"{source} must list e-mail addresses such as lead@store.com, not {str(item)!r}.")
        admins.add(email)
    return frozenset(admins)


class RoleTableUnavailable(DatabaseUnavailable):
    """The role table's database cannot be used now; the message says why, in plain words."""


@dataclass(frozen=True)
class RoleRow:
    """A person as the Team page lists them: their role, and who set it when (none for a first admin unset)."""

    email: str
    role: Role
    first_admin: bool = False  # named by FASHIONAI_ADMINS: admin always
    changed_at: datetime | None = None  # UTC
    changed_by: str = ""


@dataclass(frozen=True)
class RoleChange:
    """What `RoleTable.set_role` did: the role before and after (the same when nothing changed)."""

    email: str
    before: Role
    after: Role

    @property
    def changed(self) -> bool:
        return self.before != self.after


metadata = sa.MetaData()
roles_table = sa.Table(
    "fashionai_roles",
    metadata,
    sa.Column("email", sa.String(320), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("changed_by", sa.String(320), nullable=False),
)
_R = roles_table.c

_guarded = guard_database(lambda table, err: table._unavailable(err))


class RoleTable(Database):
    """Each person's role, in SQLite or PostgreSQL (the history's database). Thread-safe."""

    def __init__(self, url: str | URL, *, admins: Iterable[str] = ()) -> None:
        super().__init__(normalize_url(url).difference_update_query(["mode"]))
        self.admins = frozenset(clean_email(a) for a in admins if clean_email(a))

    def __repr__(self) -> str:
        return f"RoleTable({self.display_url!r})"

    @_guarded
    def role_of(self, email: str) -> Role:
        """The person's role: admin for a first admin, else the table's, else viewer."""
        email = clean_email(email)
        if email in self.admins:
            return Role.ADMIN
        self._ensure()
        with self._engine.connect() as conn:
            stored = conn.execute(sa.select(_R.role).where(_R.email == email)).scalar()
        return _role(stored)

    @_guarded
    def set_role(self, email: str, role: Role | str, *, by: str) -> RoleChange:
        """Give the person `role` (set by `by`). ValueError for a blank e-mail, an unknown role, or making a
        first admin less than admin (FASHIONAI_ADMINS decides theirs)."""
        email, role = clean_email(email), Role(role)
        if not _EMAIL.match(email):
            raise ValueError(f"{email or 'A blank address'} is not an e-mail address: a role belongs to a person's "
                             "sign-in e-mail.")
        if email in self.admins and role != Role.ADMIN:
            raise ValueError(f"{email} is one of the first admins named by FASHIONAI_ADMINS, so always an admin. "
                             "Take them off FASHIONAI_ADMINS first to give them another role.")
        before = self.role_of(email)
        with self._engine.begin() as conn:  # delete, then insert: the same on SQLite and PostgreSQL
            conn.execute(sa.delete(roles_table).where(_R.email == email))
            conn.execute(sa.insert(roles_table), [{"email": email, "role": role.value, "changed_at": naive_utc_now(),
                                                   "changed_by": clean_email(by)}])
        return RoleChange(email, before, role)

    @_guarded
    def rows(self, also: Iterable[str] = ()) -> list[RoleRow]:
        """Everyone the table names, the first admins, and the e-mails of `also` (people seen), by e-mail."""
        self._ensure()
        with self._engine.connect() as conn:
            stored = {row.email: row for row in conn.execute(sa.select(roles_table))}
        emails = sorted(set(stored) | self.admins | {clean_email(e) for e in also if clean_email(e)})
        rows = []
        for email in emails:
            row = stored.get(email)
            first = email in self.admins
            rows.append(RoleRow(email=email, role=Role.ADMIN if first else _role(row.role if row else None),
                                first_admin=first, changed_at=utc(row.changed_at) if row else None,
                                changed_by=row.changed_by if row else ""))
        return rows

    # --- the database

    def _ensure(self) -> None:
        self._ensure_tables(roles_table)

    def _unavailable(self, err: BaseException) -> RoleTableUnavailable:
        where, why = self.failure_words(err)
        return RoleTableUnavailable(
            f"The team's role table (kept in {where}, beside the history) cannot be used: {why}. Roles from the "
            "sign-in provider and FASHIONAI_ADMINS still apply; everyone else is a viewer until it can be read.")


def _role(value: object) -> Role:
    try:
        return Role(str(value))
    except ValueError:
        return Role.VIEWER
