"""What the Team and Activity pages show (fashionai.team.view): who made a row in words, the lists' Mine/Everyone
choice, the log's table and its CSV (formula cells neutralised, as every export), the team's table."""

from __future__ import annotations

from datetime import UTC, datetime

from fashionai.output.exports import to_csv
from fashionai.team import LOCAL_PERSON, Person, Role
from fashionai.team.activity import ActivityAction, ActivityEntry
from fashionai.team.roles import RoleChange, RoleRow
from fashionai.team.signin import parse_role_map, provider_role_words
from fashionai.team.view import (
    EVERYONE,
    MINE,
    NOT_IN_TABLE,
    activity_frame,
    owner_filter,
    role_change_words,
    team_frame,
)

AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def test_mine_filters_by_the_persons_email_and_everyone_by_nobody():
    ana = Person(email="ana@store.com")
    assert owner_filter(MINE, ana) == "ana@store.com" and owner_filter(EVERYONE, ana) is None
    assert owner_filter(MINE, LOCAL_PERSON) == "local"


def test_the_activity_table_and_its_csv_neutralise_formulas():
    entries = [ActivityEntry(1, AT, "local", ActivityAction.LIVE_CALLS, "Compare lanes", "=HYPERLINK(\"x\")", 8),
               ActivityEntry(2, AT, "lead@store.com", ActivityAction.ROLE_CHANGED, "Team", "viewer → admin",
                             about="bo@store.com")]
    frame = activity_frame(entries)
    assert list(frame.columns) == ["When (UTC)", "Who", "Action", "Page", "About", "Detail", "Count"]
    assert frame.iloc[0].tolist()[:4] == ["2026-12-07 09:30:00", "local user", "live calls", "Compare lanes"]
    assert frame["Count"].iloc[0] == 8 and frame["Count"].isna().iloc[1]
    csv = to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\r\n2026-12-07 09:30:00,local user,live calls" in csv
    assert activity_frame([]).empty


def test_the_team_table_says_where_each_role_comes_from():
    rows = [RoleRow("ana@store.com", Role.MERCHANDISER, changed_at=AT, changed_by="lead@store.com"),
            RoleRow("lead@store.com", Role.ADMIN, first_admin=True), RoleRow("new@store.com", Role.VIEWER)]
    frame = team_frame(rows, {"ana@store.com": AT})
    assert frame["Role comes from"].tolist() == ["set by lead@store.com on 2026-12-07 09:30:00 UTC",
                                                 "FASHIONAI_ADMINS (always an admin)", NOT_IN_TABLE]
    assert frame["Last signed in"].tolist() == ["2026-12-07 09:30:00 UTC", "not yet", "not yet"]


def test_a_role_the_identity_provider_gave_at_sign_in_is_said_with_its_source():
    """Issue 23: a person whose role came from the provider's claim was listed as "nobody set one: a viewer"."""
    mapped = parse_role_map("Merch Team=merchandiser")
    signed_in = {"mo@store.com": provider_role_words({"groups": ["Merch Team", "Everyone"]}, role_map=mapped),
                 "ana@store.com": provider_role_words({"groups": ["admin"]}),
                 "old@store.com": ""}  # a sign-in with no role from the provider: the table decides
    rows = [RoleRow("mo@store.com", Role.VIEWER),
            RoleRow("ana@store.com", Role.MERCHANDISER, changed_at=AT, changed_by="lead@store.com"),
            RoleRow("old@store.com", Role.VIEWER)]
    frame = team_frame(rows, {"mo@store.com": AT}, signed_in)
    assert frame["Role"].tolist() == ["merchandiser", "admin", "viewer"]
    assert frame["Role comes from"].tolist() == [
        "the identity provider (groups: Merch Team) at their last sign-in",
        ("the identity provider (groups: admin) at their last sign-in; the table's merchandiser (set by "
        "lead@store.com on 2026-12-07 09:30:00 UTC) applies if it sends none"),
        NOT_IN_TABLE]


def test_a_role_change_in_words():
    assert role_change_words(RoleChange("a@b.co", Role.VIEWER, Role.ADMIN)) == "viewer → admin"
    assert role_change_words(RoleChange("a@b.co", Role.ADMIN, Role.ADMIN)) == "stays admin"


def test_the_words_when_no_activity_matches_fit_the_filters_chosen():
    from fashionai.team.view import no_activity_words

    assert no_activity_words(person=False, action=False, day=False).startswith("The activity log is empty")
    assert no_activity_words(person=True, action=False, day=False).endswith("Choose Everyone to see more.")
    assert no_activity_words(person=False, action=True, day=True).endswith("Choose Every action or no day to see more.")
    assert no_activity_words(person=True, action=True, day=True).endswith(
        "Choose Everyone, Every action or no day to see more.")
