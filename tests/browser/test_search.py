"""Search in a real browser, on the simulator and live against the simulator served on loopback with a token: a
merchandiser types "vestido azul" for the sidebar's shopper and sees the cards that shopper would see, what the same
query gives another shopper (a persona), an anonymous one and the store's text match, and the WhatsApp chat cards;
a relevance team runs a judged query set as an audit plan and reads its worst queries. The walk's search box on the
simulator."""

from __future__ import annotations

import re

import pytest

from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    fill_text,
    get_widget,
    go_to,
    main,
    rerun,
    upload_file,
)

pytestmark = pytest.mark.browser


JUDGED = ("257095", "427225", "512190")  # blue dresses of the sample catalog
RUN_MS = 120_000


@pytest.mark.parametrize("mode", ["studio", "live_studio"])
def test_vestido_azul_for_a_shopper_beside_others_on_whatsapp_and_a_judged_query_set_audited(mode, request, tmp_path):
    """Issue 24's "Done when", each step once a mode: on the simulator, and live against the simulator served on
    loopback with a token (the app's client sends every call over HTTP)."""
    page = request.getfixturevalue(mode)
    go_to(page, "Search")
    fill_text(main(page), "Query", "vestido azul")  # Enter sends the search, as the Search button does
    expect_no_exception(page)
    expect(main(page).get_by_text("“vestido azul”")).to_be_visible()
    expect(main(page).get_by_text("order: Fashion.AI's search")).to_be_visible()
    cards = main(page).locator(".fai-card-picture")
    expect(cards.first).to_be_visible()
    names = [label for label in (card.get_attribute("aria-label") for card in cards.all()) if label]
    assert names and all("dress" in name.casefold() for name in names), names[:5]  # vestido: the dresses
    assert any("blue" in name.casefold() or "navy" in name.casefold() for name in names), names[:5]  # azul
    expect(main(page).get_by_text("Arrows compare with the store's own text match")).to_be_visible()

    click_button(main(page), "Compare")  # another shopper (the first persona), no personalization, the text match
    expect_no_exception(page)
    expect(alert(main(page), "Error")).to_have_count(0)
    expect(main(page).get_by_text("Anonymous shopper", exact=True)).to_be_visible()
    expect(main(page).get_by_text("Store's text match", exact=True)).to_be_visible()
    expect(main(page).get_by_text("These two storefronts share").first).to_be_visible()

    click_button(main(page), "Ask the WhatsApp search")
    expect_no_exception(page)
    expect(alert(main(page), "Error")).to_have_count(0)
    expect(main(page).get_by_text("WhatsApp search: request and response")).to_be_visible()

    # a relevance team's judged query set, run as an audit plan
    judgments = tmp_path / "judgments.csv"
    judgments.write_text("query,product_id,grade\n" + "".join(f"vestido azul,{pid},3\n" for pid in JUDGED),
                         encoding="utf-8")
    go_to(page, "Audits")
    expect_no_exception(page)
    for label, value in (("Synthetic personas", 2), ("Personas run twice (stability)", 0), ("Requests per second", 500)):
        field = get_widget(main(page), "stNumberInput", label).locator("input")  # a small plan: 40 calls
        with rerun(page):
            field.fill(str(value))
            field.press("Enter")
    with rerun(page):
        get_widget(main(page), "stRadio", "Queries").get_by_text("Typed", exact=True).click()
    queries = get_widget(main(page), "stTextArea", "Queries, one a line").locator("textarea")
    with rerun(page):
        queries.fill("vestido azul\nzzqx nada parecido")
        queries.press("Control+Enter")
    upload_file(main(page), "Judgments", judgments)
    expect(main(page).get_by_text("2 queries, 3 judgments")).to_be_visible()
    if mode == "live_studio":
        with rerun(page):
            main(page).get_by_text("I understand: start this audit on the live Fashion.AI").click()
    click_button(main(page), "Start the audit")
    expect(main(page).get_by_test_id("stProgress")).to_contain_text(re.compile(r"Finished: ([\d,]+) of \1 calls"),
                                                                    timeout=RUN_MS)
    expect_no_exception(page)
    expect(main(page).get_by_text("Worst queries", exact=True)).to_be_visible()
    expect(main(page).get_by_text("Found nothing for any shopper:")).to_be_visible()  # zzqx nada parecido
    expect(main(page).get_by_text("Least relevant (judged queries, lowest nDCG first):")).to_be_visible()


def test_the_walks_search_box_leads_to_a_product_page_and_into_the_trail(studio):
    go_to(studio, "Shopper walk")
    fill_text(main(studio), "Search the store", "vestido azul")  # Enter only commits the text
    expect(main(studio).get_by_text("No call yet")).to_be_visible()
    click_button(main(studio), "Search")
    expect_no_exception(studio)
    expect(main(studio).get_by_text("Search: “vestido azul”")).to_be_visible()
    opens = main(studio).get_by_test_id("stButton").get_by_role("button", name="Open", exact=True)
    with rerun(studio):  # the first result's "Open": its product page
        opens.first.click()
    expect_no_exception(studio)
    expect(main(studio).get_by_text("Similar for this shopper").first).to_be_visible()
    trail = main(studio).get_by_test_id("stTable")
    expect(trail.get_by_text("vestido azul")).to_be_visible()
    expect(trail.get_by_text("Product page", exact=True)).to_be_visible()
