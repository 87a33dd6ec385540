"""Which of a file's columns holds which of our fields (see `FIELDS`), by name.

Names match ignoring case, accents, spaces and punctuation, in English and Portuguese;
a mapping given by the user overrides detection, field by field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fashionai.catalog._values import fold_str
from fashionai.catalog._wording import counted, listing, quoted
from fashionai.catalog.model import FIELDS, CatalogError
from fashionai.catalog.sizes import SIZE_STOCK

__all__ = ["EXTRA_FIELDS", "ExtraGuess", "detect_columns", "guess_extra", "resolve_mapping"]

# Column names as _key() writes them, most specific first.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "product_id": ("productid", "idproduto", "produtoid", "iddoproduto", "id", "sku", "skuid",
                   "itemid", "styleid", "codigoproduto", "codigodoproduto", "codproduto",
                   "productcode", "codigo", "cod", "code", "itemcode", "referencia", "ref",
                   "reference"),
    "name": ("productname", "productdisplayname", "nomeproduto", "nomedoproduto", "name",
             "nome", "title", "titulo", "displayname", "produto", "product", "descricao",
             "description"),
    "category": ("articletype", "producttype", "tipoproduto", "tipodeproduto", "subcategory",
                 "subcategoria", "category", "categoria", "productcategory",
                 "categoriadoproduto", "departamento", "department", "secao", "section",
                 "mastercategory", "tipo", "type"),
    "stock": ("stock", "estoque", "qty", "quantity", "quantidade", "qtd", "qtde",
              "stockquantity", "stockqty", "stocklevel", "inventory", "inventoryquantity",
              "inventoryqty", "saldo", "saldoestoque", "estoquedisponivel",
              "quantidadedisponivel", "quantidadeemestoque", "qtyavailable", "available",
              "availability", "disponivel", "disponibilidade", "instock", "emestoque"),
    "price": ("price", "preco", "saleprice", "sellingprice", "currentprice", "finalprice",
              "precovenda", "precodevenda", "precopor", "precofinal", "valor", "valorvenda",
              "valordevenda", "precopromocional", "offerprice", "listprice", "precooriginal",
              "precode", "precolista", "msrp"),
    "sale_price": ("saleprice", "precopromocional", "promotionalprice", "discountprice", "discountedprice",
                   "precocomdesconto", "precodesconto", "offerprice", "specialprice", "precoespecial"),
    "image_url": ("imageurl", "imagelink", "image", "imagem", "imagemurl", "urlimagem",
                  "urldaimagem", "linkimagem", "linkdaimagem", "img", "imgurl", "imagesrc",
                  "mainimage", "picture", "pictureurl", "photo", "photourl", "foto",
                  "fotourl", "thumbnail", "link"),
    "brand": ("brand", "marca", "brandname", "fabricante", "manufacturer", "vendor"),
    "color": ("color", "colour", "cor", "basecolour", "basecolor", "colorname", "nomecor"),
    "style": ("style", "estilo", "usage", "occasion", "ocasiao", "uso"),
    "gender": ("gender", "genero", "sexo", "sex"),
    "size": ("size", "tamanho", "tam"),
}
# Second chance for long names ("Preço de Venda (R$)"): a word of the name, in this
# order of fields, so "Nome da Categoria" is a category rather than a name.
_WORDS: dict[str, set[str]] = {
    "category": {"category", "categoria", "departamento", "department"},
    "brand": {"brand", "marca"},
    "color": {"color", "colour", "cor"},
    "size": {"size", "tamanho"},
    "gender": {"gender", "genero"},
    "style": {"style", "estilo"},
    "image_url": {"image", "imagem", "img", "foto", "photo", "picture"},
    "price": {"price", "preco", "valor"},
    "stock": {"stock", "estoque", "qty", "quantity", "quantidade", "inventory"},
    "product_id": {"sku"},
    "name": {"name", "nome", "title", "titulo"},
}
_NOT_WORDS = {"cost", "custo", "compra"}  # a purchase cost is not the price


def detect_columns(names: list[str]) -> dict[str, str]:
    """Our field -> the column among `names` that holds it, for the fields recognised.

    Names match ignoring case, accents, spaces and punctuation, in English and
    Portuguese (``Preço`` is a price, ``productId`` an id, ``articleType`` a category).
    """
    return _detect(names, list(FIELDS))


def resolve_mapping(names: list[str], columns: Mapping[str, str | None]) -> dict[str, str]:
    """Our field -> the file's column: `columns` (the user's choice; None leaves a field out)
    first, the rest detected among the columns not chosen. CatalogError for an unknown field
    or a column the file lacks."""
    unknown = [key for key in columns if key not in FIELDS]
    if unknown:
        raise CatalogError(f"The column mapping names {counted(len(unknown), 'a field', 'fields', count=False)} "
                           f"the studio does not know ({quoted(unknown)}). The fields are "
                           f"{', '.join(FIELDS.values())}.", columns=names)
    chosen: dict[str, str] = {}
    for key, column in columns.items():
        if column is None:
            continue
        match = _find_column(names, column)
        if match is None:
            raise CatalogError(f"The column mapping names {column!r} for "
                               f"{FIELDS[key].lower()}, but the file has no such column. "
                               f"Columns found: {listing(names)}.", columns=names)
        chosen[key] = match
    rest = [name for name in names if name not in chosen.values()]
    detected = _detect(rest, [key for key in FIELDS if key not in columns])
    return {key: (chosen | detected)[key] for key in FIELDS if key in chosen | detected}


EXTRA_FIELDS = ("image_url", "stock", "price")
"""The fields an extra file may bring to a catalog, in the order a file's kind is guessed."""
_FILE_NAMES = ("filename", "file", "filepath", "path", "arquivo", "nomearquivo", "nomedoarquivo",
               "imagename", "imagefile", "imagefilename", "nomeimagem", "nomedaimagem", "foto",
               "image", "imagem")  # column names (as _key() writes them) of a file name column
_FILE_NAME_VALUE = re.compile(r"^[^?#]*\.[A-Za-z0-9]{1,5}([?#].*)?$")  # "15970.jpg", "img/a-1.webp?v=2"


@dataclass(frozen=True)
class ExtraGuess:
    """What a file's columns suggest it is, as an extra file: the field it brings (one of
    EXTRA_FIELDS, SIZE_STOCK for a size column beside a stock column, or None), the column of its ids, the column of its values, and whether its
    ids are file names ("15970.jpg")."""

    field: str | None
    id_column: str | None
    value_column: str | None
    file_names: bool
    has_products: bool  # it has a column of product names or categories: a products file
    size_column: str | None = None  # a column of sizes: with a stock column, a file of stock per size


def guess_extra(names: list[str], sample: Mapping[str, list[str]] | None = None) -> ExtraGuess:
    """Guess, from `names` (and a few values of each column, `sample`), what an extra file holds.

    The ids are a product id column, else a file name column ("filename", "arquivo"); they are
    file names when that column is named so or when most sampled values look like "name.ext".
    """
    found = detect_columns(names)
    keys = {name: _key(name) for name in names}
    file_column = next((n for key in _FILE_NAMES for n in names if keys[n] == key), None)
    id_column = found.get("product_id") or file_column
    sample = sample or {}

    def looks_like_files(column: str | None) -> bool:
        values = [v for v in sample.get(column or "", []) if v]
        return bool(values) and sum(bool(_FILE_NAME_VALUE.match(v)) for v in values) * 2 > len(values)

    file_names = id_column is not None and (
        (id_column == file_column and "product_id" not in found) or looks_like_files(id_column))
    taken = {id_column}
    field = next((f for f in EXTRA_FIELDS if found.get(f) not in (None, id_column)), None)
    value_column = found[field] if field else None
    size_column = found.get("size") if found.get("size") != id_column else None
    if field == "stock" and size_column is not None:
        field = SIZE_STOCK  # (id, size, stock) rows: stock per size
    if field is None and file_column is not None and file_column != id_column:
        field, value_column = "image_url", file_column  # an image address under a file-ish name
    if field is None and file_names:
        field = "image_url"  # pictures named by product: the address is the other column
    if value_column is None:
        value_column = next((n for n in names if n not in taken), None)
    return ExtraGuess(field, id_column, value_column, file_names,
                      has_products="name" in found or "category" in found, size_column=size_column)


def _find_column(names: list[str], wanted: str) -> str | None:
    if wanted in names:
        return wanted
    return next((name for name in names if name.casefold() == wanted.strip().casefold()), None)


def _detect(names: list[str], fields: list[str]) -> dict[str, str]:
    keys = {name: _key(name) for name in names}
    found: dict[str, str] = {}
    for key in fields:
        for synonym in _SYNONYMS[key]:
            match = next((n for n in names if keys[n] == synonym and n not in found.values()), None)
            if match is not None:
                found[key] = match
                break
    for key, words in _WORDS.items():
        if key in fields and key not in found:
            match = next((n for n in names if n not in found.values()
                          and words & _words(n) and not _NOT_WORDS & _words(n)), None)
            if match is not None:
                found[key] = match
    return {key: found[key] for key in fields if key in found}


def _key(name: str) -> str:
    """A column name compared loosely: "Preço_Venda " -> "precovenda"."""
    return "".join(re.findall(r"[a-z0-9]+", fold_str(name)))


def _words(name: str) -> set[str]:
    """The words of a column name: "productDisplayName" -> {product, display, name}."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return set(re.findall(r"[a-z0-9]+", fold_str(spaced)))


