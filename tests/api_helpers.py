"""What the API's tests share: a fake vendor over httpx.MockTransport, a client on it, and the vendor's example bodies.

Used by tests/unit/api/ and by the history's merchandising tests; a helper module, not a test module.
"""

import json
import threading

import httpx

from fashionai.api.client import FashionAIClient

TOKEN = "tok-SECRET-a1b2c3d4e5f6"
BASE = "https://catalog.test/api/v1"
RECOMMENDATION_URL = f"{BASE}/products/protected/recommendation"
RANKING_URL = f"{BASE}/products/protected/sales-ranking"


class FakeAPI:
    """A MockTransport handler that plays queued answers and fails on anything unexpected.

    An answer is a status code (200 answers `{"products": ["p1"]}`), an httpx.Response,
    or an exception class to raise, as the transport would.
    """

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            if not self.answers:
                raise AssertionError(f"unexpected request: {request.method} {request.url}")
            answer = self.answers.pop(0)
        if isinstance(answer, type) and issubclass(answer, Exception):
            raise answer(f"simulated {answer.__name__}")
        if isinstance(answer, int):
            if answer == 200:
                return httpx.Response(200, json={"products": ["p1"]})
            return httpx.Response(answer, json={"error": f"simulated {answer}"})
        return answer

    @property
    def bodies(self) -> list:
        return [json.loads(r.content) if r.content else None for r in self.requests]


def never_sleep(seconds):
    raise AssertionError(f"unexpected retry wait of {seconds} s")


def make_client(api, *, sleeps=None, **kwargs) -> FashionAIClient:
    client = FashionAIClient(TOKEN, BASE, transport=httpx.MockTransport(api), **kwargs)
    client._sleep = sleeps.append if sleeps is not None else never_sleep
    return client


def products(*ids, **extra) -> httpx.Response:
    return httpx.Response(200, json={"products": list(ids), **extra})


# The vendor's documented example, products out of position order.
COLLECTION = {
    "collectionId": 1,
    "collectionName": "Winter Collection 2025",
    "collectionDescription": "Coats and knits for the cold",
    "sliceId": 10,
    "sliceName": "Wool Coats",
    "startsAt": "2025-09-23T00:00:00.000Z",
    "endsAt": "2025-12-31T23:59:59.000Z",
    "products": [
        {"productId": "12345", "position": 2, "active": True},
        {"productId": "00042", "position": 1, "active": False},
        {"productId": 777, "position": 3, "active": True},
    ],
}


PROFILE = {
    "userProfileId": "u-90",
    "profile": {
        "perfil_cliente": {"descricao_geral": "Cliente urbana e prática.", "estilo_geral": "Minimalista"},
        "ocasioes_relevantes": [
            {"ocasião": "Trabalho", "persona_na_ocasião": "Executiva discreta",
             "sugestao_look": ["Blazer", "Tailored Trousers", "Mules"]},
            {"ocasião": "Fim de semana", "persona_na_ocasião": "Descontraída", "sugestao_look": []},
        ],
        "briefing_marketing": {
            "tom_de_voz": ["direto", "acolhedor"],
            "direcao_visual": ["tons neutros"],
            "orientacao_campanhas": ["destacar peças-chave"],
        },
        "ganchos_conteudo": ["5 looks com um blazer"],
        "momento_compra_atual": {
            "navegacoes": ["Jackets (3 visualizações)"],
            "resumo_momento": "Procurando peças de trabalho.",
            "relacao_com_historico": "Coerente com o histórico.",
            "novo_comportamento": False,
            "oportunidades": ["Oferecer calças de alfaiataria"],
        },
    },
}
