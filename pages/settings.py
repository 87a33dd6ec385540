"""Settings: which backend answers, where the token came from, a connection check, fault drills, the
storefront's settings (unknown stock, an image address template) and the catalog in use."""

import streamlit as st

from fashionai import ui
from fashionai.simulator import PRESETS, Faults
from fashionai.simulator.faults import CUSTOM, DRILL_STATUSES, OFF, DrillForm, drill_name
from fashionai.team import Action
from fashionai.text.formatting import STOCK_RULE_WORDS, escape_markdown, ms_words, plural

PRESET_KEY, APPLIED_KEY, DRILL_MESSAGE_KEY = "fault_preset", "fault_drill_applied", "fault_drill_message"


CONTROL_KEYS = {"latency": "fault_latency", "rate_limit_burst": "fault_burst", "retry_after": "fault_retry_after",
                "broken_percent": "fault_broken", "drop_percent": "fault_drop", "seed": "fault_seed"}
"""The drill control of each `DrillForm` field; each error rate's is fault_rate_<status>."""


def _controls(faults: Faults) -> dict[str, object]:
    """The drill controls' values (percentages for rates) for these faults."""
    form = DrillForm.of(faults)
    return ({key: getattr(form, name) for name, key in CONTROL_KEYS.items()}
            | {f"fault_rate_{status}": percent for status, percent in form.error_percents.items()})


def _preset_faults(name: str, timeout: float) -> Faults:
    return PRESETS[name].faults(timeout=timeout)


def _load_preset(timeout: float) -> None:
    """The preset chosen: fill the controls with its settings (a callback; nothing is applied yet)."""
    st.session_state.update(_controls(_preset_faults(st.session_state[PRESET_KEY], timeout)))
    st.session_state.pop(DRILL_MESSAGE_KEY, None)


def _apply(timeout: float) -> None:
    """Apply: the controls' faults become this browser session's drill (a callback)."""
    state = st.session_state
    form = DrillForm(**{name: state[key] for name, key in CONTROL_KEYS.items()},
                     error_percents={status: state[f"fault_rate_{status}"] for status in DRILL_STATUSES})
    try:
        faults = form.faults()
    except ValueError as err:
        state[DRILL_MESSAGE_KEY] = ("error", str(err))
        return
    ui.set_session_faults(faults)
    state[APPLIED_KEY] = drill_name(faults, state[PRESET_KEY], timeout=timeout)
    state[DRILL_MESSAGE_KEY] = ("success", ("Fault drill applied: every page now meets these faults, for your "
                                            "browser session only.")) if faults.active else (
        "info", "Every fault is at zero, so no drill is on.")


def _reset(timeout: float) -> None:
    """Reset: no drill, the controls back to Off (a callback)."""
    ui.set_session_faults(None)
    st.session_state[PRESET_KEY] = OFF
    st.session_state.update(_controls(_preset_faults(OFF, timeout)))
    st.session_state.pop(APPLIED_KEY, None)
    st.session_state[DRILL_MESSAGE_KEY] = ("info", "Fault drill reset: the simulator answers normally again.")


st.title("Settings")
try:
    settings = ui.get_settings()
except ui.ConfigError as err:
    st.error(str(err), icon=":material/settings_alert:")
    st.stop()

st.subheader("Connection")
rows = {
    "Backend": settings.backend_label
    + (" (FASHIONAI_BACKEND=simulator, although a token is set)" if settings.forced_simulator else ""),
    "Endpoint": ui.SIMULATOR_BASE_URL + " (in-process, nothing leaves this server)"
    if not settings.is_live else settings.base_url,
    "Endpoint set by": settings.base_url_source if settings.is_live else "built in",
    "App token": settings.token_hint,
    "Token set by": settings.token_source,
    "Prices shown in": settings.currency,
}
for label, value in rows.items():
    left, right = st.columns([1, 3])
    left.markdown(f"**{label}**")
    right.text(value)

TIMEOUT_INPUT = "timeout_input"


def _choose_timeout() -> None:
    """The timeout typed: this browser session's from now on (a callback; kept when the widget is not drawn)."""
    chosen = st.session_state[TIMEOUT_INPUT]
    if chosen == settings.default_timeout:
        st.session_state.pop(ui.TIMEOUT_KEY, None)
    else:
        st.session_state[ui.TIMEOUT_KEY] = float(chosen)


low, high = settings.timeout_range()
st.session_state[TIMEOUT_INPUT] = settings.timeout  # widget values are forgotten on other pages
left, right = st.columns([1, 3])
left.markdown("**Timeout**")
right.number_input(
    "Timeout (seconds)", min_value=low, max_value=high, step=1.0, format="%g", key=TIMEOUT_INPUT,
    on_change=_choose_timeout, label_visibility="collapsed",
    help=f"How long one call to {'Fashion.AI' if settings.is_live else 'the simulator'} may take in all, retries "
         f"and waits included, from {low:g} to {high:g} seconds. For your browser session only; the studio's "
         f"default is {settings.default_timeout:g} s (FASHIONAI_TIMEOUT).",
)
if settings.timeout != settings.default_timeout:
    right.caption(f"Your browser session waits up to {settings.timeout:g} s a call; the studio's default is "
                  f"{settings.default_timeout:g} s.")
if not settings.is_live:
    st.caption("To use the live API, set FASHIONAI_APP_TOKEN (or `app_token` under `[fashionai]` in "
               ".streamlit/secrets.toml, see secrets.toml.example) and restart the app.")

st.subheader("Connection check")
st.caption("Asks Fashion.AI for its best sellers (sales ranking). This is not a tracking event: "
           "no shopper session is touched.")
if st.button("Check the connection", icon=":material/network_check:", type="primary", disabled=not ui.allowed(
        Action.LIVE_CALL), help=ui.why_not(Action.LIVE_CALL) or None) and ui.require(Action.LIVE_CALL, page="Settings"):
    ctx = ui.context()
    result = ui.call("The connection check", ctx.client.sales_ranking)
    if result is not None:
        st.success(f"Connected: {settings.backend_label} answered HTTP {result.status_code} in "
                   f"{ms_words(result.elapsed)} with {plural(len(result.products), 'best seller')}.",
                   icon=":material/check_circle:")
        ui.exchange_expander(result)

st.subheader("Fault drills")
if settings.is_live:
    st.info("Fault injection is only for the built-in simulator: the live Fashion.AI API is never made to fail "
            "on purpose. Start the studio without a token (or with FASHIONAI_BACKEND=simulator) to run a drill.",
            icon=":material/bolt:")
else:
    st.caption("Make the simulator slow or failing on purpose, to rehearse or demo what the studio does when "
               "Fashion.AI misbehaves. A drill applies to **your browser session only**: colleagues using the "
               "studio at the same time are not affected. Reloading the page ends it.")
    drill = ui.session_faults()
    if drill is not None:
        applied = st.session_state.get(APPLIED_KEY, CUSTOM)
        st.warning(f"**Fault drill on ({escape_markdown(applied)}):** {escape_markdown(drill.describe())}. "
                   "Every page meets these faults until you press **Reset**.", icon=":material/bolt:")
    else:
        st.caption(":material/check_circle: No fault drill is on: the simulator answers at once and always well.")
    # Widget values are forgotten on other pages: start the controls from the drill in force.
    st.session_state.setdefault(PRESET_KEY, st.session_state.get(APPLIED_KEY) if drill is not None
                                and st.session_state.get(APPLIED_KEY) in PRESETS else OFF)
    for key, value in _controls(drill or _preset_faults(st.session_state[PRESET_KEY], settings.timeout)).items():
        st.session_state.setdefault(key, value)

    preset = st.selectbox("Preset", list(PRESETS), key=PRESET_KEY, on_change=_load_preset,
                          args=(settings.timeout,), help="Fills the controls below; press Apply to start it.")
    st.caption(escape_markdown(PRESETS[preset].description))
    with st.expander("Adjust the faults", icon=":material/tune:"):
        c1, c2, c3 = st.columns(3)
        c1.number_input("Latency (seconds)", 0.0, 600.0, step=0.5, key="fault_latency",
                        help=f"Added to every answer. Past the timeout ({settings.timeout:g} s) a call fails "
                             "with a timeout (the event is still recorded).")
        c2.number_input("429 on every Nth request (0 = never)", 0, 1000, step=1, key="fault_burst",
                        help="A rate-limit answer: the event is not recorded, and the studio waits and retries.")
        c3.number_input("Retry-After (seconds)", 0.0, 120.0, step=1.0, key="fault_retry_after",
                        help="Sent with every 429 and 503. Above 30 s the studio does not wait but says so.")
        st.markdown("**Error answers** (share of requests, in percent; together at most 100)")
        for column, status in zip(st.columns(len(DRILL_STATUSES)), DRILL_STATUSES, strict=True):
            column.slider(f"HTTP {status}", 0, 100, step=5, key=f"fault_rate_{status}", format="%d%%")
        st.caption("500 and 504: the event was recorded before the failure, so it is not sent again. "
                   "502 and 503: it was not recorded; the studio retries a 503.")
        d1, d2, d3 = st.columns(3)
        d1.slider("Broken bodies", 0, 100, step=5, key="fault_broken", format="%d%%",
                  help="HTTP 200 with a web page (HTML) or JSON cut off halfway.")
        d2.slider("Dropped connections", 0, 100, step=5, key="fault_drop", format="%d%%",
                  help="The connection closes after the event was recorded, before the answer.")
        d3.number_input("Fault pattern (repeatable)", 0, 1_000_000, step=1, key="fault_seed",
                        help="The same number meets the same faults in the same order of requests; another "
                             "number, another pattern (the dice's seed).")
    b1, b2, _ = st.columns([1, 1, 2])
    b1.button("Apply", type="primary", icon=":material/bolt:", on_click=_apply, args=(settings.timeout,),
              width="stretch")
    b2.button("Reset", icon=":material/restart_alt:", on_click=_reset, args=(settings.timeout,), width="stretch")
    if message := st.session_state.pop(DRILL_MESSAGE_KEY, None):
        kind, text = message
        {"success": st.success, "error": st.error}.get(kind, st.info)(text, icon=":material/bolt:")

try:
    catalog, catalog_error = ui.active_catalog(settings), None
except ui.CatalogError as err:
    catalog, catalog_error = None, err
ui.store_settings_section(catalog)
ui.dashboard_filters_section("Settings")

st.subheader("Catalog")
if catalog is None:
    st.error(str(catalog_error), icon=":material/error:")
else:
    name = st.session_state.get(ui.UPLOAD_NAME_KEY) or (
        str(settings.catalog_path) if settings.catalog_path else "bundled sample catalog")
    st.markdown(f"**In use:** {escape_markdown(name)} · {plural(len(catalog.products), 'product')} · "
                f"{plural(len(catalog.categories), 'category', 'categories')}")
    for warning in catalog.warnings:
        st.caption(f":material/warning: {escape_markdown(warning)}")
    if catalog.stock_kind == "missing":  # what the switch above does to it now
        st.caption(f":material/inventory: With no stock in the catalog, {STOCK_RULE_WORDS[ui.unknown_in_stock()]} "
                   "now: see \"Treat unknown stock as in stock\" above.")
