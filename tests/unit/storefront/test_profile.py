"""A shopper profile in plain language, and the shelves' products named like its looks' items."""

from __future__ import annotations

import pandas as pd

from fashionai.api.profiles import BuyingMoment, CustomerProfile, MarketingBriefing, Occasion, ShopperProfile
from fashionai.storefront.profile import (
    Line,
    item_words,
    look_items,
    look_matches,
    name_words,
    profile_sections,
    shelf_matches,
)

PROFILE = ShopperProfile(
    user_profile_id="90",
    customer=CustomerProfile(description="Cliente que navega sobretudo por blazers", style="Trabalho com toques de noite"),
    occasions=(
        Occasion("Trabalho", "Profissional segura", ("blazer de linho", "calças de alfaiataria", "Camisa branca")),
        Occasion("Eventos à noite", "Sofisticada", ("Slip Dress", "sandália com salto", "blazer de linho")),
    ),
    briefing=MarketingBriefing(tone_of_voice=("profissional", "confiante"), visual_direction=("luz natural",),
                               campaign_guidance=("Mostrar alfaiataria",)),
    content_hooks=("Uma semana de looks de trabalho",),
    buying_moment=BuyingMoment(browsing=("Blazers", "Calças"), summary="Procura peças de trabalho",
                               relation_to_history="Coerente com o histórico", new_behaviour=False,
                               opportunities=("Oferecer blazers de linho", "Sugerir camisas")),
)


def frame(*rows):
    return pd.DataFrame(rows, columns=["product_id", "name"]).astype({"product_id": "str"})


def test_words_ignore_case_accents_plurals_and_stop_words():
    assert item_words("blazer de linho") == {"blazer", "linho"}
    assert name_words("Blazer Linho Off-White") == {"blazer", "linho", "off", "white"}
    assert name_words("CALÇAS com Pregas") == {"calca", "prega"}
    assert name_words("Dresses and the skirts") == {"dress", "skirt"}
    assert name_words("Dress") == {"dress"}  # "ss" is no plural
    assert name_words(None) == frozenset()
    assert item_words("de e com") == frozenset()


def test_look_item_matches_a_name_holding_all_its_words():
    products = frame(("0001", "Blazer Linho Off-White"), ("0002", "Blazer de Veludo"), ("0003", "Calça Alfaiataria Preta"),
                     ("0004", "Camisa Branca de Algodão"), ("0005", "Linen Slip Dress — Black"),
                     ("0006", "Sandália Salto Bloco"), ("0007", "Sandal"))
    assert look_matches(PROFILE, products) == {
        "0001": ["blazer de linho"],
        "0003": ["calças de alfaiataria"],
        "0004": ["Camisa branca"],
        "0005": ["Slip Dress"],
        "0006": ["sandália com salto"],
    }


def test_a_product_matching_several_items_lists_each_once_and_ids_stay_strings():
    profile = ShopperProfile("1", occasions=(Occasion("A", "", ("blazer", "blazer linho")),
                                             Occasion("B", "", ("linho", "blazer"))))
    products = frame(("007", "Blazer Linho"), ("007", "Blazer Linho"), ("8", "Saia"))
    assert look_matches(profile, products) == {"007": ["blazer", "blazer linho", "linho"]}


def test_english_items_match_english_names():
    profile = ShopperProfile("1", occasions=(Occasion("Office", "", ("Wrap Dress", "T-Shirt", "leather boots")),))
    products = frame(("1", "Satin Wrap Dress — Navy"), ("2", "Button-Down Shirt"), ("3", "Cotton T-Shirt"),
                     ("4", "Leather Ankle Boots"), ("5", "Leather Boot"))
    assert look_matches(profile, products) == {"1": ["Wrap Dress"], "3": ["T-Shirt"], "4": ["leather boots"],
                                               "5": ["leather boots"]}


def test_no_looks_no_names_or_no_products_match_nothing():
    assert look_matches(ShopperProfile("1"), frame(("1", "Blazer"))) == {}
    assert look_matches(PROFILE, frame()) == {}
    assert look_matches(PROFILE, pd.DataFrame({"product_id": ["1"]})) == {}
    assert look_matches(PROFILE, frame(("1", None), ("2", ""))) == {}


def test_look_items_are_listed_once_in_order():
    assert look_items(PROFILE) == ("blazer de linho", "calças de alfaiataria", "Camisa branca", "Slip Dress",
                                   "sandália com salto")


def test_shelf_matches_name_the_shelf_product_and_items():
    shelves = {"For you": frame(("0001", "Blazer Linho Off-White"), ("0009", "Tênis")),
               "Best sellers": frame(("0004", "Camisa Branca"), ("0001", "Blazer Linho Off-White")),
               "Empty": frame()}
    table = shelf_matches(PROFILE, shelves)
    assert table.to_dict("records") == [
        {"shelf": "For you", "product_id": "0001", "name": "Blazer Linho Off-White", "look_items": "blazer de linho"},
        {"shelf": "Best sellers", "product_id": "0004", "name": "Camisa Branca", "look_items": "Camisa branca"},
        {"shelf": "Best sellers", "product_id": "0001", "name": "Blazer Linho Off-White",
         "look_items": "blazer de linho"},
    ]
    assert list(shelf_matches(ShopperProfile("1"), shelves).columns) == ["shelf", "product_id", "name", "look_items"]


def test_sections_are_labelled_in_english_and_keep_the_vendors_portuguese():
    sections = {section.title: section for section in profile_sections(PROFILE)}
    assert list(sections) == ["Style", "Occasions", "Buying moment now", "Opportunities", "Marketing briefing",
                              "Content hooks"]
    assert sections["Style"].lines == (Line("Style", "Trabalho com toques de noite"),
                                       Line("Description", "Cliente que navega sobretudo por blazers"))
    assert sections["Occasions"].lines[1] == Line("Eventos à noite", "Sofisticada",
                                                  ("Slip Dress", "sandália com salto", "blazer de linho"))
    moment = {line.label: line for line in sections["Buying moment now"].lines}
    assert moment["Summary"].text == "Procura peças de trabalho"
    assert moment["New behaviour"].text == "No: in line with their history"
    assert moment["Browsing"].items == ("Blazers", "Calças")
    assert sections["Opportunities"].lines[0].items == ("Oferecer blazers de linho", "Sugerir camisas")
    briefing = {line.label: line.items for line in sections["Marketing briefing"].lines}
    assert briefing == {"Tone of voice": ("profissional", "confiante"), "Visual direction": ("luz natural",),
                        "Campaign guidance": ("Mostrar alfaiataria",)}
    assert sections["Content hooks"].lines[0].items == ("Uma semana de looks de trabalho",)


def test_an_empty_profile_has_every_section_with_no_lines():
    sections = profile_sections(ShopperProfile("1"))
    assert len(sections) == 6
    assert all(section.lines == () for section in sections)


def test_new_behaviour_yes_and_unsaid():
    said = profile_sections(ShopperProfile("1", buying_moment=BuyingMoment(new_behaviour=True)))[2]
    assert said.lines == (Line("New behaviour", "Yes: this is new for this shopper, unlike their history"),)
    unsaid = profile_sections(ShopperProfile("1", buying_moment=BuyingMoment(summary="x")))[2]
    assert [line.label for line in unsaid.lines] == ["Summary"]


def test_an_unnamed_occasion_gets_a_number():
    sections = profile_sections(ShopperProfile("1", occasions=(Occasion("", "p", ("a",)),)))
    assert sections[1].lines == (Line("Occasion 1", "p", ("a",)),)
