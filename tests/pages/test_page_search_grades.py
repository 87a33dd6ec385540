"""AppTest of grading search results (issue 24, item 5): "Grade results" puts a grade 0-3 under each card; the grades
are kept for the browser session, downloadable as the judgments CSV, and the Audits page's query set uses them; a
viewer sees the grades but may not mark one (refused on the server)."""

from __future__ import annotations

from fashionai.relevance.judgments import judgments_csv, mark, read_judgments
from fashionai.ui.session import MARKED_JUDGMENTS_KEY
from tests.apptest_helpers import button, open_page, texts
from tests.pages.audit_pages import PAGE as AUDIT_PAGE
from tests.team_helpers import AUTH_SECRETS, signed_in

PAGE = "pages/search.py"


def grades(app) -> list:
    """The grade controls under the cards, in the cards' order."""
    return [group for group in app.get("button_group") if str(group.key or "").startswith("search_grade_")]


def search_and_grade(app, query: str = "vestido"):
    open_page(app, PAGE)
    app.text_input(key="search_query").input(query)
    button(app, "Search").click().run()
    app.toggle(key="search_grade_mode").set_value(True).run()
    assert not app.exception, app.exception
    return app


def test_two_grades_marked_are_downloadable_and_used_by_the_audits_page(app):
    search_and_grade(app)
    ids = [str(i) for i in app.session_state["search_preview"].products["product_id"]]
    controls = grades(app)
    assert len(controls) >= 2 and "No grade marked yet" in texts(app)
    assert controls[0].options == ["0", "1", "2", "3"]
    assert "Grade each result: **0** not relevant · **1** somewhat · **2** relevant · **3** perfect" in texts(app)
    controls[0].set_value(3).run()
    grades(app)[1].set_value(0).run()
    assert not app.exception and not app.warning
    marked = app.session_state[MARKED_JUDGMENTS_KEY]
    assert {q: dict(p) for q, p in marked.grades.items()} == {"vestido": {ids[0]: 3, ids[1]: 0}}
    assert "2 results of this query graded; 2 grades in all, for 1 query" in texts(app)
    assert [b.proto.label for b in app.get("download_button")].count("Download the judgments (CSV)") == 1
    back = read_judgments(judgments_csv(marked))  # the bytes the button downloads
    assert dict(back.of("vestido")) == {ids[0]: 3, ids[1]: 0}

    app.run()  # a rerun keeps the grades on the cards
    assert [c.value for c in grades(app)[:2]] == [3, 0]

    open_page(app, AUDIT_PAGE)
    app.radio(key="audit_plan_query_source").set_value("typed").run()
    app.text_area(key="audit_plan_queries").set_value("vestido\n").run()
    assert "1 query, no judgments" in texts(app)
    app.checkbox(key="audit_plan_use_marked").check().run()
    assert not app.exception and "1 query, 2 judgments" in texts(app)


def test_a_viewer_sees_the_grades_and_is_refused_marking_one(app):
    app.secrets = AUTH_SECRETS
    app.user = signed_in("viewer@example.com", "A viewer", ["viewer"])
    open_page(app, PAGE)
    app.text_input(key="search_query").input("vestido")
    button(app, "Search").click().run()
    first = str(app.session_state["search_preview"].products["product_id"].iloc[0])
    held = mark(None, "vestido", first, 1)
    app.session_state[MARKED_JUDGMENTS_KEY] = held  # graded before (by a merchandiser of this session)
    app.toggle(key="search_grade_mode").set_value(True).run()
    control = grades(app)[0]
    assert control.value == 1 and control.disabled and "takes the merchandiser role" in control.help
    control.proto.disabled = False  # a crafted request: Streamlit itself drops a disabled widget's change
    control.set_value(3).run()
    assert grades(app)[0].value == 1 and app.session_state[MARKED_JUDGMENTS_KEY] is held

    app.user = signed_in("merch@example.com", "A merchandiser", ["merchandiser"])
    app.run()  # the control drawn for a merchandiser, who is a viewer again when the grade arrives
    app.user = signed_in("viewer@example.com", "A viewer", ["viewer"])
    grades(app)[0].set_value(3).run()
    assert not app.exception
    assert "to grade search results takes the merchandiser role" in texts(app).replace("\\", "")
    assert app.session_state[MARKED_JUDGMENTS_KEY] is held
    assert grades(app)[0].value == 1
