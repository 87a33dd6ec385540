"""The error tree: its shape, its attributes, and that its docstring draws it."""

import re

import pytest

from fashionai.api import errors
from fashionai.api.client import RequestRecord
from fashionai.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    FashionAIError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
)

TREE = [
    (FashionAIError, Exception),
    (APIConnectionError, FashionAIError),
    (APITimeoutError, APIConnectionError),
    (APIStatusError, FashionAIError),
    (BadRequestError, APIStatusError),
    (AuthenticationError, APIStatusError),
    (PermissionDeniedError, APIStatusError),
    (NotFoundError, APIStatusError),
    (RateLimitError, APIStatusError),
    (ServerError, APIStatusError),
    (ResponseFormatError, FashionAIError),
]


@pytest.mark.parametrize(("cls", "parent"), TREE, ids=lambda c: c.__name__)
def test_each_error_sits_under_its_parent(cls, parent):
    assert cls.__bases__ == (parent,)


def test_the_docstring_draws_the_tree_as_an_indented_list():
    drawn = {}  # class name -> indentation of its list item
    for line in errors.__doc__.splitlines():
        match = re.match(r"^( *)[*+-] (\w+)", line)
        if match:
            drawn[match.group(2)] = len(match.group(1))
    assert set(drawn) == {cls.__name__ for cls, _ in TREE}
    for cls, parent in TREE[1:]:
        assert drawn[cls.__name__] > drawn[parent.__name__], cls.__name__


def test_all_exports_every_error():
    assert sorted(errors.__all__) == sorted(cls.__name__ for cls, _ in TREE)


def test_status_error_keeps_status_body_excerpt_retry_after_and_request():
    record = RequestRecord("GET", "https://h/api/v1/products/protected/sales-ranking")
    err = RateLimitError(
        "slow down (HTTP 429)", status_code=429, body_excerpt="{}", retry_after=2.5, request=record
    )
    assert (err.status_code, err.body_excerpt, err.retry_after, err.request) == (
        429,
        "{}",
        2.5,
        record,
    )
    assert str(err) == err.message == "slow down (HTTP 429)"


def test_defaults_when_there_was_no_request_or_hint():
    assert FashionAIError("boom").request is None
    status_error = APIStatusError("teapot (HTTP 418)", status_code=418)
    assert (status_error.retry_after, status_error.body_excerpt) == (None, "")
    assert ResponseFormatError("bad body").status_code is None


def test_catching_the_base_class_catches_every_error():
    for cls, _ in TREE[1:]:
        kwargs = {"status_code": 500} if issubclass(cls, APIStatusError) else {}
        with pytest.raises(FashionAIError):
            raise cls("boom", **kwargs)


def test_the_status_table_raises_what_the_tree_says():
    """Each status subclass drawn as "- NotFoundError - 404" (or "5xx") is what `_status` raises for it."""
    from fashionai.api._status import STATUS_ERRORS, UNEXPECTED_STATUS

    def raised_for(status):
        return next((row.error for row in STATUS_ERRORS if status in row.statuses), UNEXPECTED_STATUS.error)

    drawn = dict(re.findall(r"- (\w+Error) - (\d(?:\d\d|xx))\b", errors.__doc__))  # "404", "5xx"
    assert set(drawn) == {cls.__name__ for cls, parent in TREE if parent is APIStatusError}
    for name, status in drawn.items():
        hundreds = int(status[0]) * 100
        statuses = range(hundreds, hundreds + 100) if status.endswith("xx") else [int(status)]
        assert {raised_for(s).__name__ for s in statuses} == {name}, name
    every = [s for row in STATUS_ERRORS for s in row.statuses]
    assert len(every) == len(set(every))  # no status in two rows
    assert raised_for(418) is raised_for(302) is APIStatusError  # the rest, redirects included
