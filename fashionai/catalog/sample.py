"""A synthetic fashion catalog: the bundled sample and benchmark-sized frames.

`generate_catalog` is deterministic for a seed and vectorised, so a million rows
take a few seconds. Styles follow the kind of garment (leggings are sporty, blazers
office wear), colours and brands follow the style, prices follow category and
brand tier: personas browsing it get storefronts that feel different.

Regenerate the committed sample with ``python -m fashionai.catalog.sample``.
"""

from __future__ import annotations

import base64
import csv
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

SAMPLE_CATALOG_PATH = Path(__file__).resolve().parent / "data" / "sample_catalog.csv"
SAMPLE_SIZE = 1200
COLUMNS = ["product_id", "name", "category", "color", "style", "brand", "price", "stock", "image_url"]

STYLES = ["casual", "office", "sporty", "boho", "evening", "streetwear", "minimal"]

# name -> (hex, weight multiplier per style; 1 where not listed)
COLORS: dict[str, tuple[str, dict[str, float]]] = {
    "Black": ("#1f1f1f", {"office": 2.5, "sporty": 2.5, "evening": 3, "streetwear": 3, "minimal": 3, "boho": 0.4}),
    "White": ("#f7f5f0", {"casual": 2, "office": 1.5, "sporty": 2, "streetwear": 2, "minimal": 3}),
    "Navy": ("#22304f", {"office": 2.5, "sporty": 1.5, "evening": 1.5, "boho": 0.4}),
    "Beige": ("#d8c3a0", {"casual": 1.5, "office": 1.5, "boho": 2, "minimal": 2.5, "sporty": 0.3}),
    "Camel": ("#b98a5b", {"office": 2, "boho": 1.5, "minimal": 1.5, "sporty": 0.2}),
    "Grey": ("#8d8d8d", {"casual": 1.5, "office": 2, "sporty": 2, "streetwear": 2, "minimal": 2.5, "boho": 0.4}),
    "Denim Blue": ("#4f6f9f", {"casual": 2, "streetwear": 1.5, "evening": 0.2}),
    "Sage": ("#9caf88", {"boho": 2, "casual": 1.2}),
    "Olive": ("#6b6f3a", {"boho": 2, "streetwear": 2.5, "evening": 0.3}),
    "Terracotta": ("#c4623f", {"boho": 3, "minimal": 0.3}),
    "Burgundy": ("#7a1f35", {"evening": 3, "sporty": 0.3}),
    "Blush": ("#e8b4b8", {"evening": 1.2, "streetwear": 0.5}),
    "Mustard": ("#d4a32a", {"boho": 2.5, "office": 0.3, "evening": 0.3, "minimal": 0.2}),
    "Red": ("#c0392b", {"sporty": 1.5, "evening": 2, "office": 0.5, "minimal": 0.2}),
    "Lilac": ("#b7a3d3", {"sporty": 1.5, "office": 0.3, "minimal": 0.3}),
    "Emerald": ("#1f7a5a", {"evening": 2.5}),
}

# name -> (price tier multiplier, weight per style; a small floor applies to the rest)
BRANDS: dict[str, tuple[float, dict[str, float]]] = {
    "Maré Alta": (1.0, {"casual": 2, "boho": 2}),
    "Linha Norte": (1.5, {"office": 3, "minimal": 2}),
    "Pulso Athletic": (1.1, {"sporty": 4}),
    "Asfalto Club": (1.0, {"streetwear": 4}),
    "Atelier Lumi": (1.8, {"evening": 3, "minimal": 1}),
    "Casa Juta": (0.8, {"boho": 4}),
    "Básico Diário": (0.7, {"casual": 3, "minimal": 1}),
    "Rota 22": (0.8, {"streetwear": 2, "sporty": 2}),
    "Oliva Studio": (1.2, {"minimal": 3, "office": 2}),
    "Brisa Tropical": (0.85, {"casual": 2, "boho": 2}),
    "Trilha Run": (1.4, {"sporty": 4}),
    "Noite Clara": (1.2, {"evening": 3, "office": 1}),
}
_BRAND_FLOOR = 0.1

# Silhouettes in a 300x360 box, drawn with fill-rule evenodd.
SILHOUETTES = {
    "dress": "M118 22h8v34h-8zM174 22h8v34h-8zM112 56h76l-4 44q-6 16 4 30l68 172q-102 26-212 0l68-172q10-14 4-30z",
    "top": "M110 50L50 80L72 130L102 116V310H198V116L228 130L250 80L190 50Q150 80 110 50Z",
    "trousers": "M95 40H205L222 330H164L150 130L136 330H78Z",
    "skirt": "M108 60H192V82H108zM108 90H192L250 290Q150 316 50 290Z",
    "jacket": "M112 40L62 68L38 300H80L96 136V322H204V136L220 300H262L238 68L188 40L150 150Z",
    "sweater": "M110 50L62 74L36 288H78L100 140V296H200V140L222 288H264L238 74L190 50Q150 76 110 50ZM100 300H200V318H100Z",
    "tank": "M114 40H134Q150 72 166 40H186L192 112Q214 150 206 312H94Q86 150 108 112Z",
    "sneaker": "M40 262Q38 214 66 200L132 184Q160 214 204 216L252 232Q270 246 266 262ZM38 270H268V292H38Z",
    "heel": "M70 170Q84 156 100 174Q150 254 250 270Q272 286 250 302H150Q110 284 92 236L86 322H72Z",
    "bag": "M80 140H220L242 312H58ZM114 140Q114 66 150 66Q186 66 186 140H170Q170 84 150 84Q130 84 130 140Z",
    "jewellery": "M150 56A96 96 0 1 1 149.9 56ZM150 68A84 84 0 1 0 150.1 68ZM150 244L176 282L150 320L124 282Z",
}
_BACKGROUND = "#ece7df"

# name -> (share, silhouette, median price in BRL, materials, {noun: {style: weight}})
CATEGORIES: dict[str, tuple[float, str, float, list[str], dict[str, dict[str, float]]]] = {
    "Dresses": (0.13, "dress", 229.0, ["Linen", "Satin", "Cotton", "Crepe", "Viscose"], {
        "Midi Dress": {"casual": 3, "boho": 2, "office": 2, "evening": 1, "minimal": 1},
        "Maxi Dress": {"boho": 4, "casual": 2, "evening": 2},
        "Slip Dress": {"evening": 4, "minimal": 2},
        "Wrap Dress": {"office": 3, "casual": 2, "evening": 1},
        "Shirt Dress": {"office": 3, "casual": 3, "minimal": 2},
    }),
    "Tops": (0.12, "top", 89.0, ["Cotton", "Linen", "Silk", "Jersey", "Poplin"], {
        "T-Shirt": {"casual": 4, "streetwear": 3, "minimal": 2, "sporty": 1},
        "Blouse": {"office": 4, "boho": 2, "evening": 1},
        "Tank Top": {"casual": 3, "sporty": 2, "boho": 1},
        "Crop Top": {"streetwear": 3, "casual": 2, "evening": 1},
        "Button-Down Shirt": {"office": 4, "minimal": 2, "casual": 2},
    }),
    "Jeans": (0.09, "trousers", 199.0, ["Rigid Denim", "Stretch Denim", "Washed Denim", "Organic Denim", "Raw Denim"], {
        "Straight Jeans": {"casual": 3, "minimal": 1, "office": 1},
        "Wide-Leg Jeans": {"streetwear": 2, "boho": 2, "casual": 2},
        "Skinny Jeans": {"casual": 3, "evening": 1},
        "Mom Jeans": {"casual": 3, "streetwear": 2},
        "Flared Jeans": {"boho": 4, "casual": 1},
    }),
    "Trousers": (0.08, "trousers", 179.0, ["Linen", "Cotton", "Twill", "Crepe", "Wool-Blend"], {
        "Tailored Trousers": {"office": 5, "minimal": 2},
        "Wide-Leg Trousers": {"office": 2, "boho": 2, "minimal": 2, "evening": 1},
        "Cargo Pants": {"streetwear": 4, "casual": 1},
        "Joggers": {"sporty": 3, "streetwear": 2, "casual": 2},
        "Chinos": {"casual": 3, "office": 2},
    }),
    "Skirts": (0.07, "skirt", 139.0, ["Linen", "Satin", "Denim", "Cotton", "Crepe"], {
        "Midi Skirt": {"office": 2, "casual": 2, "boho": 2, "minimal": 1},
        "Mini Skirt": {"streetwear": 2, "evening": 2, "casual": 2},
        "Pleated Skirt": {"office": 3, "evening": 1},
        "Tiered Maxi Skirt": {"boho": 5},
        "Pencil Skirt": {"office": 5, "evening": 1},
    }),
    "Jackets": (0.08, "jacket", 329.0, ["Wool", "Cotton", "Nylon", "Suede", "Linen"], {
        "Blazer": {"office": 6, "minimal": 2, "evening": 1},
        "Trucker Jacket": {"casual": 3, "streetwear": 2, "boho": 1},
        "Bomber Jacket": {"streetwear": 5, "sporty": 1},
        "Trench Coat": {"office": 3, "minimal": 3},
        "Windbreaker": {"sporty": 4, "streetwear": 2},
    }),
    "Knitwear": (0.07, "sweater", 189.0, ["Merino", "Cotton", "Cashmere-Blend", "Alpaca-Blend", "Chunky"], {
        "Cardigan": {"casual": 3, "boho": 2, "office": 2},
        "Crewneck Sweater": {"casual": 3, "minimal": 3},
        "Turtleneck": {"minimal": 3, "office": 3, "evening": 1},
        "Knit Vest": {"office": 2, "streetwear": 2},
        "Oversized Sweater": {"streetwear": 3, "casual": 3},
    }),
    "Activewear": (0.08, "tank", 129.0, ["Seamless", "Recycled", "Performance", "Mesh", "Quick-Dry"], {
        "Leggings": {"sporty": 7, "casual": 1},
        "Sports Bra": {"sporty": 8},
        "Running Shorts": {"sporty": 7},
        "Training Tee": {"sporty": 5, "casual": 1, "streetwear": 1},
        "Track Jacket": {"sporty": 4, "streetwear": 3},
    }),
    "Sneakers": (0.08, "sneaker", 349.0, ["Leather", "Canvas", "Mesh", "Suede", "Knit"], {
        "Running Sneakers": {"sporty": 6, "streetwear": 1},
        "Low-Top Sneakers": {"casual": 4, "streetwear": 2},
        "Chunky Sneakers": {"streetwear": 5, "sporty": 1},
        "Court Sneakers": {"minimal": 3, "casual": 3, "office": 1},
        "Slip-On Sneakers": {"casual": 3, "minimal": 2},
    }),
    "Heels & Sandals": (0.08, "heel", 259.0, ["Leather", "Suede", "Patent", "Raffia", "Metallic"], {
        "Stiletto Pumps": {"evening": 4, "office": 3},
        "Block-Heel Sandals": {"evening": 2, "boho": 2, "office": 2, "casual": 1},
        "Flat Sandals": {"boho": 4, "casual": 3},
        "Mules": {"minimal": 3, "office": 2, "casual": 1},
        "Espadrilles": {"boho": 4, "casual": 3},
    }),
    "Bags": (0.07, "bag", 279.0, ["Leather", "Vegan Leather", "Canvas", "Woven", "Nylon"], {
        "Tote Bag": {"casual": 3, "office": 3, "minimal": 2},
        "Crossbody Bag": {"casual": 3, "streetwear": 2, "boho": 1},
        "Clutch": {"evening": 6},
        "Backpack": {"sporty": 3, "streetwear": 3, "casual": 2},
        "Bucket Bag": {"boho": 3, "casual": 2},
    }),
    "Jewellery": (0.05, "jewellery", 99.0, ["Gold-Plated", "Silver", "Beaded", "Pearl", "Enamel"], {
        "Hoop Earrings": {"evening": 2, "boho": 2, "minimal": 2, "casual": 1},
        "Pendant Necklace": {"minimal": 3, "evening": 2, "office": 1},
        "Chain Bracelet": {"minimal": 2, "streetwear": 2, "casual": 1},
        "Statement Earrings": {"evening": 4, "boho": 2},
        "Stacking Rings": {"minimal": 3, "boho": 1},
    }),
}
_PER_CATEGORY = 5  # materials and nouns per category (every category has five of each)

OUT_OF_STOCK_SHARE = 0.08
LOW_STOCK_SHARE = 0.10  # stock of 1-3


def _sample_rows(rng: np.random.Generator, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Draw one column index per element of `rows` from the weight matrix row it names."""
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(rows))
    picked = (u[:, None] > cumulative[rows]).sum(axis=1)
    return np.minimum(picked, weights.shape[1] - 1)


def _svg_uri(silhouette: str, fill: str) -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 360">'
        f'<rect width="300" height="360" fill="{_BACKGROUND}"/>'
        f'<path d="{SILHOUETTES[silhouette]}" fill="{fill}" fill-rule="evenodd" '
        'stroke="#000" stroke-opacity=".25" stroke-width="3" stroke-linejoin="round"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def generate_catalog(n: int = SAMPLE_SIZE, *, seed: int = 7, images: str = "svg") -> pd.DataFrame:
    """A catalog of `n` products with the columns of `COLUMNS`, the same for the same seed.

    `images`: "svg" (an offline data URI per product), "url" (placeholder https
    URLs) or "none" (a column of missing values).
    """
    if images not in {"svg", "url", "none"}:
        raise ValueError(f"images must be 'svg', 'url' or 'none', not {images!r}")
    rng = np.random.default_rng(seed)
    categories = list(CATEGORIES)
    colors, brands = list(COLORS), list(BRANDS)
    specs = list(CATEGORIES.values())

    shares = np.array([spec[0] for spec in specs])
    cat = rng.choice(len(categories), size=n, p=shares / shares.sum())
    noun = cat * _PER_CATEGORY + rng.integers(0, _PER_CATEGORY, n)
    material = rng.integers(0, _PER_CATEGORY, n)

    noun_styles = np.array([[w.get(s, 0.0) for s in STYLES] for spec in specs for w in spec[4].values()])
    style = _sample_rows(rng, noun_styles, noun)
    style_colors = np.array([[COLORS[c][1].get(s, 1.0) for c in colors] for s in STYLES])
    color = _sample_rows(rng, style_colors, style)
    style_brands = np.array([[BRANDS[b][1].get(s, 0.0) + _BRAND_FLOOR for b in brands] for s in STYLES])
    brand = _sample_rows(rng, style_brands, style)

    median = np.array([spec[2] for spec in specs])[cat]
    tier = np.array([BRANDS[b][0] for b in brands])[brand]
    raw = median * tier * np.exp(rng.normal(0.0, 0.28, n))
    cents_off = np.where(rng.random(n) < 0.8, 0.10, 0.01)  # R$ 149,90 or R$ 149,99
    price = np.round(np.maximum(np.round(raw / 10) * 10, 30) - cents_off, 2)

    u = rng.random(n)
    stock = np.where(
        u < OUT_OF_STOCK_SHARE, 0,
        np.where(u < OUT_OF_STOCK_SHARE + LOW_STOCK_SHARE, rng.integers(1, 4, n),
                 4 + np.minimum(rng.exponential(30.0, n), 400).astype(np.int64)),
    )

    # Sparse, sorted, unique numeric ids of a fixed width; the first ones start with zeros.
    width = max(6, len(str(20 * n)))
    stride = 10**width // max(n, 1)
    ids = pd.Series(np.arange(n) * stride + rng.integers(0, stride, n), dtype="int64")
    product_id = ids.astype(str).str.zfill(width)

    names = np.array([
        f"{m} {noun_name} — {c}"
        for spec in specs for noun_name in spec[4] for m in spec[3] for c in colors
    ], dtype=object)
    name = names[(noun * _PER_CATEGORY + material) * len(colors) + color]

    if images == "svg":
        uris = np.array([_svg_uri(spec[1], COLORS[c][0]) for spec in specs for c in colors], dtype=object)
        image_url = pd.Series(uris[cat * len(colors) + color], dtype="str")
    elif images == "url":
        image_url = "https://img.example.com/p/" + product_id + ".jpg"
    else:
        image_url = pd.Series(np.full(n, np.nan), dtype="str")

    return pd.DataFrame({
        "product_id": product_id,
        "name": pd.Series(name, dtype="str"),
        "category": pd.Series(np.array(categories, dtype=object)[cat], dtype="str"),
        "color": pd.Series(np.array(colors, dtype=object)[color], dtype="str"),
        "style": pd.Series(np.array(STYLES, dtype=object)[style], dtype="str"),
        "brand": pd.Series(np.array(brands, dtype=object)[brand], dtype="str"),
        "price": price.astype("float64"),
        "stock": pd.array(stock, dtype="Int64"),
        "image_url": image_url,
    }, columns=COLUMNS)


def write_sample_catalog(path: Path = SAMPLE_CATALOG_PATH) -> Path:
    """Write the bundled sample (UTF-8, text fields quoted so ids keep their zeros)."""
    frame = generate_catalog(SAMPLE_SIZE)
    frame["price"] = [Decimal(f"{price:.2f}") for price in frame["price"]]  # bare, 2 decimals
    frame["stock"] = frame["stock"].astype(int)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(frame.itertuples(index=False))
    return path


def load_sample_frame() -> pd.DataFrame:
    """The bundled sample as written: text columns as str, price float, stock Int64."""
    dtypes = dict.fromkeys(COLUMNS, "str") | {"price": "float64", "stock": "Int64"}
    return pd.read_csv(
        SAMPLE_CATALOG_PATH, dtype=dtypes, encoding="utf-8", keep_default_na=False, na_values=[""],
    )


if __name__ == "__main__":
    print(f"wrote {write_sample_catalog()}")
