"""The simulator's merchandising answers: sample collections and written shopper profiles.

Pure and deterministic, no HTTP: the simulator's routes call these and answer with their
JSON (the vendor's field names and, for profiles, Portuguese texts).

    collections = sample_collections(products, now)     # {"1": [slice, ...], ..., "4": [...]}
    active_slice(collections, "1", now)                  # the slice the API returns, or None (404)
    profile_for("u-90", {"style": {"office": 4}, ...})   # a profile answer

The sample collections (dates relative to `now`'s day, in UTC):

    1 Winter Collection   an expired, an active and a scheduled slice (jackets, knitwear)
    2 Office Edit         two active slices at once: the API returns the one that started last;
                          the longer one filters by price, so pricier pieces are `active: false`
    3 Summer Preview      an expired and a scheduled slice, none active: the API answers 404
    4 Street & Sport      one long active slice (sporty and streetwear, at most 500 products),
                          with a product listed twice and one no longer in the catalog

A product out of stock never passes a slice's filters (`active: false`); unknown stock does.
Slices draw on the catalog's categories and styles; on a catalog whose words match none,
a slice draws on the whole catalog, so every slice has products.
"""

from __future__ import annotations

import copy
import hashlib
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd

from fashionai.api._shape import parse_instant
from fashionai.api.collections import MAX_SLICE_PRODUCTS, slice_status
from fashionai.catalog.sample import CATEGORIES as SAMPLE_CATEGORIES

__all__ = ["COLLECTION_IDS", "active_slice", "profile_for", "sample_collections"]


@dataclass(frozen=True)
class _Slice:
    slice_id: int
    name: str
    first_day: int  # days from now's day (UTC) to the day it starts, at 00:00:00
    last_day: int  # days from now's day to the day it ends, at 23:59:59
    words: tuple[str, ...] = ()  # any of these in the category (case-insensitive); () = any category
    styles: tuple[str, ...] = ()  # () = any style
    size: int = 24  # products it holds, at most
    max_price: float | None = None  # its price filter: pricier products are listed, inactive
    oddities: bool = False  # lists one product twice and one the catalog no longer has


@dataclass(frozen=True)
class _Collection:
    collection_id: int
    name: str
    description: str
    slices: tuple[_Slice, ...]


_WINTER_WORDS = ("jacket", "coat", "blazer", "knit", "sweater", "cardigan", "casaco", "jaqueta", "malha", "tricô")
_HOLIDAY_WORDS = ("knit", "sweater", "cardigan", "malha", "tricô")
_OFFICE_WORDS = ("jacket", "blazer", "trouser", "pant", "skirt", "top", "shirt", "calça", "saia", "camisa")
_SUMMER_WORDS = ("dress", "sandal", "skirt", "top", "vestido", "sandália", "saia")

COLLECTIONS = (
    _Collection(1, "Winter Collection", "Coats, knits and layers for the cold months.", (
        _Slice(10, "Autumn Layers", -60, -11, words=_WINTER_WORDS, size=30),
        _Slice(11, "Wool Coats & Knits", -10, 20, words=_WINTER_WORDS, size=40),
        _Slice(12, "Holiday Knits", 21, 60, words=_HOLIDAY_WORDS, size=24),
    )),
    _Collection(2, "Office Edit", "Tailoring and easy pieces for the working week.", (
        _Slice(20, "Workwear Essentials", -30, 30, styles=("office", "minimal"), size=48, max_price=400.0),
        _Slice(21, "Tailoring Week", -3, 4, words=_OFFICE_WORDS, styles=("office",), size=24),
    )),
    _Collection(3, "Summer Preview", "Light fabrics, sandals and colour for the warm season.", (
        _Slice(30, "Last Summer", -200, -100, words=_SUMMER_WORDS, size=30),
        _Slice(31, "Summer Preview", 30, 90, words=_SUMMER_WORDS, size=30),
    )),
    _Collection(4, "Street & Sport", "Everything sporty and street, in one long edit.", (
        _Slice(40, "Full Range", -5, 25, styles=("sporty", "streetwear"), size=MAX_SLICE_PRODUCTS, oddities=True),
    )),
)
COLLECTION_IDS = tuple(str(collection.collection_id) for collection in COLLECTIONS)
"""The sample collections' ids, as the URL spells them: "1".."4"."""
RETIRED_ID = "retired-1"
"""The id a slice with oddities lists for a product the catalog no longer has (made unique)."""


def _require_aware(now: object) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a datetime with a time zone (e.g. datetime.now(timezone.utc))")
    return now


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _table(products: pd.DataFrame) -> pd.DataFrame:
    """id (str), category, style (lowercased str, "" when missing), price, stock (floats, NaN when
    missing): one row per distinct id, in catalog order. Vectorised: a million rows take a second."""
    ids = products["product_id"] if "product_id" in products.columns else products.index.to_series()
    ids = pd.Series(ids.to_numpy(), dtype=ids.dtype).astype("str")  # missing ids stay missing

    def column(name: str) -> pd.Series:
        if name not in products.columns:
            return pd.Series(np.nan, index=ids.index)
        return pd.Series(products[name].to_numpy(), index=ids.index, dtype=products[name].dtype)

    def words(name: str) -> pd.Series:
        return column(name).astype("str").str.lower().fillna("")

    frame = pd.DataFrame({
        "id": ids,
        "category": words("category"),
        "style": words("style"),
        "price": pd.to_numeric(column("price"), errors="coerce").astype("float64"),
        "stock": pd.to_numeric(column("stock"), errors="coerce").astype("float64"),
    })
    frame = frame[frame["id"].notna() & (frame["id"].str.strip() != "")]
    frame = frame.drop_duplicates("id").reset_index(drop=True)
    frame["hash"] = pd.util.hash_array(frame["id"].to_numpy(dtype=object), hash_key=_HASH_KEY, categorize=False)
    return frame


_HASH_KEY = "fashionai-slices"  # 16 characters, as pandas wants
_ODD = np.uint64(0x9E3779B97F4A7C15)  # multiplying by an odd number shuffles the bits, one to one


def _hash_order(hashed: pd.Series, slice_id: int) -> np.ndarray:
    """A fixed, hand-picked-looking order of a slice's products (the same on every run): their
    id hashes, mixed with the slice's own number, sorted."""
    salt = np.uint64(int(hashlib.blake2b(f"slice-{slice_id}".encode(), digest_size=8).hexdigest(), 16))
    mixed = (hashed.to_numpy(dtype=np.uint64) ^ salt) * _ODD  # wraps around, as meant
    return np.argsort(mixed, kind="stable")  # equal values keep catalog order


def _pick(table: pd.DataFrame, spec: _Slice) -> pd.DataFrame:
    chosen = pd.Series(True, index=table.index)
    if spec.words:
        pattern = re.compile("|".join(re.escape(word) for word in spec.words))
        matching = [category for category in table["category"].unique() if pattern.search(category)]
        chosen &= table["category"].isin(matching)
    if spec.styles:
        chosen &= table["style"].isin(spec.styles)
    picked = table[chosen]
    if picked.empty:  # a catalog with other words: draw on all of it
        picked = table
    order = _hash_order(picked["hash"], spec.slice_id)
    room = spec.size - (2 if spec.oddities else 0)
    return picked.iloc[order[:room]]


def _slice_products(table: pd.DataFrame, spec: _Slice) -> list[dict[str, Any]]:
    picked = _pick(table, spec)
    passes = ~(picked["stock"] <= 0)  # unknown stock passes
    if spec.max_price is not None:
        passes &= ~(picked["price"] > spec.max_price)  # unknown price passes
    items = [
        {"productId": pid, "active": bool(ok)}
        for pid, ok in zip(picked["id"], passes, strict=True)
    ]
    if spec.oddities and items:
        retired, n = RETIRED_ID, 1
        while (table["id"] == retired).any():
            n += 1
            retired = f"retired-{n}"
        middle = len(items) // 2
        items.insert(middle, dict(items[0]))  # listed twice, as a hand-built slice can
        items.append({"productId": retired, "active": False})
    items = items[:MAX_SLICE_PRODUCTS]
    return [{"productId": item["productId"], "position": position, "active": item["active"]}
            for position, item in enumerate(items, start=1)]


def sample_collections(products: pd.DataFrame, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The sample collections over a catalog, each a list of its slices in the vendor's JSON.

    `products`: product ids in a `product_id` column or the index (as str); `category`,
    `style`, `price`, `stock` columns used when present (missing values allowed). Slice
    dates are relative to `now`'s day in UTC (an aware datetime), so the answer is the same
    for the same catalog all day. The work is one pass over the catalog per slice: build it
    once a day and keep it, rather than on every request.
    """
    today = datetime.combine(_require_aware(now).astimezone(timezone.utc).date(), time(), timezone.utc)
    table = _table(products)
    collections: dict[str, list[dict[str, Any]]] = {}
    for collection in COLLECTIONS:
        slices = []
        for spec in collection.slices:
            starts = today + timedelta(days=spec.first_day)
            ends = today + timedelta(days=spec.last_day, hours=23, minutes=59, seconds=59)
            slices.append({
                "collectionId": collection.collection_id,
                "collectionName": collection.name,
                "collectionDescription": collection.description,
                "sliceId": spec.slice_id,
                "sliceName": spec.name,
                "startsAt": _stamp(starts),
                "endsAt": _stamp(ends),
                "products": _slice_products(table, spec),
            })
        collections[str(collection.collection_id)] = slices
    return collections


def active_slice(
    collections: Mapping[str, Sequence[Mapping[str, Any]]], collection_id: object, now: datetime
) -> dict[str, Any] | None:
    """The slice the API answers for a collection at `now`: of the active ones (start and end
    included), the one that started last (on a tie, the later listed); None when the
    collection is unknown or has no active slice (the API's 404). A copy: change it freely."""
    _require_aware(now)
    slices = collections.get(str(collection_id), ())
    best, best_key = None, None
    for index, candidate in enumerate(slices):
        starts = parse_instant(candidate["startsAt"], "startsAt")
        ends = parse_instant(candidate["endsAt"], "endsAt")
        if slice_status(starts, ends, now) != "active":
            continue
        if best_key is None or (starts, index) > best_key:
            best, best_key = candidate, (starts, index)
    return None if best is None else copy.deepcopy(dict(best))


# -- shopper profiles ----------------------------------------------------------------------------

SUMMARY_KEYS = ("category", "style", "color", "brand")
"""What a history summary counts: how often each value was seen in the session's history."""

STYLE_WORDS = {
    "casual": "casual", "office": "trabalho", "sporty": "esportivo", "boho": "boho",
    "evening": "noite", "streetwear": "streetwear", "minimal": "minimalista",
}
"""The sample catalog's styles in Portuguese; other styles are written as they come."""


@dataclass(frozen=True)
class _Occasion:
    name: str
    persona: str
    tone: tuple[str, ...]
    visual: tuple[str, ...]
    hook: str


OCCASIONS = {
    "office": _Occasion("Trabalho", "Profissional segura, que prefere alfaiataria e combinações fáceis",
                        ("profissional", "confiante"), ("cenários urbanos", "luz natural"),
                        "Uma semana de looks de trabalho com poucas peças"),
    "casual": _Occasion("Fim de semana", "Descontraída, busca conforto sem abrir mão do estilo",
                        ("leve", "próximo"), ("momentos do dia a dia", "cores suaves"),
                        "Looks confortáveis para o fim de semana"),
    "sporty": _Occasion("Treino e bem-estar", "Ativa, valoriza desempenho e tecidos tecnológicos",
                        ("energético", "motivador"), ("movimento", "ambientes ao ar livre"),
                        "Do treino ao café: peças esportivas que vão além da academia"),
    "boho": _Occasion("Viagens e passeios ao ar livre", "Livre e criativa, gosta de texturas naturais",
                      ("inspirador", "caloroso"), ("texturas naturais", "paisagens ensolaradas"),
                      "Peças artesanais para levar na mala"),
    "evening": _Occasion("Eventos à noite", "Sofisticada, quer se destacar em ocasiões especiais",
                         ("elegante", "sofisticado"), ("luz baixa e brilho", "fundos escuros"),
                         "Um look de festa, três maneiras de usar"),
    "streetwear": _Occasion("Encontros na cidade", "Urbana e antenada, acompanha as tendências das ruas",
                            ("descolado", "direto"), ("fotografia de rua", "contraste forte"),
                            "Os lançamentos da semana que combinam com o seu tênis"),
    "minimal": _Occasion("Dia a dia", "Prática, prefere peças atemporais e bem cortadas",
                         ("sereno", "objetivo"), ("composições limpas", "paleta neutra"),
                         "Guarda-roupa cápsula: 10 peças, 30 looks"),
}
LOOK_ITEMS = 4
"""Items in a suggested look."""


def _look_for(style: str, categories: Sequence[str]) -> list[str]:
    """A look for a style: the sample catalog's product kind that suits the style best in each
    category, the best suited first (names a shelf's products can be matched by); for a style
    the sample does not know, the categories the shopper viewed."""
    best = []
    for order, nouns in enumerate(spec[4] for spec in SAMPLE_CATEGORIES.values()):
        weight, noun = max(((weights.get(style, 0.0), noun) for noun, weights in nouns.items()),
                           key=lambda pair: pair[0])
        if weight > 0:
            best.append((-weight, order, noun))
    return [noun for _, _, noun in sorted(best)[:LOOK_ITEMS]] or list(categories[:LOOK_ITEMS])


def _counts(summary: Mapping[str, Any], key: str) -> list[tuple[str, float]]:
    """The values of one kind seen, most seen first (ties by name); non-positive counts left out."""
    raw = summary.get(key) or {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"the history summary's {key!r} must map values to counts, not {type(raw).__name__}")
    counts = []
    for value, count in raw.items():
        if isinstance(count, bool) or not isinstance(count, numbers.Real) or not math.isfinite(count):
            raise ValueError(f"the history summary's count for {key} {value!r} must be a number, not {count!r}")
        if count > 0 and str(value).strip():
            counts.append((str(value).strip(), float(count)))
    return sorted(counts, key=lambda pair: (-pair[1], pair[0]))


def _top(counts: list[tuple[str, float]], n: int = 3) -> list[str]:
    return [value for value, _ in counts[:n]]


def _and(values: Sequence[str]) -> str:
    """"a", "a e b", "a, b e c"."""
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " e " + values[-1]


def _style_word(style: str) -> str:
    return STYLE_WORDS.get(style.lower(), style)


def _times(count: float) -> str:
    n = int(count) if float(count).is_integer() else round(count, 1)
    return f"{n} visualização" if n == 1 else f"{n} visualizações"


def _new_shopper(user_profile_id: str) -> dict[str, Any]:
    return {"userProfileId": user_profile_id, "profile": {
        "perfil_cliente": {
            "descricao_geral": "Ainda não há navegação suficiente para descrever este cliente.",
            "estilo_geral": "Ainda indefinido",
        },
        "ocasioes_relevantes": [],
        "briefing_marketing": {
            "tom_de_voz": ["acolhedor"],
            "direcao_visual": ["os produtos mais vendidos da loja"],
            "orientacao_campanhas": ["Apresentar os mais vendidos até conhecer melhor o cliente"],
        },
        "ganchos_conteudo": ["Os favoritos da loja nesta semana"],
        "momento_compra_atual": {
            "navegacoes": [],
            "resumo_momento": "Nenhuma navegação registrada até agora.",
            "relacao_com_historico": "Sem histórico para comparar.",
            "novo_comportamento": False,
            "oportunidades": ["Mostrar os mais vendidos e observar os primeiros cliques"],
        },
    }}


def profile_for(user_profile_id: object, history_summary: Mapping[str, Any]) -> dict[str, Any]:
    """A written profile answer (the vendor's structure, Portuguese names and texts) for a
    shopper whose history is summarised as counts, the same for the same input.

    `history_summary`: {"category": {name: count}, "style": {...}, "color": {...},
    "brand": {...}}, each optional, counting what the session and user viewed; and
    optionally "recent", the same counts over the latest events only, which decides
    "novo_comportamento" (the latest favourite style or category is not the overall one).
    """
    if isinstance(user_profile_id, bool) or not isinstance(user_profile_id, (str, numbers.Integral)):
        raise ValueError(f"the user profile id must be a text or a whole number, not {type(user_profile_id).__name__}")
    profile_id = str(user_profile_id).strip()
    if not profile_id:
        raise ValueError("the user profile id is blank")
    if not isinstance(history_summary, Mapping):
        raise ValueError(f"the history summary must be a mapping, not {type(history_summary).__name__}")

    category_counts = _counts(history_summary, "category")
    categories = _top(category_counts)
    styles = _top(_counts(history_summary, "style"))
    colors = _top(_counts(history_summary, "color"))
    if not categories and not styles:
        return _new_shopper(profile_id)

    recent = history_summary.get("recent") or {}
    if not isinstance(recent, Mapping):
        raise ValueError(f"the history summary's 'recent' must be a mapping, not {type(recent).__name__}")
    recent_styles, recent_categories = _top(_counts(recent, "style"), 1), _top(_counts(recent, "category"), 1)
    changed = [
        (kind, now_[0], before[0])
        for kind, now_, before in (("estilo", recent_styles, styles), ("categoria", recent_categories, categories))
        if now_ and before and now_[0] != before[0]
    ]

    words = [_style_word(style) for style in styles]
    occasions = [OCCASIONS.get(style.lower()) or _Occasion(
        "Dia a dia", f"Interessada no estilo {style}", ("próximo",), ("produtos em destaque",),
        f"Novidades no estilo {style}") for style in styles[:2]]
    looks = [_look_for(style.lower(), categories) for style in styles[:2]]
    where = _and(categories) if categories else "a loja toda"
    description = f"Cliente que navega sobretudo por {where}"
    if words:
        description += f", com preferência pelo estilo {_and(words)}"
    if colors:
        description += f", em tons de {_and(colors)}"
    style_line = (words[0].capitalize() + (f" com toques de {words[1]}" if len(words) > 1 else "")
                  if words else "Ainda indefinido")

    visual = [item for occasion in occasions for item in occasion.visual]
    if colors:
        visual.append(f"paleta em {_and(colors)}")
    campaigns = [f"Destacar {category} nas vitrines personalizadas" for category in categories[:2]]
    if words:
        campaigns.append(f"Priorizar peças de estilo {words[0]} nas comunicações")
    first_look = looks[0] if looks else []
    opportunities = [f"Sugerir {item}" + (f" em {colors[0]}" if colors else "") for item in first_look[:2]]
    if categories:
        opportunities.append(f"Oferecer o look completo a partir de uma peça de {categories[0]}")

    focus_category = (recent_categories or categories or ["a loja"])[0]
    focus_style = (recent_styles or styles or [""])[0]
    summary = f"Neste momento, o interesse está em {focus_category}"
    if focus_style:
        summary += f", no estilo {_style_word(focus_style)}"
    if changed:
        relation = "Diferente do histórico: " + "; ".join(
            f"{kind} {_style_word(now_) if kind == 'estilo' else now_} em vez de "
            f"{_style_word(before) if kind == 'estilo' else before}" for kind, now_, before in changed) + "."
    else:
        relation = "Coerente com o histórico de navegação."

    return {"userProfileId": profile_id, "profile": {
        "perfil_cliente": {"descricao_geral": description + ".", "estilo_geral": style_line},
        "ocasioes_relevantes": [
            {"ocasião": occasion.name, "persona_na_ocasião": occasion.persona, "sugestao_look": look}
            for occasion, look in zip(occasions, looks, strict=True)
        ],
        "briefing_marketing": {
            "tom_de_voz": list(dict.fromkeys(word for occasion in occasions for word in occasion.tone)),
            "direcao_visual": visual,
            "orientacao_campanhas": campaigns,
        },
        "ganchos_conteudo": [occasion.hook for occasion in occasions],
        "momento_compra_atual": {
            "navegacoes": [f"{category} ({_times(count)})" for category, count in category_counts[:5]],
            "resumo_momento": summary + ".",
            "relacao_com_historico": relation,
            "novo_comportamento": bool(changed),
            "oportunidades": opportunities,
        },
    }}
