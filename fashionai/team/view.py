"""What the Team and Activity pages show, and who made a row as every list says it.

    MINE, EVERYONE, owner_filter    the lists' "Mine" / "Everyone" choice, as the owner a store filters by
    activity_frame(entries)         the Activity page's table (and its CSV), a row an entry
    team_frame(rows, seen, signed_in)  the Team page's table: each person's role, where it comes from (the
                                    identity provider's claim when a sign-in showed it), last sign-in
    role_change_words(change)       "viewer → merchandiser"
    no_activity_words(...)          the Activity page's words when no row matches, fitting the filters chosen
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import pandas as pd

from fashionai.team.activity import ActivityEntry
from fashionai.team.people import Person, who_words
from fashionai.team.roles import RoleChange, RoleRow
from fashionai.team.signin import provider_role

__all__ = ["EVERYONE", "MINE", "OWNER_CHOICES", "activity_frame", "no_activity_words", "owner_filter",
           "role_change_words", "team_frame"]

MINE, EVERYONE = "Mine", "Everyone"
OWNER_CHOICES = (MINE, EVERYONE)
"""The lists' choice (History, the Library, Audits), "Mine" first: what a list opens on."""
def owner_filter(choice: str, person: Person) -> str | None:
    """The owner a list is filtered by: the person's e-mail for "Mine", None (no filter) for "Everyone"."""
    return person.email if choice == MINE else None


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment is not None else ""


def activity_frame(entries: Iterable[ActivityEntry]) -> pd.DataFrame:
    """The log's rows as a table: when (UTC), who, action, page, about, detail, count (blank when not a count)."""
    rows = [{"When (UTC)": f"{entry.at:%Y-%m-%d %H:%M:%S}", "Who": who_words(entry.who),
             "Action": str(entry.action), "Page": entry.page, "About": entry.about, "Detail": entry.detail,
             "Count": entry.count} for entry in entries]
    frame = pd.DataFrame(rows, columns=["When (UTC)", "Who", "Action", "Page", "About", "Detail", "Count"])
    frame["Count"] = frame["Count"].astype("Int64")
    return frame.astype({column: "string" for column in frame.columns if column != "Count"})


NOT_IN_TABLE = ("not in the role table, and not seen signing in with a role from the identity provider: a viewer "
                "unless the provider sends one")
"""The Team page's words for a person the table gives no role and no sign-in showed the provider's."""


def _table_source(row: RoleRow) -> str:
    if row.first_admin:
        return "FASHIONAI_ADMINS (always an admin)"
    if row.changed_at is not None:
        return f"set by {who_words(row.changed_by)} on {_when(row.changed_at)}"
    return ""


def team_frame(rows: Iterable[RoleRow], seen: Mapping[str, datetime],
               signed_in: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The team as the Team page lists it: e-mail, role, where the role comes from, when last signed in.
    `signed_in`: each person's last "signed in" row's detail; when it says the identity provider's claim gave the
    role, that role and its source are shown (the provider's role comes first at sign-in), the table's noted."""
    table = []
    for row in rows:
        role, source = row.role.value, _table_source(row)
        if (provided := provider_role((signed_in or {}).get(row.email, ""))) is not None:
            table_words = f"; the table's {row.role.value} ({source}) applies if it sends none" if source else ""
            role, source = provided[0].value, f"{provided[1]} at their last sign-in{table_words}"
        table.append({"Person": row.email, "Role": role, "Role comes from": source or NOT_IN_TABLE,
                      "Last signed in": _when(seen.get(row.email)) or "not yet"})
    return pd.DataFrame(table, columns=["Person", "Role", "Role comes from", "Last signed in"]).astype("string")


def role_change_words(change: RoleChange) -> str:
    """A role change in words, for the page and the log's detail: "viewer → merchandiser" ("stays admin")."""
    return f"{change.before.value} → {change.after.value}" if change.changed else f"stays {change.after.value}"


def no_activity_words(*, person: bool, action: bool, day: bool) -> str:
    """What the Activity page says when no row matches: the log is empty (no filter chosen), or which of the
    filters chosen (a person, an action, a day) to undo to see more."""
    if not (person or action or day):
        return ("The activity log is empty: nothing has been recorded yet. Sign-ins, live calls, audits, catalog and "
                "snapshot changes, retention and role changes, and refused actions appear here as they happen.")
    undo = [words for chosen, words in ((person, "Everyone"), (action, "Every action"), (day, "no day")) if chosen]
    choices = undo[0] if len(undo) == 1 else ", ".join(undo[:-1]) + " or " + undo[-1]
    return f"Nothing in the activity log matches these choices. Choose {choices} to see more."
