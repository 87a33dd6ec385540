"""AppTest of the compare page, on the simulator and against loopback live APIs."""

from __future__ import annotations

import json

from fashionai.ui.compare_widgets import TABS
from tests.apptest_helpers import compare_tabs, open_page, texts
from tests.pages.compare_pages import PAGE, TOKEN, charts, compare_button, in_tab


DEFAULT_LANES = ["Persona: Sporty shopper", "Persona: Office shopper", "Native order", "Best sellers"]


def every_tab(at) -> tuple[int, int]:
    """The charts and tables drawn in all the tabs, opened one after another (then back to the first)."""
    drawn = []
    for _label in compare_tabs(at):
        assert not at.exception
        drawn.append((len(charts(at)), len(at.dataframe)))
    return sum(c for c, _ in drawn), sum(d for _, d in drawn)


def test_the_page_opens_with_two_personas_and_both_baselines(app):
    open_page(app, PAGE)
    assert app.multiselect(key="compare_lanes").value == DEFAULT_LANES
    assert app.selectbox(key="compare_category").value == "Knitwear"  # the sample's first category
    assert "Press **Compare lanes**" in texts(app)
    assert not charts(app)


def test_one_click_shows_bump_chart_changes_and_measures(app):
    open_page(app, PAGE)
    compare_button(app).click().run()
    assert not app.exception
    assert not app.error
    assert app.session_state["compare_tab"] == TABS[0] and len(charts(app)) == 1  # only the open tab: the bump chart
    (key,) = app.dataframe  # the bump chart's key: each letter drawn in its points, and its product
    assert list(key.value.columns) == ["key", "name", "product_id"] and list(key.value["key"][:2]) == ["A", "B"]
    page = texts(app)
    for label in ("Sporty shopper", "Office shopper", "Native order", "Best sellers"):
        assert f"**{label}**" in page
    assert "Fashion\\.AI ranked 93 products" in page  # the personas' storefronts
    assert app.selectbox(key="compare_reference").value == "Native order"
    # bump chart, rank changes, attribute lift and the four measure matrices; the bump chart's key, the change
    # summary and list, the why figures, the pairwise measures and the top K
    assert every_tab(app) == (7, 6)
    in_tab(app, "Rank changes")
    assert {m.label for m in app.metric} == {"Moved up", "Moved down", "New in top 10", "Dropped from top 10"}
    assert "both show in the top 10" in texts(app) or "keep their places" in texts(app)  # the counts in words


def test_only_the_open_tab_is_drawn_and_it_stays_open_through_a_view_change(app):
    open_page(app, PAGE)
    compare_button(app).click().run()
    in_tab(app, "Measures")
    assert len(charts(app)) == 4 and not app.metric  # the four heatmaps; no rank change counts
    app.slider(key="compare_k").set_value(5).run()
    assert not app.exception
    assert app.session_state["compare_tab"] == TABS[3] and len(charts(app)) == 4
    assert "share 5 of their top 5" in texts(app) or "of their top 5" in texts(app)
    in_tab(app, "Rank changes")
    assert len(charts(app)) == 1 and {m.label for m in app.metric} >= {"New in top 5"}


def test_the_change_list_writes_prices_as_the_cards_do_with_headers_in_words(app):
    open_page(app, PAGE)
    compare_button(app).click().run()
    in_tab(app, "Rank changes")
    assert not app.exception
    [table] = [t for t in app.dataframe if "movement" in t.value.columns]
    assert list(table.value.columns)[:3] == ["movement", "image_url", "name"]  # the change first, as before
    prices = [p for p in table.value["price"] if p != "—"]
    assert prices and all(p.startswith("R$ ") and p[-3] == "," for p in prices), prices[:3]
    labels = {name: config.get("label") for name, config in json.loads(table.proto.columns).items()
              if name != "_index"}
    assert labels["movement"] == "Change" and labels["ref_rank"] == "Rank in Native order"
    assert all(label and label[0].isupper() and "_" not in label for label in labels.values()), labels
    assert table.proto.placeholder == "—"


def test_view_controls_recompute_without_calling_fashionai(app, live_sim):
    open_page(app, PAGE)
    compare_button(app).click().run()
    assert not app.exception
    calls = live_sim.calls
    assert calls > 0
    app.slider(key="compare_k").set_value(5).run()
    app.slider(key="compare_p").set_value(0.8).run()
    app.selectbox(key="compare_reference").set_value("Best sellers").run()
    assert not app.exception
    assert every_tab(app)[0] == 7
    in_tab(app, "Rank changes")
    assert {m.label for m in app.metric} >= {"New in top 5"}
    assert live_sim.calls == calls  # neither the view nor opening the tabs called Fashion.AI


def test_a_failing_lane_shows_its_error_while_the_others_render(app, live_sim):
    app.session_state["compare_sessions"] = "broken-session"
    open_page(app, PAGE)
    compare_button(app).click().run()
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and "Lane broken\\-session did not work" in errors[0]
    assert "HTTP 500" in errors[0]
    assert every_tab(app)[0] == 7  # the four other lanes are compared
    assert "broken-session" not in app.selectbox(key="compare_reference").options
    assert TOKEN not in texts(app)


def test_live_mode_counts_the_tracking_events_first(app, fake_api):
    open_page(app, PAGE)
    warnings = " ".join(w.value for w in app.warning)
    assert "Fashion.AI records every call" in warnings
    assert "18 tracking events" in warnings  # two personas: 4 and 5 steps, two events each
    assert not fake_api.requests  # nothing is sent before the click


def test_a_rejected_token_fails_the_api_lanes_and_keeps_the_native_order(app, fake_api):
    fake_api.mode = "401"
    open_page(app, PAGE)
    compare_button(app).click().run()
    assert not app.exception
    assert len(app.error) == 3  # two personas and the best sellers
    assert all("app token" in e.value for e in app.error)
    page = texts(app)
    assert "storefront without Fashion\\.AI" in page  # the native lane still shows
    assert "Fewer than two lanes have a ranking" in page
    assert TOKEN not in page


def test_too_few_lanes_is_said_before_any_call(app):
    open_page(app, PAGE)
    app.multiselect(key="compare_lanes").set_value(["Native order"]).run()
    assert not app.exception
    assert any("Choose 2 to 8 lanes" in w.value for w in app.warning)
    assert any("1 lane is chosen" in w.value for w in app.warning)  # not "1 are chosen"
    assert compare_button(app).disabled


def test_one_tracking_event_is_said_in_the_singular(app):
    app.session_state["compare_sessions"] = "sess-a"
    open_page(app, PAGE)
    app.multiselect(key="compare_lanes").set_value(["Native order"]).run()
    assert not app.exception
    assert "This comparison sends 1 tracking event." in texts(app)  # not "1 tracking events"
    compare_button(app).click().run()
    assert not app.exception
    assert ": 2 lanes" in texts(app)


def test_shopper_sessions_become_lanes(app):
    app.session_state["compare_sessions"] = "sess-a\nsess-b, 90"
    open_page(app, PAGE)
    app.multiselect(key="compare_lanes").set_value(["Native order"]).run()
    compare_button(app).click().run()
    assert not app.exception
    page = texts(app)
    assert "**sess\\-a**" in page and "**sess\\-b · user 90**" in page
    # new sessions get an empty answer: the storefront (and the lane) shows the native order
    assert sum("doesn't know this session yet" in w.value for w in app.warning) == 2


def test_the_measures_are_said_in_words_and_the_why_chart_shows_its_top_values(app):
    open_page(app, PAGE)
    compare_button(app).click().run()
    in_tab(app, "Measures")
    page = texts(app)
    reference, other = app.selectbox(key="compare_reference").value, app.selectbox(key="compare_other").value
    assert f"**{reference} and {other}:** These two storefronts share " in page
    assert "\nTaken whole, the top counting most, the two lists are " in page  # beside the RBO heatmap
    assert any(words in page for words in ("\nThe products they share come ", "no order to compare",
                                           "too few products in common"))
    pairs = next(frame.value for frame in app.dataframe if "reading" in frame.value.columns)
    assert pairs["reading"].str.startswith("These two storefronts").all()
    in_tab(app, "Why")
    why_all = app.toggle(key="compare_why_all")
    assert why_all.value is False and why_all.label.startswith("Show all ")
    lift_spec = next(json.loads(chart.proto.spec) for chart in charts(app) if "Lift" in chart.proto.spec)
    assert len(lift_spec["layer"][0]["encoding"]["y"]["sort"]) == 8
    why_all.set_value(True).run()
    lift_spec = next(json.loads(chart.proto.spec) for chart in charts(app) if "Lift" in chart.proto.spec)
    assert len(lift_spec["layer"][0]["encoding"]["y"]["sort"]) > 8
    assert not app.exception


def test_the_rbo_setting_has_a_plain_name_with_the_technical_one_in_its_help(app):
    open_page(app, PAGE)
    compare_button(app).click().run()
    slider = app.slider(key="compare_p")
    assert slider.label == "Weight of the top ranks (RBO p)"
    assert "rank-biased overlap's persistence p" in slider.help


def test_at_a_large_k_the_rank_changes_chart_draws_the_biggest_moves_and_a_toggle_draws_all(app):
    open_page(app, PAGE)
    compare_button(app).click().run()
    app.slider(key="compare_k").set_value(40).run()
    in_tab(app, "Rank changes")
    assert not app.exception

    def rows() -> int:
        [spec] = [json.loads(chart.proto.spec) for chart in charts(app)]
        return len(spec["layer"][1]["encoding"]["y"]["sort"])

    show_all = app.toggle(key="compare_changes_all")
    assert show_all.value is False and show_all.label.startswith("Chart all ")
    total = int(show_all.label.split()[2])
    assert total > 20 and rows() == 20
    show_all.set_value(True).run()
    assert rows() == total and not app.exception
    app.slider(key="compare_k").set_value(5).run()  # few products: no toggle
    assert rows() <= 10 and not [t for t in app.toggle if t.key == "compare_changes_all"]


def test_a_name_after_a_second_comma_labels_a_shopper_sessions_lane_as_typed(app):
    app.session_state["compare_sessions"] = "sess-a, , Anna *VIP* <b>x</b>\nsess-b, 90, Office shopper"
    open_page(app, PAGE)
    app.multiselect(key="compare_lanes").set_value(["Native order", "Persona: Office shopper"]).run()
    compare_button(app).click().run()
    assert not app.exception
    page = texts(app)
    assert "**Anna \\*VIP\\* \\<b\\>x\\</b\\>**" in page  # the name as typed, its Markdown escaped
    assert "**Office shopper \\(2\\)**" in page  # a name a persona already has is numbered
    assert app.selectbox(key="compare_reference").options.count("Office shopper (2)") == 1


def test_the_compare_inputs_are_kept_across_page_switches_with_their_result(app):
    """Issue 21, item 22: coming back to Compare lanes reset its inputs but kept the old result, then said
    the category had changed. The inputs (and the view's settings) are kept with the result."""
    open_page(app, PAGE)
    category = app.selectbox(key="compare_category").options[2]
    app.selectbox(key="compare_category").set_value(category).run()
    lanes = ["Native order", "Best sellers", "Persona: Sporty shopper"]
    app.multiselect(key="compare_lanes").set_value(lanes).run()
    app.text_area(key="compare_sessions").set_value("sess-a, , Anna").run()
    app.checkbox(key="compare_sidebar").check().run()
    compare_button(app).click().run()
    app.slider(key="compare_k").set_value(5).run()
    assert not app.exception and app.session_state["compare_result"].category == category

    app.switch_page("pages/storefront.py").run()
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.selectbox(key="compare_category").value == category
    assert app.multiselect(key="compare_lanes").value == lanes
    assert app.text_area(key="compare_sessions").value == "sess-a, , Anna"
    assert app.checkbox(key="compare_sidebar").value
    assert app.slider(key="compare_k").value == 5
    assert not [w for w in app.warning if "changed" in w.value]  # no stale note: nothing was changed


def test_the_lanes_to_compare_are_all_said_the_added_sessions_too(app):
    """Issue 21, item 23: the lane picker hid the fourth lane and never showed the added sessions."""
    open_page(app, PAGE)
    app.text_area(key="compare_sessions").set_value("sess-a, , Anna\nsess-b").run()
    (said,) = [c.value for c in app.caption if ":material/view_column:" in c.value]
    said = said.replace("\\", "")
    assert said.startswith(":material/view_column: 6 lanes: ")
    for lane in [*(lane.removeprefix("Persona: ") for lane in DEFAULT_LANES), "Anna", "sess-b"]:
        assert lane in said
