"""The audit's measures, each registered once: its key, words, unit, direction, whether it is a
headline, what it needs to be measured, and the function that computes it (RecBole's metric registry).

    for spec in MEASURES:                      # the scorecard's order
        value = spec.compute(inputs)           # inputs: MeasureInputs of a slot (LIST) or a row (RATE)

Every reader takes its keys, labels and lists from here: scoring (`audit.scoring`), the scorecard
(`audit.scorecard`: MEASURES, MEASURE_INFO, MEASURE_KEYS), the page's view and widgets, the decks, two
runs' comparison and `audit check`. Adding a measure is one `MeasureSpec` here and its function in
`audit.measures`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


from fashionai.audit.beyond_overlap import (
    CALIBRATION_ALPHA,
    attribute_ild,
    calibration,
    exposure_parity,
    novelty,
    popularity_bias,
    shelf_entropy,
)
from fashionai.audit.measures import (
    bias_distance,
    filter_share,
    coverage_at_k,
    empty_rate,
    error_rate,
    exposure_share,
    gini_exposure,
    latency_percentiles,
    long_tail_share,
    mean_intra_list_diversity,
    stability,
)
from fashionai.audit.model import MeasureInfo
from fashionai.audit.shoppers import TASTE_ATTRIBUTES
from fashionai.domain import DEFAULT_P
from fashionai.measures.ranked_ids import personalization_at_k
from fashionai.relevance.judgments import Judgments
from fashionai.relevance.scores import Search, judged_scores, mean_results, personalization_by_query

__all__ = ["ATTRIBUTE_WORDS", "HANDOVER_MEASURES", "HEADLINE_MEASURES", "LIST", "LIST_KEYS", "MEASURES",
           "MEASURE_INFO", "MEASURE_KEYS", "NEEDS_ATTRIBUTE", "NEEDS_JUDGMENTS", "NEEDS_RANKING", "NEEDS_SEARCH",
           "NEEDS_FILTERS", "NEEDS_STOCK", "NEEDS_TASTES", "NEEDS_TWINS", "RATE", "RATE_KEYS", "SEARCH_KEYS",
           "STABILITY_P", "MeasureInputs", "MeasureSpec"]

LIST = "list"
"""A measure of a slot's lists: a row's value is its slot's (product pages: the mean of the category's slots)."""
RATE = "rate"
"""A measure pooled over a row's calls."""
NEEDS_STOCK = "stock"
"""Not measured when the catalog has no stock figures."""
NEEDS_ATTRIBUTE = "attribute"
"""Not measured when the catalog has no value of the spec's taste attribute."""
NEEDS_TWINS = "twins"
"""Not measured when no persona ran twice."""
NEEDS_SEARCH = "search"
"""Not measured when the run sent no search (a plan of a query set)."""
NEEDS_JUDGMENTS = "judgments"
"""Not measured when the run sent no search whose query is judged (a plan with judgments)."""
NEEDS_RANKING = "ranking"
"""Not measured when the run has no sales ranking (its reference calls): the catalog has no sales figures."""
NEEDS_TASTES = "tastes"
"""Not measured when the catalog has no value of any taste attribute (style, colour, brand, price band)."""
NEEDS_FILTERS = "filters"
"""Not measured when no dashboard filter is recorded for a type the run asked, or the catalog cannot support any."""
STABILITY_P = DEFAULT_P
ATTRIBUTE_WORDS = {"style": "style", "color": "colour", "brand": "brand", "price_band": "price band"}


@dataclass(frozen=True)
class MeasureInputs:
    """What a measure reads: a slot's (LIST measures) or a row's (RATE measures)."""

    k: int
    lists: Sequence[Sequence[str]] = ()  # the shoppers' top K (answers with products)
    products: frozenset[str] | set[str] = frozenset()  # the category's products
    head: frozenset[str] | set[str] = frozenset()  # the category's best-selling head
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]] = ()  # (twin's list, original's list)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # attribute -> id -> value
    out_of_stock: frozenset[str] | set[str] = frozenset()
    unknown: frozenset[str] | set[str] = frozenset()
    counts: Sequence[int] = ()  # products per call
    ok: Sequence[bool] = ()  # per call
    elapsed: Sequence[float] = ()  # seconds, calls that succeeded
    searches: Sequence[Search] = ()  # (query, ranked ids) per search that answered, twins left out
    totals: Sequence[int] = ()  # the results each search that answered says it has (total_items)
    judgments: Judgments | None = None  # the plan's judgments, if any
    popularity: Mapping[str, float] = field(default_factory=dict)  # id -> `sales_popularity` (1 = best seller)
    events: Sequence[Sequence[str]] = ()  # per list of `lists`: the products its shopper viewed before
    groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # group column -> id -> group
    filter_places: tuple[int, int] | None = None  # (places held by products breaking a dashboard filter, places
    # checked): the row's lists of the types whose filters the catalog supports; None when there are none


@dataclass(frozen=True)
class MeasureSpec(MeasureInfo):
    """One measure, registered once. `kind`: LIST or RATE; `headline`: compared first and in the text
    table's per-row columns; `handover`: drawn in a deck; `needs`: what it cannot be measured without
    ("" for nothing, NEEDS_STOCK, NEEDS_ATTRIBUTE (of `attribute`), NEEDS_TWINS, NEEDS_RANKING, NEEDS_TASTES,
    NEEDS_SEARCH, NEEDS_JUDGMENTS, NEEDS_FILTERS); `compute`: its value."""

    kind: str = field(default=LIST, kw_only=True)
    headline: bool = field(default=False, kw_only=True)
    handover: bool = field(default=False, kw_only=True)
    needs: str = field(default="", kw_only=True)
    attribute: str = field(default="", kw_only=True)
    compute: Callable[[MeasureInputs], float | None] = field(default=lambda _: None, kw_only=True,
                                                             compare=False, repr=False)


def _diversity(attribute: str) -> MeasureSpec:
    word = ATTRIBUTE_WORDS[attribute]
    return MeasureSpec(
        f"diversity_{attribute}", f"Variety of {word}",
        f"How varied each storefront is in {word}: 100% means no two of its top K products share a {word}",
        "higher", "share",
        f"Intra-list diversity: the share of pairs of a list's top K that differ in {attribute} "
        "(products without a value left out), averaged over the shoppers' lists.",
        needs=NEEDS_ATTRIBUTE, attribute=attribute,
        compute=lambda x: mean_intra_list_diversity(x.lists, x.values[attribute], x.k))


def _bias(attribute: str) -> MeasureSpec:
    word = ATTRIBUTE_WORDS[attribute]
    return MeasureSpec(
        f"bias_{attribute}", f"Skew in {word}",
        f"How far the {word}s shown are from the category's own mix: 0% means the same mix",
        "lower", "share",
        f"Total variation distance between the {attribute} values' shares of the top-K places and "
        "their shares of the category's products: ½ Σ |shown − category|.",
        needs=NEEDS_ATTRIBUTE, attribute=attribute,
        compute=lambda x: bias_distance(x.lists, x.values[attribute], x.products, x.k))


def _judged(key: str, label: str, meaning: str, unit: str, formula: str) -> MeasureSpec:
    return MeasureSpec(key, label, meaning, "higher", unit, formula, kind=RATE, needs=NEEDS_JUDGMENTS,
                       compute=lambda x: getattr(judged_scores(x.searches, x.judgments, x.k), key))


SEARCH_MEASURES: tuple[MeasureSpec, ...] = (
    _judged("ndcg", "Search relevance (nDCG)",
            "How close each search's top K is to the best order of the judged products: 1 means the best order",
            "ratio", "Mean over judged searches of nDCG@K = DCG@K / ideal DCG@K, DCG@K = Σ grade(i) / log2(i + 1) "
            "(grades 0-3, not judged = 0; ir-measures, as trec_eval's ndcg_cut)."),
    _judged("precision", "Relevant results shown",
            "The share of each search's top K that the judgments call relevant (grade 1 or more)", "share",
            "Mean over judged searches of P@K = relevant products in the top K / K."),
    _judged("recall", "Relevant products found",
            "The share of the products judged relevant to a query that its search shows in the top K", "share",
            "Mean over judged searches of R@K = relevant products in the top K / relevant products judged."),
    _judged("mrr", "First relevant result",
            "How high the first relevant product comes: 1 means first, 0.5 second, 0 not in the top K", "ratio",
            "Mean reciprocal rank: mean over judged searches of 1 / the place of the first relevant product in "
            "the top K (0 when none)."),
    MeasureSpec("results_per_search", "Results per search",
                "How many products a search finds on average (all its pages, as the search counts them)",
                "", "ratio", "Mean of total_items over the searches that answered.",
                kind=RATE, needs=NEEDS_SEARCH, compute=lambda x: mean_results(x.totals)),
    MeasureSpec("search_personalization", "Personalization of search",
                "How different the shoppers' results are for the same query: 100% means no two share a product",
                "higher", "share",
                "Mean over queries of 1 − the mean overlap@K (|A∩B| / K) of every pair of shoppers' top K for "
                "that query (queries run for one shopper left out).",
                kind=RATE, needs=NEEDS_SEARCH, compute=lambda x: personalization_by_query(x.searches, x.k)),
)
"""The measures of a query set's searches (the zero-result rate is `empty_rate`: a search without a product)."""

MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec("personalization", "Personalization",
                "How different the shoppers' storefronts are: 100% means no two share a product in their top K",
                "higher", "share",
                "1 − the mean overlap@K (|A∩B| / K) of the top K of every pair of shoppers.",
                headline=True, handover=True, compute=lambda x: personalization_at_k(x.lists, x.k)),
    MeasureSpec("coverage", "Catalog coverage",
                "The share of the category's products that at least one shopper sees in the top K",
                "higher", "share",
                "|∪ top K ∩ category| / |category| over every shopper's list.",
                headline=True, handover=True, compute=lambda x: coverage_at_k(x.lists, x.products, x.k)),
    MeasureSpec("gini", "Concentration (Gini)",
                "Whether a few products take every place: 0 means every product is shown as often, 1 a single one",
                "lower", "ratio",
                "Gini coefficient of the category's products' top-K appearances (never shown = 0).",
                headline=True, compute=lambda x: gini_exposure(x.lists, x.products, x.k)),
    MeasureSpec("long_tail", "Beyond the best sellers",
                "The share of places given to products outside the category's best-selling fifth",
                "higher", "share",
                "Top-K places held by products outside the first fifth of the category's sales "
                "ranking / all top-K places.",
                headline=True, handover=True, compute=lambda x: long_tail_share(x.lists, x.head, x.k)),
    *(_diversity(a) for a in TASTE_ATTRIBUTES),
    *(_bias(a) for a in TASTE_ATTRIBUTES),
    MeasureSpec("novelty", "Novelty (bits)",
                "How far from the best sellers the shown products are: 0 means only each category's best seller",
                "higher", "ratio",
                "Mean self-information of the top-K places, −log2 popularity, in bits; popularity from the "
                "category's sales ranking: rank r of n products has (n − r + 1) / n (Zhou et al. 2010).",
                needs=NEEDS_RANKING, compute=lambda x: novelty(x.lists, x.popularity, x.k)),
    MeasureSpec("popularity_bias", "Lean to best sellers",
                "How much more popular the shown products are than the category's: 1 means as popular, "
                "above 1 the best-seller list again",
                "lower", "ratio",
                "Average recommendation popularity (Abdollahpouri et al. 2019) / the category's products' mean "
                "popularity, popularity from the sales ranking as for novelty.",
                needs=NEEDS_RANKING, compute=lambda x: popularity_bias(x.lists, x.popularity, x.products, x.k)),
    MeasureSpec("entropy", "Spread of places (bits)",
                "How evenly the shelf places are spread over products: log2 of n when n products share them "
                "evenly, 0 when one takes them all",
                "higher", "ratio",
                "Shannon entropy −Σ p_i log2 p_i of the top-K places over products, p_i = product i's places / "
                "all places (distributional coverage, Shani & Gunawardana 2011).",
                compute=lambda x: shelf_entropy(x.lists, x.k)),
    MeasureSpec("intra_list_diversity", "Variety within a storefront",
                "How unlike each other a storefront's products are in style, colour, brand and price band: "
                "100% means no two share any of them",
                "higher", "share",
                "1 − the mean similarity of a list's top-K pairs, sim = share of the attributes both have a value "
                "of on which they agree; averaged over the lists (Ziegler et al. 2005).",
                needs=NEEDS_TASTES, compute=lambda x: attribute_ild(x.lists, x.values, x.k)),
    MeasureSpec("calibration", "Off the shopper's mix (bits)",
                "How far each storefront's mix of styles, colours, brands and price bands is from the mix of "
                "what its shopper viewed: 0 means the same mix",
                "lower", "ratio",
                f"Steck (2018): Σ_g p(g) log2(p(g) / q̃(g)), p = the viewed products' mix, q = the top K's, "
                f"q̃ = (1 − α) q + α p with α = {CALIBRATION_ALPHA:g}; the mean over attributes and shoppers.",
                needs=NEEDS_TASTES, compute=lambda x: calibration(x.lists, x.events, x.values, x.k)),
    MeasureSpec("exposure_parity", "Fair exposure across groups",
                "Whether every brand, price band, style, colour and gender gets its share of prominent places: 1 means "
                "equal exposure per product, 0 that some group is never shown",
                "higher", "ratio",
                "Per group (value of a taste attribute or gender, among the category's products): "
                "Σ 1/log2(1 + rank) over its top-K places / (lists × its products); least / most exposed group, "
                "the lowest over the attributes (Singh & Joachims 2018).",
                needs=NEEDS_TASTES,
                compute=lambda x: exposure_parity(x.lists, x.groups, x.products, x.k)),
    MeasureSpec("out_of_stock", "Out of stock shown",
                "The share of places given to products the catalog has out of stock",
                "lower", "share", "Top-K places held by products with stock ≤ 0 in the catalog / all top-K places.",
                kind=RATE, headline=True, handover=True, needs=NEEDS_STOCK,
                compute=lambda x: exposure_share(x.lists, x.out_of_stock, x.k)),
    MeasureSpec("unknown", "Unknown products shown",
                "The share of places given to products the catalog does not have",
                "lower", "share", "Top-K places held by ids missing from the catalog / all top-K places.",
                kind=RATE, compute=lambda x: exposure_share(x.lists, x.unknown, x.k)),
    MeasureSpec("filter_breaches", "Dashboard filters broken",
                "The share of places given to products that break a dashboard filter set for that recommendation "
                "type (price range, discount, low stock, full size run)",
                "lower", "share",
                "Top-K places held by products breaking a filter recorded for the list's type / the top-K places of "
                "the types with a filter the catalog supports (products the catalog lacks left out).",
                kind=RATE, needs=NEEDS_FILTERS, compute=lambda x: filter_share(x.filter_places)),
    MeasureSpec("empty_rate", "Empty answers",
                "The share of calls that came back without any product", "lower", "share",
                "Successful calls with no product / all measured calls.",
                kind=RATE, compute=lambda x: empty_rate(x.counts, x.ok)),
    MeasureSpec("error_rate", "Failed calls",
                "The share of calls that failed (an error, a timeout, an unreadable answer)", "lower", "share",
                "Failed calls / all measured calls.",
                kind=RATE, headline=True, compute=lambda x: error_rate(x.ok)),
    MeasureSpec("latency_p50", "Typical answer time",
                "How long half of the answers took at most", "lower", "ms",
                "Median (p50) duration of the successful measured calls, in milliseconds.",
                kind=RATE, compute=lambda x: latency_percentiles(x.elapsed)[0]),
    MeasureSpec("latency_p95", "Slow answer time",
                "How long 95 answers in 100 took at most", "lower", "ms",
                "95th percentile (p95) duration of the successful measured calls, in milliseconds.",
                kind=RATE, compute=lambda x: latency_percentiles(x.elapsed)[1]),
    MeasureSpec("stability", "Stability",
                "How alike the same shopper's storefronts are on two fresh visits: 100% means the same list",
                "higher", "share",
                f"Mean rank-biased overlap (p = {DEFAULT_P:g}) of a twin persona's list and its original's, "
                "same slot.",
                handover=True, needs=NEEDS_TWINS,
                compute=lambda x: stability(x.pairs, STABILITY_P)),
    *SEARCH_MEASURES,
)
"""Every measure, in the scorecard's order."""
MEASURE_KEYS = tuple(m.key for m in MEASURES)
MEASURE_INFO = {m.key: m for m in MEASURES}
SEARCH_KEYS = tuple(m.key for m in SEARCH_MEASURES)
LIST_KEYS = tuple(m.key for m in MEASURES if m.kind == LIST)
"""Measures of a slot's lists: a row's value is its slot's (product pages: the mean of the category's slots)."""
RATE_KEYS = tuple(m.key for m in MEASURES if m.kind == RATE)
"""Measures pooled over a row's calls."""
HEADLINE_MEASURES = tuple(m.key for m in MEASURES if m.headline)
"""The measures two runs are compared on first (the others one choice away), and the text table's columns."""
HANDOVER_MEASURES = tuple(m.key for m in MEASURES if m.handover)
"""The measures a deck draws across categories and names in its summary."""
