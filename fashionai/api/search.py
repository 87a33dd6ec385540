"""The site search and the detailed search (for WhatsApp), typed: what they take in, their URLs, their answers.

    client.search("s1", "vestido azul", page=2)     # a SearchAnswer: .items (ids), .total_items, .total_pages
    client.detailed_search("s1", "tênis", size="42") # a DetailedAnswer: .products (DetailedProduct, at most 5)
    parse_search(body, limit=20)                     # (items, total items, total pages, current page), or ShapeError
    parse_detailed(body)                             # the detailed products, or ShapeError

The facts of the two calls said here once:
- the query (and the size) travel URL-encoded in the query string (`quote`: a space is %20, "tênis"
  t%C3%AAnis, "&" %26, "#" %23); a query is at most `MAX_QUERY_CHARS` characters and not blank; `page`
  starts at 1; `limit` is 1 to `MAX_SEARCH_LIMIT` (our cap: a page of cards, not a download);
- the detailed search's path is below the host's ``/v1``, not the base's ``/api/v1``, as the vendor's docs write
  it three times (`detailed_search_url`);
- a detailed answer holds at most `MAX_DETAILED_PRODUCTS`; its prices are JSON numbers read as exact decimals.
  A price written as text (``"$159.90"``, even ``"159.90"``) is refused in words: the currency and the decimal
  mark of a text cannot be known, and a guessed price is worse than none. The docs' example writes
  ``"price": $159.90``, which is not JSON at all: such an answer is refused saying so (`dollar_price_problem`);
- on an error the detailed search answers ``{"products": []}``, so an empty answer means "no product, or an
  error" (`DetailedAnswer.empty_may_be_error`).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from fashionai.api._shape import ShapeError, id_text, json_type
from fashionai.api.endpoints import ENDPOINTS
from fashionai.api.models import RequestRecord

__all__ = ["DEFAULT_SEARCH_LIMIT", "DETAILED_SEARCH_PATH", "MAX_DETAILED_PRODUCTS", "MAX_QUERY_CHARS",
           "MAX_SEARCH_LIMIT", "MAX_SIZE_CHARS", "SEARCH_PATH", "DetailedAnswer", "DetailedProduct", "SearchAnswer",
           "check_page", "check_query", "check_search_limit", "check_size", "detailed_search_url", "dollar_price_problem",
           "parse_detailed", "parse_search", "search_body", "search_path"]

SEARCH_PATH = ENDPOINTS["search"].path
DETAILED_SEARCH_PATH = ENDPOINTS["detailed-search"].path
DEFAULT_SEARCH_LIMIT = 20
"""Results a page of search asks for unless told otherwise."""
MAX_SEARCH_LIMIT = 100
"""The most results one page of search may ask for (our cap; the vendor documents none)."""
MAX_QUERY_CHARS = 500
"""The longest query sent: far beyond what a shopper types, short enough for any server's URL."""
MAX_SIZE_CHARS = 40
"""The longest size sent to the detailed search ("42", "M", "GG", "38/40")."""
MAX_DETAILED_PRODUCTS = 5
"""The most products a detailed search answers (the vendor's limit)."""


# --------------------------------------------------------------------------- what the calls take in


def check_query(query: object) -> str:
    """The query as sent (spaces at its ends dropped), or a ValueError saying in plain words what is wrong."""
    if not isinstance(query, str):
        raise TypeError(f"the search must be a text, not {type(query).__name__}")
    text = query.strip()
    if not text:
        raise ValueError("the search is blank: type what a shopper would type, such as “vestido azul”")
    if len(text) > MAX_QUERY_CHARS:
        raise ValueError(f"the search is {len(text):,} characters long; at most {MAX_QUERY_CHARS} are sent")
    if "\x00" in text:
        raise ValueError("the search holds a NUL character, which no shopper can type: remove it")
    return text


def _whole(value: object, what: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    number = int(value)
    if number < low:
        raise ValueError(f"{what} must be at least {low}, not {number}")
    if high is not None and number > high:
        raise ValueError(f"{what} must be at most {high}, not {number}")
    return number


def check_page(page: object) -> int:
    """The page of results asked for: a whole number of at least 1 (the first page is 1)."""
    return _whole(page, "the page of results", 1)


def check_search_limit(limit: object) -> int:
    """Results a page: a whole number from 1 to `MAX_SEARCH_LIMIT`."""
    return _whole(limit, "the number of results a page", 1, MAX_SEARCH_LIMIT)


def check_size(size: object) -> str | None:
    """The size the detailed search filters by, as sent: None (any size) for None or blank; a text or a whole
    number ("42", "M", "GG") otherwise, at most `MAX_SIZE_CHARS` characters."""
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, (str, numbers.Integral)):
        raise TypeError(f"the size must be a text or a whole number, not {type(size).__name__}")
    text = str(int(size)) if isinstance(size, numbers.Integral) else size.strip()
    if not text:
        return None
    if len(text) > MAX_SIZE_CHARS or "\x00" in text:
        raise ValueError(f"the size must be at most {MAX_SIZE_CHARS} characters, like 42, M or GG")
    return text


def search_body(session_id: str, user_id: str | None) -> dict[str, Any]:
    """The body of both searches: ``{"userId": string or null, "sessionId": string}``, as the docs write it."""
    return {"userId": user_id, "sessionId": session_id}


def _encoded(value: str) -> str:
    return quote(value, safe="")


def search_path(query: str, page: int, limit: int) -> str:
    """The site search's path below the base URL, its query string percent-encoded (space as %20)."""
    return f"{SEARCH_PATH}?page={page}&limit={limit}&query={_encoded(query)}"


_API_VERSION = re.compile(r"/api(/v[0-9]+)$")


def detailed_search_url(base_url: str, query: str, size: str | None) -> str:
    """The detailed search's whole address: below the host's ``/v1`` (a base ending in ``/api/v1`` loses its
    ``/api``: ``https://catalog.api.fashionai.dev/v1/products/protected/search/detailed``); a base whose path
    ends otherwise (a proxy of one's own) keeps its path. The query and the size percent-encoded."""
    parts = urlsplit(base_url)
    path = _API_VERSION.sub(r"\1", parts.path.rstrip("/"))
    url = urlunsplit((parts.scheme, parts.netloc, path + DETAILED_SEARCH_PATH, "", ""))
    url += f"?query={_encoded(query)}"
    if size is not None:
        url += f"&size={_encoded(size)}"
    return url


# --------------------------------------------------------------------------- their answers


@dataclass(frozen=True, kw_only=True)
class _Received:
    """How a search's answer was obtained: `request` is what was sent (no headers, so no token); `elapsed` the
    seconds for the whole call, retries included; `attempts` the requests sent; `exchange_id` the `Exchange` the
    client's observer was given; `response_body` the parsed JSON, every form of a secret blanked."""

    request: RequestRecord
    status_code: int
    elapsed: float
    attempts: int
    exchange_id: str | None = field(default=None, compare=False)
    response_body: Any = field(default=None, repr=False)  # Any: the parsed JSON, as received


@dataclass(frozen=True)
class SearchAnswer(_Received):
    """What `FashionAIClient.search` got: one page of ids, best first, with the totals (and how: `_Received`).

    `query`, `page` and `limit` are as asked; `current_page` as answered.
    """

    items: tuple[str, ...]
    total_items: int
    total_pages: int
    current_page: int
    query: str
    page: int
    limit: int

    @property
    def products(self) -> tuple[str, ...]:
        """The page's ids (`items`), as the other calls' answers name them."""
        return self.items

    @property
    def totals(self) -> tuple[int, int]:
        """(total items, total pages): what the history keeps of the answer beside the page's ids."""
        return self.total_items, self.total_pages

    @property
    def empty(self) -> bool:
        """Nothing on this page (no match at all when `total_items` is 0, else a page past the last)."""
        return not self.items


@dataclass(frozen=True)
class DetailedProduct:
    """One product of a detailed search, with the details Fashion.AI answered (they may disagree with the
    catalog). Money as exact decimals; None where the answer gave none."""

    product_id: str
    sku: str
    name: str
    images: tuple[str, ...]
    price: Decimal | None
    sale_price: Decimal | None
    size: str | None
    link: str | None


@dataclass(frozen=True)
class DetailedAnswer(_Received):
    """What `FashionAIClient.detailed_search` got: at most `MAX_DETAILED_PRODUCTS` products, best first (and how:
    `_Received`); `query` and `size` as asked."""

    products: tuple[DetailedProduct, ...]
    query: str
    size: str | None

    @property
    def product_ids(self) -> tuple[str, ...]:
        return tuple(product.product_id for product in self.products)

    @property
    def empty_may_be_error(self) -> bool:
        """An empty list: no product matched, or Fashion.AI met an error (it answers both the same way)."""
        return not self.products


def _listed(body: object, key: str, noun: str) -> list[Any]:
    """The list under `key` of an answer's body, or a ShapeError saying how the body is not that."""
    if not isinstance(body, dict):
        raise ShapeError(f'the body is a JSON {json_type(body)}, not an object with "{key}"')
    if key not in body:
        raise ShapeError(f'the body has no "{key}" list')
    if not isinstance(body[key], list):
        raise ShapeError(f'"{key}" is a JSON {json_type(body[key])}, not a list of {noun}')
    return body[key]


def _count(body: Mapping[str, object], key: str, low: int) -> int:
    if key not in body or body[key] is None:
        raise ShapeError(f'the body has no "{key}"')
    value = body[key]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        shown = repr(value) if json_type(value) == "number" else f"a JSON {json_type(value)}"
        raise ShapeError(f'"{key}" is {shown}, not a whole number')
    if value < low:
        raise ShapeError(f'"{key}" is {value}, less than {low}')
    return value


def parse_search(body: object, *, limit: int) -> tuple[tuple[str, ...], int, int, int]:
    """(items, totalItems, totalPages, currentPage) of a search answer, or a ShapeError in plain words.

    Ids as strings (whole numbers written out); at most `limit` of them (the page asked for); the totals
    whole numbers, none negative, holding at least this page's items; a page at least 1."""
    raw = _listed(body, "items", "ids")
    if len(raw) > limit:
        raise ShapeError(f"the page holds {len(raw):,} products, more than the {limit} asked for")
    items = tuple(id_text(item, f"product #{number}") for number, item in enumerate(raw, start=1))
    assert isinstance(body, dict)  # _listed refused any other body
    total_items = _count(body, "totalItems", 0)
    total_pages = _count(body, "totalPages", 0)
    current_page = _count(body, "currentPage", 1)
    if total_items < len(items):
        raise ShapeError(f'"totalItems" is {total_items}, fewer than the {len(items)} products on this page')
    if total_items and not total_pages:
        raise ShapeError(f'"totalPages" is 0 while "totalItems" is {total_items}')
    return items, total_items, total_pages, current_page


def _money(item: dict[str, Any], key: str, what: str) -> Decimal | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:19] + "…"
        raise ShapeError(f'the "{key}" of {what} is the text "{shown}", not a number (prices must be plain '
                         "numbers like 159.90)")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ShapeError(f'the "{key}" of {what} is a JSON {json_type(value)}, not a number')
    if isinstance(value, float) and not math.isfinite(value):
        raise ShapeError(f'the "{key}" of {what} is not a finite number')
    money = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if money < 0:
        raise ShapeError(f'the "{key}" of {what} is negative ({money})')
    return money


def _optional_text(item: dict[str, Any], key: str, what: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and key == "size":
        return str(int(value))
    if not isinstance(value, str):
        raise ShapeError(f'the "{key}" of {what} is a JSON {json_type(value)}, not a text')
    return value.strip() or None


def _detailed_product(item: object, number: int) -> DetailedProduct:
    what = f"product #{number}"
    if not isinstance(item, dict):
        raise ShapeError(f'{what} is a JSON {json_type(item)}, not an object with "productId"')
    if item.get("productId") is None:
        raise ShapeError(f'{what} has no "productId"')
    product_id = id_text(item["productId"], f'the "productId" of {what}')
    sku = "" if item.get("sku") is None else id_text(item["sku"], f'the "sku" of {what}')
    images = item.get("images")
    if images is None:
        images = []
    if not isinstance(images, list) or not all(isinstance(image, str) for image in images):
        raise ShapeError(f'the "images" of {what} is not a list of addresses')
    return DetailedProduct(
        product_id=product_id, sku=sku, name=_optional_text(item, "name", what) or "",
        images=tuple(image.strip() for image in images if image.strip()),
        price=_money(item, "price", what), sale_price=_money(item, "salePrice", what),
        size=_optional_text(item, "size", what), link=_optional_text(item, "link", what),
    )


def parse_detailed(body: object) -> tuple[DetailedProduct, ...]:
    """The products of a detailed search answer, or a ShapeError in plain words.

    ``{"products": [...]}`` of at most `MAX_DETAILED_PRODUCTS` objects, each with a productId (a text or a whole
    number); sku, name, images (a list of addresses), price and salePrice (JSON numbers, never texts), size and
    link may be missing or null."""
    raw = _listed(body, "products", "products")
    if len(raw) > MAX_DETAILED_PRODUCTS:
        raise ShapeError(f"it lists {len(raw):,} products, more than the {MAX_DETAILED_PRODUCTS} a detailed search "
                         "answers")
    return tuple(_detailed_product(item, number) for number, item in enumerate(raw, start=1))


_DOLLAR_PRICE = re.compile(rb'"(?:price|salePrice)"\s*:\s*[$R]')


def dollar_price_problem(content: bytes) -> str | None:
    """The problem of a body that is not JSON because a price is written with its currency (``"price": $159.90``,
    as the vendor's example writes it), in plain words; None for any other body."""
    if _DOLLAR_PRICE.search(content[:65536]):
        return ("a price is written with a currency sign (like $159.90), which is not JSON; prices must be plain "
                "numbers like 159.90")
    return None
