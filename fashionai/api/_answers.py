"""What a finished call returns, read from its last answer: a ranking, a collection's slice, a profile.

    read_recommendation(answer, record, redactor, done)               # -> (Recommendation, its ids)
    read_collection(answer, record, redactor, done, collection_id)    # -> (CollectionAnswer, its ids)
    read_profile(answer, record, redactor, done, kind, shown)         # -> (ProfileAnswer, ())
    read_search(answer, record, redactor, done, query, page, limit)   # -> (SearchAnswer, its ids)
    read_detailed(answer, record, redactor, done, query, size)        # -> (DetailedAnswer, its ids)

Each returns what the call returns and the product ids its `Exchange` carries; an answer
that breaks the documented shape is a `ResponseFormatError` ("Fashion.AI answered HTTP 200,
but ..."), no secret in it. What the client kept of the call (its id, the attempts, the
time) arrives as `Done`.
"""

from __future__ import annotations

from typing import NamedTuple

from fashionai.api._body import Answer, check_ids_hold_no_secret, format_error, parse_json, parse_products
from fashionai.api._shape import ShapeError
from fashionai.api.collections import NO_ACTIVE_SLICE, CollectionAnswer, parse_collection
from fashionai.api.errors import ResponseFormatError
from fashionai.api.models import Recommendation, RequestRecord
from fashionai.api.profiles import ProfileAnswer, parse_profile
from fashionai.api.redaction import Redactor
from fashionai.api.search import DetailedAnswer, SearchAnswer, dollar_price_problem, parse_detailed, parse_search

__all__ = ["Done", "read_collection", "read_detailed", "read_profile", "read_recommendation", "read_search"]


class Done(NamedTuple):
    """What the client kept of a finished call."""

    exchange_id: str
    attempts: int
    elapsed: float  # seconds for the whole call, retries and waits included


def read_recommendation(
    answer: Answer, record: RequestRecord, redactor: Redactor, done: Done
) -> tuple[Recommendation, tuple[str, ...]]:
    body, products = parse_products(answer, record, redactor)
    recommendation = Recommendation(
        products=products, request=record, status_code=answer.status_code, response_body=body,
        elapsed=done.elapsed, attempts=done.attempts, exchange_id=done.exchange_id,
    )
    return recommendation, products


def read_collection(
    answer: Answer, record: RequestRecord, redactor: Redactor, done: Done, collection_id: str
) -> tuple[CollectionAnswer, tuple[str, ...]]:
    """The active slice, or none for `NO_ACTIVE_SLICE`. Its texts hold no form of a secret; an id
    that is (or holds) one refuses the whole answer, as for a ranking."""
    slice_, body = None, None
    if answer.status_code != NO_ACTIVE_SLICE:
        raw = parse_json(answer, record, redactor)
        try:
            slice_ = parse_collection(raw)
            check_ids_hold_no_secret(slice_.product_ids, answer, record, redactor)
            body = redactor.redact_json(raw)
            if body is not raw:
                slice_ = parse_collection(body)
        except ShapeError as err:
            raise format_error(answer, record, redactor, err.problem) from err
    result = CollectionAnswer(
        collection_id=collection_id, slice=slice_, request=record, status_code=answer.status_code,
        elapsed=done.elapsed, attempts=done.attempts, exchange_id=done.exchange_id, response_body=body,
    )
    return result, result.product_ids


def read_profile(
    answer: Answer, record: RequestRecord, redactor: Redactor, done: Done, kind: str, shown: str
) -> tuple[ProfileAnswer, tuple[str, ...]]:
    """The profile, read from the body with every secret (the token, a looked-up value) blanked first."""
    body = redactor.redact_json(parse_json(answer, record, redactor))
    try:
        profile = parse_profile(body)
    except ShapeError as err:
        raise format_error(answer, record, redactor, err.problem) from err
    result = ProfileAnswer(
        profile=profile, kind=kind, shown=shown, request=record, status_code=answer.status_code,
        elapsed=done.elapsed, attempts=done.attempts, response_body=body,
    )
    return result, ()


def read_search(
    answer: Answer, record: RequestRecord, redactor: Redactor, done: Done, query: str, page: int, limit: int
) -> tuple[SearchAnswer, tuple[str, ...]]:
    """A page of search results; an id that is (or holds) a secret refuses the whole answer, as for a ranking."""
    raw = parse_json(answer, record, redactor)
    try:
        items, total_items, total_pages, current_page = parse_search(raw, limit=limit)
    except ShapeError as err:
        raise format_error(answer, record, redactor, err.problem) from err
    check_ids_hold_no_secret(items, answer, record, redactor)
    body = redactor.redact_json(raw)
    result = SearchAnswer(
        items=items, total_items=total_items, total_pages=total_pages, current_page=current_page, query=query,
        page=page, limit=limit, request=record, status_code=answer.status_code, elapsed=done.elapsed,
        attempts=done.attempts, exchange_id=done.exchange_id, response_body=body,
    )
    return result, items


def read_detailed(
    answer: Answer, record: RequestRecord, redactor: Redactor, done: Done, query: str, size: str | None
) -> tuple[DetailedAnswer, tuple[str, ...]]:
    """A detailed search's products, read from the body with every secret blanked (names, links, pictures);
    a body that is not JSON because a price carries its currency sign says so."""
    try:
        raw = parse_json(answer, record, redactor)
    except ResponseFormatError as err:
        problem = dollar_price_problem(answer.content)
        if problem is None:
            raise
        raise format_error(answer, record, redactor, problem) from err
    try:
        products = parse_detailed(raw)
        check_ids_hold_no_secret([product.product_id for product in products], answer, record, redactor)
        body = redactor.redact_json(raw)
        if body is not raw:
            products = parse_detailed(body)
    except ShapeError as err:
        raise format_error(answer, record, redactor, err.problem) from err
    result = DetailedAnswer(
        products=products, query=query, size=size, request=record, status_code=answer.status_code,
        elapsed=done.elapsed, attempts=done.attempts, exchange_id=done.exchange_id, response_body=body,
    )
    return result, result.product_ids
