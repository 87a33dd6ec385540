"""What the comparison's tests share: a small catalog of dresses and a fake API that answers per session; a
catalog and a persona for the same query's lanes (Compare's lanes of a query, the Search page's same query).

A test module makes its ``catalog`` fixture of `small_catalog` (or `query_catalog`).
"""

import json
import threading

import httpx

from fashionai.api.client import FashionAIClient
from fashionai.catalog import Catalog, load_catalog
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step

BASE = "http://api.test/api/v1"
WAIT = 5  # seconds a test waits for something that should happen at once

CATALOG_CSV = (
    "id,name,category,color,style,brand,price,stock,image_url\n"
    "01,Linen Dress,Dresses,White,boho,Casa,199.9,5,https://img.test/01.jpg\n"
    "02,Satin Dress,Dresses,Black,evening,Lumi,299.9,0,https://img.test/02.jpg\n"
    "03,Wrap Dress,Dresses,Navy,office,Norte,249.9,2,javascript:alert(1)\n"
    "04,Maxi Dress,Dresses,Terracotta,boho,Casa,219.9,9,https://img.test/04.jpg\n"
    "05,Shirt Dress,Dresses,White,office,Norte,189.9,7,https://img.test/05.jpg\n"
    "06,Tee,Tops,White,casual,Basico,59.9,30,https://img.test/06.jpg\n"
)
DRESSES = ["01", "02", "03", "04", "05"]


def small_catalog() -> Catalog:
    """CATALOG_CSV as a catalog: five dresses and a top."""
    return load_catalog(CATALOG_CSV.encode())


QUERY_CATALOG_CSV = """id,name,category,color,stock
001,Vestido Midi,Vestidos,Azul,3
002,Vestido Longo,Vestidos,Azul,2
003,Blusa Azul,Tops,Branco,1
004,Calça Azul,Calças,Azul,5
"""
PERSONA = Journey("Boho shopper", "Likes boho", "Vestidos",
                  (Step(EventType.CATEGORY_VIEW, "Vestidos"), Step(EventType.PRODUCT_VIEW, "002")))
"""A persona whose steps come before its search: a category, then a dress of it."""


def query_catalog() -> Catalog:
    """QUERY_CATALOG_CSV as a catalog: two dresses, a top and trousers, for the same query's lanes."""
    return load_catalog(QUERY_CATALOG_CSV.encode())


class API:
    """A MockTransport handler: an answer per session id, and best sellers.

    `answers` maps a session id to a list of product ids, or to an int status to
    fail with. `hold` maps a session id to an Event its answer waits for (never a
    sleep). Every request is kept; one the handler does not expect fails the test.
    """

    def __init__(self, answers=None, best=("05", "04", "03", "02", "01"), hold=None):
        self.answers = answers or {}
        self.best = list(best)
        self.hold = hold or {}
        self.requests = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
        if request.method == "GET":
            assert request.url.path.endswith("/sales-ranking"), request.url
            return httpx.Response(200, json={"categoryId": request.url.params["categoryId"], "products": self.best})
        body = json.loads(request.content)
        session = body["sessionId"]
        if session in self.hold:
            assert self.hold[session].wait(WAIT), f"{session} was never released"
        answer = self.answers.get(session, DRESSES[::-1])
        if isinstance(answer, int):
            return httpx.Response(answer, json={"error": "failed"})
        return httpx.Response(200, json={"products": answer})

    def client(self):
        return FashionAIClient("t", base_url=BASE, transport=httpx.MockTransport(self), max_retries=0)

    def bodies(self):
        return [json.loads(r.content) for r in self.requests if r.method == "POST"]
