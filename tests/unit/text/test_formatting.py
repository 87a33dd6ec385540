import pandas as pd
import pytest

from fashionai.text.formatting import (
    PLACEHOLDER_IMAGE,
    code_span,
    column_title,
    control_characters,
    escape_markdown,
    format_price,
    ms_words,
    new_session_id,
    plural,
    safe_image_url,
    stock_status,
    visible,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://cdn.example.com/a.jpg", "https://cdn.example.com/a.jpg"),
        ("http://cdn.example.com/a.jpg", "http://cdn.example.com/a.jpg"),
        ("//cdn.example.com/a.jpg", "https://cdn.example.com/a.jpg"),
        ("data:image/svg+xml;base64,PHN2Zz4=", "data:image/svg+xml;base64,PHN2Zz4="),
        ("data:image/png;base64,iVBO", "data:image/png;base64,iVBO"),
        ("/etc/passwd", PLACEHOLDER_IMAGE),
        ("app.py", PLACEHOLDER_IMAGE),
        ("file:///etc/passwd", PLACEHOLDER_IMAGE),
        ("javascript:alert(1)", PLACEHOLDER_IMAGE),
        ("data:text/html,<script>alert(1)</script>", PLACEHOLDER_IMAGE),
        ('https://x.example/a.jpg" onerror="alert(1)', PLACEHOLDER_IMAGE),
        ("", PLACEHOLDER_IMAGE),
        (None, PLACEHOLDER_IMAGE),
        (pd.NA, PLACEHOLDER_IMAGE),
    ],
)
def test_safe_image_url_allows_only_http_and_data_images(value, expected):
    assert safe_image_url(value) == expected


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (1299.9, "R$", "R$ 1.299,90"),
        (0, "R$", "R$ 0,00"),
        (129.9, "$", "$129.90"),
        (1299.9, "EUR", "EUR 1,299.90"),
        (None, "R$", "—"),
        (pd.NA, "R$", "—"),
        (float("nan"), "R$", "—"),
        ("abc", "R$", "—"),
    ],
)
def test_format_price(value, currency, expected):
    assert format_price(value, currency) == expected


@pytest.mark.parametrize(
    ("stock", "expected"),
    [(10, "in stock"), (4, "in stock"), (3, "low stock"), (1, "low stock"), (0, "out of stock"),
     (-2, "out of stock"), (None, "stock unknown"), (pd.NA, "stock unknown"), ("?", "stock unknown")],
)
def test_stock_status(stock, expected):
    assert stock_status(stock) == expected


def test_escape_markdown_makes_catalog_text_inert():
    text = "**Bold** [link](javascript:x) <b>html</b> `code` :red[x] $x$"
    escaped = escape_markdown(text)
    for char in "*[]()<>`:$":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == char)
    assert escape_markdown(None) == ""


def test_escape_markdown_keeps_html_entities_as_typed():
    """"&lt;b&gt;" must show as typed, not as "<b>" (Markdown decodes entities)."""
    assert escape_markdown("a &lt;b&gt; &amp; c") == "a \\&lt;b\\&gt; \\&amp; c"


def test_new_session_ids_are_synthetic_and_distinct():
    ids = {new_session_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(i.startswith("studio-test-") for i in ids)


# --------------------------------------------------------------------------- counts and headers


@pytest.mark.parametrize(("args", "kwargs", "expected"), [
    ((1, "step"), {}, "1 step"),
    ((0, "step"), {}, "0 steps"),
    ((2, "step"), {}, "2 steps"),
    ((1_200, "product"), {}, "1,200 products"),
    ((1, "lane is", "lanes are"), {}, "1 lane is"),
    ((9, "lane is", "lanes are"), {}, "9 lanes are"),
    ((1, "is", "are"), {"with_count": False}, "is"),
    ((3, "is", "are"), {"with_count": False}, "are"),
    ((1, "best seller"), {}, "1 best seller"),
])
def test_plural_agrees_with_its_count(args, kwargs, expected):
    assert plural(*args, **kwargs) == expected


@pytest.mark.parametrize(("column", "title"), [
    ("brand", "Brand"), ("image_url", "Image url"), ("SKU", "SKU"), ("price_band", "Price band"),
    ("  cor  principal ", "Cor principal"), ("", ""), (3, "3"),
])
def test_column_title_makes_a_header_of_words(column, title):
    assert column_title(column) == title


LINE_SEPARATORS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
"""Every line break Python knows (str.splitlines); Markdown itself ends lines at \\n, \\r and \\r\\n."""
PIXEL = "![p](http://any-host/pixel.png)"


def test_the_line_separators_tested_are_every_one_python_splits_at():
    assert all(len(f"a{sep}b".splitlines()) == 2 for sep in LINE_SEPARATORS)
    assert {chr(c) for c in range(0x3000) if len(f"a{chr(c)}b".splitlines()) == 2} == set("".join(LINE_SEPARATORS))


@pytest.mark.parametrize("sep", LINE_SEPARATORS, ids=[f"U+{ord(s[0]):04X}" for s in LINE_SEPARATORS])
def test_a_line_break_of_any_kind_cannot_end_a_code_span(sep):
    """A blank line inside a code span ends it: "`a\\r\\r![p](...)`" drew the picture after it."""
    span = code_span(f"Category{sep}{sep}{PIXEL}")
    assert span.startswith("`") and span.endswith("`") and span.count("`") == 2
    assert len(span.splitlines()) == 1
    assert span == f"`Category {PIXEL}`"


@pytest.mark.parametrize("sep", LINE_SEPARATORS, ids=[f"U+{ord(s[0]):04X}" for s in LINE_SEPARATORS])
def test_a_line_break_of_any_kind_is_a_space_in_escaped_text(sep):
    escaped = escape_markdown(f"Category{sep}{sep}{PIXEL}{sep}# heading")
    assert len(escaped.splitlines()) == 1
    assert escaped == r"Category \!\[p\]\(http\:\/\/any\-host\/pixel\.png\) \# heading".replace(r"\/", "/")


def test_the_unknown_stock_note_says_the_rule_where_it_decides():
    from fashionai.text.formatting import unknown_stock_note

    assert unknown_stock_note(12, unknown_in_stock=False) == (
        "12 products with unknown stock are hidden: unknown stock counts as out of stock (change it in Settings).")
    assert unknown_stock_note(1, unknown_in_stock=True) == (
        "1 product with unknown stock is shown: unknown stock counts as in stock (change it in Settings).")


@pytest.mark.parametrize("text, words, shown", [
    ("plain é 👗", "", "plain é 👗"),
    ("a\x00b", "NUL (U+0000)", "a<U+0000>b"),
    ("exe.\u202etxt", "a right-to-left override (U+202E)", "exe.<U+202E>txt"),
    ("\u2066x\u2069", "a left-to-right isolate (U+2066), a pop directional isolate (U+2069)", "<U+2066>x<U+2069>"),
    ("c1\x9b", "a control character (U+009B)", "c1<U+009B>"),
    ("tab\tnew\n", "a tab (U+0009), a line break (U+000A)", "tab<U+0009>new<U+000A>"),
])
def test_control_characters_are_named_and_made_visible(text, words, shown):
    # issue 21, item 13: one definition of a control character, for refusals and for printing
    assert control_characters(text) == words
    assert visible(text) == shown


@pytest.mark.parametrize("seconds, words", [(0, "under 1 ms"), (0.0004, "under 1 ms"), (0.0006, "1 ms"),
                                            (0.14, "140 ms"), (1.2044, "1,204 ms")])
def test_a_calls_time_is_never_said_to_be_0_ms(seconds, words):
    """Issue 21, item 23: "Fetched in 0 ms"."""
    assert ms_words(seconds) == words
