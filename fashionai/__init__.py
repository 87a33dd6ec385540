"""Fashion.AI Merchandising Studio: the product's logic (no Streamlit here but fashionai.ui).

The names outside scripts rely on are importable from the package itself::

    from fashionai import FashionAIClient, load_catalog, join_ranking
"""

from fashionai.api.client import FashionAIClient
from fashionai.api.collections import CollectionAnswer, CollectionSlice, SliceProduct
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
from fashionai.api.models import DEFAULT_BASE_URL, Recommendation, RequestRecord
from fashionai.api.profiles import PROFILE_KINDS, ProfileAnswer, ShopperProfile
from fashionai.catalog import Catalog, CatalogError, join_ranking, load_catalog

__all__ = [
    "DEFAULT_BASE_URL",
    "PROFILE_KINDS",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "Catalog",
    "CatalogError",
    "CollectionAnswer",
    "CollectionSlice",
    "FashionAIClient",
    "FashionAIError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProfileAnswer",
    "RateLimitError",
    "Recommendation",
    "RequestRecord",
    "ResponseFormatError",
    "ServerError",
    "ShopperProfile",
    "SliceProduct",
    "join_ranking",
    "load_catalog",
]
