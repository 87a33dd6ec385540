"""The activity log (fashionai.team.activity) on SQLite, and on PostgreSQL when FASHIONAI_TEST_POSTGRES_URL names a
server (tests/history_helpers.py): rows written and read back by person, action and day; append-only (no update or
delete path); no token, no shopper e-mail, no catalog contents in a row; a database that cannot be used."""

from __future__ import annotations

import ast
import inspect
import re
import threading
from datetime import UTC, date, datetime

import pytest

from fashionai.api import redaction
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import HistoryStore
from fashionai.team import activity
from fashionai.team.activity import ActivityAction, ActivityLog, ActivityUnavailable, CallCounter, clean_detail
from tests.history_helpers import snap


DAY1 = datetime(2026, 12, 6, 23, 59, tzinfo=UTC)
DAY2 = datetime(2026, 12, 7, 0, 1, tzinfo=UTC)
TOKEN = "tok-SECRET-1234567890"


@pytest.fixture
def log(store_url):
    opened = ActivityLog(store_url)
    yield opened
    opened.close()


def test_rows_come_back_newest_first_filtered_by_person_action_and_day(log):
    log.record(who="Ana@Store.com", action=ActivityAction.SIGNED_IN, page="Sign-in", at=DAY1)
    log.record(who="bo@store.com", action=ActivityAction.CATALOG_DELETED, page="Catalog", detail="Summer", at=DAY2)
    log.record(who="ana@store.com", action=ActivityAction.LIVE_CALLS, page="Compare lanes", count=8, at=DAY2)

    everything = log.entries()
    assert [e.action for e in everything] == [ActivityAction.LIVE_CALLS, ActivityAction.CATALOG_DELETED,
                                              ActivityAction.SIGNED_IN]
    assert everything[0].count == 8 and everything[0].page == "Compare lanes"
    assert everything[0].at == DAY2 and everything[0].at.tzinfo is not None
    assert [e.action for e in log.entries(who="ANA@store.com")] == [ActivityAction.LIVE_CALLS,
                                                                    ActivityAction.SIGNED_IN]
    assert [e.who for e in log.entries(action=ActivityAction.CATALOG_DELETED)] == ["bo@store.com"]
    assert [e.action for e in log.entries(day=date(2026, 12, 6))] == [ActivityAction.SIGNED_IN]
    assert len(log.entries(day=date(2026, 12, 7))) == 2
    assert len(log.entries(limit=1)) == 1
    assert log.everyone() == ["ana@store.com", "bo@store.com"]
    assert [(p.who, p.last_seen, p.detail) for p in log.people()] == [("ana@store.com", DAY1, "")]


def test_the_people_seen_carry_their_latest_sign_ins_detail():
    log = ActivityLog("sqlite://")
    log.record(who="mo@store.com", action=ActivityAction.SIGNED_IN, detail="viewer from the identity provider "
               "(groups: viewer)", at=DAY1)
    log.record(who="mo@store.com", action=ActivityAction.SIGNED_IN, detail="admin from the identity provider "
               "(groups: admin)", at=DAY2)
    log.record(who="mo@store.com", action=ActivityAction.ROLE_CHANGED, detail="viewer → admin", at=DAY2)
    assert [(p.who, p.last_seen, p.detail) for p in log.people()] == [
        ("mo@store.com", DAY2, "admin from the identity provider (groups: admin)")]


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        ActivityLog("sqlite://").record(who="ana@store.com", action="emptied the log")


def test_the_log_beside_the_history_in_the_same_database(store_url):
    history = HistoryStore(store_url, max_age_days=None, max_count=None)
    history.record(snap())
    log = ActivityLog(store_url)
    log.record(who="local", action=ActivityAction.SNAPSHOT_NAMED, page="History", detail="before the campaign")
    assert history.count() == 1 and log.entries()[0].detail == "before the campaign"
    history.close()
    log.close()


def test_no_token_no_shopper_email_and_no_catalog_contents_in_a_row(log):
    redaction.protect(TOKEN)
    catalog_text = SAMPLE_CATALOG_PATH.read_text(encoding="utf-8")
    log.record(who="ana@store.com", action=ActivityAction.PROFILE_LOOKUP, page="Shopper walk",
               detail=f"profile by e-mail shopper.maria@gmail.com with {TOKEN}")
    log.record(who="ana@store.com", action=ActivityAction.CATALOG_UPLOADED, page="Catalog", detail=catalog_text)
    profile, catalog = log.entries(action=ActivityAction.PROFILE_LOOKUP)[0], log.entries(
        action=ActivityAction.CATALOG_UPLOADED)[0]
    assert "maria" not in profile.detail and "gmail" not in profile.detail and TOKEN not in profile.detail
    assert profile.detail.startswith("profile by e-mail [personal data]")
    second_row = catalog_text.splitlines()[2]
    assert len(catalog.detail) <= activity.MAX_DETAIL and "\n" not in catalog.detail
    assert second_row.split(",")[0] not in catalog.detail
    with log._engine.connect() as conn:  # the stored row itself, not only what the log reads back
        stored = " ".join(str(v) for row in conn.execute(activity.activity_table.select()) for v in row)
    assert TOKEN not in stored and "shopper.maria@gmail.com" not in stored and second_row not in stored


def test_a_detail_is_one_line_with_the_token_in_any_form_and_emails_replaced():
    redaction.protect(TOKEN)
    assert clean_detail(f"a\nb\t{TOKEN[::-1]}  x@y.com ") == "a b [app token] [personal data]"
    assert clean_detail(None) == ""


def test_the_log_is_append_only():
    """No update or delete path: the module's SQL inserts and selects, and its public face has no way to change
    or drop a row (retention of the log: none, said in the module's docstring)."""
    source = inspect.getsource(activity)
    tree = ast.parse(source)
    called = {node.func.attr for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert not called & {"update", "delete", "truncate", "drop", "drop_all"}
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    texts = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
    assert not [text for text in texts if re.search(r"\b(update|delete|truncate|drop|alter)\b", text, re.IGNORECASE)]
    public = {name for name, _ in inspect.getmembers(ActivityLog, callable) if not name.startswith("_")}
    assert public == {"close", "entries", "everyone", "failure_words", "people", "record"}
    assert "no retention of the log" in activity.__doc__


def test_the_call_counter_counts_from_many_threads_and_hands_each_call_on():
    counter, seen = CallCounter(), []
    observe = counter.observing(seen.append)
    threads = [threading.Thread(target=lambda: [observe(n) for n in range(100)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.take() == 400 and len(seen) == 400 and counter.take() == 0
    counter.observing(None)("exchange")
    assert counter.take() == 1


def test_a_database_that_cannot_be_used_says_so_in_plain_words(tmp_path):
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ActivityUnavailable, match=r"The activity log .* cannot be used") as caught:
        ActivityLog(path.as_posix()).record(who="local", action=ActivityAction.SIGNED_IN)
    assert "Traceback" not in str(caught.value)


def test_a_database_that_does_not_answer_hides_its_password():
    log = ActivityLog("postgresql://studio:s3cret-pw@127.0.0.1:9/db?connect_timeout=1")
    with pytest.raises(ActivityUnavailable) as caught:
        log.entries()
    assert "s3cret-pw" not in str(caught.value) and "127.0.0.1" in str(caught.value)
