"""Sign-in in the browser (issue 23, item 8): the studio LIVE (the loopback simulator behind it) with [auth] pointing
at an OpenID Connect provider on loopback (tests/oidc_provider.py). Signed out sees the sign-in page and nothing
else; a viewer, a merchandiser and an admin sign in through the provider and each sees and can do their part; the
provider's tokens and the vendor token are in no page, URL, websocket frame or server log."""

from __future__ import annotations

import re
import secrets

import pytest

from fashionai.team.activity import ActivityAction, ActivityLog
from tests.browser import servers
from tests.browser.conftest import _new_page
from tests.browser.streamlit_page import (
    RUN_TIMEOUT_MS,
    alert,
    click_button,
    expect,
    fill_text,
    get_button,
    go_to,
    main,
    open_app,
    nav_links,
    select_option,
    selectbox_options,
    sidebar,
    traffic,
    wait_for_app,
)

pytestmark = pytest.mark.browser

CLIENT_ID = "studio"
MAPPED_GROUP = "Merch Team"  # the provider's own group, a merchandiser by the server's FASHIONAI_ROLE_MAP


@pytest.fixture(scope="module")
def provider():
    try:
        from tests.oidc_provider import start_provider, stop_provider
        started = start_provider(client_id=CLIENT_ID, client_secret="client-secret-" + secrets.token_hex(8))
    except ImportError as err:
        pytest.skip(f"sign-in needs Authlib (and its joserfc) installed: {err}")
    yield started
    stop_provider(started)


@pytest.fixture(scope="module")
def auth_server(browser, tmp_path_factory, provider, simulator_token):
    """The app LIVE against the loopback simulator, with sign-in through the loopback provider."""
    pytest.importorskip("authlib", reason="st.login needs Authlib: pip install 'Authlib>=1.3.2'")
    simulator = servers.start_simulator(simulator_token, verbose=True)  # its request lines counted
    cookie_secret = secrets.token_hex(16)

    def secrets_toml(url: str) -> str:
        return (f'[auth]\nredirect_uri = "{url}/oauth2callback"\ncookie_secret = "{cookie_secret}"\n'
                f'client_id = "{CLIENT_ID}"\nclient_secret = "{provider.client_secret}"\n'
                f'server_metadata_url = "{provider.metadata_url}"\n')
    try:
        env = servers.clean_environment(FASHIONAI_APP_TOKEN=simulator_token, FASHIONAI_BASE_URL=simulator.base_url,
                                        FASHIONAI_ROLE_MAP=f"{MAPPED_GROUP}=merchandiser")
        server = servers.start_app(tmp_path_factory.mktemp("auth-server"), env=env, secrets_toml=secrets_toml)
    except BaseException:
        simulator.stop()
        raise
    server.simulator = simulator
    yield server
    server.stop()
    simulator.stop()


@pytest.fixture
def visitor(browser, auth_server):
    context, page = _new_page(browser, auth_server)
    yield page
    context.close()


def sign_in_as(page, provider, role: str) -> None:
    """Press Sign in; the provider signs in `role`'s person at once and sends the browser back to the studio."""
    provider.next_user = {"email": f"{role}@example.com", "name": f"Pat the {role}", "groups": [role]}
    get_button(main(page), "Sign in").click()
    expect(sidebar(page)).to_contain_text(f"Pat the {role}", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page)


def test_signed_out_sees_the_sign_in_page_and_nothing_else(visitor, auth_server):
    expect(main(visitor).get_by_test_id("stButton")).to_have_count(1)
    expect(get_button(main(visitor), "Sign in")).to_be_visible()
    expect(visitor.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(visitor.get_by_test_id("stSidebarUserContent")).to_have_count(0)
    visitor.goto(auth_server.url + "/history")  # a page's address: the same sign-in page
    wait_for_app(visitor)
    expect(get_button(main(visitor), "Sign in")).to_be_visible()
    expect(main(visitor)).not_to_contain_text("History")
    expect(visitor.get_by_test_id("stSidebar")).to_have_count(0)


@pytest.mark.parametrize(("role", "may_preview"), [("viewer", False), ("merchandiser", True), ("admin", True)])
def test_each_role_signs_in_and_does_its_part(visitor, provider, role, may_preview):
    sign_in_as(visitor, provider, role)
    expect(sidebar(visitor)).to_contain_text(role)
    titles = [title for title, _ in nav_links(visitor)]
    assert ("Team" in titles and "Activity" in titles) is (role == "admin"), titles  # admins' pages, listed to admins
    preview = get_button(main(visitor), "Preview storefront")
    if may_preview:
        click_button(main(visitor), "Preview storefront")
        expect(main(visitor).get_by_test_id("stMetric").first).to_be_visible()
    else:
        expect(preview).to_be_disabled()
    get_button(sidebar(visitor), "Sign out").click()  # Streamlit sends the browser away: a new page, signed out
    expect(get_button(main(visitor), "Sign in")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(visitor.get_by_test_id("stSidebar")).to_have_count(0)  # no sidebar at all: no catalog, no shopper


def test_a_group_the_role_map_names_signs_in_as_its_role(visitor, provider):
    provider.next_user = {"email": "mo@example.com", "name": "Mo Mapped", "groups": [MAPPED_GROUP, "Everyone"]}
    get_button(main(visitor), "Sign in").click()
    expect(sidebar(visitor)).to_contain_text("Mo Mapped", timeout=RUN_TIMEOUT_MS)
    wait_for_app(visitor)
    expect(sidebar(visitor)).to_contain_text("merchandiser")
    click_button(main(visitor), "Preview storefront")
    expect(main(visitor).get_by_test_id("stMetric").first).to_be_visible()


def test_no_token_reaches_a_page_a_url_a_frame_or_the_log(visitor, provider, auth_server, simulator_token):
    sign_in_as(visitor, provider, "merchandiser")
    click_button(main(visitor), "Preview storefront")
    expect(main(visitor).get_by_test_id("stMetric").first).to_be_visible()
    go_to(visitor, "History")  # the storefront's visit ends: its live calls are counted in the activity log
    tokens = [token for token in provider.issued if not re.fullmatch(r"[\w-]{32}", token)]  # codes travel in URLs
    assert len(tokens) >= 2, "an id token and an access token were issued"
    seen = traffic(visitor)
    html = visitor.content()
    urls = [request.url for request in seen.requests]
    log = auth_server.log_path.read_text(errors="replace")
    for secret in [*tokens, simulator_token, provider.client_secret]:
        needle = secret.encode()
        assert secret not in html
        assert not [url for url in urls if secret in url]
        assert not [frame for _, frame in seen.frames if needle in frame]
        assert secret not in log

    activity = ActivityLog(auth_server.env["FASHIONAI_HISTORY_URL"])
    try:
        rows = activity.entries(who="merchandiser@example.com")
    finally:
        activity.close()
    assert {"signed in", "live calls"} <= {str(row.action) for row in rows}
    stored = " ".join(f"{row.who} {row.page} {row.detail} {row.about}" for row in rows)
    assert not [secret for secret in [*tokens, simulator_token] if secret in stored]


SHOPPER_EMAIL = "ana.shopper.5c1d@loja.example"


def database_text(url: str) -> str:
    """Every value of every row of every table of the deployment's database, as one text."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            return "\n".join(" ".join(map(str, row)) for table in tables
                             for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')))
    finally:
        engine.dispose()


def test_a_shoppers_email_looked_up_reaches_no_page_url_frame_log_or_row(visitor, provider, auth_server):
    """Item 8: a shopper's e-mail typed for a profile look-up is sent by the browser (its widget's state) and to
    Fashion.AI, and nowhere else: not in a page, a URL, a frame the server sends, the server's log or a row."""
    sign_in_as(visitor, provider, "merchandiser")
    fill_text(sidebar(visitor), "User id (optional)", "90")
    go_to(visitor, "Shopper walk")
    click_button(main(visitor), "Open the home page")
    select_option(main(visitor), "Look the shopper up by", "E-mail")
    fill_text(main(visitor), "E-mail", SHOPPER_EMAIL)
    click_button(main(visitor), "Fetch the profile")
    expect(main(visitor)).to_contain_text("e-mail a***@l***.example")  # the page shows it masked
    go_to(visitor, "History")
    seen = traffic(visitor)
    assert SHOPPER_EMAIL not in visitor.content()
    assert not [request.url for request in seen.requests if "loja.example" in request.url]
    assert not [frame for direction, frame in seen.frames
                if direction == "received" and SHOPPER_EMAIL.encode() in frame]
    assert SHOPPER_EMAIL not in auth_server.log_path.read_text(errors="replace")
    stored = database_text(auth_server.env["FASHIONAI_HISTORY_URL"])
    assert "profile by e-mail" in stored  # the look-up is in the activity log, as how, never the value
    assert SHOPPER_EMAIL not in stored and "5c1d" not in stored


def test_a_viewers_crafted_request_for_a_live_call_is_refused_and_logged(visitor, provider, auth_server):
    """Item 8: a viewer asks for a live call the page does not offer them, and the server refuses it and logs it.

    How the request is crafted: the Preview storefront button is disabled for a viewer, and Streamlit itself
    discards a forged value of a disabled widget (and React fires no click on it), so that path never reaches our
    check. The viewer instead opens a crafted share link: a merchandiser's saved preview with another category
    in the link. The saved answer opens (no call) and the stale note offers "Preview again"; pressing it asks the
    server for a live preview, which `ui.require` must refuse: no request reaches the simulator, the refusal is
    shown in words and a "refused" row is in the activity log."""
    from fashionai.history import HistoryStore

    simulator = auth_server.simulator
    sign_in_as(visitor, provider, "merchandiser")  # a saved preview to share (and a check that calls are counted)
    before = simulator.requests_seen()
    click_button(main(visitor), "Preview storefront")
    expect(main(visitor).get_by_test_id("stMetric").first).to_be_visible()
    assert simulator.requests_seen() > before, "the simulator's request lines are counted"
    categories = selectbox_options(main(visitor), "Category")
    get_button(sidebar(visitor), "Sign out").click()
    expect(get_button(main(visitor), "Sign in")).to_be_visible(timeout=RUN_TIMEOUT_MS)

    history = HistoryStore(auth_server.env["FASHIONAI_HISTORY_URL"], max_age_days=None, max_count=None)
    try:
        saved = history.query(limit=1)[0]
    finally:
        history.close()
    other = next(category for category in categories if category != saved.item_id)

    sign_in_as(visitor, provider, "viewer")
    expect(get_button(main(visitor), "Preview storefront")).to_be_disabled()
    open_app(visitor, f"{auth_server.url}/?page=storefront&v=1&category={other}&snap={saved.id}")
    expect(main(visitor)).to_contain_text("no call was made")
    before = simulator.requests_seen()
    click_button(main(visitor), "Preview again")
    expect(alert(main(visitor), "Warning", "to live call takes the merchandiser role")).to_be_visible()
    assert simulator.requests_seen() == before, "no live call reached the simulator"

    activity = ActivityLog(auth_server.env["FASHIONAI_HISTORY_URL"])
    try:
        rows = activity.entries(who="viewer@example.com")
    finally:
        activity.close()
    refused = [row for row in rows if row.action == ActivityAction.REFUSED]
    assert [(row.page, row.detail) for row in refused] == [("Storefront preview", "live call")]
    assert ActivityAction.LIVE_CALLS not in {row.action for row in rows}


def test_the_team_page_says_a_role_came_from_the_identity_provider(visitor, provider):
    """Issue 23: a person whose role the provider's mapped group gave is listed with that source on the Team page."""
    provider.next_user = {"email": "mia@example.com", "name": "Mia Mapped", "groups": [MAPPED_GROUP]}
    get_button(main(visitor), "Sign in").click()
    expect(sidebar(visitor)).to_contain_text("Mia Mapped", timeout=RUN_TIMEOUT_MS)
    wait_for_app(visitor)
    get_button(sidebar(visitor), "Sign out").click()
    expect(get_button(main(visitor), "Sign in")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    sign_in_as(visitor, provider, "admin")
    go_to(visitor, "Team")
    table = main(visitor).get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    expect(table).to_contain_text(f"the identity provider (groups: {MAPPED_GROUP}) at their last sign-in")
