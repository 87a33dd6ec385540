"""People and their rights: the three roles, the actions checked on the server, and who may do each.

A person's roles come from the identity provider's claim or the team's role table (issue 23); a person
with no role is a viewer. A studio without sign-in runs as LOCAL_PERSON, who has every right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["LOCAL_PERSON", "RIGHTS", "ROLE_ORDER", "Action", "Person", "Role", "can", "can_steer", "refusal", "who_words"]


class Role(StrEnum):
    VIEWER = "viewer"
    MERCHANDISER = "merchandiser"
    ADMIN = "admin"


ROLE_ORDER: tuple[Role, ...] = (Role.VIEWER, Role.MERCHANDISER, Role.ADMIN)
"""Each role has every right of the ones before it."""


class Action(StrEnum):
    """An action the server checks before doing it (hiding a button is not a check)."""

    LIVE_CALL = "live call"  # a preview, walk, look or journey sent to the live API
    UPLOAD_CATALOG = "upload catalog"  # upload, name or rename a catalog in the library
    SAVE_SNAPSHOT = "save snapshot"  # save, name or import a snapshot
    RUN_JOURNEY = "run journey"
    PLAN_AUDIT = "plan audit"  # plan and start an audit up to the team's call cap
    JUDGE_RESULTS = "grade search results"  # mark judgments on the Search page
    AUDIT_OVER_CAP = "audit over cap"
    STEER_OTHERS_RUN = "cancel or resume an audit run someone else started"  # one's own: its starter may
    DELETE = "delete"  # a catalog, a snapshot, a run: anyone's
    CHANGE_SETTINGS = "change settings"  # retention and team settings
    CHANGE_ROLES = "change roles"
    READ_ACTIVITY = "read activity"


RIGHTS: dict[Action, Role] = {
    Action.LIVE_CALL: Role.MERCHANDISER,
    Action.UPLOAD_CATALOG: Role.MERCHANDISER,
    Action.SAVE_SNAPSHOT: Role.MERCHANDISER,
    Action.RUN_JOURNEY: Role.MERCHANDISER,
    Action.PLAN_AUDIT: Role.MERCHANDISER,
    Action.JUDGE_RESULTS: Role.MERCHANDISER,
    Action.AUDIT_OVER_CAP: Role.ADMIN,
    Action.STEER_OTHERS_RUN: Role.ADMIN,
    Action.DELETE: Role.ADMIN,
    Action.CHANGE_SETTINGS: Role.ADMIN,
    Action.CHANGE_ROLES: Role.ADMIN,
    Action.READ_ACTIVITY: Role.ADMIN,
}
"""The least role that may do each action. A viewer sees, shares, downloads and replays from the history."""


@dataclass(frozen=True)
class Person:
    """Who is using the studio: `email` is the identity (lower case), `name` what the screen shows."""

    email: str
    name: str = ""
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.VIEWER}))
    local: bool = False  # the one user of a studio without sign-in

    @property
    def role(self) -> Role:
        """The highest of the person's roles (a person with none is a viewer)."""
        return max(self.roles or {Role.VIEWER}, key=ROLE_ORDER.index)

    @property
    def label(self) -> str:
        return self.name or self.email


LOCAL_PERSON = Person(email="local", name="Local user", roles=frozenset({Role.ADMIN}), local=True)
"""The studio without sign-in: one local user with every right, as before sign-in existed."""


def can(person: Person, action: Action) -> bool:
    """Whether the person's role reaches the least role the action needs."""
    return ROLE_ORDER.index(person.role) >= ROLE_ORDER.index(RIGHTS[action])


def who_words(email: str | None) -> str:
    """Who made a row, as a list shows it: the e-mail; "local user" without sign-in; "unknown" for a row made
    before rows recorded it."""
    text = (email or "").strip()
    if not text:
        return "unknown"
    return "local user" if text == LOCAL_PERSON.email else text


def can_steer(person: Person, started_by: str | None) -> bool:
    """Whether the person may cancel or resume a run `started_by` started: its starter, or an admin (a run
    whose starter is not known, made before runs recorded it, is an admin's)."""
    mine = started_by is not None and started_by.strip().lower() == person.email.strip().lower()
    return mine or can(person, Action.STEER_OTHERS_RUN)


def refusal(person: Person, action: Action) -> str:
    """The plain words shown when a person may not do an action ("" when they may)."""
    if can(person, action):
        return ""
    needed = RIGHTS[action]
    return (f"{person.label} is signed in as {person.role.value}; to {action.value} takes the "
            f"{needed.value} role. Ask an admin of your team.")
