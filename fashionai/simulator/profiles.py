"""The simulator's written shopper profiles: a shopper's recorded events summarised and written up.

Pure and deterministic, no HTTP: the simulator's profile route answers with these, in the
vendor's structure (Portuguese field names and texts).

    summary = summarise(events, seen)             # counts of what the events showed
    profile_for("u-90", summary)                  # a profile answer
    new_shopper(personal_profile_id("email", v))  # a looked-up stranger: never the value itself

A summary counts, per kind of attribute (SUMMARY_KEYS), how often each value was seen,
weighted by event type (SUMMARY_WEIGHTS): a categoryView counts its category once; a
productView the product's category, style, colour and brand once; a shopTheLook those
twice (asking for the look is the stronger interest); a customShelf nothing. "recent" is
the same over the last RECENT_EVENTS events only.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fashionai.catalog.sample import CATEGORIES as SAMPLE_CATEGORIES
from fashionai.domain import EventType
from fashionai.simulator.affinity import Event

__all__ = ["RECENT_EVENTS", "SUMMARY_KEYS", "SUMMARY_WEIGHTS", "new_shopper", "personal_profile_id", "profile_for",
           "summarise"]

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


def new_shopper(user_profile_id: str) -> dict[str, Any]:
    """The profile of a shopper the simulator knows nothing about (no navigation yet)."""
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
        return new_shopper(profile_id)

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


SUMMARY_WEIGHTS = {EventType.CATEGORY_VIEW: 1, EventType.PRODUCT_VIEW: 1, EventType.SHOP_THE_LOOK: 2,
                   EventType.SEARCH: 1, EventType.DETAILED_SEARCH: 1}
"""How much one event of each type counts in a summary; other types count nothing."""
RECENT_EVENTS = 5
"""The latest events a summary's "recent" counts (new behaviour is judged on them)."""


def _count(events: Sequence[Event], seen: Callable[[str, int], Mapping[str, str]]) -> dict:
    counts: dict[str, dict[str, float]] = defaultdict(dict)
    for _, event_type, target in events:
        weight = SUMMARY_WEIGHTS.get(event_type, 0)
        if not weight or target < 0:
            continue
        for key, value in seen(event_type, target).items():
            if key in SUMMARY_KEYS:
                counts[key][value] = counts[key].get(value, 0) + weight
    return dict(counts)


def summarise(
    events: Sequence[Event], seen: Callable[[str, int], Mapping[str, str]]
) -> dict[str, Any]:
    """A history summary for `profile_for` from recorded events, oldest first.

    `events`: (sequence number, event type, target) as the simulator records them (target -1:
    nothing known); `seen(event_type, target)`: the attributes the event showed, e.g.
    {"category": "Jackets", "style": "office", ...} (`AffinityRanker.seen`). No events: {}.
    """
    summary = _count(events, seen)
    if summary:
        summary["recent"] = _count(events[-RECENT_EVENTS:], seen)
    return summary


_PROFILE_KEY = b"fashionai-simulated-profiles"


def personal_profile_id(kind: str, value: str) -> str:
    """A stable profile id for a shopper looked up by e-mail, phone or document, that does not
    reveal the value: a keyed hash of it ("shopper-" and 16 hex digits). The same shopper
    written differently gets the same id: an e-mail in any case, a phone or document with any
    punctuation (only its digits count, when it has any)."""
    text = value.strip().casefold()
    if kind != "email":
        text = "".join(c for c in text if c.isdigit()) or text
    digest = hashlib.blake2b(f"{kind}:{text}".encode(), key=_PROFILE_KEY, digest_size=8).hexdigest()
    return f"shopper-{digest}"
