"""AppTest of the walk's leave-one-out panel: its cost said before anything is sent, the run on the audit runner
(in the background), the result read back from the stored run with no call, and a viewer refused live."""

from __future__ import annotations

from datetime import datetime, timezone

from fashionai.audit import background
from fashionai.domain import EventType
from fashionai.walk.steps import Walk
from fashionai.walk.trail import answered
from tests.apptest_helpers import button, open_page, opened_by_a_colleague
from tests.apptest_helpers import texts as all_texts
from tests.team_helpers import AUTH_SECRETS, signed_in

PAGE = "pages/walk.py"
RUN = "walk_explain_run"


def texts(app) -> str:
    return all_texts(app).replace("\\", "")


def calls(store) -> int:
    """Every call saved in the history (the walk's and the experiment's)."""
    return len(store.query(limit=10_000))


def walked(app):
    """A walk of three tracking events: a category page, then a product page (its view and its look)."""
    open_page(app, PAGE)
    category = app.selectbox(key="walk_pick_category").options[0]
    app.selectbox(key="walk_pick_category").set_value(category).run()
    button(app, "Open category").click().run()
    [b for b in app.button if b.label == "Open"][0].click().run()
    assert not app.exception
    return category


def test_the_cost_then_the_run_then_the_result_replayed_from_the_store(app, store):
    open_page(app, PAGE)
    assert "Nothing to replay yet: open a category first: each replay of the walk ends" in texts(app)  # a new walk: said, no button

    category = walked(app)
    sent = calls(store)
    assert "Replays 3 events of the walk of" in texts(app)
    assert "22 calls" in texts(app)  # best sellers + all (4) + without each (3 x 3) + two twins (2 x 4)
    assert calls(store) == sent  # saying the cost sent nothing

    button(app, "Run the experiment").click().run()
    assert not app.exception and not app.error
    run_id = app.session_state[RUN]
    assert background.wait(run_id, timeout=60)
    app.run()
    assert not app.exception and not app.error
    assert calls(store) == sent + 22
    words = texts(app)
    assert "Read from the stored run" in words and "no call was made" in words
    assert " moved " in words and "from #" in words  # the biggest moves said as sentences
    assert app.get("vega_lite_chart")  # and the heatmap

    app.run()  # shown again: read from the store, no call
    assert calls(store) == sent + 22
    assert category in words

    pick = app.selectbox(key="walk_explain_product")  # the merchandiser points at the first product
    pick.set_value(pick.options[0]).run()
    assert not app.exception
    story = [line for line in texts(app).splitlines() if line.startswith("- ")]
    assert len([line for line in story if " moved " in line or " did not move " in line]) >= 3  # one an event
    assert calls(store) == sent + 22

    button(app, "Restart").click().run()  # a new walk: the last one's experiment is not shown with it
    assert RUN not in app.session_state and "Read from the stored run" not in texts(app)


def crafted_walk(app, catalog):
    """A walk of two events put in the page's state (as one made before the role or backend changed)."""
    session = app.session_state["shopper_session_id"]
    category = catalog.categories[0]
    at = datetime.now(timezone.utc)
    trail = (answered((), EventType.CATEGORY_VIEW, category, (), elapsed=0.1, snapshot=None, at=at),
             answered((), EventType.PRODUCT_VIEW, catalog.category_ids(category)[0], (), elapsed=0.1, snapshot=None,
                      at=at))
    app.session_state["walk_state"] = Walk(session, None, trail=trail)


def test_a_viewer_is_refused_the_live_experiment(app, fake_api, catalog):
    app.secrets = AUTH_SECRETS
    app.user = signed_in("viewer@example.com", "A viewer", ["viewer"])
    open_page(app, PAGE)
    crafted_walk(app, catalog)
    app.session_state["walk_explain_confirm"] = True
    app.run()
    assert not app.exception
    run = button(app, "Run the experiment")
    assert run.disabled and "takes the merchandiser role" in run.help
    assert RUN not in app.session_state and fake_api.requests == []


def test_live_a_merchandiser_confirms_the_cost_first(app, fake_api, catalog):
    app.secrets = AUTH_SECRETS
    app.user = signed_in("merch@example.com", "A merchandiser", ["merchandiser"])
    open_page(app, PAGE)
    crafted_walk(app, catalog)
    app.run()
    assert "I understand: send these 14 calls to the live Fashion.AI" in [c.label for c in app.checkbox]
    assert button(app, "Run the experiment").disabled  # not confirmed yet
    app.checkbox(key="walk_explain_confirm").check().run()
    assert not button(app, "Run the experiment").disabled
    assert fake_api.requests == []  # nothing sent before the press


def test_the_experiment_has_its_own_deck_and_report_beside_the_walks(app, store):
    walked(app)
    button(app, "Run the experiment").click().run()
    assert background.wait(app.session_state[RUN], timeout=60)
    app.run()
    assert not app.exception
    labels = [b.label for b in app.get("download_button")]
    assert labels.count("Download a report") == 2  # the walk's (with the experiment's section), and its own
    assert labels.count("Download a deck") == 2


def test_the_share_link_names_the_stored_run_and_replays_it_without_a_call(app, store):
    walked(app)
    button(app, "Run the experiment").click().run()
    run_id = app.session_state[RUN]
    assert background.wait(run_id, timeout=60)
    app.run()
    params = dict(app.query_params)
    assert params["page"] == "walk" and params["explain"] == run_id
    sent = calls(store)

    other = opened_by_a_colleague(app, params)
    words = texts(other)
    assert "Read from the stored run" in words and " moved " in words
    assert other.get("vega_lite_chart")
    other.run()
    assert calls(store) == sent  # nothing was sent to Fashion.AI


def test_a_link_to_an_experiment_that_is_gone_says_so(app, store):
    app.query_params.update({"page": "walk", "explain": "f" * 32})
    app.run()
    assert not app.exception and not app.error
    assert "The experiment's stored run is gone (deleted, or past the history's retention): run it again." \
        in texts(app)
    assert calls(store) == 0


def test_over_the_audit_call_cap_only_an_admin_may_run_it(app, catalog, monkeypatch):
    monkeypatch.setenv("FASHIONAI_AUDIT_MAX_CALLS", "5")
    app.secrets = AUTH_SECRETS
    app.user = signed_in("merch@example.com", "A merchandiser", ["merchandiser"])
    open_page(app, PAGE)
    crafted_walk(app, catalog)
    app.run()
    assert "That is more than the 5 calls an audit may make here (the audit call cap)." in texts(app)
    assert button(app, "Run the experiment").disabled
    assert not [box for box in app.checkbox if box.key == "walk_explain_over_cap"], "offered to admins only"

    app.user = signed_in("admin@example.com", "An admin", ["admin"])
    app.run()
    app.checkbox(key="walk_explain_over_cap").check().run()
    assert not button(app, "Run the experiment").disabled
    button(app, "Run the experiment").click().run()
    assert not app.exception and not app.error
    assert background.wait(app.session_state[RUN], timeout=60), "the experiment ran over the cap"
