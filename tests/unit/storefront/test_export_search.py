"""A search's export: the page as shown, with what was searched, for whom, and its totals."""

import json

import httpx

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.storefront.export import search_export
from fashionai.storefront.search_view import preview_search


def test_a_search_exports_its_page_with_its_query_and_totals():
    def handler(request):
        return httpx.Response(200, json={"items": ["2", "1"], "totalItems": 12, "totalPages": 6, "currentPage": 2})

    catalog = load_catalog(b"id,name,stock\n1,=Blue Dress,3\n2,Red Dress,0\n")
    with FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handler)) as client:
        preview = preview_search(client, catalog, "s1", "dress", page=2, limit=2)
    export = search_export(preview)
    meta = json.loads(export.json())
    assert {key: meta[key] for key in ("kind", "query", "page", "total_items", "total_pages", "session_id")} == {
        "kind": "search", "query": "dress", "page": 2, "total_items": 12, "total_pages": 6, "session_id": "s1"}
    text = export.csv().decode("utf-8-sig")
    assert "Red Dress" in text and "'=Blue Dress" in text  # a formula cell made inert
    assert export.name.startswith("search-dress-p2")
