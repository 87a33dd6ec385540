"""The simulator's sample collections and written profiles: deterministic, in the vendor's shapes."""

import copy
import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from fashionai.api.collections import MAX_SLICE_PRODUCTS, parse_collection, slice_window
from fashionai.api.profiles import ShopperProfile, parse_profile
from fashionai.catalog.sample import generate_catalog, load_sample_frame
from fashionai.simulator.collections import COLLECTION_IDS, RETIRED_ID, active_slice, sample_collections
from fashionai.simulator.profiles import profile_for

UTC = timezone.utc
NOW = datetime(2026, 4, 17, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample():
    """The bundled sample, indexed by product id (str), as the app holds a catalog."""
    return load_sample_frame().set_index("product_id")


@pytest.fixture(scope="module")
def collections(sample):
    return sample_collections(sample, NOW)


def statuses(slices, now=NOW):
    return [slice_window(parse_collection(body), now).status for body in slices]


def test_four_collections_with_ids_1_to_4(collections):
    assert list(collections) == list(COLLECTION_IDS) == ["1", "2", "3", "4"]


def test_every_slice_parses_as_the_vendor_documents_it(collections):
    for collection_id, slices in collections.items():
        assert slices
        for body in slices:
            json.dumps(body)  # plain JSON
            parsed = parse_collection(body)
            assert parsed.collection_id == collection_id
            assert isinstance(body["collectionId"], int) and isinstance(body["sliceId"], int)  # as the vendor
            assert body["startsAt"].endswith(".000Z") and body["endsAt"].endswith("T23:59:59.000Z")
            assert 0 < len(parsed.products) <= MAX_SLICE_PRODUCTS
            assert [p.position for p in parsed.products] == list(range(1, len(parsed.products) + 1))
            assert all(isinstance(item["productId"], str) for item in body["products"])


def test_the_same_catalog_and_day_give_the_same_collections(sample, collections):
    assert sample_collections(sample, NOW) == collections
    assert sample_collections(sample.copy(), NOW.replace(hour=0, minute=0)) == collections  # same day
    assert sample_collections(sample, NOW + timedelta(days=1)) != collections


def test_a_product_id_column_works_like_the_index(sample, collections):
    assert sample_collections(sample.reset_index(), NOW) == collections


def test_winter_has_an_expired_an_active_and_a_scheduled_slice(collections):
    assert statuses(collections["1"]) == ["expired", "active", "scheduled"]


def test_winter_draws_on_jackets_and_knitwear(sample, collections):
    winter = active_slice(collections, "1", NOW)
    categories = set(sample.loc[[p["productId"] for p in winter["products"]], "category"])
    assert categories <= {"Jackets", "Knitwear"} and categories


def test_with_two_active_slices_the_one_that_started_last_is_answered(collections):
    assert statuses(collections["2"]) == ["active", "active"]
    answered = active_slice(collections, "2", NOW)
    assert answered["sliceName"] == "Tailoring Week"
    starts = {body["sliceName"]: body["startsAt"] for body in collections["2"]}
    assert starts["Tailoring Week"] > starts["Workwear Essentials"]


def test_a_collection_with_no_active_slice_answers_none(collections):
    assert statuses(collections["3"]) == ["expired", "scheduled"]
    assert active_slice(collections, "3", NOW) is None


@pytest.mark.parametrize("collection_id", ["5", "0", "", "../1", "1 "])
def test_an_unknown_collection_answers_none(collections, collection_id):
    assert active_slice(collections, collection_id, NOW) is None


def test_a_numeric_collection_id_is_read_as_text(collections):
    assert active_slice(collections, 1, NOW) == active_slice(collections, "1", NOW)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-11, "Autumn Layers"),  # that day still in the autumn slice
        (-10, "Wool Coats & Knits"),
        (20, "Wool Coats & Knits"),
        (21, "Holiday Knits"),
        (60, "Holiday Knits"),
        (61, None),
    ],
)
def test_as_days_pass_the_answered_slice_moves_on(collections, days, expected):
    day = datetime(2026, 4, 17, tzinfo=UTC) + timedelta(days=days)
    for moment in (day, day + timedelta(hours=23, minutes=59, seconds=59)):
        answered = active_slice(collections, "1", moment)
        assert (answered and answered["sliceName"]) == expected


def test_boundaries_are_included(collections):
    body = collections["1"][1]
    starts, ends = (datetime.fromisoformat(body[key]) for key in ("startsAt", "endsAt"))
    assert active_slice(collections, "1", starts)["sliceId"] == body["sliceId"]
    assert active_slice(collections, "1", ends)["sliceId"] == body["sliceId"]
    # Like the vendor's own example (…T23:59:59.000Z), a day ends a second early: no slice in that second.
    assert active_slice(collections, "1", ends + timedelta(microseconds=1)) is None
    assert active_slice(collections, "1", ends + timedelta(seconds=1))["sliceName"] == "Holiday Knits"


def test_the_answer_is_a_copy(collections):
    before = copy.deepcopy(collections)
    answered = active_slice(collections, "1", NOW)
    answered["products"].clear()
    assert collections == before


def test_out_of_stock_products_are_inactive_and_some_products_are_inactive(sample, collections):
    seen_inactive = 0
    for slices in collections.values():
        for body in slices:
            for item in body["products"]:
                if item["productId"] not in sample.index:
                    continue
                stock = sample.at[item["productId"], "stock"]
                if stock == 0:
                    assert item["active"] is False
                seen_inactive += not item["active"]
    assert seen_inactive > 0


def test_the_price_filter_makes_pricier_pieces_inactive(sample, collections):
    workwear = collections["2"][0]
    pricey = [item for item in workwear["products"] if sample.at[item["productId"], "price"] > 400]
    assert pricey and all(item["active"] is False for item in pricey)
    cheap_in_stock = [item for item in workwear["products"]
                      if sample.at[item["productId"], "price"] <= 400 and sample.at[item["productId"], "stock"] > 0]
    assert cheap_in_stock and all(item["active"] for item in cheap_in_stock)


def test_street_and_sport_lists_a_repeat_and_a_retired_product(sample, collections):
    parsed = parse_collection(active_slice(collections, "4", NOW))
    assert len(parsed.repeated_ids) == 1
    unknown = [pid for pid in parsed.product_ids if pid not in sample.index]
    assert unknown == [RETIRED_ID]
    assert set(sample.loc[[pid for pid in parsed.product_ids if pid in sample.index], "style"]) == {
        "sporty", "streetwear"}


def test_a_large_catalog_fills_a_slice_to_exactly_the_vendors_limit():
    big = generate_catalog(6000, images="none").set_index("product_id")
    collections = sample_collections(big, NOW)
    assert max(len(body["products"]) for slices in collections.values() for body in slices) == MAX_SLICE_PRODUCTS
    assert len(parse_collection(active_slice(collections, "4", NOW)).products) == MAX_SLICE_PRODUCTS


def test_a_retired_id_that_the_catalog_has_is_not_reused():
    frame = pd.DataFrame({"category": ["Activewear"] * 3, "style": ["sporty"] * 3, "stock": [1, 2, 3]},
                         index=pd.Index(["retired-1", "a", "b"], dtype="str"))
    items = active_slice(sample_collections(frame, NOW), "4", NOW)["products"]
    assert items[-1] == {"productId": "retired-2", "position": len(items), "active": False}


def test_a_catalog_with_other_words_still_fills_every_slice():
    frame = pd.DataFrame(
        {"category": ["Acessórios", "Perfumes", None], "style": [None, "festa", "x"], "price": ["abc", 10, None]},
        index=pd.Index(["1", "2", "3"], dtype="str"),
    )
    collections = sample_collections(frame, NOW)
    for slices in collections.values():
        for body in slices:
            assert {item["productId"] for item in body["products"]} >= {"1", "2", "3"}


def test_a_bare_catalog_with_ids_only_works():
    frame = pd.DataFrame(index=pd.Index(["x", "y", "x", np.nan], dtype="object"))
    collections = sample_collections(frame, NOW)
    slice_ = active_slice(collections, "1", NOW)
    assert sorted(item["productId"] for item in slice_["products"]) == ["x", "y"]
    assert all(item["active"] for item in slice_["products"])  # unknown stock passes


def test_unknown_stock_passes_and_none_in_stock_does_not():
    frame = pd.DataFrame(
        {"category": ["Jackets"] * 3, "stock": pd.array([0, None, 5], dtype="Int64"), "price": [1.0, None, 2.0]},
        index=pd.Index(["none", "unknown", "five"], dtype="str"),
    )
    items = active_slice(sample_collections(frame, NOW), "1", NOW)["products"]
    assert {item["productId"]: item["active"] for item in items} == {"none": False, "unknown": True, "five": True}


def test_numeric_ids_are_written_as_text():
    frame = pd.DataFrame({"product_id": [101, 102], "category": ["Jackets", "Knitwear"]})
    items = active_slice(sample_collections(frame, NOW), "1", NOW)["products"]
    assert sorted(item["productId"] for item in items) == ["101", "102"]


def test_an_empty_catalog_gives_empty_slices():
    collections = sample_collections(pd.DataFrame({"category": []}, index=pd.Index([], dtype="str")), NOW)
    assert all(body["products"] == [] for slices in collections.values() for body in slices)


def test_dates_follow_now_in_any_time_zone(sample):
    late_in_sao_paulo = datetime(2026, 4, 17, 23, 0, tzinfo=timezone(timedelta(hours=-3)))  # 02:00 UTC next day
    collections = sample_collections(sample, late_in_sao_paulo)
    assert collections["1"][1]["startsAt"] == "2026-04-08T00:00:00.000Z"  # the 18th UTC, minus 10 days
    assert active_slice(collections, "1", late_in_sao_paulo)["sliceId"] == 11


@pytest.mark.parametrize("now", [datetime(2026, 4, 17), None, "2026-04-17"])  # noqa: DTZ001 - naive on purpose
def test_now_must_be_aware(sample, now):
    with pytest.raises(ValueError, match="time zone"):
        sample_collections(sample, now)
    with pytest.raises(ValueError, match="time zone"):
        active_slice({}, "1", now)


# -- profiles ------------------------------------------------------------------------------------

OFFICE = {
    "category": {"Jackets": 4, "Trousers": 3, "Bags": 1},
    "style": {"office": 5, "minimal": 2},
    "color": {"Navy": 3, "Black": 2},
    "brand": {"Linha Norte": 2},
}


def test_a_profile_parses_with_every_section():
    body = profile_for("u-90", OFFICE)
    parsed = parse_profile(body)
    assert parsed.user_profile_id == "u-90"
    assert "Jackets" in parsed.customer.description and "trabalho" in parsed.customer.description
    assert parsed.customer.style == "Trabalho com toques de minimalista"
    assert [occasion.name for occasion in parsed.occasions] == ["Trabalho", "Dia a dia"]
    assert parsed.occasions[0].look[0] == "Blazer"  # the sample's most office-like piece
    assert all(len(occasion.look) == 4 for occasion in parsed.occasions)
    assert parsed.briefing.tone_of_voice and parsed.briefing.visual_direction and parsed.briefing.campaign_guidance
    assert "paleta em Navy e Black" in parsed.briefing.visual_direction
    assert len(parsed.content_hooks) == 2
    assert parsed.buying_moment.browsing == (
        "Jackets (4 visualizações)", "Trousers (3 visualizações)", "Bags (1 visualização)")
    assert parsed.buying_moment.new_behaviour is False
    assert parsed.buying_moment.opportunities[0] == "Sugerir Blazer em Navy"


def test_the_profile_uses_the_vendors_portuguese_and_accented_field_names():
    profile = profile_for("u-90", OFFICE)["profile"]
    assert set(profile) == {"perfil_cliente", "ocasioes_relevantes", "briefing_marketing", "ganchos_conteudo",
                            "momento_compra_atual"}
    assert set(profile["ocasioes_relevantes"][0]) == {"ocasião", "persona_na_ocasião", "sugestao_look"}
    assert set(profile["momento_compra_atual"]) == {
        "navegacoes", "resumo_momento", "relacao_com_historico", "novo_comportamento", "oportunidades"}
    json.dumps(profile, ensure_ascii=False)


def test_the_same_summary_gives_the_same_profile():
    assert profile_for("u-90", OFFICE) == profile_for("u-90", copy.deepcopy(OFFICE))
    reordered = {key: dict(reversed(list(values.items()))) for key, values in reversed(list(OFFICE.items()))}
    assert profile_for("u-90", reordered) == profile_for("u-90", OFFICE)


def test_a_different_history_gives_a_different_profile():
    sporty = {"category": {"Activewear": 6, "Sneakers": 2}, "style": {"sporty": 7}}
    parsed = parse_profile(profile_for("u-90", sporty))
    assert parsed.occasions[0].name == "Treino e bem-estar"
    assert parsed != parse_profile(profile_for("u-90", OFFICE))


def test_a_shopper_with_no_history_gets_a_valid_empty_profile():
    for summary in ({}, {"category": {}, "style": {"office": 0}}):
        parsed = parse_profile(profile_for(90, summary))
        assert parsed.user_profile_id == "90"
        assert parsed.occasions == () and parsed.buying_moment.browsing == ()
        assert parsed.buying_moment.new_behaviour is False
        assert parsed.customer.description.startswith("Ainda não há navegação")


def test_a_recent_turn_is_new_behaviour():
    summary = {**OFFICE, "recent": {"style": {"evening": 3}, "category": {"Dresses": 2}}}
    moment = parse_profile(profile_for("u", summary)).buying_moment
    assert moment.new_behaviour is True
    assert moment.relation_to_history == (
        "Diferente do histórico: estilo noite em vez de trabalho; categoria Dresses em vez de Jackets.")
    assert moment.summary == "Neste momento, o interesse está em Dresses, no estilo noite."


def test_a_recent_interest_like_the_history_is_not_new():
    summary = {**OFFICE, "recent": {"style": {"office": 1}, "category": {"Jackets": 1}}}
    assert parse_profile(profile_for("u", summary)).buying_moment.new_behaviour is False


def test_an_unknown_style_falls_back_to_the_viewed_categories():
    parsed = parse_profile(profile_for("u", {"category": {"Casacos": 2}, "style": {"Punk": 2}}))
    assert parsed.occasions[0].look == ("Casacos",)
    assert parsed.customer.style == "Punk"


def test_categories_alone_make_a_profile():
    parsed = parse_profile(profile_for("u", {"category": {"Bags": 1}}))
    assert parsed.occasions == () and parsed.buying_moment.browsing == ("Bags (1 visualização)",)
    assert isinstance(parsed, ShopperProfile)


@pytest.mark.parametrize(
    ("user_profile_id", "summary", "message"),
    [
        ("", {}, "blank"),
        ("  ", {}, "blank"),
        (None, {}, "text or a whole number"),
        (True, {}, "text or a whole number"),
        ("u", [], "must be a mapping"),
        ("u", {"style": ["office"]}, "must map values to counts"),
        ("u", {"style": {"office": "many"}}, "must be a number"),
        ("u", {"style": {"office": float("nan")}}, "must be a number"),
        ("u", {"style": {"office": True}}, "must be a number"),
        ("u", {"style": {"office": 1}, "recent": "today"}, "'recent' must be a mapping"),
    ],
)
def test_a_broken_summary_is_refused_in_plain_words(user_profile_id, summary, message):
    with pytest.raises(ValueError, match=message):
        profile_for(user_profile_id, summary)
