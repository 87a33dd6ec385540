"""A written shopper profile, typed: `GET .../crm/protected/profile/{kind}/{value}`.

    profile = parse_profile(body)                 # a ShopperProfile, or ShapeError
    profile_path("email", "ana@example.com.br")   # the path, the value percent-encoded
    mask_personal("ana@example.com.br")           # "a***@e***.br"
    client.profile("ana@example.com.br", kind="email")   # a ProfileAnswer (its .profile)

The vendor's sections keep their Portuguese keys on the wire (accented or not) and get
English names here. A profile looked up by e-mail, phone or document (`PERSONAL_KINDS`)
carries personal data in its URL: the client keeps it out of every record, error and log.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fashionai.api._shape import ShapeError, id_text, json_object, json_type, path_value
from fashionai.api.endpoints import ENDPOINTS
from fashionai.api.models import RequestRecord

__all__ = ["KIND_WORDS", "PERSONAL_KINDS", "PROFILE_KINDS", "PROFILE_PATH", "BuyingMoment", "CustomerProfile",
           "MarketingBriefing", "Occasion", "ProfileAnswer", "ShopperProfile", "lookup_words", "mask_personal",
           "parse_profile", "profile_path", "shown_profile_path", "shown_value"]

PROFILE_PATH = ENDPOINTS["profile"].path
PROFILE_KINDS = ("user-profile-id", "email", "phone", "document")
"""How a shopper profile can be looked up, as the URL spells it."""
PERSONAL_KINDS = ("email", "phone", "document")
"""The kinds whose value is personal data: never in a URL the app shows, a link, the history,
an export or a log line; shown only through `mask_personal`."""
KIND_WORDS = {"user-profile-id": "user profile id", "email": "e-mail", "phone": "phone number",
              "document": "document"}
"""Each kind of lookup in plain words."""




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


@dataclass(frozen=True)
class ProfileAnswer:
    """What `FashionAIClient.profile` got: the profile, and how it was looked up and obtained.

    `shown` is the looked-up value as it may be shown: the user profile id, or the masked
    e-mail, phone or document (`mask_personal`). `request` is what was sent, its URL masked
    the same way (`shown_profile_path`); `response_body` the parsed JSON, the looked-up value
    (in every form) and the token blanked. A profile is no ranking: it never reaches the
    client's observer, so never the history.
    """

    profile: ShopperProfile
    kind: str  # one of PROFILE_KINDS
    shown: str
    request: RequestRecord
    status_code: int
    elapsed: float  # seconds for the whole call, retries included
    attempts: int
    response_body: Any = field(default=None, repr=False)  # Any: the parsed JSON, as received


def _fold(key: str) -> str:
    """A key without accents, so "ocasião" and "ocasiao" (in any Unicode form) read alike."""
    return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))


def _field(section: Mapping[str, Any], key: str) -> Any:  # Any: a JSON value, checked by the caller
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
    return {} if value is None else json_object(value, f'"{key}"')


def _ptext(section: Mapping[str, Any], key: str, where: str) -> str:
    value = _field(section, key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ShapeError(f'"{key}" in {where} is a JSON {json_type(value)}, not a text')
    return value


def _texts(section: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = _field(section, key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ShapeError(f'"{key}" in {where} is a JSON {json_type(value)}, not a list of texts')
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise ShapeError(f'item #{number} of "{key}" in {where} is a JSON {json_type(item)}, not a text')
    return tuple(value)


def _occasion(item: object, number: int) -> Occasion:
    where = f"occasion #{number}"
    section = json_object(item, where)
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
        raise ShapeError(f'the body is a JSON {json_type(body)}, not an object with a "profile"')
    if body.get("userProfileId") is None:
        raise ShapeError('the body has no "userProfileId"')
    user_profile_id = id_text(body["userProfileId"], '"userProfileId"')
    if body.get("profile") is None:
        raise ShapeError('the body has no "profile" object')
    profile = json_object(body["profile"], '"profile"')

    customer = _section(profile, "perfil_cliente")
    occasions = _field(profile, "ocasioes_relevantes")
    if occasions is not None and not isinstance(occasions, list):
        raise ShapeError(f'"ocasioes_relevantes" is a JSON {json_type(occasions)}, not a list')
    briefing = _section(profile, "briefing_marketing")
    moment = _section(profile, "momento_compra_atual")
    new_behaviour = _field(moment, "novo_comportamento")
    if new_behaviour is not None and not isinstance(new_behaviour, bool):
        raise ShapeError(
            f'"novo_comportamento" in momento_compra_atual is a JSON {json_type(new_behaviour)}, not true or false'
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



def profile_path(kind: str, value: object) -> str:
    """The URL path of a profile looked up by `kind` (one of PROFILE_KINDS), the value
    percent-encoded (every "/", "?", "#", "@", "+" and space included); a ValueError in
    plain words for an unknown kind or an unusable value.

    The path of a personal kind holds personal data: the client must keep it (and the
    full URL) out of every record, error message and log line."""
    if kind not in PROFILE_KINDS:
        raise ValueError(f"a profile is looked up by {', '.join(PROFILE_KINDS)}; not by {kind!r}")
    what = "the user profile id" if kind == "user-profile-id" else f"the {kind}"
    text = path_value(value, what)
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


def shown_profile_path(kind: str, value: object) -> str:
    """`profile_path` as it may be shown, logged or kept: for a personal kind the value masked
    ("/crm/protected/profile/email/a***@e***.br"); the same checks and errors."""
    path = profile_path(kind, value)
    if kind not in PERSONAL_KINDS:
        return path
    return PROFILE_PATH.format(kind=kind, value=quote(mask_personal(value), safe="@*"))


def shown_value(kind: str, value: object) -> str:
    """The looked-up value as it may be shown: a user profile id as typed (stripped), an e-mail,
    phone or document masked (`mask_personal`)."""
    return mask_personal(value) if kind in PERSONAL_KINDS else str(value).strip()


def lookup_words(kind: str, value: object) -> str:
    """The profile looked up, in plain words and safe to show: "user profile id 'u-7'",
    "the e-mail a***@e***.br"."""
    if kind in PERSONAL_KINDS:
        return f"the {KIND_WORDS[kind]} {shown_value(kind, value)}"
    return f"{KIND_WORDS.get(kind, kind)} {shown_value(kind, value)!r}"
