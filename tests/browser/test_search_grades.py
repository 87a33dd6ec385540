"""Grading search results in a real browser, on the simulator: "Grade results" puts a grade under each card, two
clicks grade two results, the judgments CSV downloads (read back as an uploaded one is), and the Audits page's query
set uses the grades marked."""

from __future__ import annotations

import pytest

from fashionai.relevance.judgments import read_judgments
from tests.browser.streamlit_page import (
    download,
    expect,
    expect_no_exception,
    fill_text,
    get_widget,
    go_to,
    main,
    rerun,
)

pytestmark = pytest.mark.browser


def test_two_results_graded_downloaded_and_used_by_the_audits_page(studio):
    go_to(studio, "Search")
    fill_text(main(studio), "Query", "vestido azul")
    expect(main(studio).get_by_text("“vestido azul”")).to_be_visible()
    with rerun(studio):
        main(studio).get_by_test_id("stCheckbox").filter(has_text="Grade results").locator("label").click()
    expect(main(studio).get_by_text("Grade each result:")).to_be_visible()
    groups = main(studio).get_by_test_id("stButtonGroup").filter(has_text="3")
    expect(groups.first).to_be_visible()
    with rerun(studio):
        groups.nth(0).get_by_text("3", exact=True).click()
    with rerun(studio):
        groups.nth(1).get_by_text("0", exact=True).click()
    expect_no_exception(studio)
    expect(main(studio).get_by_text("2 results of this query graded")).to_be_visible()
    judged = read_judgments(download(main(studio), "Download the judgments (CSV)"), name="judgments-search.csv")
    assert sorted(judged.of("vestido azul").values()) == [0, 3] and judged.count == 2

    go_to(studio, "Audits")
    with rerun(studio):
        get_widget(main(studio), "stRadio", "Queries").get_by_text("Typed", exact=True).click()
    queries = get_widget(main(studio), "stTextArea", "Queries, one a line").locator("textarea")
    with rerun(studio):
        queries.fill("vestido azul")
        queries.press("Control+Enter")
    with rerun(studio):
        main(studio).get_by_test_id("stCheckbox").filter(has_text="Use the judgments marked").locator("label").click()
    expect(main(studio).get_by_text("1 query, 2 judgments")).to_be_visible()
    expect_no_exception(studio)
