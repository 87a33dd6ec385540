"""The WhatsApp preview: the detailed answer's cards checked against the catalog (name, price, stock, not in the
catalog, a size other than the one asked), and an empty list said to be no match or an error."""

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.catalog.stock import StockState
from fashionai.storefront.whatsapp_view import EMPTY_MAY_BE_ERROR, preview_whatsapp

CSV = """id,name,category,stock,price
001,Tênis Corrida,Sneakers,30,159.90
002,Tênis Casual,Sneakers,0,199.90
003,Bota Couro,Boots,,300
""".encode()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV)


def detailed(products, seen=None):
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(200, json={"products": products})

    return FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handler))


def product(pid, name, price, sale=None, size=None):
    return {"productId": pid, "sku": f"SKU-{pid}", "name": name, "images": [f"https://img.example/{pid}.jpg"],
            "price": price, "salePrice": sale, "size": size, "link": f"https://store.example/p/{pid}"}


def test_a_card_that_agrees_with_the_catalog_has_no_mark(catalog):
    seen = []
    with detailed([product("001", "tênis  corrida", 159.9, 139.9, "42")], seen) as client:
        preview = preview_whatsapp(client, catalog, "s1", "tênis", size="42")
    assert "/v1/products/protected/search/detailed" in str(seen[0].url) and "size=42" in str(seen[0].url)
    (card,) = preview.cards
    assert card.disagreements == () and card.in_catalog and card.stock == StockState.IN
    assert str(card.product.price) == "159.9" and preview.disagreeing == 0 and preview.empty_words is None


def test_name_price_stock_and_size_disagreements_are_said(catalog):
    answer = [product("002", "Tênis Casual Branco", 179.9, None, "41"), product("003", "Bota Couro", 300),
              product("999", "Sandália", 99)]
    with detailed(answer) as client:
        preview = preview_whatsapp(client, catalog, "s1", "tênis", size="42", currency="R$")
    casual, boot, unknown = preview.cards
    assert casual.disagreements == (
        "name “Tênis Casual Branco” here, “Tênis Casual” in your catalog",
        "price R$ 179,90 here, R$ 199,90 in your catalog",
        "out of stock in your catalog (the detailed search should answer only products in stock)",
        "size 41, not the size asked (42)")
    assert boot.disagreements == () and boot.stock == StockState.UNKNOWN  # unknown stock is no disagreement
    assert unknown.disagreements == ("not in your catalog: the store cannot sell it as the chat shows it",)
    assert not unknown.in_catalog and unknown.stock is None
    assert preview.disagreeing == 2


def test_a_sale_price_that_matches_the_catalog_agrees(catalog):
    with detailed([product("002", "Tênis Casual", 249.9, 199.9)]) as client:
        preview = preview_whatsapp(client, catalog, "s1", "tênis")
    assert not any("price" in words for words in preview.cards[0].disagreements)


def test_an_empty_list_may_also_be_an_error(catalog):
    with detailed([]) as client:
        preview = preview_whatsapp(client, catalog, "s1", "tênis")
    assert preview.cards == () and preview.empty_words == EMPTY_MAY_BE_ERROR
    assert "does not prove there is no match" in EMPTY_MAY_BE_ERROR
