"""A database's error in plain words: its password masked where an address or password= names it, and only
there for a short one (a one-letter password must not blank every such letter of the message)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fashionai.history._failures import database_detail, unavailable
from fashionai.history.model import UNREACHABLE


def operational(message: str) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT 1", {}, Exception(message))


@pytest.mark.parametrize(("password", "message", "expected"), [
    ("a", 'connection to server at "db.internal" failed: password authentication failed for user "anna"',
     'connection to server at "db.internal" failed: password authentication failed for user "anna"'),
    ("a", "could not connect to postgresql://anna:a@db.internal:5432/studio (timeout)",
     "could not connect to postgresql://anna:***@db.internal:5432/studio (timeout)"),
    ("a", "invalid connection option in 'host=db user=anna password=a dbname=studio'",
     "invalid connection option in 'host=db user=anna password=*** dbname=studio'"),
    ("x", "bad dsn: password = 'x' sslmode=require", "bad dsn: password = *** sslmode=require"),
    ("s3cr3t-pw", "server closed the connection; the client had sent s3cr3t-pw",
     "server closed the connection; the client had sent ***"),
    ("s3cr3t-pw", "could not connect to postgresql+psycopg://studio:s3cr3t-pw@127.0.0.1:1/db",
     "could not connect to postgresql+psycopg://studio:***@127.0.0.1:1/db"),
    (None, "a database without a password: nothing to mask", "a database without a password: nothing to mask"),
    ("", "user=anna password=hunter2", "user=anna password=***"),
], ids=["one letter, elsewhere", "one letter, in an address", "one letter, password=", "quoted password =",
        "long, anywhere", "long, in an address", "no password", "an unknown password= still masked"])
def test_the_password_is_masked_only_where_it_is_named(password, message, expected):
    assert database_detail(operational(message), password) == expected


def test_a_one_letter_password_leaves_the_history_s_message_readable():
    err = operational("could not connect to server: Connection refused. Is the server running on host "
                      '"127.0.0.1" and accepting TCP/IP connections on port 1?')
    failure = unavailable(err, dialect="postgresql", path=None, display_url="postgresql://studio:***@127.0.0.1:1/h",
                          password="e", read_only_asked=False)
    assert failure.cause == UNREACHABLE
    assert "Is the server running on host" in str(failure) and "accepting" in str(failure)
