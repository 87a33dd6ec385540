"""The answers of Fashion.AI's merchandising calls, typed: no HTTP here, only shapes and checks.

    slice_ = parse_collection(body)     # GET .../merchandising-collections/protected/{id}
    profile = parse_profile(body)       # GET .../crm/protected/profile/{kind}/{value}
    limit = check_limit(limit)          # POST .../products/protected/similar?limit=N

A body that breaks the documented shape raises `ShapeError` (a ValueError) whose
`problem` completes the client's sentence "Fashion.AI answered HTTP 200, but ...", so
the client can wrap it into a `ResponseFormatError`. Ids arrive as strings or numbers
and leave as strings; texts are kept as sent.

The facts of a collection said here once: a slice holds at most `MAX_SLICE_PRODUCTS`
products and is active from its start to its end, both included (`slice_status`).
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal, NamedTuple
from urllib.parse import quote

__all__ = [
    "MAX_SLICE_PRODUCTS",
    "PERSONAL_KINDS",
    "PROFILE_KINDS",
    "PROFILE_VALUE_MAX_CHARS",
    "BuyingMoment",
    "CollectionSlice",
    "CustomerProfile",
    "MarketingBriefing",
    "Occasion",
    "ShapeError",
    "ShopperProfile",
    "SliceProduct",
    "SliceWindow",
    "check_limit",
    "mask_personal",
    "parse_collection",
    "parse_instant",
    "parse_profile",
    "profile_path",
    "slice_status",
    "slice_window",
]

MAX_SLICE_PRODUCTS = 500
"""The most products a collection slice holds (the vendor's limit)."""

COLLECTION_PATH = "/merchandising-collections/protected/{collection_id}"
PROFILE_PATH = "/crm/protected/profile/{kind}/{value}"
SIMILAR_PATH = "/products/protected/similar"

PROFILE_KINDS = ("user-profile-id", "email", "phone", "document")
"""How a shopper profile can be looked up, as the URL spells it."""
PERSONAL_KINDS = ("email", "phone", "document")
"""The kinds whose value is personal data: never in a URL the app shows, a link, the history,
an export or a log line; shown only through `mask_personal`."""
PROFILE_VALUE_MAX_CHARS = 320
"""The longest value a profile is looked up by (an e-mail address is at most 254 characters)."""

SliceStatus = Literal["active", "scheduled", "expired"]


class ShapeError(ValueError):
    """An answer that breaks the documented shape; `problem` says how, in plain words."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


# -- small readers shared by both answers ------------------------------------------------------


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _id(value: object, what: str) -> str:
    """An id as text: strings as sent, whole numbers written out; anything else is a ShapeError."""
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        raise ShapeError(f"{what} is a JSON {_json_type(value)}, not an id")
    text = str(int(value)) if isinstance(value, numbers.Integral) else value
    if not text.strip():
        raise ShapeError(f"{what} is an empty id")
    return text


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(f"{what} is a JSON {_json_type(value)}, not an object")
    return value


def parse_instant(value: object, what: str = "the date") -> datetime:
    """An ISO 8601 instant with its zone ("2025-09-23T00:00:00.000Z", with or without the
    milliseconds, or an offset like +00:00) as an aware datetime in UTC; else a ShapeError.
    A date without a zone is refused: it would be read in the wrong time zone."""
    if not isinstance(value, str):
        raise ShapeError(f"{what} is a JSON {_json_type(value)}, not a date")
    shown = value if len(value) <= 40 else value[:39] + "…"
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise ShapeError(f"{what} ({shown!r}) is not an ISO 8601 date and time") from err
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ShapeError(f"{what} ({shown!r}) has no time zone (like a final Z)")
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError as err:  # "0001-01-01T00:00:00+01:00" is before year 1 in UTC
        raise ShapeError(f"{what} ({shown!r}) is out of the range of dates") from err


# -- collections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SliceProduct:
    """One product of a slice: its id, its hand-set position (1 first), and whether it passes
    the slice's filters (`active`)."""

    product_id: str
    position: int
    active: bool


@dataclass(frozen=True)
class CollectionSlice:
    """The active slice of a collection, as Fashion.AI answers it.

    `starts_at`/`ends_at` are aware datetimes in UTC. `products` are in position order
    (ties keep the answer's order); a product listed twice is kept twice (see `repeated_ids`).
    """

    collection_id: str
    collection_name: str
    description: str
    slice_id: str
    slice_name: str
    starts_at: datetime
    ends_at: datetime
    products: tuple[SliceProduct, ...]

    @property
    def product_ids(self) -> tuple[str, ...]:
        """The product ids in position order, repeats included."""
        return tuple(product.product_id for product in self.products)

    @property
    def repeated_ids(self) -> frozenset[str]:
        """The product ids listed more than once."""
        return frozenset(pid for pid, count in Counter(self.product_ids).items() if count > 1)


def _text(body: Mapping[str, Any], key: str, *, required: bool) -> str:
    if key not in body or body[key] is None:
        if required:
            raise ShapeError(f'the body has no "{key}"')
        return ""
    value = body[key]
    if not isinstance(value, str):
        raise ShapeError(f'"{key}" is a JSON {_json_type(value)}, not a text')
    return value


def _slice_product(item: object, number: int) -> SliceProduct:
    what = f"product #{number}"
    if not isinstance(item, dict):
        raise ShapeError(f'{what} is a JSON {_json_type(item)}, not an object with "productId"')
    for key in ("productId", "position", "active"):
        if key not in item:
            raise ShapeError(f'{what} has no "{key}"')
    product_id = _id(item["productId"], f'the "productId" of {what}')
    position = item["position"]
    if isinstance(position, bool) or not isinstance(position, numbers.Integral) or position < 1:
        shown = repr(position) if _json_type(position) == "number" else f"a JSON {_json_type(position)}"
        raise ShapeError(f"{what} has position {shown}, not a whole number of at least 1")
    active = item["active"]
    if not isinstance(active, bool):
        raise ShapeError(f'"active" of {what} is a JSON {_json_type(active)}, not true or false')
    return SliceProduct(product_id, int(position), active)


def parse_collection(body: object) -> CollectionSlice:
    """The slice in a collection answer, or a ShapeError saying what breaks the documented shape.

    Required: collectionId, sliceId (strings or whole numbers), collectionName, sliceName
    (texts), startsAt, endsAt (ISO 8601 with a zone; the end not before the start) and
    products (a list of at most MAX_SLICE_PRODUCTS objects with productId, position and
    active). collectionDescription may be missing or null (then "").
    """
    if not isinstance(body, dict):
        raise ShapeError(f"the body is a JSON {_json_type(body)}, not an object with a collection slice")
    for key in ("collectionId", "sliceId"):
        if key not in body or body[key] is None:
            raise ShapeError(f'the body has no "{key}"')
    collection_id = _id(body["collectionId"], '"collectionId"')
    slice_id = _id(body["sliceId"], '"sliceId"')
    collection_name = _text(body, "collectionName", required=True)
    slice_name = _text(body, "sliceName", required=True)
    description = _text(body, "collectionDescription", required=False)
    for key in ("startsAt", "endsAt"):
        if key not in body or body[key] is None:
            raise ShapeError(f'the body has no "{key}"')
    starts_at = parse_instant(body["startsAt"], '"startsAt"')
    ends_at = parse_instant(body["endsAt"], '"endsAt"')
    if ends_at < starts_at:
        raise ShapeError('the slice ends ("endsAt") before it starts ("startsAt")')
    if "products" not in body:
        raise ShapeError('the body has no "products" list')
    items = body["products"]
    if not isinstance(items, list):
        raise ShapeError(f'"products" is a JSON {_json_type(items)}, not a list')
    if len(items) > MAX_SLICE_PRODUCTS:
        raise ShapeError(
            f"the slice lists {len(items):,} products, more than the {MAX_SLICE_PRODUCTS} a slice may hold"
        )
    products = [_slice_product(item, number) for number, item in enumerate(items, start=1)]
    products.sort(key=lambda product: product.position)  # stable: equal positions keep their order
    return CollectionSlice(
        collection_id=collection_id,
        collection_name=collection_name,
        description=description,
        slice_id=slice_id,
        slice_name=slice_name,
        starts_at=starts_at,
        ends_at=ends_at,
        products=tuple(products),
    )


def slice_status(starts_at: datetime, ends_at: datetime, now: datetime) -> SliceStatus:
    """Scheduled before its start, active from its start to its end (both included), expired after."""
    _require_aware(now)
    if now < starts_at:
        return "scheduled"
    if now > ends_at:
        return "expired"
    return "active"


class SliceWindow(NamedTuple):
    """Where `now` falls in a slice's window.

    `days_left`: whole days until the slice ends, a started day counting as one (ends in
    5 hours: 1); 0 once it has ended. For a scheduled slice it counts to the end too;
    the page shows when it starts from `starts_at`.
    """

    status: SliceStatus
    days_left: int


def slice_window(slice_: CollectionSlice, now: datetime) -> SliceWindow:
    """The slice's status at `now` (an aware datetime) and the days left until it ends.

    Fashion.AI returns only an active slice: if this says "scheduled" or "expired" for an
    answer just received, this machine's clock and Fashion.AI's disagree.
    """
    status = slice_status(slice_.starts_at, slice_.ends_at, now)
    left = slice_.ends_at - now
    days = 0 if left <= timedelta(0) else math.ceil(left / timedelta(days=1))
    return SliceWindow(status, days)


def _require_aware(now: datetime) -> None:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a datetime with a time zone (e.g. datetime.now(timezone.utc))")


def collection_path(collection_id: object) -> str:
    """The URL path of a collection's active slice, the id percent-encoded."""
    text = _lookup_value(collection_id, "the collection id")
    return COLLECTION_PATH.format(collection_id=quote(text, safe=""))


# -- similar -------------------------------------------------------------------------------------


def check_limit(limit: object) -> int | None:
    """`limit` for similar products as sent: None (the API's default) or a whole number of at
    least 1; anything else is a ValueError saying so in plain words."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral):
        raise ValueError(f"the number of similar products must be a whole number of at least 1, not {limit!r}")
    if limit < 1:
        raise ValueError(f"the number of similar products must be at least 1, not {int(limit)}")
    return int(limit)


# -- shopper profiles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerProfile:
    """perfil_cliente: `description` = descricao_geral, `style` = estilo_geral."""

    description: str = ""
    style: str = ""


@dataclass(frozen=True)
class Occasion:
    """One of ocasioes_relevantes: `name` = ocasião, `persona` = persona_na_ocasião,
    `look` = sugestao_look (the items of the suggested look, as written)."""

    name: str = ""
    persona: str = ""
    look: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarketingBriefing:
    """briefing_marketing: `tone_of_voice` = tom_de_voz, `visual_direction` = direcao_visual,
    `campaign_guidance` = orientacao_campanhas."""

    tone_of_voice: tuple[str, ...] = ()
    visual_direction: tuple[str, ...] = ()
    campaign_guidance: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuyingMoment:
    """momento_compra_atual: `browsing` = navegacoes, `summary` = resumo_momento,
    `relation_to_history` = relacao_com_historico, `new_behaviour` = novo_comportamento
    (None when not said), `opportunities` = oportunidades."""

    browsing: tuple[str, ...] = ()
    summary: str = ""
    relation_to_history: str = ""
    new_behaviour: bool | None = None
    opportunities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShopperProfile:
    """A written shopper profile, in the vendor's sections (texts in Portuguese, as sent).

        user_profile_id  userProfileId
        customer         profile.perfil_cliente        (CustomerProfile)
        occasions        profile.ocasioes_relevantes   (tuple of Occasion)
        briefing         profile.briefing_marketing    (MarketingBriefing)
        content_hooks    profile.ganchos_conteudo      (tuple of texts)
        buying_moment    profile.momento_compra_atual  (BuyingMoment)

    A section the answer leaves out (or sends as null) is empty.
    """

    user_profile_id: str
    customer: CustomerProfile = CustomerProfile()
    occasions: tuple[Occasion, ...] = ()
    briefing: MarketingBriefing = MarketingBriefing()
    content_hooks: tuple[str, ...] = ()
    buying_moment: BuyingMoment = BuyingMoment()


def _fold(key: str) -> str:
    """A key without accents, so "ocasião" and "ocasiao" (in any Unicode form) read alike."""
    return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))


def _field(section: Mapping[str, Any], key: str) -> Any:
    """The value under `key` (written without accents) in any accented spelling; when an answer
    sends two spellings, the unaccented one is read. None when absent."""
    if key in section:
        return section[key]
    for name, value in section.items():
        if isinstance(name, str) and _fold(name) == key:
            return value
    return None


def _section(profile: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = _field(profile, key)
    return {} if value is None else _object(value, f'"{key}"')


def _ptext(section: Mapping[str, Any], key: str, where: str) -> str:
    value = _field(section, key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ShapeError(f'"{key}" in {where} is a JSON {_json_type(value)}, not a text')
    return value


def _texts(section: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = _field(section, key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ShapeError(f'"{key}" in {where} is a JSON {_json_type(value)}, not a list of texts')
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise ShapeError(f'item #{number} of "{key}" in {where} is a JSON {_json_type(item)}, not a text')
    return tuple(value)


def _occasion(item: object, number: int) -> Occasion:
    where = f"occasion #{number}"
    section = _object(item, where)
    return Occasion(
        name=_ptext(section, "ocasiao", where),
        persona=_ptext(section, "persona_na_ocasiao", where),
        look=_texts(section, "sugestao_look", where),
    )


def parse_profile(body: object) -> ShopperProfile:
    """The profile in a profile answer, or a ShapeError saying what breaks the documented shape.

    Required: userProfileId and a "profile" object. Every section of it is optional (missing
    or null: empty); a section or field of the wrong JSON type is a ShapeError. Keys are
    read with or without their accents ("ocasião" or "ocasiao"); unknown keys are ignored.
    """
    if not isinstance(body, dict):
        raise ShapeError(f'the body is a JSON {_json_type(body)}, not an object with a "profile"')
    if body.get("userProfileId") is None:
        raise ShapeError('the body has no "userProfileId"')
    user_profile_id = _id(body["userProfileId"], '"userProfileId"')
    if body.get("profile") is None:
        raise ShapeError('the body has no "profile" object')
    profile = _object(body["profile"], '"profile"')

    customer = _section(profile, "perfil_cliente")
    occasions = _field(profile, "ocasioes_relevantes")
    if occasions is not None and not isinstance(occasions, list):
        raise ShapeError(f'"ocasioes_relevantes" is a JSON {_json_type(occasions)}, not a list')
    briefing = _section(profile, "briefing_marketing")
    moment = _section(profile, "momento_compra_atual")
    new_behaviour = _field(moment, "novo_comportamento")
    if new_behaviour is not None and not isinstance(new_behaviour, bool):
        raise ShapeError(
            f'"novo_comportamento" in momento_compra_atual is a JSON {_json_type(new_behaviour)}, not true or false'
        )

    return ShopperProfile(
        user_profile_id=user_profile_id,
        customer=CustomerProfile(
            description=_ptext(customer, "descricao_geral", "perfil_cliente"),
            style=_ptext(customer, "estilo_geral", "perfil_cliente"),
        ),
        occasions=tuple(_occasion(item, number) for number, item in enumerate(occasions or (), start=1)),
        briefing=MarketingBriefing(
            tone_of_voice=_texts(briefing, "tom_de_voz", "briefing_marketing"),
            visual_direction=_texts(briefing, "direcao_visual", "briefing_marketing"),
            campaign_guidance=_texts(briefing, "orientacao_campanhas", "briefing_marketing"),
        ),
        content_hooks=_texts(profile, "ganchos_conteudo", "profile"),
        buying_moment=BuyingMoment(
            browsing=_texts(moment, "navegacoes", "momento_compra_atual"),
            summary=_ptext(moment, "resumo_momento", "momento_compra_atual"),
            relation_to_history=_ptext(moment, "relacao_com_historico", "momento_compra_atual"),
            new_behaviour=new_behaviour,
            opportunities=_texts(moment, "oportunidades", "momento_compra_atual"),
        ),
    )


def _lookup_value(value: object, what: str) -> str:
    """A value that goes into a URL path segment: text or a whole number, stripped, not blank,
    not too long, not "." or ".." (which a URL reads as a step up the path)."""
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        raise ValueError(f"{what} must be a text or a whole number, not {type(value).__name__}")
    text = str(int(value)) if isinstance(value, numbers.Integral) else value.strip()
    if not text:
        raise ValueError(f"{what} is blank: type one")
    if len(text) > PROFILE_VALUE_MAX_CHARS:
        raise ValueError(f"{what} is {len(text):,} characters long; at most {PROFILE_VALUE_MAX_CHARS} are accepted")
    if set(text) == {"."}:
        raise ValueError(f"{what} cannot be only dots")
    return text


def profile_path(kind: str, value: object) -> str:
    """The URL path of a profile looked up by `kind` (one of PROFILE_KINDS), the value
    percent-encoded (every "/", "?", "#", "@", "+" and space included); a ValueError in
    plain words for an unknown kind or an unusable value.

    The path of a personal kind holds personal data: the client must keep it (and the
    full URL) out of every record, error message and log line."""
    if kind not in PROFILE_KINDS:
        raise ValueError(f"a profile is looked up by {', '.join(PROFILE_KINDS)}; not by {kind!r}")
    what = "the user profile id" if kind == "user-profile-id" else f"the {kind}"
    text = _lookup_value(value, what)
    return PROFILE_PATH.format(kind=kind, value=quote(text, safe=""))


_DIGITS = re.compile("[0-9]")
MASK = "***"


def mask_personal(value: object) -> str:
    """A looked-up e-mail, phone or document shown without revealing it.

    E-mail: the first character of the name and of the domain, and the domain's last part
    ("ana.souza@example.com.br" -> "a***@e***.br"). Anything else: its last four digits
    when it has at least eight ("+55 11 98765-1234" -> "***-1234"), else only "***".
    Blank: "". Never raises for a str or an int.
    """
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    if not text:
        return ""
    if "@" in text:
        name, _, domain = text.rpartition("@")
        head, dot, tld = domain.rpartition(".")
        shown_name = name[:1] + MASK if name else MASK
        if head and tld:
            return f"{shown_name}@{head[:1]}{MASK}{dot}{tld}"
        return f"{shown_name}@{domain[:1]}{MASK}" if domain else f"{shown_name}@{MASK}"
    digits = _DIGITS.findall(text)
    if len(digits) >= 8:
        return f"{MASK}-{''.join(digits[-4:])}"
    return MASK
