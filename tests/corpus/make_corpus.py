"""Write the catalog corpus: small files in the shapes stores really export.

Run `python tests/corpus/make_corpus.py` after changing a file here; a test checks
that the files on disk are what this script writes. Each file is given as bytes so
encodings, BOMs, line endings and separators are exactly as shown.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def _lines(*rows: str, end: str = "\n") -> str:
    return end.join(rows) + end


FILES: dict[str, bytes] = {
    # Plain English export, comma separated, dot decimals.
    "plain.csv": _lines(
        "product_id,name,category,color,style,brand,price,stock,image_url",
        "0001,Slim Jeans,Jeans,Blue,Casual,Acme,129.90,5,https://img.example/0001.jpg",
        "0002,Linen Shirt,Shirts,White,Casual,Acme,89.50,0,https://img.example/0002.jpg",
        "0003,Silk Dress,Dresses,Red,Party,Bella,499.00,2,https://img.example/0003.jpg",
        "0004,Denim Jacket,Jeans,Blue,Casual,Acme,259.00,,https://img.example/0004.jpg",
    ).encode(),
    # Excel "CSV UTF-8": BOM, Portuguese headers, CRLF line ends.
    "utf8_bom.csv": b"\xef\xbb\xbf" + _lines(
        "Código,Nome,Categoria,Preço,Estoque",
        "A1,Calça Jeans Azul,Calças,129.90,3",
        "A2,Blusa Crochê,Blusas,79.00,10",
        end="\r\n",
    ).encode(),
    # Brazilian Excel "CSV": Windows-1252, ';', decimal commas, R$, thousands dots.
    "br_cp1252_semicolon.csv": _lines(
        "Código;Nome do Produto;Categoria;Preço;Estoque;Marca",
        "001;Calça Jeans Azul;Calças;R$ 129,90;3;Lança Perfume",
        "002;Vestido Longo Estampado;Vestidos;R$ 1.299,00;0;Farm",
        "003;Camiseta Básica;Camisetas;49,9;12;Hering",
        "004;Saia Plissada;Saias;sob consulta;1;Farm",
    ).encode("cp1252"),
    # Tab separated (names hold commas), blank stock.
    "tab.tsv": _lines(
        "sku\ttitle\tproduct_type\tprice\tqty",
        "SKU-1\tShirt, blue\tShirts\t10.00\t4",
        "SKU-2\tShirt, red\tShirts\t12.50\t",
    ).encode(),
    # Pipe separated.
    "pipe.txt": _lines(
        "id|name|category|price|stock",
        "10|Cap|Accessories|15|1",
        "11|Belt|Accessories|25|-1",
    ).encode(),
    # Quoted fields holding separators, doubled quotes and line breaks.
    "quoted.csv": _lines(
        "id,name,category,price,stock",
        '1,"Shirt, ""Oxford"" cut",Shirts,"1,299.00",3',
        '2,"Two-line\nname",Shirts,15.00,1',
        '3,"Semi;colon",Shirts,$7.50,0',
    ).encode(),
    # Spreadsheet leftovers: empty trailing columns and empty rows.
    "excel_leftovers.csv": _lines(
        "id;name;category;price;stock;;;",
        "1;Cap;Hats;10,00;1;;;",
        ";;;;;;;",
        "2;Hat;Hats;20,00;0;;;",
        ";;;;;;;",
    ).encode(),
    # Stock as words, and a few values that are not stock at all.
    "stock_words.csv": _lines(
        "id,name,category,price,disponível",
        "1,A,Tops,10,sim",
        "2,B,Tops,10,não",
        "3,C,Tops,10,yes",
        "4,D,Tops,10,No",
        "5,E,Tops,10,in stock",
        "6,F,Tops,10,Out of Stock",
        "7,G,Tops,10,Disponível",
        "8,H,Tops,10,indisponível",
        "9,I,Tops,10,",
        "10,J,Tops,10,talvez",
    ).encode(),
    # Ids: leading zeros, 20 digits, spaces around, blank, repeated.
    "ids.csv": _lines(
        "product_id,name,category,price,stock",
        "000123,Zero Lead,Tops,1,1",
        "12345678901234567890,Twenty Digits,Tops,1,1",
        "  77  ,Spaced,Tops,1,1",
        ",No Id,Tops,1,1",
        "   ,Blank Id,Tops,1,1",
        "000123,Repeat,Tops,2,2",
        "1163.0,Float Looking,Tops,1,1",
    ).encode(),
    # Excel's "sep=" hint line.
    "sep_line.csv": _lines("sep=;", "id;name;price", "1;A;1,50", "2;B;2,00").encode(),
    # Excel "Unicode Text": UTF-16 LE with BOM, tab separated.
    "utf16.txt": _lines("id\tnome\tpreço", "1\tCalça\t10,00", end="\r\n").encode("utf-16"),
    # Columns of the public fashion dataset: numeric ids, no stock or price.
    "styles_like.csv": _lines(
        "id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,"
        "productDisplayName",
        "1163,Men,Apparel,Topwear,Tshirts,Blue,Summer,2011,Sports,Nike Sahara Jersey",
        "1525,Unisex,Accessories,Bags,Backpacks,Navy Blue,Fall,2010,Casual,Puma Deck Backpack",
        "1164,Men,Apparel,Topwear,Tshirts,Blue,Winter,2015,Sports,Nike Cricket Jersey",
    ).encode(),
    # US prices with currency signs and thousands commas; thousands-only column.
    "us_prices.csv": _lines(
        "item_id,product name,category,sale_price,inventory,units_sold",
        'A,Coat,Coats,"$1,299.00",3,"1,234"',
        "B,Scarf,Accessories,$15.50,7,15",
        "C,Boots,Shoes,USD 10,1,2",
    ).encode(),
    # UTF-8 with one stray Windows-1252 byte.
    "utf8_stray_byte.csv": _lines(
        "id,name,category,price,stock",
        "1,Calça,Calças,1,1",
        "2,Caf\xe9 Mug,Home,2,2",
    ).encode().replace(b"Caf\xc3\xa9", b"Caf\xe9"),
    # Rows with the wrong number of fields.
    "ragged.csv": _lines(
        "id,name,category,price,stock",
        "1,A,Tops,1,1",
        "2,B,Tops,1",
        "3,C,Tops,1,1,extra",
        "4,D,Tops,1,1",
        "5,E,Tops,1,1",
    ).encode(),
    # Files that cannot be catalogs.
    "empty.csv": b"",
    "header_only.csv": b"id,name,price,stock\n",
    "no_id_column.csv": _lines("nome,cor,preço", "Calça,Azul,10").encode(),
    "workbook.xlsx": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"
                     + b"\x00" * 40 + b"xl/workbook.xml",
    "old_workbook.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "binary.bin": bytes(range(256)) * 4,
    "page.html": b"<!DOCTYPE html><html><body><table><tr><td>id</td></tr></table></body></html>\n",
}


def write() -> None:
    for name, content in FILES.items():
        (HERE / name).write_bytes(content)


if __name__ == "__main__":
    write()
