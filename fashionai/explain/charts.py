"""The experiment's heatmap: events × the products that moved most, coloured by the places each event moved each
product (up in plum, down in rose), a move within noise hatched pale with its number in grey."""

from __future__ import annotations

import altair as alt

from fashionai.explain.reading import TOP_PRODUCTS, Explanation
from fashionai.output.palette import INK, IVORY, PLUM, ROSE, ROW_HEIGHT, TAUPE, house_style


def moves_heatmap(explanation: Explanation, *, top: int = TOP_PRODUCTS) -> alt.LayerChart:
    """A cell an (event, product) for the `top` products that moved most: colour = places moved up (negative:
    down) when the event is in the sequence; its tooltip says both places and whether it is within noise."""
    frame = explanation.change_frame(top)
    data = frame.assign(
        moved=frame["change"].astype("int64"),
        noise=frame["within_noise"].map({True: "within noise", False: "beyond noise"}).astype("str"),
        label=frame["change"].map(lambda c: f"+{c}" if c > 0 else str(c)).astype("str"),
    ).drop(columns=["change", "within_noise"])
    products = list(dict.fromkeys(data.sort_values("order")["product"]))
    events = [f"{n + 1}. {label}" for n, label in enumerate(explanation.events)]
    span = max(1, int(data["moved"].abs().max())) if not data.empty else 1
    base = alt.Chart(data).encode(
        x=alt.X("event:N", sort=events, title="Event left out", scale=alt.Scale(domain=events),
                axis=alt.Axis(labelAngle=-30, labelLimit=180)),
        y=alt.Y("product:N", sort=products, title=None, axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect(stroke=IVORY).encode(
        color=alt.Color("moved:Q", title="Places moved up by the event",
                        scale=alt.Scale(domain=[-span, 0, span], range=[ROSE, IVORY, PLUM])),
        opacity=alt.condition(alt.datum.noise == "within noise", alt.value(0.35), alt.value(1.0)),
        tooltip=[alt.Tooltip("product:N", title="Product"), alt.Tooltip("event:N", title="Event"),
                 alt.Tooltip("without:N", title="Without the event"), alt.Tooltip("with_all:N", title="With every event"),
                 alt.Tooltip("noise:N", title="Against the twins")],
    )
    numbers = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition(alt.datum.noise == "within noise", alt.value(TAUPE), alt.value(INK)),
    )
    chart = (cells + numbers).properties(
        height=max(ROW_HEIGHT * len(products), ROW_HEIGHT), width=alt.Step(90),
        title=alt.Title("What each event did to the products that moved most",
                        subtitle=f"{explanation.question}: the place without the event minus the place with every "
                                 "event; pale cells are within the twins' noise"))
    return house_style(chart)

