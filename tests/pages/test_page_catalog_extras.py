"""AppTest of the Catalog page's extra files (issue 13): a products file with its images file attached, the join
reported, cards with pictures; an images file uploaded as the catalog refused in plain words, its own columns
offered for mapping."""

from __future__ import annotations

from fashionai import ui
from fashionai.catalog.uploads import Upload
from tests.apptest_helpers import button, card_pictures, open_page
from tests.apptest_helpers import texts as escaped_texts

PAGE = "pages/catalog.py"
IDS = ["1163", "1164", "1165", "1525", "1526", "0042"]
STYLES = ("id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName\n"
          + "".join(f"{pid},Women,Apparel,Topwear,Tops,Blue,Summer,2012,Casual,Blue Top {pid}\n" for pid in IDS)).encode()
PICTURE = "http://img.example.invalid/v1/images/{}.jpg"  # never fetched: AppTest draws no picture
IMAGES = ("filename,link\n" + "".join(f"{pid}.jpg,{PICTURE.format(pid)}\n" for pid in IDS[:-1])
          + "77777.jpg,http://img.example.invalid/other.jpg\n").encode()


def texts(node) -> str:
    """The text under `node`, Markdown's escapes taken out."""
    return escaped_texts(node).replace("\\", "")


def errors(app) -> str:
    return " ".join(e.value for e in app.error).replace("\\", "")


def in_use(app):
    held = app.session_state.get(ui.UPLOAD_KEY)
    return held.catalog() if isinstance(held, Upload) else held


def upload(app, data, name):
    app.file_uploader(key="catalog_page_upload").set_value((name, data, "text/csv")).run()
    assert not app.exception
    return app


def test_a_products_file_with_its_images_file_attached_gives_cards_with_pictures(app):
    upload(open_page(app, PAGE), STYLES, "styles.csv")
    app.file_uploader(key="catalog_extras_upload").set_value([("images.csv", IMAGES, "text/csv")]).run()
    assert not app.exception
    report = texts(app.main)
    assert "images.csv (images): 5 products of the catalog found, 5 values set" in report
    assert "1 id of the file is not in the catalog (e.g. '77777')" in report
    assert "1 product of the catalog is not in the file (e.g. '0042')" in report
    assert in_use(app).products["image_url"].isna().all()  # nothing changes before Apply

    button(app, "Apply").click().run()
    assert not app.exception
    catalog = in_use(app)
    assert catalog.products.loc["1163", "image_url"] == PICTURE.format("1163")
    assert "styles.csv + images.csv is now your catalog on every page: 6 products" in texts(app.main)
    assert "styles.csv + images.csv: 6 products" in texts(app.sidebar)

    app.switch_page("pages/storefront.py").run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    pictures = card_pictures(app.main)
    assert pictures and any(PICTURE.format(pid) in html for pid in IDS[:-1] for html in pictures)


def test_applying_again_joins_onto_the_products_file_not_the_join(app):
    upload(open_page(app, PAGE), STYLES, "styles.csv")
    app.file_uploader(key="catalog_extras_upload").set_value([("images.csv", IMAGES, "text/csv")]).run()
    button(app, "Apply").click().run()
    stock = b"id;estoque\n1163;4\n0042;0\n"
    app.file_uploader(key="catalog_extras_upload").set_value(
        [("images.csv", IMAGES, "text/csv"), ("estoque.csv", stock, "text/csv")]).run()
    button(app, "Apply").click().run()
    assert not app.exception
    catalog = in_use(app)
    assert catalog.source_name == "styles.csv + images.csv + estoque.csv"
    assert catalog.products.loc["1163", "stock"] == 4 and catalog.products.loc["0042", "stock"] == 0
    assert catalog.products.loc["1164", "image_url"] == PICTURE.format("1164")


def test_an_extra_files_mapping_acts_on_that_file(app):
    upload(open_page(app, PAGE), STYLES, "styles.csv")
    pics = b"ref,picture\nimg/1163.jpg,http://a.invalid/1.jpg\n"
    app.file_uploader(key="catalog_extras_upload").set_value([("pics.csv", pics, "text/csv")]).run()
    assert "1 product of the catalog found" in texts(app.main)  # the values look like file names
    names = [box for box in app.checkbox if box.label == "Ids are file names"][0]
    assert names.value
    names.uncheck().run()
    assert not app.exception
    assert "0 products of the catalog found" in texts(app.main)
    assert "1 id of the file is not in the catalog (e.g. 'img/1163.jpg')" in texts(app.main)


def test_an_images_file_uploaded_as_the_catalog_is_refused_in_plain_words(app):
    upload(open_page(app, PAGE), IMAGES, "images.csv")
    message = errors(app)
    assert "it looks like an images file (a file name and a link)" in message
    assert "attach this one under Extra files" in message
    assert "choose the column that holds the product ids under Columns" in message
    assert "{" not in message and "=" not in message and "product_id" not in message
    assert in_use(app) is None  # the server's catalog stays


def test_the_mapping_of_a_refused_file_acts_on_the_refused_file(app):
    upload(open_page(app, PAGE), b"codigo_interno,titulo\nA1,Red Scarf\nA2,Blue Hat\n", "mine.csv")
    assert "could not be used" in errors(app)
    box = app.selectbox(key="catalog_page_upload_refused_product_id")
    assert box.options == ["(none)", "codigo_interno", "titulo"]  # the refused file's columns, not the catalog's
    box.set_value("codigo_interno")
    button(app, "Read with these columns").click().run()
    assert not app.exception
    catalog = in_use(app)
    assert catalog is not None and catalog.products.index.tolist() == ["A1", "A2"]
    assert "mine.csv is now your catalog on every page" in texts(app.main)


def test_mapping_the_columns_of_a_joined_catalog_reads_its_products_file_again(app):
    upload(open_page(app, PAGE), STYLES, "styles.csv")
    app.file_uploader(key="catalog_extras_upload").set_value([("images.csv", IMAGES, "text/csv")]).run()
    button(app, "Apply").click().run()
    app.selectbox(key="catalog_map_category").set_value("subCategory")
    button(app, "Apply mapping").click().run()
    assert not app.exception
    catalog = in_use(app)
    assert catalog.products.index.tolist() == IDS  # the products file, not the server's catalog
    assert catalog.mapping["category"] == "subCategory"
